package io.linerate.aggregate.flow;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * A shard's flow records: one fixed-size record of {@link FlowDescriptor#RECORD_LENGTH} bytes per flow
 * index, in off-heap segments aligned to a cache line, so a record's lines sit side by side and the
 * address of each is known from the index alone (no pointer to load first). Flyweights
 * ({@link DirectionStats} and its subclass) read and write the fields at the offsets the descriptor
 * gives.
 *
 * <p>Segments of {@value #FLOWS_PER_SEGMENT} records are allocated as the flow pool grows, so a
 * shard that sees few flows holds little; a segment is never moved or freed while the shard lives,
 * so a flyweight wrapped once stays valid. Not thread-safe: one slab per shard.
 */
public final class FlowSlab
{
    /** Records per segment: a power of two, 3.5 MiB of records at today's record length. */
    public static final int FLOWS_PER_SEGMENT = 4096;
    private static final int SEGMENT_SHIFT = Integer.numberOfTrailingZeros(FLOWS_PER_SEGMENT);
    private static final int CACHE_LINE = 64;

    private UnsafeBuffer[] segments = new UnsafeBuffer[0];

    /** Makes room for the records of flow indexes {@code 0 .. flows - 1}. */
    public void ensureCapacity(final int flows)
    {
        final int needed = (flows + FLOWS_PER_SEGMENT - 1) >>> SEGMENT_SHIFT;
        if (needed <= segments.length)
        {
            return;
        }
        final int had = segments.length;
        segments = Arrays.copyOf(segments, needed);
        for (int s = had; s < needed; s++)
        {
            segments[s] = new UnsafeBuffer(
                BufferUtil.allocateDirectAligned(FLOWS_PER_SEGMENT * FlowDescriptor.RECORD_LENGTH, CACHE_LINE));
        }
    }

    /** Records the slab holds room for. */
    public int capacity()
    {
        return segments.length << SEGMENT_SHIFT;
    }

    /** Off-heap bytes held. */
    public long bytes()
    {
        return (long)segments.length * FLOWS_PER_SEGMENT * FlowDescriptor.RECORD_LENGTH;
    }

    /** The segment that holds the record of flow {@code index}. */
    public UnsafeBuffer buffer(final int index)
    {
        return segments[index >>> SEGMENT_SHIFT];
    }

    /** Where the record of flow {@code index} starts in its segment ({@link #buffer}). */
    public static int offset(final int index)
    {
        return (index & (FLOWS_PER_SEGMENT - 1)) * FlowDescriptor.RECORD_LENGTH;
    }
}
