package io.linerate.ops.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * Packets, data segments and retransmitted data segments over packet time, in buckets whose width
 * doubles (from a millisecond) whenever there would be more than {@link #MAX_BUCKETS}: bounded however
 * long the run. A record's counts are spread evenly over the time it covers (a connection's start to
 * its last packet, or the stretch since its previous interim record), so a long connection shows
 * where its packets were to within the active timeout.
 */
public final class Timeline
{
    static final int MAX_BUCKETS = 4096;
    static final long FIRST_WIDTH_NANOS = 1_000_000L;

    /** Bucket index (time / width) to {packets, data segments, retransmitted data segments}. */
    private final TreeMap<Long, double[]> buckets = new TreeMap<>();
    private long widthNanos = FIRST_WIDTH_NANOS;

    /** Adds counts that happened evenly between {@code fromNanos} and {@code toNanos} (packet time). */
    public void add(final long fromNanos, final long toNanos, final long packets, final long dataSegments,
        final long retransmitted)
    {
        if (packets == 0 && dataSegments == 0)
        {
            return;
        }
        final long to = Math.max(fromNanos, toNanos);
        while (Math.floorDiv(to, widthNanos) - Math.floorDiv(fromNanos, widthNanos) >= MAX_BUCKETS)
        {
            widen();
        }
        final long first = Math.floorDiv(fromNanos, widthNanos);
        final long last = Math.floorDiv(to, widthNanos);
        final double span = to - fromNanos;
        for (long b = first; b <= last; b++)
        {
            final double share;
            if (first == last)
            {
                share = 1;
            }
            else
            {
                final long lo = Math.max(fromNanos, b * widthNanos);
                final long hi = Math.min(to, (b + 1) * widthNanos);
                share = (hi - lo) / span;
            }
            if (share <= 0)
            {
                continue;
            }
            final double[] v = buckets.computeIfAbsent(b, k -> new double[3]);
            v[0] += packets * share;
            v[1] += dataSegments * share;
            v[2] += retransmitted * share;
        }
        while (buckets.size() > MAX_BUCKETS)
        {
            widen();
        }
    }

    private void widen()
    {
        final TreeMap<Long, double[]> wider = new TreeMap<>();
        for (final Map.Entry<Long, double[]> e : buckets.entrySet())
        {
            final double[] v = wider.computeIfAbsent(Math.floorDiv(e.getKey(), 2L), k -> new double[3]);
            for (int i = 0; i < 3; i++)
            {
                v[i] += e.getValue()[i];
            }
        }
        buckets.clear();
        buckets.putAll(wider);
        widthNanos *= 2;
    }

    public long widthNanos()
    {
        return widthNanos;
    }

    /** Adds another timeline's counts (another shard's) to this one. */
    public void addAll(final Timeline other)
    {
        while (widthNanos < other.widthNanos)
        {
            widen();
        }
        final long ratio = widthNanos / other.widthNanos;
        for (final Map.Entry<Long, double[]> e : other.buckets.entrySet())
        {
            final double[] v = buckets.computeIfAbsent(Math.floorDiv(e.getKey(), ratio), k -> new double[3]);
            for (int i = 0; i < 3; i++)
            {
                v[i] += e.getValue()[i];
            }
        }
        while (buckets.size() > MAX_BUCKETS)
        {
            widen();
        }
    }

    /** Widens the buckets until there are at most {@code max}, for drawing. */
    public void coarsen(final int max)
    {
        while (!buckets.isEmpty() && buckets.lastKey() - buckets.firstKey() + 1 > max)
        {
            widen();
        }
    }

    /**
     * Every bucket from the first to the last, empty ones included (as zeros): {start nanos,
     * packets, data segments, retransmitted data segments}.
     */
    public double[][] rows()
    {
        if (buckets.isEmpty())
        {
            return new double[0][];
        }
        final long first = buckets.firstKey();
        final int n = (int)(buckets.lastKey() - first + 1);
        final double[][] rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            final double[] v = buckets.getOrDefault(first + i, new double[3]);
            rows[i] = new double[] {(double)(first + i) * widthNanos, v[0], v[1], v[2]};
        }
        return rows;
    }
}
