package io.linerate.ops.pipeline;

import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.aggregate.ShardHandler;
import io.linerate.decode.Anomaly;
import io.linerate.decode.PacketDecoder;
import io.linerate.ingest.bpf.FrameFilter;
import io.linerate.ingest.merge.CaptureInput;
import io.linerate.ingest.os.SystemErrors;
import io.linerate.ingest.pacing.ReplayPacer;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.report.HtmlReport;
import io.linerate.ops.report.PacketTrace;
import io.linerate.ops.report.RunFacts;
import io.linerate.ops.report.SecondPass;
import io.linerate.ops.summary.SummaryReport;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end of a run, once the pipeline has drained: the outputs closed, the summary, the
 * {@code --report} page, the closing lines (a capture's drops, the replay's pace, the filter's and
 * {@code --where}'s counts, frames the pipeline failed on), the event log's last line, and the exit code.
 */
final class ClosingReport
{
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);

    private final ReplayOptions options;
    private final Outputs outputs;
    private final Pipeline pipeline;
    private final RunCounters counters;
    private final PipelineFailures failures;
    private final PrintStream out;
    private final PrintStream err;

    ClosingReport(final ReplayOptions options, final Outputs outputs, final Pipeline pipeline, final RunCounters counters,
        final PipelineFailures failures, final PrintStream out, final PrintStream err)
    {
        this.options = options;
        this.outputs = outputs;
        this.pipeline = pipeline;
        this.counters = counters;
        this.failures = failures;
        this.out = out;
        this.err = err;
    }

    /**
     * Closes the outputs and reports a run of {@code elapsed} nanoseconds from {@code source};
     * {@code live} is its device (null on replay), {@code plan} its files (empty on a capture),
     * {@code pacer} and {@code filter} are null when not asked for; {@code tapped}: the records go to
     * a command of linerate's own, which says what it has to say.
     *
     * @return the exit code: 0 done, 1 bad input or an output that could not be written
     */
    int close(final FrameSource source, final LiveCapture live, final List<CaptureInput> plan, final ReplayPacer pacer,
        final FrameFilter filter, final boolean tapped, final long elapsed)
    {
        final boolean outputFailed = !outputs.close(err);
        if (counters.badInput && counters.framesRead == 0 && live == null)
        {
            // Nothing was read: the error said it all, an empty report would only bury it.
            return 1;
        }
        final List<PacketDecoder> decoders = pipeline.decoders();
        final ShardHandler[] shards = pipeline.shards();
        boolean reportFailed = false;
        if (options.report() != null)
        {
            reportFailed = !writeReport(source, live, plan, elapsed);
        }
        final boolean summary = outputs.summary();
        final PrintStream closing = summary && !outputs.jsonOnStdout() ? out : err;
        if (summary)
        {
            SummaryReport.print(outputs.jsonOnStdout() ? err : out, outputs.summaries(), options.summaryRows(),
                counters.frames, counters.wireBytes, elapsed, anomalies(decoders), shardAnomalies(shards),
                fragments(shards), rttDistribution(shards));
        }
        if (live != null && !options.quiet())
        {
            live.report(closing);
        }
        if (pacer != null && !options.quiet() && !tapped)
        {
            closing.println(pacer.report());
        }
        if (filter != null && !options.quiet() && !tapped)
        {
            closing.printf(Locale.ROOT, "filter '%s': %,d frames kept, %,d filtered out%n", filter.expression(),
                filter.accepted(), filter.rejected());
        }
        if (options.where() != null && !tapped)
        {
            closing.printf(Locale.ROOT, "where '%s': %,d records kept, %,d left out%n", options.where().text(),
                outputs.whereKept(), outputs.whereDropped());
        }
        if (failures.handlerFailures() > 0)
        {
            err.println("linerate: " + failures.handlerFailures() + " frames failed inside the pipeline (see above)");
        }
        final int exit = counters.badInput || outputFailed || reportFailed ? 1 : 0;
        long records = 0;
        for (final ShardHandler h : shards)
        {
            records += h.shard().flowsCreated();
        }
        if (live != null && live.ringDrops() + live.kernelDrops() + live.interfaceDrops() > 0)
        {
            LOG.warn("capture on {} dropped frames: ring {}, kernel {}, interface {}", live.device(), live.ringDrops(),
                live.kernelDrops(), live.interfaceDrops());
        }
        LOG.info("end: {} frames, {} bytes, {} flows, {} malformed, in {} s; exit code {}", counters.frames,
            counters.wireBytes, records, anomalies(decoders).values().stream().mapToLong(Long::longValue).sum(),
            String.format(Locale.ROOT, "%.3f", elapsed / 1e9), exit);
        return exit;
    }

    /** Writes {@code --report}; false (said with the reason) when the file cannot be written. */
    private boolean writeReport(final FrameSource source, final LiveCapture live, final List<CaptureInput> plan,
        final long elapsed)
    {
        final Map<String, Long> drops = new LinkedHashMap<>();
        if (live != null)
        {
            drops.put("ring (the pipeline was behind)", live.ringDrops());
            drops.put("kernel (capture buffer full)", live.kernelDrops());
            drops.put("interface (driver)", live.interfaceDrops());
        }
        // The pictures of single connections need their packets again: a second pass over the files,
        // bounded, where they can be read again (not a pipe, not a live device).
        final List<PacketTrace> traces = live != null || plan.stream().anyMatch(i -> !i.reopenable()) ? null :
            SecondPass.collect(plan, HtmlReport.toPicture(outputs.reportParts()), counters.framesRead, options.decode());
        try
        {
            HtmlReport.write(options.report(), new RunFacts(source.describe(), options.sensor(), counters.frames,
                counters.wireBytes, elapsed, anomalies(pipeline.decoders()), rttDistribution(pipeline.shards()), drops),
                outputs.reportParts(), traces);
            return true;
        }
        catch (final IOException ex)
        {
            err.println("linerate: " + options.report() + ": " + SystemErrors.reason(ex));
            return false;
        }
    }

    /** Every shard's RTT samples together (read once the shards are finished). */
    private static Histogram rttDistribution(final ShardHandler[] shards)
    {
        final Histogram all = shards[0].shard().rttMicros().copy();
        for (int j = 1; j < shards.length; j++)
        {
            all.add(shards[j].shard().rttMicros());
        }
        return all;
    }

    /** Malformed frames by reason, over every decoder. */
    private static Map<String, Long> anomalies(final List<PacketDecoder> decoders)
    {
        final long[] total = new long[Anomaly.COUNT + 1];
        for (final PacketDecoder d : decoders)
        {
            final long[] counts = d.anomalyCounts();
            for (int i = 0; i < Math.min(total.length, counts.length); i++)
            {
                total[i] += counts[i];
            }
        }
        final Map<String, Long> named = new LinkedHashMap<>();
        for (int code = 1; code < total.length; code++)
        {
            named.put(Anomaly.name(code), total[code]);
        }
        return named;
    }

    /** What the shards noted beyond single frames (fragments, caps reached), by name, in code order. */
    private static Map<String, Long> shardAnomalies(final ShardHandler[] shards)
    {
        final long[] counts = ShardAnomaly.countsOf(flowShards(shards));
        final Map<String, Long> named = new LinkedHashMap<>();
        for (int code = 1; code <= ShardAnomaly.COUNT; code++)
        {
            named.put(ShardAnomaly.name(code), counts[code]);
        }
        return named;
    }

    /** IP fragment reassembly of the run (every shard follows every fragment: one shard's view, but the datagrams each took). */
    private static SummaryReport.Fragments fragments(final ShardHandler[] shards)
    {
        long seen = 0, reassembled = 0, timedOut = 0, unfinished = 0;
        for (final FlowShard s : flowShards(shards))
        {
            seen = Math.max(seen, s.fragmentsSeen());
            reassembled += s.datagramsReassembled();
            timedOut = Math.max(timedOut, s.datagramsTimedOut());
            unfinished = Math.max(unfinished, s.datagramsUnfinished());
        }
        return new SummaryReport.Fragments(seen, reassembled, timedOut, unfinished);
    }

    private static List<FlowShard> flowShards(final ShardHandler[] shards)
    {
        final List<FlowShard> all = new ArrayList<>(shards.length);
        for (final ShardHandler h : shards)
        {
            all.add(h.shard());
        }
        return all;
    }
}
