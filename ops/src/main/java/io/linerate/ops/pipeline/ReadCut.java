package io.linerate.ops.pipeline;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where the run-to-completion threads stop reading when a stop is requested (SIGINT, SIGTERM): all
 * at the same frame, so every thread has seen the same frames, the shards' records cover exactly
 * the frames the summary counts, and no thread has to look back.
 *
 * <p>Each thread says how far it has read every {@code stride} frames; the thread that first sees
 * the stop puts the cut {@code stride} frames past the furthest of those, which no thread can have
 * passed yet, and every thread then reads up to the cut.
 */
final class ReadCut
{
    private final AtomicLongArray positions;
    private final long stride;
    private volatile long cut = Long.MAX_VALUE;

    ReadCut(final int threads, final long stride)
    {
        this.positions = new AtomicLongArray(threads);
        this.stride = stride;
    }

    /** Thread {@code thread} has read {@code read} frames (called at least every {@code stride} frames). */
    void note(final int thread, final long read)
    {
        positions.lazySet(thread, read);
    }

    /** Sets the cut, once: {@code stride} frames past the furthest position noted. */
    synchronized void stop()
    {
        if (cut != Long.MAX_VALUE)
        {
            return;
        }
        long furthest = 0;
        for (int i = 0; i < positions.length(); i++)
        {
            furthest = Math.max(furthest, positions.get(i));
        }
        cut = furthest + stride;
    }

    /** True once a thread that has read {@code read} frames must read no more. */
    boolean reached(final long read)
    {
        return read >= cut;
    }
}
