package io.linerate.ops.pipeline;

import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.PacketListener;
import io.linerate.ingest.bpf.BpfCompileException;
import io.linerate.ingest.bpf.FrameFilter;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.metrics.JvmMetrics;
import io.linerate.ops.metrics.MetricsEndpoint;
import io.linerate.ops.metrics.MetricsRegistry;
import io.linerate.ops.metrics.PipelineMetrics;
import io.linerate.ops.progress.ProgressLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code linerate replay} and {@code linerate capture}: a run of the pipeline from its source to its
 * outputs. Its parts: the {@link FrameSource} ({@link FileSource} reads capture files, {@link LiveSource}
 * a device), the {@link Pipeline} (the ring, the decoders and the flow shards, or the shards run to
 * completion), the {@link Outputs} (JSON lines, Kafka, the summary's and the report's collectors, behind
 * {@code --where}), and the {@link ClosingReport} (outputs closed, summary, report page, closing lines,
 * exit code); around them, the metrics endpoint and the progress line.
 *
 * <p>Every record of what was read is written, also when an input was damaged (exit code 1). When
 * nothing could be read at all, the error is the whole report: no empty summary follows it.
 */
public final class Replay
{
    private final ReplayOptions options;
    /** The live device on {@code linerate capture}; null on replay. */
    private final LiveCapture live;
    /** Read for {@code -}: the process's standard input, or what a test gives. */
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final StopRequest stop;

    /** {@link #tap}: sees the records that pass --where, and every packet; null when not tapped. */
    private FlowRecordListener recordTap;
    private PacketListener packetTap;
    private final MetricsRegistry metrics = new MetricsRegistry();
    /** Draw the progress line on {@link #err} (a terminal). */
    private boolean progress;
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);

    public Replay(final ReplayOptions options, final PrintStream out, final PrintStream err, final StopRequest stop)
    {
        this(options, new FileInputStream(FileDescriptor.in), out, err, stop);
    }

    /** A replay whose {@code -} reads {@code stdin}. */
    public Replay(final ReplayOptions options, final InputStream stdin, final PrintStream out, final PrintStream err,
        final StopRequest stop)
    {
        this(options, null, stdin, out, err, stop);
    }

    /**
     * The same pipeline fed by a live capture instead of files ({@code options.files()} is empty): the
     * capture thread publishes without waiting, and drops what finds the ring full.
     */
    public Replay(final ReplayOptions options, final LiveCapture live, final PrintStream out, final PrintStream err,
        final StopRequest stop)
    {
        this(options, live, InputStream.nullInputStream(), out, err, stop);
    }

    private Replay(final ReplayOptions options, final LiveCapture live, final InputStream stdin, final PrintStream out,
        final PrintStream err, final StopRequest stop)
    {
        this.options = options;
        this.live = live;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.stop = stop;
    }

    /**
     * Runs the replay; returns the exit code (0 done, 1 bad input, 2 a filter libpcap refuses). With
     * {@code --metrics}, the endpoint serves from before the first frame until the Kafka output has drained.
     */
    public int run() throws IOException
    {
        if (options.metrics() == null)
        {
            return replay();
        }
        final MetricsEndpoint endpoint;
        try
        {
            endpoint = MetricsEndpoint.start(options.metrics(), metrics, options.metricsWebConfig());
        }
        catch (final IOException ex)
        {
            throw new IOException("--metrics: cannot listen on " + options.metrics() + ": " + ex.getMessage(), ex);
        }
        try (endpoint)
        {
            err.println("linerate: metrics at " + endpoint.url());
            return replay();
        }
    }

    /** Draws a progress line on the error stream while running (when it is a terminal and not --quiet). */
    public Replay showProgress(final boolean show)
    {
        this.progress = show && !options.quiet();
        return this;
    }

    /**
     * Hands this run's records (those --where keeps) to {@code records} and every packet to
     * {@code packets} (either may be null), on the shard's thread; for one shard only, so they come in
     * the order of the input. The run then says nothing of its own on its streams but errors.
     */
    public Replay tap(final FlowRecordListener records, final PacketListener packets)
    {
        if (options.shards() != 1)
        {
            throw new IllegalArgumentException("a tapped run has one shard");
        }
        this.recordTap = records;
        this.packetTap = packets;
        return this;
    }

    /** The registry the metrics endpoint serves; other stages add theirs to it. */
    public MetricsRegistry metrics()
    {
        return metrics;
    }

    private int replay() throws IOException
    {
        if (LOG.isInfoEnabled())
        {
            // Built only for the log: the string costs a start 25 ms of linking its concatenation.
            LOG.info("start {}: {}", live != null ? "capture on " + live.device() : "replay of " + options.files(),
                effectiveSettings());
        }
        final FrameFilter filter;
        try
        {
            // On a live capture the kernel runs the filter (LiveHandle installs it).
            filter = options.filter() == null || live != null ? null : FrameFilter.compile(options.filter());
        }
        catch (final BpfCompileException ex)
        {
            err.println("linerate: " + ex.getMessage());
            return 2;
        }
        final Outputs outputs = Outputs.open(options, stop, err);
        final RunCounters counters = new RunCounters();
        final PipelineFailures failures = new PipelineFailures(err);
        final FileSource files = live != null ? null :
            new FileSource(options, stdin, filter, stop, err, counters, failures, progress);
        final FrameSource source = files != null ? files : new LiveSource(live, stop, counters, failures);
        final Pipeline pipeline = new Pipeline(options, files != null && files.runsToCompletion(), outputs, recordTap,
            packetTap, failures);
        PipelineMetrics.register(metrics, () -> counters.frames, () -> counters.wireBytes, pipeline.shards(),
            pipeline.decoders(), pipeline.emitted(), failures::handlerFailures);
        PipelineMetrics.registerRing(metrics, pipeline::ringSlots, pipeline::ringSlotsInUse);
        if (outputs.kafka() != null)
        {
            PipelineMetrics.registerKafka(metrics, outputs.kafka().counters());
        }
        if (options.metrics() != null)
        {
            // Only an endpoint reads them; their management beans take a start 12 ms to look up.
            JvmMetrics.register(metrics);
        }
        if (live != null)
        {
            live.register(metrics);
        }
        pipeline.start();
        try
        {
            final long started = System.nanoTime();
            final ProgressLine progressLine = !progress ? null : ProgressLine.start(err, new ProgressLine.Counters(
                source::frames, source::wireBytes, source::position, source::bytes, pipeline::activeFlows));
            pipeline.run(source);
            pipeline.drain();
            final long elapsed = System.nanoTime() - started;
            if (progressLine != null)
            {
                progressLine.close();
            }
            return new ClosingReport(options, outputs, pipeline, counters, failures, out, err).close(source, live,
                files == null ? List.of() : files.plan(), files == null ? null : files.pacer(), filter,
                recordTap != null || packetTap != null, elapsed);
        }
        catch (final PipelineFailures.PipelineFailure ex)
        {
            // The thread that died cannot finish its connections and the ring cannot move past it:
            // what was written stays written, the outputs are closed, and the run ends.
            err.println("linerate: " + ex.getMessage() + "; stopping (the records of connections still open are lost)");
            outputs.abort();
            pipeline.halt();
            return 1;
        }
    }

    /** The settings in effect, for the log's first line (no secrets: file names, not their contents). */
    private String effectiveSettings()
    {
        final ReplayOptions o = options;
        return "outputs " + o.outputs() + ", decoders " + o.decoders() + ", shards " + o.shards() + ", ring " +
            o.ringSize() + ", wait " + o.waitStrategy() + ", sensor " + o.sensor() + ", max flows " + o.maxFlows() +
            ", tcp idle " + o.tcpIdleNanos() / 1_000_000_000.0 + " s, half-open idle " +
            o.tcpHalfOpenIdleNanos() / 1_000_000_000.0 + " s, udp idle " + o.udpIdleNanos() / 1_000_000_000.0 +
            " s, active timeout " + o.activeTimeoutNanos() / 1_000_000_000.0 + " s, lossy threshold " +
            o.lossyRetransmitRate() + (o.filter() == null ? "" : ", filter '" + o.filter() + "'") +
            (o.metrics() == null ? "" : ", metrics " + o.metrics()) + (o.report() == null ? "" : ", report " + o.report()) +
            (live == null ? ", speed " + o.speed() + ", count " + (o.count() == Long.MAX_VALUE ? "all" : o.count()) : "") +
            (o.kafkaConfig() == null ? "" : ", kafka config " + o.kafkaConfig()) + ", spill " + o.spill();
    }
}
