package io.linerate.ops.pipeline;

import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.PacketListener;
import io.linerate.decode.DecodedFrame;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.filter.WhereFilter;
import io.linerate.ops.report.ReportCollector;
import io.linerate.ops.summary.ConnectionSummary;
import io.linerate.sink.jsonl.JsonLinesOutput;
import io.linerate.sink.kafka.KafkaOutput;
import io.linerate.sink.kafka.KafkaTarget;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Where a run's records go ({@code --out}): JSON lines files or stdout, the Kafka output, the
 * summary's and the {@code --report}'s collectors, each shard's {@code --where} filter in front of
 * them, and a tap ({@link Replay#tap}) beside them.
 */
final class Outputs
{
    private final ReplayOptions options;
    private final List<JsonLinesOutput> jsonOutputs = new ArrayList<>();
    private final KafkaOutput kafka;
    private final boolean summary;
    private final boolean jsonOnStdout;
    private final List<ConnectionSummary> summaries = new ArrayList<>();
    /** {@code --report}: each shard's part of the HTML report. */
    private final List<ReportCollector> reportParts = new ArrayList<>();
    private final List<WhereFilter> whereFilters = new ArrayList<>();

    /** The records and packets of one shard, as it hands them on. */
    record ShardOutputs(FlowRecordListener records, PacketListener packets)
    {
    }

    private Outputs(final ReplayOptions options, final KafkaOutput kafka, final boolean jsonOnStdout,
        final List<JsonLinesOutput> jsonOutputs)
    {
        this.options = options;
        this.kafka = kafka;
        this.summary = options.outputs().contains("summary");
        this.jsonOnStdout = jsonOnStdout;
        this.jsonOutputs.addAll(jsonOutputs);
    }

    /** Opens the outputs {@code --out} names; a Kafka output stops waiting for acknowledgements on {@code stop}. */
    static Outputs open(final ReplayOptions options, final StopRequest stop, final PrintStream err) throws IOException
    {
        final List<JsonLinesOutput> json = new ArrayList<>();
        KafkaOutput kafka = null;
        boolean jsonOnStdout = false;
        for (final String spec : options.outputs())
        {
            if (spec.startsWith("jsonl:"))
            {
                final String target = spec.substring("jsonl:".length());
                jsonOnStdout |= "-".equals(target);
                json.add(JsonLinesOutput.open(target, options.sensor()));
            }
            else if (spec.startsWith("kafka:"))
            {
                kafka = KafkaOutput.open(KafkaTarget.parse(spec.substring("kafka:".length())), options.kafkaTopic(),
                    options.sensor(), options.spill(), options.spillRetention(), kafkaProperties(options),
                    Duration.ofNanos(options.kafkaDrainTimeoutNanos()), err);
                stop.onStop(kafka::stopWaiting);
            }
        }
        return new Outputs(options, kafka, jsonOnStdout, json);
    }

    private static Properties kafkaProperties(final ReplayOptions options) throws IOException
    {
        final Properties p = new Properties();
        if (options.kafkaConfig() != null)
        {
            try (Reader r = Files.newBufferedReader(options.kafkaConfig()))
            {
                p.load(r);
            }
        }
        return p;
    }

    /**
     * The listeners of one more shard: its records through {@code --where} (when given) to every
     * output and {@code recordTap}; its packets to the filter when it needs them, and to {@code packetTap}.
     */
    ShardOutputs forShard(final FlowRecordListener recordTap, final PacketListener packetTap)
    {
        final List<FlowRecordListener> listeners = new ArrayList<>();
        for (final JsonLinesOutput o : jsonOutputs)
        {
            listeners.add(o.listener());
        }
        if (kafka != null)
        {
            listeners.add(kafka.listener());
        }
        if (summary)
        {
            final ConnectionSummary part = new ConnectionSummary(options.summaryRows());
            summaries.add(part);
            listeners.add(part);
        }
        if (options.report() != null)
        {
            final ReportCollector part = new ReportCollector();
            reportParts.add(part);
            listeners.add(part);
        }
        if (recordTap != null)
        {
            listeners.add(recordTap);
        }
        // --where stands between the shard and the outputs (the metrics count every record).
        final FlowRecordListener outputs = new Fanout(listeners);
        final WhereFilter where = options.where() == null ? null :
            new WhereFilter(options.where(), options.sensor(), outputs);
        if (where != null)
        {
            whereFilters.add(where);
        }
        return new ShardOutputs(where == null ? outputs : where,
            packetListener(where != null && where.needsPackets() ? where : null, packetTap));
    }

    /** What the shard shows its packets to: the --where filter, the tap, both or none. */
    private static PacketListener packetListener(final PacketListener first, final PacketListener second)
    {
        if (first == null || second == null)
        {
            return first == null ? second : first;
        }
        return new PacketListener()
        {
            @Override
            public void onPacket(final FlowView flow, final DecodedFrame slot, final boolean fromClient,
                final int analysis)
            {
                first.onPacket(flow, slot, fromClient, analysis);
                second.onPacket(flow, slot, fromClient, analysis);
            }

            @Override
            public void onQuotedPacket(final FlowView flow, final DecodedFrame slot, final boolean fromClient)
            {
                first.onQuotedPacket(flow, slot, fromClient);
                second.onQuotedPacket(flow, slot, fromClient);
            }
        };
    }

    /** The Kafka output, null when there is none. */
    KafkaOutput kafka()
    {
        return kafka;
    }

    /** {@code --out summary} is one of them. */
    boolean summary()
    {
        return summary;
    }

    /** Records go to stdout as JSON lines: the closing lines go to stderr then. */
    boolean jsonOnStdout()
    {
        return jsonOnStdout;
    }

    List<ConnectionSummary> summaries()
    {
        return summaries;
    }

    List<ReportCollector> reportParts()
    {
        return reportParts;
    }

    /** Records {@code --where} kept, over every shard. */
    long whereKept()
    {
        return whereFilters.stream().mapToLong(WhereFilter::kept).sum();
    }

    /** Records {@code --where} left out, over every shard. */
    long whereDropped()
    {
        return whereFilters.stream().mapToLong(WhereFilter::dropped).sum();
    }

    /**
     * Closes the outputs once every record is in: a file's error is said with its path and reason (a
     * full disk, a closed pipe) and the run still ends cleanly; the Kafka output waits (bounded by
     * {@code --kafka-drain-timeout}) for Kafka to acknowledge the backlog.
     *
     * @return false when an output could not be written
     */
    boolean close(final PrintStream err)
    {
        boolean written = true;
        for (final JsonLinesOutput o : jsonOutputs)
        {
            try
            {
                o.close();
            }
            catch (final IOException ex)
            {
                written = false;
                err.println("linerate: " + ex.getMessage());
            }
        }
        if (kafka != null)
        {
            kafka.close();
        }
        return written;
    }

    /** Closes the outputs of a run that failed: what was written stays, Kafka stops waiting. */
    void abort() throws IOException
    {
        for (final JsonLinesOutput o : jsonOutputs)
        {
            o.close();
        }
        if (kafka != null)
        {
            kafka.stopWaiting();
            kafka.close();
        }
    }
}
