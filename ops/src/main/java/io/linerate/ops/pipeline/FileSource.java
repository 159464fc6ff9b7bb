package io.linerate.ops.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.linerate.aggregate.ShardHandler;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.PacketDecoder;
import io.linerate.ingest.bpf.FrameFilter;
import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.file.SequentialChannelStream;
import io.linerate.ingest.merge.CaptureInput;
import io.linerate.ingest.merge.InputPlan;
import io.linerate.ingest.pacing.ReplayPacer;
import io.linerate.ingest.ring.FrameStage;
import io.linerate.ops.cli.PipelineMode;
import io.linerate.ops.cli.ReplayOptions;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Frames from capture files ({@code linerate replay}), read as {@link InputPlan} lays them out:
 * {@code -} is standard input (a pipe is read as it comes), compressed files are decompressed as they
 * are read, several files are merged by time stamp, rotated files read in sequence. The tcpdump
 * filter runs on the reading thread, before a frame takes a slot. Replay never drops a frame: when
 * the ring is full the reader waits for the handlers (backpressure), a pipe's writer then waits for
 * linerate. A damaged file is read up to the damage, reported with its byte offset, and the run goes
 * on with the other files.
 *
 * <p>The files are read by one loop ({@link #read}), on one of two kinds of thread: the ring's
 * producer ({@link #feed}), or, run to completion, each shard's thread ({@link #readOnShards}), each
 * reading every frame itself and analysing those that hash to its shard.
 */
final class FileSource implements FrameSource
{
    /** The reader looks for a stop request once every this many + 1 frames (a volatile read each time). */
    private static final long STOP_CHECK_MASK = 1023;
    /** A run-to-completion shard's thread is this and its number (shard 0 runs on the caller's). */
    private static final String SHARD_THREAD = "linerate-shard-";

    private final ReplayOptions options;
    private final InputStream stdin;
    private final FrameFilter filter;
    private final StopRequest stop;
    private final PrintStream err;
    private final RunCounters counters;
    private final PipelineFailures failures;
    private final List<CaptureInput> plan;
    private final ReplayPacer pacer;
    /** Track where the reading is, for the progress line. */
    private final boolean tracked;
    private final long bytes;
    /** The input problems said so far (each thread of a run to completion meets the same ones). */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * The inputs of {@code options}: each that cannot be opened is said on {@code err} now (the run
     * then ends with exit code 1), the others are read; {@code -} reads {@code stdin}.
     */
    FileSource(final ReplayOptions options, final InputStream stdin, final FrameFilter filter, final StopRequest stop,
        final PrintStream err, final RunCounters counters, final PipelineFailures failures, final boolean tracked)
        throws IOException
    {
        this.options = options;
        this.stdin = stdin;
        this.filter = filter;
        this.stop = stop;
        this.err = err;
        this.counters = counters;
        this.failures = failures;
        this.tracked = tracked;
        this.plan = InputPlan.of(options.files(), options.mergeMode(), this::standardInput, this::inputProblem);
        this.pacer = ReplayPacer.of(options.speed());
        this.bytes = plan.stream().anyMatch(i -> i.bytes() < 0) ? -1 : plan.stream().mapToLong(CaptureInput::bytes).sum();
    }

    /** The inputs, in the order they are read. */
    List<CaptureInput> plan()
    {
        return plan;
    }

    /** The pace of {@code --speed}, null at full speed. */
    ReplayPacer pacer()
    {
        return pacer;
    }

    /**
     * True when the shards read the files themselves ({@link PipelineMode}): files that can be opened
     * again, at full speed, decoded on the shards, and two or more shards unless the mode was asked
     * for by name.
     */
    boolean runsToCompletion()
    {
        final PipelineMode mode = options.pipelineMode();
        if (mode == PipelineMode.RING || options.decoders() > 0 || pacer != null ||
            !plan.stream().allMatch(CaptureInput::reopenable))
        {
            return false;
        }
        final int shards = options.shards() != ReplayOptions.SHARDS_AUTO ? options.shards() : Pipeline.processors();
        return mode == PipelineMode.RUN_TO_COMPLETION || shards >= 2;
    }

    @Override
    public long feed(final RingBuffer<DecodedFrame> ring, final long claimed,
        final FrameStage<DecodedFrame> stage) throws IOException
    {
        if (pacer != null)
        {
            stop.onStop(pacer::cancel);
        }
        final RingReading reading = new RingReading(ring, claimed, stage);
        read(reading);
        return reading.claimed;
    }

    /**
     * Run to completion: shard 0 reads on this thread and counts what is read; each other shard's
     * thread reads the same frames. Returns once shard 0 has read everything (the others may still be
     * reading: the drain waits for them).
     */
    void readOnShards(final ShardHandler[] shards, final PacketDecoder firstDecoder)
    {
        final ReadCut cut = new ReadCut(shards.length, STOP_CHECK_MASK + 1);
        for (int k = 1; k < shards.length; k++)
        {
            final ShardHandler h = shards[k];
            final FrameFilter own = filter == null ? null : filter.copy();
            final int thread = k;
            final Thread t = new Thread(() -> readAndAnalyse(h, own, new PacketDecoder(options.decode()), cut, thread),
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
            readAndAnalyse(shards[0], filter, firstDecoder, cut, 0);
        }
        finally
        {
            self.setName(name);
        }
    }

    /**
     * One shard's thread run to completion: it reads every frame of every input itself, runs the
     * filter, decodes the frame (for its flow hash) and hands it to its shard, which analyses the
     * frames that hash to it and lets the others move its clock, as on the ring; a batch of slots of
     * its own stands in for the ring. The primary thread (shard 0's) counts the frames and reports
     * damaged inputs; the others meet the same frames and the same damage. (Placing the plain TCP
     * frames by a hash read off their bytes, and decoding only a shard's own, measured no faster on
     * two cores: perf/RESULTS.md, 2026-12-07 session 9.)
     */
    private void readAndAnalyse(final ShardHandler handler, final FrameFilter filter, final PacketDecoder decoder,
        final ReadCut cut, final int thread)
    {
        final ShardReading reading = new ShardReading(handler, filter, decoder, cut, thread);
        boolean died = false;
        try
        {
            read(reading);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex); // a shard's reading says its I/O errors itself
        }
        catch (final Error ex)
        {
            // Recorded by the exception handler: this shard's connections are lost, the run ends.
            died = true;
        }
        // After a fatal error anywhere the run ends without flushing: the heap the last connections'
        // records would need may be what ran out (the drain then says which thread failed).
        if (!died && !failures.fatal())
        {
            reading.end();
        }
    }

    /**
     * Reads every input in turn for {@code reading} until the inputs end, {@code --count} frames
     * have passed the filter or the reading stops (a stop request): the loop the ring's producer and
     * the run-to-completion threads share.
     */
    private void read(final Reading reading) throws IOException
    {
        final FrameFilter filter = reading.filter;
        long remaining = options.count();
        long inputsDone = 0;
        for (final CaptureInput input : plan)
        {
            if (remaining <= 0 || reading.stopsBeforeInput())
            {
                break;
            }
            final long before = counters.frames;
            final long readBefore = reading.read;
            // Only the primary tracks the progress line's position; a file's size is looked up once.
            final boolean tracks = reading.primary && tracked;
            final long inputSize = tracks ? Math.max(0, input.bytes()) : 0;
            try (CaptureReader reader = input.open())
            {
                if (reading.primary)
                {
                    Arrays.fill(counters.framesByLinkType, 0);
                }
                while (remaining > 0)
                {
                    if ((reading.read & STOP_CHECK_MASK) == 0)
                    {
                        if (!reading.goesOn())
                        {
                            break;
                        }
                        if (tracks)
                        {
                            counters.inputPosition = inputsDone + Math.min(reader.position(), inputSize);
                        }
                    }
                    if (reading.cutReached())
                    {
                        break; // every thread stops at the same frame
                    }
                    final DecodedFrame slot = reading.slot();
                    slot.endOfInput = false;
                    if (!reader.next(slot))
                    {
                        break;
                    }
                    reading.read++;
                    if (reading.primary)
                    {
                        counters.framesRead = reading.read;
                    }
                    // The filter runs here, on the reading thread: a rejected frame never takes a slot.
                    if (filter != null && !filter.accepts(slot))
                    {
                        continue;
                    }
                    slot.frameNumber += readBefore;
                    if (!reading.due(slot))
                    {
                        break; // a stop came while the frame waited to be due: it is not replayed
                    }
                    remaining--;
                    if (reading.primary)
                    {
                        counters.frames++;
                        counters.wireBytes += slot.wireLength;
                        counters.framesByLinkType[slot.linkType & 0xFFFF]++;
                    }
                    reading.take(slot);
                }
            }
            catch (final CaptureFileException ex)
            {
                if (reading.primary)
                {
                    inputProblem(ex);
                }
            }
            catch (final IOException ex)
            {
                reading.failed(input, ex);
            }
            if (reading.primary)
            {
                inputsDone += inputSize;
                counters.inputPosition = inputsDone;
                reportUnsupportedLinkTypes(input.name(), counters.frames - before);
                if (filter != null)
                {
                    filter.drainProblems().forEach(p -> err.println("linerate: " + input.name() + ": " + p));
                }
            }
        }
    }

    /** What one thread's reading does with the frames {@link #read} gives it. */
    private abstract static class Reading
    {
        /** It counts the frames and reports the inputs' problems. */
        final boolean primary;
        final FrameFilter filter;
        /** Frames read, the filter's rejects included. */
        long read;

        Reading(final boolean primary, final FrameFilter filter)
        {
            this.primary = primary;
            this.filter = filter;
        }

        /** True when the next input is not to be read. */
        abstract boolean stopsBeforeInput();

        /** Every 1024 frames: false when the reading is to stop. */
        abstract boolean goesOn();

        /** True when this thread must read no more (run to completion: the common stop). */
        boolean cutReached()
        {
            return false;
        }

        /** The slot the next frame is read into. */
        abstract DecodedFrame slot();

        /** Waits until {@code slot}'s frame is due ({@code --speed}); false when a stop came meanwhile. */
        boolean due(final DecodedFrame slot)
        {
            return true;
        }

        /** Hands the frame on. */
        abstract void take(DecodedFrame slot);

        /** An input could not be read. */
        abstract void failed(CaptureInput input, IOException ex) throws IOException;
    }

    /** The ring's producer: each frame through the reader's stage into a ring slot, paced when asked. */
    private final class RingReading extends Reading
    {
        private final RingBuffer<DecodedFrame> ring;
        private final FrameStage<DecodedFrame> stage;
        long claimed;

        RingReading(final RingBuffer<DecodedFrame> ring, final long claimed, final FrameStage<DecodedFrame> stage)
        {
            super(true, FileSource.this.filter);
            this.ring = ring;
            this.claimed = claimed;
            this.stage = stage;
        }

        @Override
        boolean stopsBeforeInput()
        {
            return stop.requested();
        }

        @Override
        boolean goesOn()
        {
            return !stop.requested();
        }

        @Override
        DecodedFrame slot()
        {
            return ring.get(claimed);
        }

        @Override
        boolean due(final DecodedFrame slot)
        {
            if (pacer != null)
            {
                pacer.await(slot.timestampNanos, slot.wireLength);
                return !stop.requested();
            }
            return true;
        }

        @Override
        void take(final DecodedFrame slot)
        {
            stage.onFrame(slot);
            ring.publish(claimed);
            claimed = Pipeline.claim(ring, failures);
        }

        @Override
        void failed(final CaptureInput input, final IOException ex) throws IOException
        {
            throw ex; // the run ends: said by the command
        }
    }

    /** A run-to-completion shard's thread: each frame decoded and handed to its own shard, in batches. */
    private final class ShardReading extends Reading
    {
        private final ShardHandler handler;
        private final PacketDecoder decoder;
        private final ReadCut cut;
        private final int thread;
        private final DecodedFrame[] slots = new DecodedFrame[ShardHandler.BATCH];
        private int next;
        private long sequence;

        ShardReading(final ShardHandler handler, final FrameFilter filter, final PacketDecoder decoder, final ReadCut cut,
            final int thread)
        {
            super(thread == 0, filter);
            this.handler = handler;
            this.decoder = decoder;
            this.cut = cut;
            this.thread = thread;
            for (int i = 0; i < slots.length; i++)
            {
                slots[i] = new DecodedFrame();
            }
        }

        @Override
        boolean stopsBeforeInput()
        {
            return cut.reached(read);
        }

        @Override
        boolean goesOn()
        {
            if (failures.fatal())
            {
                return false; // another shard's thread died and the run ends
            }
            cut.note(thread, read);
            if (stop.requested())
            {
                cut.stop();
            }
            return true;
        }

        @Override
        boolean cutReached()
        {
            return cut.reached(read);
        }

        @Override
        DecodedFrame slot()
        {
            return slots[next];
        }

        @Override
        void take(final DecodedFrame slot)
        {
            next++;
            try
            {
                decoder.decode(slot);
                handler.onEvent(slot, sequence++, next == slots.length);
            }
            catch (final Throwable ex)
            {
                // As on the ring: a failure is counted and the run goes on; an Error is recorded and
                // thrown on, and the run ends (the drain says so).
                failures.handleEventException(ex, sequence, slot);
            }
            if (next == slots.length)
            {
                next = 0;
            }
        }

        @Override
        void failed(final CaptureInput input, final IOException ex)
        {
            if (primary)
            {
                counters.badInput = true;
                err.println("linerate: " + input.name() + ": " + ex.getMessage());
            }
        }

        /** The end of the input: the shard flushes its connections. */
        void end()
        {
            final DecodedFrame end = slots[next];
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
                    // The run ends; the drain says why.
                }
            }
        }
    }

    /**
     * A capture that cannot be read (on): said in one line, once, and the run ends with exit code 1.
     * (Run to completion every shard's thread opens the inputs, and a merge of several files reports
     * a damaged one as each thread meets it.)
     */
    private void inputProblem(final CaptureFileException problem)
    {
        if (stop.requested() && problem.getCause() instanceof AsynchronousCloseException)
        {
            // Standard input closed by the stop request: the end of input, not damage.
            return;
        }
        counters.badInput = true;
        if (reported.add(problem.getMessage()))
        {
            err.println("linerate: " + problem.getMessage());
        }
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

    private void reportUnsupportedLinkTypes(final String file, final long fileFrames)
    {
        long unsupported = 0;
        final StringBuilder which = new StringBuilder();
        final long[] framesByLinkType = counters.framesByLinkType;
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
                counters.badInput = true;
            }
        }
    }

    @Override
    public long frames()
    {
        return counters.frames;
    }

    @Override
    public long wireBytes()
    {
        return counters.wireBytes;
    }

    @Override
    public long bytes()
    {
        return bytes;
    }

    @Override
    public long position()
    {
        return counters.inputPosition;
    }

    @Override
    public String describe()
    {
        return "replay of " + String.join(", ", options.files().stream().map(Object::toString).toList());
    }
}
