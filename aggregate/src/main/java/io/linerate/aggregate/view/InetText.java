package io.linerate.aggregate.view;

/**
 * Text forms of the 128-bit addresses flows hold: dotted quad for
 * IPv4, RFC 5952 canonical text for IPv6 (lower case, longest run of two or more zero groups
 * compressed, the first such run on a tie).
 */
public final class InetText
{
    private InetText()
    {
    }

    /** Appends the address to {@code out}. */
    public static StringBuilder append(final StringBuilder out, final int ipVersion, final long hi, final long lo)
    {
        if (ipVersion == 4)
        {
            out.append((lo >>> 24) & 0xFF).append('.').append((lo >>> 16) & 0xFF).append('.')
                .append((lo >>> 8) & 0xFF).append('.').append(lo & 0xFF);
            return out;
        }
        final int[] g = new int[8];
        for (int i = 0; i < 4; i++)
        {
            g[i] = (int)(hi >>> (48 - 16 * i)) & 0xFFFF;
            g[i + 4] = (int)(lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; )
        {
            if (g[i] == 0)
            {
                int j = i;
                while (j < 8 && g[j] == 0)
                {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2)
                {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            }
            else
            {
                i++;
            }
        }
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen)
            {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out;
    }

    public static String toString(final int ipVersion, final long hi, final long lo)
    {
        return append(new StringBuilder(40), ipVersion, hi, lo).toString();
    }
}
