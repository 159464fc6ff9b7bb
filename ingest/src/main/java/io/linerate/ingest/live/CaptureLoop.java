package io.linerate.ingest.live;

import com.lmax.disruptor.RingBuffer;
import io.linerate.ingest.file.RotatingPcapWriter;
import io.linerate.ingest.ring.FrameSlot;
import io.linerate.ingest.ring.FrameStage;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The capture thread's loop: takes frames from a {@link LiveHandle} and publishes them into the ring,
 * the ring's only producer, and never waits for the pipeline. A frame is copied once, from libpcap's
 * buffer into the slot claimed for it; when the ring has no free slot the frame is dropped and
 * counted ({@link #ringDrops()}), so the kernel's buffer keeps draining at the rate frames arrive and a
 * slow consumer costs frames, not the capture. {@code -w} writes every captured frame, the dropped
 * ones included.
 *
 * <p>Stops after {@code maxFrames} captured frames, at the deadline, when libpcap's
 * {@code pcap_next_ex} says the loop was broken, or when {@link #stop()} is called from another
 * thread (a signal handler). Counters are written by the capture thread only, after every frame;
 * any thread may read them (the metrics endpoint), the kernel's drop counts within a second.
 */
public final class CaptureLoop
{
    private final LiveHandle handle;
    private final long maxFrames;
    private final long deadlineNanos;
    private final RotatingPcapWriter writer;
    private final byte[] dropScratch;
    private volatile boolean stopRequested;

    // Written by the capture thread after every frame with release stores (plain stores on x86), read
    // by any thread with acquire loads: the metrics endpoint sees every frame without a fence per frame.
    private static final VarHandle CAPTURED;
    private static final VarHandle PUBLISHED;
    private static final VarHandle RING_DROPS;
    private static final VarHandle WIRE_BYTES;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CAPTURED = lookup.findVarHandle(CaptureLoop.class, "captured", long.class);
            PUBLISHED = lookup.findVarHandle(CaptureLoop.class, "published", long.class);
            RING_DROPS = lookup.findVarHandle(CaptureLoop.class, "ringDrops", long.class);
            WIRE_BYTES = lookup.findVarHandle(CaptureLoop.class, "wireBytes", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private long captured;
    private long published;
    private long ringDrops;
    private long wireBytes;
    private volatile long kernelDrops;
    private volatile long interfaceDrops;
    /** pcap_stats is read here, on the capture thread (it is not safe beside pcap_next_ex), about once a second. */
    private final long[] kernel = new long[3];
    private long statsDueNanos;

    /**
     * @param maxFrames      stop after this many captured frames ({@link Long#MAX_VALUE}: no limit)
     * @param durationNanos  stop after this long ({@link Long#MAX_VALUE}: no limit)
     * @param writer         where {@code -w} writes the frames, or null
     */
    public CaptureLoop(final LiveHandle handle, final long maxFrames, final long durationNanos,
        final RotatingPcapWriter writer)
    {
        this.handle = handle;
        this.maxFrames = maxFrames;
        final long now = System.nanoTime();
        this.deadlineNanos = durationNanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + durationNanos;
        this.writer = writer;
        this.dropScratch = writer == null ? null : new byte[Math.max(handle.snaplen(), 1)];
    }

    /**
     * Captures until a stop condition holds.
     *
     * @param claimed a sequence already claimed in the ring for the first frame
     * @param stage   work on each frame before it is published (after {@code -w} wrote it)
     * @return a claimed sequence, for the caller's end-of-input slot, or -1 when none is claimed
     */
    public <S extends FrameSlot> long run(final RingBuffer<S> ring, final long claimed, final FrameStage<? super S> stage)
        throws LiveCaptureException, IOException
    {
        final LiveHandle h = handle;
        final RotatingPcapWriter w = writer;
        long sequence = claimed;
        long frames = 0;
        long sent = 0;
        long dropped = 0;
        long bytes = 0;
        try
        {
            while (!stopRequested && frames < maxFrames)
            {
                final int status = h.next();
                if (status == LiveHandle.TIMEOUT)
                {
                    if (w != null)
                    {
                        w.flush();
                    }
                    refreshKernelStats(System.nanoTime());
                    if (System.nanoTime() >= deadlineNanos)
                    {
                        break;
                    }
                    continue;
                }
                if (status == LiveHandle.BROKEN)
                {
                    break;
                }
                frames++;
                if (sequence < 0 && ring.hasAvailableCapacity(1))
                {
                    // One producer: with a free slot, next() returns at once.
                    sequence = ring.next();
                }
                if (sequence >= 0)
                {
                    final S slot = ring.get(sequence);
                    slot.endOfInput = false;
                    h.copyInto(slot, frames);
                    if (w != null)
                    {
                        w.write(slot.timestampNanos, slot.captureLength, slot.wireLength, slot.data);
                    }
                    stage.onFrame(slot);
                    bytes += slot.wireLength;
                    sent++;
                    ring.publish(sequence);
                    sequence = ring.hasAvailableCapacity(1) ? ring.next() : -1;
                }
                else
                {
                    dropped++;
                    if (w != null)
                    {
                        h.copyInto(dropScratch);
                        w.write(h.timestampNanos(), h.captureLength(), h.wireLength(), dropScratch);
                    }
                }
                CAPTURED.setRelease(this, frames);
                PUBLISHED.setRelease(this, sent);
                RING_DROPS.setRelease(this, dropped);
                WIRE_BYTES.setRelease(this, bytes);
                if ((frames & 1023) == 0)
                {
                    final long now = System.nanoTime();
                    refreshKernelStats(now);
                    if (now >= deadlineNanos)
                    {
                        break;
                    }
                }
                else if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() >= deadlineNanos)
                {
                    break;
                }
            }
        }
        finally
        {
            CAPTURED.setRelease(this, frames);
            PUBLISHED.setRelease(this, sent);
            RING_DROPS.setRelease(this, dropped);
            WIRE_BYTES.setRelease(this, bytes);
            statsDueNanos = Long.MIN_VALUE;
            refreshKernelStats(System.nanoTime());
            if (w != null)
            {
                w.flush();
            }
        }
        // The caller claims a slot for its end-of-input marker when none is left over (it may have
        // to wait, and must not wait for ever on a pipeline that has failed).
        return sequence;
    }

    /** Makes {@link #run} return soon: at once if it waits in libpcap. Any thread, a signal handler's included. */
    public void stop()
    {
        stopRequested = true;
        handle.breakLoop();
    }

    /** Frames libpcap handed over (passed the kernel filter). */
    public long captured()
    {
        return (long)CAPTURED.getAcquire(this);
    }

    /** Frames published into the ring (analysed). */
    public long published()
    {
        return (long)PUBLISHED.getAcquire(this);
    }

    /** Frames dropped because the ring had no free slot. */
    public long ringDrops()
    {
        return (long)RING_DROPS.getAcquire(this);
    }

    /** Frames the kernel dropped for want of buffer room (pcap_stats, refreshed about once a second). */
    public long kernelDrops()
    {
        return kernelDrops;
    }

    /** Frames the interface or its driver dropped (pcap_stats' ps_ifdrop). */
    public long interfaceDrops()
    {
        return interfaceDrops;
    }

    private void refreshKernelStats(final long now)
    {
        if (now - statsDueNanos >= 0)
        {
            statsDueNanos = now + 1_000_000_000L;
            handle.stats(kernel);
            kernelDrops = kernel[1];
            interfaceDrops = kernel[2];
        }
    }

    /** Wire bytes of the published frames. */
    public long wireBytes()
    {
        return (long)WIRE_BYTES.getAcquire(this);
    }
}
