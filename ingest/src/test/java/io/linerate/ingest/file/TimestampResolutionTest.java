package io.linerate.ingest.file;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class TimestampResolutionTest
{
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    @Test
    void decimalUnitsConvertExactly()
    {
        for (int n = 0; n <= 19; n++)
        {
            final TimestampResolution resolution = TimestampResolution.fromOption(n);
            assertNotNull(resolution, "10^-" + n);
            final BigInteger unitsPerSecond = BigInteger.TEN.pow(n);
            for (final long ticks : ticksFor(unitsPerSecond))
            {
                assertEquals(expected(ticks, unitsPerSecond), resolution.toNanos(ticks), "10^-" + n + " ticks " + Long.toUnsignedString(ticks));
            }
        }
    }

    @Test
    void binaryUnitsConvertExactly()
    {
        for (int n = 0; n <= 63; n++)
        {
            final TimestampResolution resolution = TimestampResolution.fromOption(0x80 | n);
            assertNotNull(resolution, "2^-" + n);
            final BigInteger unitsPerSecond = BigInteger.ONE.shiftLeft(n);
            for (final long ticks : ticksFor(unitsPerSecond))
            {
                assertEquals(expected(ticks, unitsPerSecond), resolution.toNanos(ticks), "2^-" + n + " ticks " + Long.toUnsignedString(ticks));
            }
        }
    }

    @Test
    void unitsFinerThan64BitsHoldAreRefused()
    {
        assertNull(TimestampResolution.fromOption(20));
        assertNull(TimestampResolution.fromOption(127));
        assertNull(TimestampResolution.fromOption(0x80 | 64));
        assertNull(TimestampResolution.fromOption(0xFF));
    }

    @Test
    void microsecondsAreTheDefault()
    {
        assertEquals(6, TimestampResolution.MICROSECONDS.optionValue());
        assertEquals(1_700_000_000_123_456_000L, TimestampResolution.MICROSECONDS.toNanos(1_700_000_000_123_456L));
    }

    @Test
    void nanosecondsPassThroughWithoutOverflow()
    {
        final TimestampResolution nanos = TimestampResolution.fromOption(9);
        assertEquals(Long.MAX_VALUE, nanos.toNanos(Long.MAX_VALUE));
        assertEquals(1_700_000_000_123_456_789L, nanos.toNanos(1_700_000_000_123_456_789L));
    }

    /**
     * Time stamps around "now" in this unit, small and boundary counts, and random ones whose
     * nanoseconds still fit a long (the reachable range: up to the year 2262).
     */
    private static long[] ticksFor(final BigInteger unitsPerSecond)
    {
        final BigInteger now = BigInteger.valueOf(1_700_000_000L).multiply(unitsPerSecond);
        final BigInteger limit = BigInteger.valueOf(Long.MAX_VALUE).multiply(unitsPerSecond).divide(NANOS_PER_SECOND);
        final BigInteger maxTicks = limit.min(TWO_TO_64.subtract(BigInteger.ONE));
        final SplittableRandom random = new SplittableRandom(unitsPerSecond.longValue() * 31 + 7);
        final long[] ticks = new long[64];
        int i = 0;
        ticks[i++] = 0;
        ticks[i++] = 1;
        ticks[i++] = unitsPerSecond.subtract(BigInteger.ONE).min(maxTicks).longValue();
        ticks[i++] = maxTicks.longValue();
        if (now.compareTo(maxTicks) <= 0)
        {
            ticks[i++] = now.longValue();
            ticks[i++] = now.add(unitsPerSecond.subtract(BigInteger.ONE)).min(maxTicks).longValue();
        }
        while (i < ticks.length)
        {
            final BigInteger draw = new BigInteger(Long.toUnsignedString(random.nextLong()));
            ticks[i++] = draw.mod(maxTicks.add(BigInteger.ONE)).longValue();
        }
        return ticks;
    }

    private static long expected(final long ticks, final BigInteger unitsPerSecond)
    {
        return new BigInteger(Long.toUnsignedString(ticks)).multiply(NANOS_PER_SECOND).divide(unitsPerSecond).longValueExact();
    }
}
