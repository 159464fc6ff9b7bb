package io.linerate.ops.filter;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A value written in a filter, converted once to its field's type: an integer (or a range
 * {@code lo..hi} of a set), a number, a boolean, a string, a regular expression, or an address with
 * its prefix length (a CIDR block; 32 or 128 for one address).
 */
final class Literal
{
    long low;
    long high;
    double number;
    String string;
    Pattern pattern;
    int version;
    long addrHi;
    long addrLo;
    int prefix;

    /** Converts {@code token} (a word or a string) to a value of {@code field}'s type. */
    static Literal of(final Field field, final Token token, final String expression) throws FilterException
    {
        final Literal lit = new Literal();
        final String text = token.text();
        switch (field.type())
        {
            case INTEGER:
            {
                final int dots = token.kind() == Token.Kind.WORD ? text.indexOf("..") : -1;
                if (dots > 0)
                {
                    lit.low = integer(field, text.substring(0, dots), token, expression);
                    lit.high = integer(field, text.substring(dots + 2), token, expression);
                }
                else
                {
                    lit.low = lit.high = integer(field, text, token, expression);
                }
                return lit;
            }
            case DOUBLE:
                try
                {
                    lit.number = Double.parseDouble(text);
                    return lit;
                }
                catch (final NumberFormatException ex)
                {
                    throw cannotConvert(field, token, expression);
                }
            case BOOLEAN:
                if (text.equals("1") || text.equalsIgnoreCase("true"))
                {
                    lit.low = lit.high = 1;
                    return lit;
                }
                if (text.equals("0") || text.equalsIgnoreCase("false"))
                {
                    lit.low = lit.high = 0;
                    return lit;
                }
                throw new FilterException("\"" + text + "\" is not a valid boolean (1, 0, True or False).", expression,
                    token.position(), token.length());
            case STRING:
                lit.string = text;
                return lit;
            case ADDRESS:
                address(lit, field, token, expression);
                return lit;
            default:
                throw new FilterException(field.name() + " (type=" + field.type().label() + ") takes no value.",
                    expression, token.position(), token.length());
        }
    }

    /** A regular expression for {@code matches}. */
    static Literal pattern(final Token token, final String expression) throws FilterException
    {
        final Literal lit = new Literal();
        try
        {
            lit.pattern = Pattern.compile(token.text());
        }
        catch (final PatternSyntaxException ex)
        {
            throw new FilterException("\"" + token.text() + "\" is not a valid regular expression: " +
                ex.getDescription() + ".", expression, token.position(), token.length());
        }
        return lit;
    }

    private static FilterException cannotConvert(final Field field, final Token token, final String expression)
    {
        return new FilterException(field.type().label() + " field " + field.name() + " cannot be converted from \"" +
            token.text() + "\".", expression, token.position(), token.length());
    }

    /** An integer, hexadecimal with 0x; a duration ({@code 100ms}, {@code 1.5s}) for a microseconds field. */
    private static long integer(final Field field, final String text, final Token token, final String expression)
        throws FilterException
    {
        try
        {
            if (text.startsWith("0x") || text.startsWith("0X"))
            {
                return Long.parseLong(text.substring(2), 16);
            }
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            // not a plain integer: a duration perhaps
        }
        final long micros = durationMicros(text);
        if (micros != Long.MIN_VALUE)
        {
            if (!field.microseconds())
            {
                throw new FilterException(field.name() + " is not a time: a duration (" + text +
                    ") compares only with a field in microseconds (*_us).", expression, token.position(), token.length());
            }
            return micros;
        }
        throw cannotConvert(field, token, expression);
    }

    /** {@code 100ms}, {@code 1.5s}, {@code 250us}, {@code 2min}, {@code 1h} in microseconds; MIN_VALUE when not one. */
    static long durationMicros(final String text)
    {
        final String t = text.toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < t.length() && (Character.isDigit(t.charAt(end)) || t.charAt(end) == '.'))
        {
            end++;
        }
        if (end == 0 || end == t.length())
        {
            return Long.MIN_VALUE;
        }
        final double scale;
        switch (t.substring(end))
        {
            case "ns": scale = 1e-3; break;
            case "us":
            case "\u00b5s": scale = 1; break;
            case "ms": scale = 1e3; break;
            case "s": scale = 1e6; break;
            case "min": scale = 60e6; break;
            case "h": scale = 3600e6; break;
            default: return Long.MIN_VALUE;
        }
        try
        {
            return Math.round(Double.parseDouble(t.substring(0, end)) * scale);
        }
        catch (final NumberFormatException ex)
        {
            return Long.MIN_VALUE;
        }
    }

    /** An IPv4 or IPv6 address, with an optional /prefix; ip.* fields take IPv4, ipv6.* fields IPv6. */
    private static void address(final Literal lit, final Field field, final Token token, final String expression)
        throws FilterException
    {
        final String text = token.text();
        final int slash = text.indexOf('/');
        final String addr = slash < 0 ? text : text.substring(0, slash);
        final boolean v4Only = field.name().startsWith("ip.");
        final boolean v6Only = field.name().startsWith("ipv6.");
        if (addr.indexOf(':') < 0)
        {
            final long v4 = ipv4(addr);
            if (v4 < 0 || v6Only)
            {
                throw new FilterException("\"" + text + "\" is not a valid " + (v6Only ? "IPv6" : "IPv4") + " address.",
                    expression, token.position(), token.length());
            }
            lit.version = 4;
            lit.addrLo = v4;
        }
        else
        {
            final long[] v6 = ipv6(addr);
            if (v6 == null || v4Only)
            {
                throw new FilterException("\"" + text + "\" is not a valid " + (v4Only ? "IPv4" : "IPv6") + " address.",
                    expression, token.position(), token.length());
            }
            lit.version = 6;
            lit.addrHi = v6[0];
            lit.addrLo = v6[1];
        }
        final int max = lit.version == 4 ? 32 : 128;
        lit.prefix = max;
        if (slash >= 0)
        {
            try
            {
                lit.prefix = Integer.parseInt(text.substring(slash + 1));
            }
            catch (final NumberFormatException ex)
            {
                lit.prefix = -1;
            }
            if (lit.prefix < 0 || lit.prefix > max)
            {
                throw new FilterException("\"" + text.substring(slash + 1) + "\" is not a valid prefix length (0 to " + max +
                    ").", expression, token.position() + slash + 1, text.length() - slash - 1);
            }
        }
    }

    /** Dotted quad to its 32 bits, -1 when not one. */
    static long ipv4(final String s)
    {
        final String[] parts = s.split("\\.", -1);
        if (parts.length != 4)
        {
            return -1;
        }
        long v = 0;
        for (final String p : parts)
        {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit))
            {
                return -1;
            }
            final int b = Integer.parseInt(p);
            if (b > 255)
            {
                return -1;
            }
            v = v << 8 | b;
        }
        return v;
    }

    /** RFC 4291 section 2.2 text (with :: and a trailing dotted quad) to {hi, lo}; null when not one. */
    static long[] ipv6(final String s)
    {
        final int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0)
        {
            return null;
        }
        final int[] words = new int[8];
        final String head = dc >= 0 ? s.substring(0, dc) : s;
        final String tail = dc >= 0 ? s.substring(dc + 2) : "";
        final int[] h = groups(head);
        final int[] t = groups(tail);
        if (h == null || t == null)
        {
            return null;
        }
        if (dc < 0 ? h.length != 8 : h.length + t.length > 7)
        {
            return null;
        }
        System.arraycopy(h, 0, words, 0, h.length);
        System.arraycopy(t, 0, words, 8 - t.length, t.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++)
        {
            hi = hi << 16 | words[i];
            lo = lo << 16 | words[i + 4];
        }
        return new long[] {hi, lo};
    }

    private static int[] groups(final String s)
    {
        if (s.isEmpty())
        {
            return new int[0];
        }
        final String[] parts = s.split(":", -1);
        final int last = parts.length - 1;
        final boolean quad = parts[last].indexOf('.') >= 0;
        final int[] out = new int[parts.length + (quad ? 1 : 0)];
        for (int i = 0; i < parts.length; i++)
        {
            final String p = parts[i];
            if (i == last && quad)
            {
                final long v4 = ipv4(p);
                if (v4 < 0)
                {
                    return null;
                }
                out[i] = (int)(v4 >>> 16);
                out[i + 1] = (int)(v4 & 0xFFFF);
                continue;
            }
            if (p.isEmpty() || p.length() > 4)
            {
                return null;
            }
            try
            {
                out[i] = Integer.parseInt(p, 16);
            }
            catch (final NumberFormatException ex)
            {
                return null;
            }
        }
        return out;
    }

    /** True when the address is inside this literal's block. */
    boolean covers(final int ipVersion, final long hi, final long lo)
    {
        if (ipVersion != version)
        {
            return false;
        }
        if (version == 4)
        {
            final long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            return (lo & mask) == (addrLo & mask);
        }
        if (prefix <= 64)
        {
            final long mask = prefix == 0 ? 0 : -1L << (64 - prefix);
            return (hi & mask) == (addrHi & mask);
        }
        final long mask = prefix == 128 ? -1L : -1L << (128 - prefix);
        return hi == addrHi && (lo & mask) == (addrLo & mask);
    }
}
