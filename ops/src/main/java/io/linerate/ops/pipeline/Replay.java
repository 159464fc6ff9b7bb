package io.linerate.ops.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.linerate.aggregate.FlowSettings;
import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.ShardHandler;
import io.linerate.aggregate.flow.FlowRecordListener;
import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeHandler;
import io.linerate.decode.PacketDecoder;
import io.linerate.ingest.bpf.BpfCompileException;
import io.linerate.ingest.bpf.FrameFilter;
import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.file.SequentialChannelStream;
import io.linerate.ingest.merge.CaptureInput;
import io.linerate.ingest.merge.InputPlan;
import io.linerate.ingest.pacing.ReplayPacer;
import io.linerate.ingest.ring.FrameSlot;
import io.linerate.ingest.ring.FrameStage;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.metrics.MetricsEndpoint;
import io.linerate.ops.metrics.MetricsRegistry;
import io.linerate.ops.metrics.PipelineMetrics;
import io.linerate.ops.metrics.RecordsEmitted;
import io.linerate.ops.summary.ConnectionSummary;
import io.linerate.ops.summary.SummaryReport;
import io.linerate.sink.jsonl.JsonLinesOutput;
import io.linerate.sink.kafka.KafkaOutput;
import io.linerate.sink.kafka.KafkaTarget;
import org.HdrHistogram.Histogram;


import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code linerate replay}: reads capture files on this thread (the ring's only producer), decodes and
 * tracks flows on the ring's handler threads, and writes the records to the outputs.
 *
 * <p>The captures are read as {@link InputPlan} lays them out: {@code -} is standard input (a pipe is
 * read as it comes), compressed files are decompressed on this thread, several files are merged by
 * time stamp, rotated files read in sequence. Replay never drops a frame: when the ring is full the
 * reader waits for the handlers (backpressure), a pipe's writer then waits for linerate. A damaged
 * file is read up to the damage, reported with its byte offset, and the run goes on with the other
 * files; every record of what was read is still written. When nothing could be read at all, the
 * error is the whole report: no empty summary follows it.
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

    private final List<JsonLinesOutput> jsonOutputs = new ArrayList<>();
    private KafkaOutput kafkaOutput;
    private final List<ConnectionSummary> summaries = new ArrayList<>();
    private final AtomicLong handlerFailures = new AtomicLong();
    /** Set once a pipeline thread has died (an Error: out of memory, a stack overflow): why, and which. */
    private volatile Error fatal;
    /**
     * Heap kept back for the end of a run whose pipeline ran out of memory: let go when a thread dies,
     * so the line that says so and the closing of the outputs can still allocate.
     */
    @SuppressWarnings("unused")
    private volatile byte[] emergencyReserve = new byte[EMERGENCY_RESERVE_BYTES];
    private volatile String fatalThread;
    private volatile long fatalFrame;
    private final long[] framesByLinkType = new long[65536];
    private long frames;
    private long wireBytes;
    private boolean badInput;
    /** Frames read from the files, the filter's rejects included: frame numbers stay unique. */
    private long framesRead;
    private final MetricsRegistry metrics = new MetricsRegistry();
    private static final int EMERGENCY_RESERVE_BYTES = 4 << 20;
    /** The reader looks for a stop request once every this many + 1 frames (a volatile read each time). */
    private static final long STOP_CHECK_MASK = 1023;

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

    /** The registry the metrics endpoint serves; other stages add theirs to it. */
    public MetricsRegistry metrics()
    {
        return metrics;
    }

    private int replay() throws IOException
    {
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
        final boolean summary = options.outputs().contains("summary");
        boolean jsonOnStdout = false;
        for (final String spec : options.outputs())
        {
            if (spec.startsWith("jsonl:"))
            {
                final String target = spec.substring("jsonl:".length());
                jsonOnStdout |= "-".equals(target);
                jsonOutputs.add(JsonLinesOutput.open(target, options.sensor()));
            }
            else if (spec.startsWith("kafka:"))
            {
                kafkaOutput = KafkaOutput.open(KafkaTarget.parse(spec.substring("kafka:".length())), options.kafkaTopic(), options.sensor(),
                    options.spill(), options.spillRetention(), kafkaProperties(), Duration.ofNanos(options.kafkaDrainTimeoutNanos()), err);
                stop.onStop(kafkaOutput::stopWaiting);
            }
        }

        final int shardCount = options.shards();
        final FlowSettings flowSettings = new FlowSettings(
            Math.max(1, options.maxFlows() / shardCount),
            options.tcpIdleNanos(),
            options.tcpHalfOpenIdleNanos(),
            options.tcpClosedLingerNanos(),
            options.udpIdleNanos(),
            options.otherIdleNanos(),
            options.activeTimeoutNanos(),
            options.lossyRetransmitRate());

        // With no decoder thread the reader (or the capture thread) decodes each frame before it
        // publishes it: one hand-off a frame fewer.
        final PacketDecoder readerDecoder = options.decoders() == 0 ? new PacketDecoder(options.decode()) : null;
        final FrameStage stage = readerDecoder == null ? FrameStage.NONE : readerDecoder::decode;
        final ShardHandler[] shardHandlers = new ShardHandler[shardCount];
        final RecordsEmitted[] emitted = new RecordsEmitted[shardCount];
        for (int j = 0; j < shardCount; j++)
        {
            final List<FlowRecordListener> listeners = new ArrayList<>();
            emitted[j] = new RecordsEmitted();
            listeners.add(emitted[j]);
            for (final JsonLinesOutput o : jsonOutputs)
            {
                listeners.add(o.listener());
            }
            if (kafkaOutput != null)
            {
                listeners.add(kafkaOutput.listener());
            }
            if (summary)
            {
                final ConnectionSummary part = new ConnectionSummary(options.summaryRows());
                summaries.add(part);
                listeners.add(part);
            }
            final FlowShard shard = new FlowShard(flowSettings, new Fanout(listeners));
            shardHandlers[j] = new ShardHandler(j, shardCount, shard);
        }
        final DecodeHandler[] decodeHandlers = new DecodeHandler[options.decoders()];
        for (int i = 0; i < decodeHandlers.length; i++)
        {
            decodeHandlers[i] = new DecodeHandler(i, decodeHandlers.length, options.decode());
        }

        final Disruptor<FrameSlot> disruptor = new Disruptor<>(
            FrameSlot::new, options.ringSize(), new NamedThreads(), ProducerType.SINGLE, waitStrategy());
        disruptor.setDefaultExceptionHandler(new CountingExceptionHandler());
        if (decodeHandlers.length == 0)
        {
            disruptor.handleEventsWith(shardHandlers);
        }
        else
        {
            disruptor.handleEventsWith(decodeHandlers).then(shardHandlers);
        }
        final List<PacketDecoder> decoders = new ArrayList<>();
        if (readerDecoder != null)
        {
            decoders.add(readerDecoder);
        }
        for (final DecodeHandler d : decodeHandlers)
        {
            decoders.add(d.decoder());
        }
        PipelineMetrics.register(metrics, () -> frames, () -> wireBytes, shardHandlers, decoders, emitted,
            handlerFailures::get);
        if (kafkaOutput != null)
        {
            PipelineMetrics.registerKafka(metrics, kafkaOutput.counters());
        }
        if (live != null)
        {
            live.register(metrics);
        }
        final RingBuffer<FrameSlot> ring = disruptor.start();
        try
        {
            return feedAndDrain(ring, disruptor, shardHandlers, decoders, filter, stage, summary, jsonOnStdout);
        }
        catch (final PipelineFailure ex)
        {
            // The thread that died cannot finish its connections and the ring cannot move past it:
            // what was written stays written, the outputs are closed, and the run ends.
            err.println("linerate: " + ex.getMessage() + "; stopping (the records of connections still open are lost)");
            for (final JsonLinesOutput o : jsonOutputs)
            {
                o.close();
            }
            if (kafkaOutput != null)
            {
                kafkaOutput.stopWaiting();
                kafkaOutput.close();
            }
            disruptor.halt();
            return 1;
        }
    }

    /** Feeds the ring from the files (or the device), drains it, closes the outputs and reports. */
    private int feedAndDrain(final RingBuffer<FrameSlot> ring, final Disruptor<FrameSlot> disruptor,
        final ShardHandler[] shardHandlers, final List<PacketDecoder> decoders, final FrameFilter filter,
        final FrameStage stage, final boolean summary, final boolean jsonOnStdout) throws IOException
    {
        final ReplayPacer pacer = live != null ? null : ReplayPacer.of(options.speed());
        if (pacer != null)
        {
            stop.onStop(pacer::cancel);
        }
        final long started = System.nanoTime();
        long claimed = claim(ring);
        long remaining = options.count();
        final List<CaptureInput> plan = live != null ? List.of() :
            InputPlan.of(options.files(), options.mergeMode(), this::standardInput, this::inputProblem);
        for (final CaptureInput input : plan)
        {
            if (remaining <= 0 || stop.requested())
            {
                break;
            }
            final long before = frames;
            final long readBefore = framesRead;
            try (CaptureReader reader = input.open())
            {
                java.util.Arrays.fill(framesByLinkType, 0);
                while (remaining > 0)
                {
                    // (A paced frame is also looked at once it is due, below.)
                    if ((framesRead & STOP_CHECK_MASK) == 0 && stop.requested())
                    {
                        break;
                    }
                    final FrameSlot slot = ring.get(claimed);
                    slot.endOfInput = false;
                    if (!reader.next(slot))
                    {
                        break;
                    }
                    framesRead++;
                    // The filter runs here, on the reader thread: a rejected frame never takes a slot.
                    if (filter != null && !filter.accepts(slot))
                    {
                        continue;
                    }
                    slot.frameNumber += readBefore;
                    if (pacer != null)
                    {
                        pacer.await(slot.timestampNanos, slot.wireLength);
                        if (stop.requested())
                        {
                            break; // a stop came while the frame waited to be due: it is not replayed
                        }
                    }
                    stage.onFrame(slot);
                    frames++;
                    remaining--;
                    wireBytes += slot.wireLength;
                    framesByLinkType[slot.linkType & 0xFFFF]++;
                    ring.publish(claimed);
                    claimed = claim(ring);
                }
            }
            catch (final CaptureFileException ex)
            {
                inputProblem(ex);
            }
            reportUnsupportedLinkTypes(input.name(), frames - before);
            if (filter != null)
            {
                filter.drainProblems().forEach(p -> err.println("linerate: " + input.name() + ": " + p));
            }
        }
        if (live != null)
        {
            claimed = live.capture(ring, claimed, stage);
            if (claimed < 0)
            {
                claimed = claim(ring);
            }
            frames += live.published();
            wireBytes += live.wireBytes();
            badInput |= live.failed();
        }
        final FrameSlot end = ring.get(claimed);
        end.endOfInput = true;
        end.captureLength = 0;
        ring.publish(claimed);
        try
        {
            final long drainDeadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
            for (final ShardHandler h : shardHandlers)
            {
                while (!h.awaitFinished(100, TimeUnit.MILLISECONDS))
                {
                    failIfFatal();
                    if (System.nanoTime() - drainDeadline > 0)
                    {
                        throw new IllegalStateException("pipeline did not drain within an hour");
                    }
                }
            }
            disruptor.shutdown(1, TimeUnit.MINUTES);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while draining the pipeline", ex);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("pipeline did not stop within a minute of draining", ex);
        }
        final long elapsed = System.nanoTime() - started;

        boolean outputFailed = false;
        for (final JsonLinesOutput o : jsonOutputs)
        {
            try
            {
                o.close();
            }
            catch (final IOException ex)
            {
                // A full disk, a closed pipe: said with the path and the reason; the run still ends cleanly.
                outputFailed = true;
                err.println("linerate: " + ex.getMessage());
            }
        }
        if (kafkaOutput != null)
        {
            // Waits (bounded by --kafka-drain-timeout) for Kafka to acknowledge the backlog.
            kafkaOutput.close();
        }
        if (badInput && framesRead == 0 && live == null)
        {
            // Nothing was read: the error said it all, an empty report would only bury it.
            return 1;
        }
        if (summary)
        {
            SummaryReport.print(jsonOnStdout ? err : out, summaries, options.summaryRows(), frames, wireBytes,
                elapsed, anomalies(decoders), rttDistribution(shardHandlers));
        }
        if (live != null)
        {
            live.report(summary && !jsonOnStdout ? out : err);
        }
        if (pacer != null)
        {
            (summary && !jsonOnStdout ? out : err).println(pacer.report());
        }
        if (filter != null)
        {
            (summary && !jsonOnStdout ? out : err).printf(java.util.Locale.ROOT,
                "filter '%s': %,d frames kept, %,d filtered out%n", filter.expression(), filter.accepted(), filter.rejected());
        }
        if (handlerFailures.get() > 0)
        {
            err.println("linerate: " + handlerFailures.get() + " frames failed inside the pipeline (see above)");
        }
        return badInput || outputFailed ? 1 : 0;
    }

    /** A capture that cannot be read (on): said in one line, and the run ends with exit code 1. */
    private void inputProblem(final CaptureFileException problem)
    {
        if (stop.requested() && problem.getCause() instanceof AsynchronousCloseException)
        {
            // Standard input closed by the stop request: the end of input, not damage.
            return;
        }
        badInput = true;
        err.println("linerate: " + problem.getMessage());
    }

    /**
     * Standard input for {@code -}: read through a channel, so a stop request (SIGINT, SIGTERM) can
     * close it under a reader waiting for a pipe that stays quiet.
     */
    private InputStream standardInput()
    {
        final InputStream in = stdin;
        if (in instanceof FileInputStream)
        {
            final FileChannel channel = ((FileInputStream)in).getChannel();
            stop.onStop(() ->
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ex)
                {
                    // It is being closed anyway.
                }
            });
            return new SequentialChannelStream(channel);
        }
        return in;
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

    private Properties kafkaProperties() throws IOException
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

    private void reportUnsupportedLinkTypes(final String file, final long fileFrames)
    {
        long unsupported = 0;
        final StringBuilder which = new StringBuilder();
        for (int lt = 0; lt < framesByLinkType.length; lt++)
        {
            if (framesByLinkType[lt] > 0 && !PacketDecoder.supportsLinkType(lt))
            {
                unsupported += framesByLinkType[lt];
                which.append(which.length() == 0 ? "" : ", ").append(LinkTypeNames.name(lt))
                    .append(" (").append(framesByLinkType[lt]).append(" frames)");
            }
        }
        if (unsupported > 0)
        {
            err.println("linerate: " + file + ": link type not supported, frames not analysed: " + which);
            if (unsupported == fileFrames)
            {
                badInput = true;
            }
        }
    }

    private static Map<String, Long> anomalies(final List<PacketDecoder> decoders)
    {
        final long[] total = new long[Anomaly.COUNT + 1];
        for (final PacketDecoder d : decoders)
        {
            add(total, d.anomalyCounts());
        }
        final Map<String, Long> named = new LinkedHashMap<>();
        for (int code = 1; code < total.length; code++)
        {
            named.put(Anomaly.name(code), total[code]);
        }
        return named;
    }

    private static void add(final long[] total, final long[] counts)
    {
        for (int i = 0; i < Math.min(total.length, counts.length); i++)
        {
            total[i] += counts[i];
        }
    }

    private WaitStrategy waitStrategy()
    {
        switch (options.waitStrategy())
        {
            case "block": return new BlockingWaitStrategy();
            case "sleep": return new SleepingWaitStrategy();
            case "spin": return new BusySpinWaitStrategy();
            default: return new YieldingWaitStrategy();
        }
    }

    /**
     * A slot for the next frame: waits while the ring is full (replay's backpressure), but not for a
     * pipeline thread that has died.
     */
    private long claim(final RingBuffer<FrameSlot> ring)
    {
        while (true)
        {
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                failIfFatal();
                LockSupport.parkNanos(1);
            }
        }
    }

    private void failIfFatal()
    {
        if (fatal != null)
        {
            throw new PipelineFailure("pipeline thread " + fatalThread + " failed on frame " + fatalFrame + ": " + fatal);
        }
    }

    /** A pipeline thread died: the run cannot go on. */
    private static final class PipelineFailure extends RuntimeException
    {
        PipelineFailure(final String message)
        {
            super(message, null, false, false);
        }
    }

    /**
     * Keeps the pipeline running past a frame that a handler fails on (an exception), and says so
     * once. An Error (out of memory, a stack overflow) ends the handler's thread and the run: its
     * connections cannot be trusted any more.
     */
    private final class CountingExceptionHandler implements ExceptionHandler<FrameSlot>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final FrameSlot slot)
        {
            if (ex instanceof Error)
            {
                // No allocation here: the heap may be what ran out. The reader makes the message.
                if (fatal == null)
                {
                    emergencyReserve = null;
                    fatalThread = Thread.currentThread().getName();
                    fatalFrame = slot == null ? -1 : slot.frameNumber;
                    fatal = (Error)ex;
                }
                if (live != null)
                {
                    live.stop();
                }
                throw (Error)ex;
            }
            if (handlerFailures.getAndIncrement() == 0)
            {
                err.println("linerate: internal error on frame " + (slot == null ? "?" : slot.frameNumber) + ": " + ex);
                ex.printStackTrace(err);
            }
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            err.println("linerate: pipeline failed to start: " + ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            err.println("linerate: pipeline failed to stop cleanly: " + ex);
        }
    }

    private static final class NamedThreads implements ThreadFactory
    {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(final Runnable r)
        {
            final Thread t = new Thread(r, "linerate-ring-" + next.getAndIncrement());
            t.setDaemon(true);
            // A handler's Error was reported in one line by the exception handler; its trace is not news.
            t.setUncaughtExceptionHandler((thread, ex) ->
            {
            });
            return t;
        }
    }
}
