package io.linerate.ops.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
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
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.PacketListener;
import io.linerate.decode.DecodeHandler;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.PacketDecoder;
import io.linerate.ingest.ring.FrameStage;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.metrics.RecordsEmitted;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads between a {@link FrameSource} and the {@link Outputs}: the Disruptor ring of frame
 * slots, its decoder handlers ({@code --decoders}) and flow shards ({@code --shards}, symmetric flow
 * hash % M), or, run to completion, the shards alone, each on a thread that reads the files itself.
 */
final class Pipeline
{
    /**
     * Run to completion, the outputs hear of every 256th batch end (4,096 frames, a few milliseconds
     * of a replay): enough for a file output to write full buffers instead of a line or two
     * ({@link ShardHandler#flushOutputsEvery}).
     */
    static final int RUN_TO_COMPLETION_FLUSH_BATCHES = 256;

    private final ReplayOptions options;
    private final PipelineFailures failures;
    private final boolean runToCompletion;
    private final ShardHandler[] shards;
    private final RecordsEmitted[] emitted;
    private final DecodeHandler[] decodeHandlers;
    /** Every decoder: the reader's (with no decoder thread), then each decoder handler's. */
    private final List<PacketDecoder> decoders = new ArrayList<>();
    /** What the reader does to each frame before it publishes it: decode it, or nothing. */
    private final FrameStage<DecodedFrame> stage;
    private final Disruptor<DecodedFrame> disruptor;
    private volatile RingBuffer<DecodedFrame> ring;

    /**
     * The shards (each with its outputs from {@code outputs}, its records and packets also to the
     * taps, either may be null) and decoders of a run; {@code runToCompletion}: no ring, the shards read
     * the files themselves.
     */
    Pipeline(final ReplayOptions options, final boolean runToCompletion, final Outputs outputs,
        final FlowRecordListener recordTap, final PacketListener packetTap, final PipelineFailures failures)
    {
        this.options = options;
        this.failures = failures;
        this.runToCompletion = runToCompletion;
        final int shardCount = options.shards() != ReplayOptions.SHARDS_AUTO ? options.shards() :
            runToCompletion ? processors() : 1;
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
        this.stage = readerDecoder == null ? FrameStage.none() : readerDecoder::decode;
        this.shards = new ShardHandler[shardCount];
        this.emitted = new RecordsEmitted[shardCount];
        for (int j = 0; j < shardCount; j++)
        {
            emitted[j] = new RecordsEmitted();
            final Outputs.ShardOutputs to = outputs.forShard(recordTap, packetTap);
            final FlowShard shard = new FlowShard(flowSettings, options.decode(),
                new Fanout(List.of(emitted[j], to.records())), to.packets());
            shards[j] = new ShardHandler(j, shardCount, shard);
            if (runToCompletion)
            {
                shards[j].flushOutputsEvery(RUN_TO_COMPLETION_FLUSH_BATCHES);
            }
        }
        this.decodeHandlers = new DecodeHandler[options.decoders()];
        for (int i = 0; i < decodeHandlers.length; i++)
        {
            decodeHandlers[i] = new DecodeHandler(i, decodeHandlers.length, options.decode());
        }

        // Run to completion there is no ring (each shard's thread reads the files itself,
        // FileSource.readOnShards), so none is made: its slots would hold 20 MB of heap for nothing.
        this.disruptor = runToCompletion ? null :
            new Disruptor<>(DecodedFrame::new, options.ringSize(), new NamedThreads(), ProducerType.SINGLE,
                waitStrategy());
        if (disruptor != null)
        {
            disruptor.setDefaultExceptionHandler(failures);
            if (decodeHandlers.length == 0)
            {
                disruptor.handleEventsWith(shards);
            }
            else
            {
                disruptor.handleEventsWith(decodeHandlers).then(shards);
            }
        }
        if (readerDecoder != null)
        {
            decoders.add(readerDecoder);
        }
        for (final DecodeHandler d : decodeHandlers)
        {
            decoders.add(d.decoder());
        }
    }

    /** The number of processors shards run on, at most 64. */
    static int processors()
    {
        return Math.min(64, Runtime.getRuntime().availableProcessors());
    }

    ShardHandler[] shards()
    {
        return shards;
    }

    /** The records each shard emitted, for the metrics. */
    RecordsEmitted[] emitted()
    {
        return emitted;
    }

    List<PacketDecoder> decoders()
    {
        return decoders;
    }

    /** Starts the ring's threads (none run to completion). */
    void start()
    {
        ring = runToCompletion ? null : disruptor.start();
    }

    /**
     * Runs {@code source} through the pipeline to its end: into the ring, then the end-of-input
     * marker; or, run to completion, on the shards' own threads.
     */
    void run(final FrameSource source) throws IOException
    {
        if (runToCompletion)
        {
            ((FileSource)source).readOnShards(shards, decoders.get(0));
            return;
        }
        long claimed = claim(ring, failures);
        claimed = source.feed(ring, claimed, stage);
        final DecodedFrame end = ring.get(claimed);
        end.endOfInput = true;
        end.captureLength = 0;
        ring.publish(claimed);
    }

    /** Waits until every shard has finished (flushed its connections at the end of input), then stops the ring. */
    void drain() throws IOException
    {
        try
        {
            final long drainDeadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
            for (final ShardHandler h : shards)
            {
                while (!h.awaitFinished(100, TimeUnit.MILLISECONDS))
                {
                    failures.failIfFatal();
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
    }

    /** Stops the ring's threads where they are (a pipeline thread died). */
    void halt()
    {
        if (disruptor != null)
        {
            disruptor.halt();
        }
    }

    /** Frame slots in the ring, 0 without one (run to completion). */
    long ringSlots()
    {
        return runToCompletion ? 0 : options.ringSize();
    }

    /** Ring slots holding frames the shards have not finished, 0 without a ring. */
    long ringSlotsInUse()
    {
        final RingBuffer<DecodedFrame> r = ring;
        return r == null ? 0 : r.getBufferSize() - r.remainingCapacity();
    }

    /** Connections in the shards' tables now. */
    long activeFlows()
    {
        long n = 0;
        for (final ShardHandler h : shards)
        {
            n += h.shard().activeFlows();
        }
        return n;
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
    static long claim(final RingBuffer<DecodedFrame> ring, final PipelineFailures failures)
    {
        while (true)
        {
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                failures.failIfFatal();
                LockSupport.parkNanos(1);
            }
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
