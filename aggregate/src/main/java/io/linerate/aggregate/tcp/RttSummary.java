package io.linerate.aggregate.tcp;

import io.linerate.aggregate.view.RttView;

import java.util.Arrays;

/**
 * A connection's RTT samples in little memory: count, min, mean and max exactly; p50 and p99 exact
 * while there are at most {@value #EXACT} samples, then from a log-scale histogram whose buckets are
 * a quarter-octave wide (a percentile is off by at most 12%). The arrays are made at the first sample
 * and kept when the flow object is reused, so a busy table allocates nothing per packet.
 */
public final class RttSummary implements RttView
{
    /** Samples kept as they are before the histogram takes over. */
    static final int EXACT = 16;
    /** Four buckets per power of two, from 1 microsecond to 2^27 us (134 s; longer ones go in the last). */
    private static final int SUB_BUCKETS = 4;
    private static final int BUCKETS = 28 * SUB_BUCKETS;

    private long count;
    private long sumMicros;
    private long minMicros = Long.MAX_VALUE;
    private long maxMicros;
    private long[] exact;
    private int[] buckets;
    private boolean bucketsInUse;

    public void reset()
    {
        count = 0;
        sumMicros = 0;
        minMicros = Long.MAX_VALUE;
        maxMicros = 0;
        if (bucketsInUse)
        {
            Arrays.fill(buckets, 0);
            bucketsInUse = false;
        }
    }

    /** Adds one sample, microseconds (negative ones, from clocks stepping back, are ignored). */
    public void record(final long micros)
    {
        if (micros < 0)
        {
            return;
        }
        if (count < EXACT)
        {
            if (exact == null)
            {
                exact = new long[EXACT];
            }
            exact[(int)count] = micros;
        }
        else
        {
            if (buckets == null)
            {
                buckets = new int[BUCKETS];
            }
            if (!bucketsInUse)
            {
                bucketsInUse = true;
                for (int i = 0; i < EXACT; i++)
                {
                    buckets[bucketOf(exact[i])]++;
                }
            }
            buckets[bucketOf(micros)]++;
        }
        count++;
        sumMicros += micros;
        minMicros = Math.min(minMicros, micros);
        maxMicros = Math.max(maxMicros, micros);
    }

    public long count()
    {
        return count;
    }

    public long minMicros()
    {
        return count == 0 ? 0 : minMicros;
    }

    public long maxMicros()
    {
        return maxMicros;
    }

    public long meanMicros()
    {
        return count == 0 ? 0 : Math.round((double)sumMicros / count);
    }

    /**
     * The sample at {@code quantile} by nearest rank (the smallest sample with at least that share of
     * samples at or below it), exact up to {@value #EXACT} samples, else its histogram bucket's
     * geometric middle, kept within [min, max].
     */
    public long percentileMicros(final double quantile)
    {
        if (count == 0)
        {
            return 0;
        }
        final long rank = rank(quantile, count);
        if (!bucketsInUse)
        {
            final long[] sorted = Arrays.copyOf(exact, (int)count);
            Arrays.sort(sorted);
            return sorted[(int)rank - 1];
        }
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++)
        {
            seen += buckets[b];
            if (seen >= rank)
            {
                return Math.max(minMicros, Math.min(maxMicros, middleOf(b)));
            }
        }
        return maxMicros;
    }

    /** The nearest rank of {@code quantile} among {@code count} samples: 1-based, at least 1. */
    static long rank(final double quantile, final long count)
    {
        return Math.max(1, (long)Math.ceil(quantile * count));
    }

    static int bucketOf(final long micros)
    {
        if (micros < 1)
        {
            return 0;
        }
        final int octave = 63 - Long.numberOfLeadingZeros(micros);
        // the two bits after the leading one say which quarter of the octave
        final int quarter = octave >= 2 ? (int)(micros >>> (octave - 2)) & 3 : (int)(micros << (2 - octave)) & 3;
        return Math.min(BUCKETS - 1, octave * SUB_BUCKETS + quarter);
    }

    static long middleOf(final int bucket)
    {
        final int octave = bucket / SUB_BUCKETS;
        final int quarter = bucket % SUB_BUCKETS;
        final double low = Math.pow(2, octave) * (1 + quarter / 4.0);
        final double high = Math.pow(2, octave) * (1 + (quarter + 1) / 4.0);
        return Math.round(Math.sqrt(low * high));
    }
}
