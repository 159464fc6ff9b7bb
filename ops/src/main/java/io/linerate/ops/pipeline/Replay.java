package io.linerate.ops.pipeline;

import io.linerate.aggregate.view.FlowView;
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
import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.aggregate.ShardHandler;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.PacketListener;
import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeHandler;
import io.linerate.decode.PacketDecoder;
import io.linerate.ingest.bpf.BpfCompileException;
import io.linerate.ingest.bpf.FrameFilter;
import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.file.SequentialChannelStream;
import io.linerate.ingest.os.SystemErrors;
import io.linerate.ingest.merge.CaptureInput;
import io.linerate.ingest.merge.InputPlan;
import io.linerate.ingest.pacing.ReplayPacer;
import io.linerate.ingest.ring.FrameSlot;
import io.linerate.ingest.ring.FrameStage;
import io.linerate.ops.cli.PipelineMode;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.metrics.JvmMetrics;
import io.linerate.ops.filter.WhereFilter;
import io.linerate.ops.metrics.MetricsEndpoint;
import io.linerate.ops.metrics.MetricsRegistry;
import io.linerate.ops.metrics.PipelineMetrics;
import io.linerate.ops.metrics.RecordsEmitted;
import io.linerate.ops.progress.ProgressLine;
import io.linerate.ops.report.HtmlReport;
import io.linerate.ops.report.PacketTrace;
import io.linerate.ops.report.SecondPass;
import io.linerate.ops.report.ReportCollector;
import io.linerate.ops.report.RunFacts;
import io.linerate.ops.summary.ConnectionSummary;
import io.linerate.ops.summary.SummaryReport;
import io.linerate.sink.jsonl.JsonLinesOutput;
import io.linerate.sink.kafka.KafkaOutput;
import io.linerate.sink.kafka.KafkaTarget;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


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
    /** {@code --report}: each shard's part of the HTML report. */
    private final List<ReportCollector> reportParts = new ArrayList<>();
    private final List<WhereFilter> whereFilters = new ArrayList<>();
    /** {@link #tap}: sees the records that pass --where, and every packet; null when not tapped. */
    private FlowRecordListener recordTap;
    private PacketListener packetTap;
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
    /** Draw the progress line on {@link #err} (a terminal). */
    private boolean progress;
    /** Bytes of the files read so far (finished inputs, and where the current one is): the progress line's. */
    private volatile long inputPosition;
    private static final int EMERGENCY_RESERVE_BYTES = 4 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    /** The reader looks for a stop request once every this many + 1 frames (a volatile read each time). */
    private static final long STOP_CHECK_MASK = 1023;
    /** A run-to-completion shard's thread is this and its number (shard 0 runs on the caller's). */
    private static final String SHARD_THREAD = "linerate-shard-";

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
        LOG.info("start {}: {}", live != null ? "capture on " + live.device() : "replay of " + options.files(),
            effectiveSettings());
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

        final List<CaptureInput> plan = live != null ? List.of() :
            InputPlan.of(options.files(), options.mergeMode(), this::standardInput, this::inputProblem);
        final boolean direct = runsToCompletion(plan);
        final int shardCount = options.shards() != ReplayOptions.SHARDS_AUTO ? options.shards() :
            direct ? processors() : 1;
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
            final FlowShard shard = new FlowShard(flowSettings,
                new Fanout(List.of(emitted[j], where == null ? outputs : where)),
                packetListener(where != null && where.needsPackets() ? where : null, packetTap));
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
        if (direct)
        {
            // No ring: each shard's thread reads the files itself (readAndAnalyse).
        }
        else if (decodeHandlers.length == 0)
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
        JvmMetrics.register(metrics);
        if (live != null)
        {
            live.register(metrics);
        }
        final RingBuffer<FrameSlot> ring = direct ? null : disruptor.start();
        try
        {
            return feedAndDrain(plan, ring, disruptor, shardHandlers, decoders, filter, stage, summary, jsonOnStdout);
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
            public void onPacket(final FlowView flow, final FrameSlot slot, final boolean fromClient,
                final int analysis)
            {
                first.onPacket(flow, slot, fromClient, analysis);
                second.onPacket(flow, slot, fromClient, analysis);
            }

            @Override
            public void onQuotedPacket(final FlowView flow, final FrameSlot slot,
                final boolean fromClient)
            {
                first.onQuotedPacket(flow, slot, fromClient);
                second.onQuotedPacket(flow, slot, fromClient);
            }
        };
    }

    /**
     * True when this replay's shards read the files themselves ({@link PipelineMode}): files that can
     * be opened again, at full speed, decoded on the shards, and two or more shards unless the mode
     * was asked for by name.
     */
    private boolean runsToCompletion(final List<CaptureInput> plan)
    {
        final PipelineMode mode = options.pipelineMode();
        if (mode == PipelineMode.RING || live != null || options.decoders() > 0 ||
            ReplayPacer.of(options.speed()) != null || !plan.stream().allMatch(CaptureInput::reopenable))
        {
            return false;
        }
        final int shards = options.shards() != ReplayOptions.SHARDS_AUTO ? options.shards() : processors();
        return mode == PipelineMode.RUN_TO_COMPLETION || shards >= 2;
    }

    private static int processors()
    {
        return Math.min(64, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Feeds the ring from the files (or the device), or has each shard read them
     * ({@code ring == null}); drains the pipeline, closes the outputs and reports.
     */
    private int feedAndDrain(final List<CaptureInput> plan, final RingBuffer<FrameSlot> ring, final Disruptor<FrameSlot> disruptor,
        final ShardHandler[] shardHandlers, final List<PacketDecoder> decoders, final FrameFilter filter,
        final FrameStage stage, final boolean summary, final boolean jsonOnStdout) throws IOException
    {
        final ReplayPacer pacer = live != null ? null : ReplayPacer.of(options.speed());
        if (pacer != null)
        {
            stop.onStop(pacer::cancel);
        }
        final long started = System.nanoTime();
        long remaining = options.count();
        final long inputBytes = live != null || plan.stream().anyMatch(i -> i.bytes() < 0) ? -1 :
            plan.stream().mapToLong(CaptureInput::bytes).sum();
        final ProgressLine progressLine = !progress ? null : ProgressLine.start(err, new ProgressLine.Counters(
            () -> live != null ? live.published() : frames, () -> live != null ? live.wireBytes() : wireBytes,
            () -> inputPosition, () -> inputBytes, () -> activeFlows(shardHandlers)));
        long inputsDone = 0;
        if (ring == null)
        {
            // Shard 0 runs on this thread and counts what is read; the others read the same frames.
            final ReadCut cut = new ReadCut(shardHandlers.length, STOP_CHECK_MASK + 1);
            for (int k = 1; k < shardHandlers.length; k++)
            {
                final ShardHandler h = shardHandlers[k];
                final FrameFilter own = filter == null ? null : filter.copy();
                final int thread = k;
                final Thread t = new Thread(() -> readAndAnalyse(plan, h, own, new PacketDecoder(options.decode()), cut, thread),
                    SHARD_THREAD + k);
                t.setDaemon(true);
                // An Error on it was recorded by the exception handler (the drain then fails); a
                // trace is not news.
                t.setUncaughtExceptionHandler((dead, ex) -> { });
                t.start();
            }
            final Thread self = Thread.currentThread();
            final String name = self.getName();
            self.setName(SHARD_THREAD + 0); // as its messages and a thread dump name it
            try
            {
                readAndAnalyse(plan, shardHandlers[0], filter, decoders.get(0), cut, 0);
            }
            finally
            {
                self.setName(name);
            }
            return drainAndReport(plan, ring, disruptor, shardHandlers, decoders, filter, summary, jsonOnStdout, pacer,
                started, progressLine);
        }
        long claimed = claim(ring);
        for (final CaptureInput input : plan)
        {
            if (remaining <= 0 || stop.requested())
            {
                break;
            }
            final long before = frames;
            final long readBefore = framesRead;
            final long inputSize = progressLine == null ? 0 : Math.max(0, input.bytes());
            try (CaptureReader reader = input.open())
            {
                java.util.Arrays.fill(framesByLinkType, 0);
                while (remaining > 0)
                {
                    // (A paced frame is also looked at once it is due, below.)
                    if ((framesRead & STOP_CHECK_MASK) == 0)
                    {
                        if (stop.requested())
                        {
                            break;
                        }
                        if (progressLine != null)
                        {
                            inputPosition = inputsDone + Math.min(reader.position(), inputSize);
                        }
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
            inputsDone += inputSize;
            inputPosition = inputsDone;
            reportUnsupportedLinkTypes(input.name(), frames - before);
            if (filter != null)
            {
                filter.drainProblems().forEach(p -> err.println("linerate: " + input.name() + ": " + p));
            }
        }
        if (live != null)
        {
            // SIGINT, SIGTERM (and a test's request) end the capture; a second signal exits at once.
            stop.onStop(live::stop);
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
        return drainAndReport(plan, ring, disruptor, shardHandlers, decoders, filter, summary, jsonOnStdout, pacer,
            started, progressLine);
    }

    /**
     * One shard's thread in run-to-completion mode: it reads every frame of every input itself, runs
     * the filter, decodes the frame (for its flow hash) and hands it to its shard, which analyses the
     * frames that hash to it and lets the others move its clock, as on the ring; a batch of slots of
     * its own stands in for the ring. The primary thread (shard 0's) counts the frames and reports
     * damaged inputs; the others meet the same frames and the same damage.
     */
    private void readAndAnalyse(final List<CaptureInput> plan, final ShardHandler handler, final FrameFilter filter,
        final PacketDecoder decoder, final ReadCut cut, final int thread)
    {
        final boolean primary = thread == 0;
        final FrameSlot[] slots = new FrameSlot[ShardHandler.BATCH];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = new FrameSlot();
        }
        final CountingExceptionHandler failures = new CountingExceptionHandler();
        int next = 0;
        long sequence = 0;
        long read = 0;
        long remaining = options.count();
        long inputsDone = 0;
        boolean died = false;
        try
        {
            for (final CaptureInput input : plan)
            {
                if (remaining <= 0 || cut.reached(read))
                {
                    break;
                }
                final long before = frames;
                final long readBefore = read;
                // Only the primary draws the progress line's position; a file's size is looked up once.
                final boolean tracks = primary && progress;
                final long inputSize = tracks ? Math.max(0, input.bytes()) : 0;
                try (CaptureReader reader = input.open())
                {
                    if (primary)
                    {
                        java.util.Arrays.fill(framesByLinkType, 0);
                    }
                    while (remaining > 0)
                    {
                        if ((read & STOP_CHECK_MASK) == 0)
                        {
                            if (fatal != null)
                            {
                                break; // another shard's thread died and the run ends
                            }
                            cut.note(thread, read);
                            if (stop.requested())
                            {
                                cut.stop();
                            }
                            if (tracks)
                            {
                                inputPosition = inputsDone + Math.min(reader.position(), inputSize);
                            }
                        }
                        if (cut.reached(read))
                        {
                            break; // every thread stops at the same frame
                        }
                        final FrameSlot slot = slots[next];
                        slot.endOfInput = false;
                        if (!reader.next(slot))
                        {
                            break;
                        }
                        read++;
                        if (primary)
                        {
                            framesRead = read;
                        }
                        if (filter != null && !filter.accepts(slot))
                        {
                            continue;
                        }
                        slot.frameNumber += readBefore;
                        remaining--;
                        if (primary)
                        {
                            frames++;
                            wireBytes += slot.wireLength;
                            framesByLinkType[slot.linkType & 0xFFFF]++;
                        }
                        next++;
                        try
                        {
                            decoder.decode(slot);
                            handler.onEvent(slot, sequence++, next == slots.length);
                        }
                        catch (final Throwable ex)
                        {
                            // As on the ring: a failure is counted and the run goes on; an Error is
                            // recorded and thrown on, and the run ends (drainAndReport says so).
                            failures.handleEventException(ex, sequence, slot);
                        }
                        if (next == slots.length)
                        {
                            next = 0;
                        }
                    }
                }
                catch (final CaptureFileException ex)
                {
                    if (primary)
                    {
                        inputProblem(ex);
                    }
                }
                catch (final IOException ex)
                {
                    if (primary)
                    {
                        badInput = true;
                        err.println("linerate: " + input.name() + ": " + ex.getMessage());
                    }
                }
                if (primary)
                {
                    inputsDone += inputSize;
                    inputPosition = inputsDone;
                    reportUnsupportedLinkTypes(input.name(), frames - before);
                    if (filter != null)
                    {
                        filter.drainProblems().forEach(p -> err.println("linerate: " + input.name() + ": " + p));
                    }
                }
            }
        }
        catch (final Error ex)
        {
            // Recorded by the exception handler: this shard's connections are lost, the run ends.
            died = true;
        }
        // After a fatal error anywhere the run ends without flushing: the heap the last connections'
        // records would need may be what ran out (drainAndReport then says which thread failed).
        if (!died && fatal == null)
        {
            final FrameSlot end = slots[next];
            end.endOfInput = true;
            end.captureLength = 0;
            try
            {
                handler.onEvent(end, sequence, true);
            }
            catch (final Throwable ex)
            {
                try
                {
                    failures.handleEventException(ex, sequence, end);
                }
                catch (final Error recorded)
                {
                    // The run ends; drainAndReport says why.
                }
            }
        }
    }

    private int drainAndReport(final List<CaptureInput> plan, final RingBuffer<FrameSlot> ring,
        final Disruptor<FrameSlot> disruptor, final ShardHandler[] shardHandlers, final List<PacketDecoder> decoders,
        final FrameFilter filter, final boolean summary, final boolean jsonOnStdout, final ReplayPacer pacer,
        final long started, final ProgressLine progressLine) throws IOException
    {
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
            if (ring != null)
            {
                disruptor.shutdown(1, TimeUnit.MINUTES);
            }
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
        if (progressLine != null)
        {
            progressLine.close();
        }

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
        if (options.report() != null)
        {
            outputFailed |= !writeReport(elapsed, decoders, shardHandlers, plan);
        }
        if (summary)
        {
            SummaryReport.print(jsonOnStdout ? err : out, summaries, options.summaryRows(), frames, wireBytes,
                elapsed, anomalies(decoders), shardAnomalies(shardHandlers), fragments(shardHandlers),
                rttDistribution(shardHandlers));
        }
        if (live != null && !options.quiet())
        {
            live.report(summary && !jsonOnStdout ? out : err);
        }
        final boolean tapped = recordTap != null || packetTap != null;
        if (pacer != null && !options.quiet() && !tapped)
        {
            (summary && !jsonOnStdout ? out : err).println(pacer.report());
        }
        if (filter != null && !options.quiet() && !tapped)
        {
            (summary && !jsonOnStdout ? out : err).printf(java.util.Locale.ROOT,
                "filter '%s': %,d frames kept, %,d filtered out%n", filter.expression(), filter.accepted(), filter.rejected());
        }
        if (options.where() != null && !tapped)
        {
            final long kept = whereFilters.stream().mapToLong(WhereFilter::kept).sum();
            final long dropped = whereFilters.stream().mapToLong(WhereFilter::dropped).sum();
            (summary && !jsonOnStdout ? out : err).printf(java.util.Locale.ROOT,
                "where '%s': %,d records kept, %,d left out%n", options.where().text(), kept, dropped);
        }
        if (handlerFailures.get() > 0)
        {
            err.println("linerate: " + handlerFailures.get() + " frames failed inside the pipeline (see above)");
        }
        final int exit = badInput || outputFailed ? 1 : 0;
        long records = 0;
        for (final ShardHandler h : shardHandlers)
        {
            records += h.shard().flowsCreated();
        }
        if (live != null && live.ringDrops() + live.kernelDrops() + live.interfaceDrops() > 0)
        {
            LOG.warn("capture on {} dropped frames: ring {}, kernel {}, interface {}", live.device(), live.ringDrops(),
                live.kernelDrops(), live.interfaceDrops());
        }
        LOG.info("end: {} frames, {} bytes, {} flows, {} malformed, in {} s; exit code {}", frames, wireBytes, records,
            anomalies(decoders).values().stream().mapToLong(Long::longValue).sum(),
            String.format(java.util.Locale.ROOT, "%.3f", elapsed / 1e9), exit);
        return exit;
    }

    /** Writes {@code --report}; false (said with the reason) when the file cannot be written. */
    private boolean writeReport(final long elapsed, final List<PacketDecoder> decoders, final ShardHandler[] shards,
        final List<CaptureInput> plan)
    {
        final Map<String, Long> drops = new LinkedHashMap<>();
        final String source;
        if (live != null)
        {
            source = "capture on " + live.device();
            drops.put("ring (the pipeline was behind)", live.ringDrops());
            drops.put("kernel (capture buffer full)", live.kernelDrops());
            drops.put("interface (driver)", live.interfaceDrops());
        }
        else
        {
            source = "replay of " + String.join(", ", options.files().stream().map(Object::toString).toList());
        }
        // The pictures of single connections need their packets again: a second pass over the files,
        // bounded, where they can be read again (not a pipe, not a live device).
        final List<PacketTrace> traces = live != null || plan.stream().anyMatch(i -> !i.reopenable()) ? null :
            SecondPass.collect(plan, HtmlReport.toPicture(reportParts), framesRead);
        try
        {
            HtmlReport.write(options.report(), new RunFacts(source, options.sensor(), frames, wireBytes, elapsed,
                anomalies(decoders), rttDistribution(shards), drops), reportParts, traces);
            return true;
        }
        catch (final IOException ex)
        {
            err.println("linerate: " + options.report() + ": " + SystemErrors.reason(ex));
            return false;
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

    private static long activeFlows(final ShardHandler[] shards)
    {
        long n = 0;
        for (final ShardHandler h : shards)
        {
            n += h.shard().activeFlows();
        }
        return n;
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
