package io.linerate.ingest.file;

/**
 * The unit of a pcapng interface's time stamps (the IDB option {@code if_tsresol}) and the exact
 * conversion of a time stamp in that unit to nanoseconds since the epoch.
 *
 * <p>The option byte says 10<sup>-n</sup> seconds when its top bit is clear and 2<sup>-n</sup>
 * seconds when it is set, n being the low 7 bits; without the option the unit is the microsecond.
 * A time stamp is an unsigned 64-bit count of units. Units finer than a nanosecond are truncated to
 * the nanosecond below. Every conversion is exact integer arithmetic: decimal units of a nanosecond
 * or coarser multiply, finer ones divide, and binary units split the count into whole seconds and a
 * fraction whose nanoseconds are taken from the 128-bit product, so nothing overflows before the
 * result itself would (nanoseconds since 1970 fit a long until the year 2262).
 */
final class TimestampResolution
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Largest decimal exponent whose unit count, 10^n, still fits an unsigned 64-bit time stamp. */
    private static final int MAX_DECIMAL_EXPONENT = 19;
    /** Largest binary exponent whose 2^n fits 64 bits. */
    private static final int MAX_BINARY_EXPONENT = 63;
    private static final int BINARY_FLAG = 0x80;

    // How a count becomes nanoseconds; plain ints keep the per-packet switch cheap.
    private static final int DECIMAL_MULTIPLY = 0;
    private static final int DECIMAL_DIVIDE = 1;
    private static final int BINARY = 2;

    /** The default unit, 10<sup>-6</sup> s. */
    static final TimestampResolution MICROSECONDS = new TimestampResolution(DECIMAL_MULTIPLY, 1_000L, 0, 6);

    private final int kind;
    /** Nanoseconds per unit (multiply) or units per nanosecond (divide). */
    private final long factor;
    /** n of 2^-n for binary units. */
    private final int shift;
    private final int optionValue;

    private TimestampResolution(final int kind, final long factor, final int shift, final int optionValue)
    {
        this.kind = kind;
        this.factor = factor;
        this.shift = shift;
        this.optionValue = optionValue;
    }

    /**
     * The unit an {@code if_tsresol} option byte describes.
     *
     * @param value the option byte, 0..255
     * @return the unit, or null when its count of units per second does not fit 64 bits
     *     (10<sup>-20</sup> and finer, 2<sup>-64</sup> and finer), as libpcap refuses them too
     */
    static TimestampResolution fromOption(final int value)
    {
        final int exponent = value & ~BINARY_FLAG;
        if ((value & BINARY_FLAG) != 0)
        {
            return exponent > MAX_BINARY_EXPONENT ? null : new TimestampResolution(BINARY, 0, exponent, value);
        }
        if (exponent > MAX_DECIMAL_EXPONENT)
        {
            return null;
        }
        if (exponent <= 9)
        {
            return new TimestampResolution(DECIMAL_MULTIPLY, powerOfTen(9 - exponent), 0, value);
        }
        return new TimestampResolution(DECIMAL_DIVIDE, powerOfTen(exponent - 9), 0, value);
    }

    /** "10^-6" or "2^-10", as the option reads. */
    static String describeOption(final int value)
    {
        return (value & BINARY_FLAG) != 0 ? "2^-" + (value & ~BINARY_FLAG) : "10^-" + value;
    }

    /** Nanoseconds in {@code ticks} (an unsigned 64-bit count of this unit). */
    long toNanos(final long ticks)
    {
        switch (kind)
        {
            case DECIMAL_MULTIPLY:
                return ticks * factor;
            case DECIMAL_DIVIDE:
                return Long.divideUnsigned(ticks, factor);
            default:
                return binaryToNanos(ticks);
        }
    }

    private long binaryToNanos(final long ticks)
    {
        if (shift == 0)
        {
            return ticks * NANOS_PER_SECOND;
        }
        final long seconds = ticks >>> shift;
        final long fraction = ticks & ((1L << shift) - 1);
        // fraction * 10^9 / 2^shift, from the full 128-bit product: the fraction is below 2^63 and
        // the result below 10^9, so the high word holds fewer than shift significant bits.
        final long high = Math.multiplyHigh(fraction, NANOS_PER_SECOND);
        final long low = fraction * NANOS_PER_SECOND;
        final long fractionNanos = (high << (64 - shift)) | (low >>> shift);
        return seconds * NANOS_PER_SECOND + fractionNanos;
    }

    /** The {@code if_tsresol} byte this unit came from. */
    int optionValue()
    {
        return optionValue;
    }

    @Override
    public String toString()
    {
        return describeOption(optionValue) + " s";
    }

    private static long powerOfTen(final int exponent)
    {
        long result = 1;
        for (int i = 0; i < exponent; i++)
        {
            result *= 10;
        }
        return result;
    }
}
