package io.linerate.ops.filter;

import java.util.Arrays;

/**
 * The values of one field on one packet or connection, reused from test to test: integers (and
 * booleans as 0/1), numbers with a fraction, strings, or IP addresses (version, high and low 64
 * bits; an IPv4 address in the low 32 bits of {@code lo}). A field holds one kind, its type's.
 */
public final class Values
{
    private int count;
    private long[] hi = new long[4];
    private long[] lo = new long[4];
    private int[] version = new int[4];
    private double[] doubles = new double[4];
    private String[] strings = new String[4];

    /** Empties it for the next field. */
    public void clear()
    {
        for (int i = 0; i < count; i++)
        {
            strings[i] = null;
        }
        count = 0;
    }

    public int count()
    {
        return count;
    }

    /** Present: at least one value (a label has one with no meaning). */
    public boolean present()
    {
        return count > 0;
    }

    public void addLong(final long v)
    {
        lo[next()] = v;
    }

    public void addBoolean(final boolean v)
    {
        lo[next()] = v ? 1 : 0;
    }

    public void addDouble(final double v)
    {
        doubles[next()] = v;
    }

    public void addString(final String v)
    {
        strings[next()] = v;
    }

    /** An address: {@code ipVersion} 4 (in the low 32 bits of {@code lo}) or 6. */
    public void addAddress(final int ipVersion, final long addrHi, final long addrLo)
    {
        final int i = next();
        version[i] = ipVersion;
        hi[i] = addrHi;
        lo[i] = addrLo;
    }

    /** A label's presence. */
    public void addPresence()
    {
        next();
    }

    public long longAt(final int i)
    {
        return lo[i];
    }

    public double doubleAt(final int i)
    {
        return doubles[i];
    }

    public String stringAt(final int i)
    {
        return strings[i];
    }

    public int versionAt(final int i)
    {
        return version[i];
    }

    public long hiAt(final int i)
    {
        return hi[i];
    }

    public long loAt(final int i)
    {
        return lo[i];
    }

    private int next()
    {
        if (count == lo.length)
        {
            final int n = count * 2;
            hi = Arrays.copyOf(hi, n);
            lo = Arrays.copyOf(lo, n);
            version = Arrays.copyOf(version, n);
            doubles = Arrays.copyOf(doubles, n);
            strings = Arrays.copyOf(strings, n);
        }
        return count++;
    }
}
