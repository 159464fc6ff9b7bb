package io.linerate.sink.spill;

import java.time.Duration;

/**
 * How much of the spill is kept once it was sent: {@code --spill-max-bytes} and
 * {@code --spill-max-age}. Whole cycle files that the sender committed past are deleted, oldest
 * first, while the spill is larger than {@code maxBytes} or the cycle ended more than {@code maxAge}
 * ago. Records not acknowledged yet are never deleted, whatever the limits.
 *
 * @param maxBytes the size of all cycle files above which sent cycles are deleted
 * @param maxAge   the age (since the end of the cycle) past which a sent cycle is deleted
 */
public record SpillRetention(long maxBytes, Duration maxAge)
{
    /** Keeps every cycle file. */
    public static final SpillRetention UNLIMITED = new SpillRetention(Long.MAX_VALUE, Duration.ofMillis(Long.MAX_VALUE));

    /** Validates the limits: both positive. */
    public SpillRetention
    {
        if (maxBytes <= 0 || maxAge.isNegative() || maxAge.isZero())
        {
            throw new IllegalArgumentException("spill retention needs positive limits, not " + maxBytes + " bytes, " + maxAge);
        }
    }
}
