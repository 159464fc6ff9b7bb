package io.linerate.sink.record;

import org.agrona.ExpandableArrayBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * JSON text written straight as UTF-8 bytes into a growing buffer: records go to a file, a socket or
 * the spill as bytes, so they are never built as UTF-16 characters first and encoded again. Keys are
 * written from byte arrays made once ({@link #ascii(String)}), numbers digit by digit, strings with
 * the escapes of RFC 8259 section 7.
 *
 * <p>One instance per thread; {@link #clear()} starts it over and keeps its memory.
 */
public final class JsonBuffer
{
    private static final byte[] HEX = ascii("0123456789abcdef");

    private final ExpandableArrayBuffer buffer;
    private int length;

    public JsonBuffer(final int initialCapacity)
    {
        buffer = new ExpandableArrayBuffer(initialCapacity);
    }

    /** The bytes of text that is ASCII, for the keys and fixed pieces a writer appends with {@link #raw}. */
    public static byte[] ascii(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) >= 0x80)
            {
                throw new IllegalArgumentException("not ASCII: " + text);
            }
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes written so far. */
    public int length()
    {
        return length;
    }

    /** The bytes: the first {@link #length()} of them are the text. Valid until the next write. */
    public byte[] array()
    {
        return buffer.byteArray();
    }

    public JsonBuffer clear()
    {
        length = 0;
        return this;
    }

    /** Drops what was written after the first {@code length} bytes (a mark {@link #length()} gave). */
    public JsonBuffer truncate(final int length)
    {
        if (length < 0 || length > this.length)
        {
            throw new IllegalArgumentException("truncate to " + length + " of " + this.length);
        }
        this.length = length;
        return this;
    }

    /** Appends bytes made by {@link #ascii(String)}. */
    public JsonBuffer raw(final byte[] ascii)
    {
        buffer.putBytes(length, ascii);
        length += ascii.length;
        return this;
    }

    /** Appends one ASCII character. */
    public JsonBuffer ascii(final char c)
    {
        buffer.putByte(length++, (byte)c);
        return this;
    }

    /** Appends text known to be ASCII (a name from a table, a number's text); not quoted, not escaped. */
    public JsonBuffer asciiText(final CharSequence text)
    {
        length += buffer.putStringWithoutLengthAscii(length, text);
        return this;
    }

    /** Appends a whole number in decimal. */
    public JsonBuffer number(final long value)
    {
        length += buffer.putLongAscii(length, value);
        return this;
    }

    /** Appends a number as Java writes a {@code double} ({@link Double#toString(double)}). */
    public JsonBuffer number(final double value)
    {
        return asciiText(Double.toString(value));
    }

    /** Appends {@code value} as 16 lower-case hex digits, leading zeros kept. */
    public JsonBuffer hex16(final long value)
    {
        buffer.checkLimit(length + 16);
        final byte[] bytes = buffer.byteArray();
        for (int i = 0; i < 16; i++)
        {
            bytes[length + i] = HEX[(int)(value >>> (60 - 4 * i)) & 0xF];
        }
        length += 16;
        return this;
    }

    /**
     * Appends a JSON string: quoted, with the escapes RFC 8259 section 7 requires, in UTF-8. A lone
     * surrogate is written as {@code ?}, as {@link String#getBytes} writes it.
     */
    public JsonBuffer string(final String s)
    {
        final int count = s.length();
        // Each char takes at most 6 bytes (a control character's \\u00XX); a surrogate pair 4 for 2.
        buffer.checkLimit(length + 2 + 6 * count);
        final byte[] bytes = buffer.byteArray();
        int n = length;
        bytes[n++] = '"';
        for (int i = 0; i < count; i++)
        {
            final char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
            {
                bytes[n++] = (byte)c;
            }
            else if (c < 0x80)
            {
                n = escape(bytes, n, c);
            }
            else if (c < 0x800)
            {
                bytes[n++] = (byte)(0xC0 | c >>> 6);
                bytes[n++] = (byte)(0x80 | c & 0x3F);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < count && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, s.charAt(++i));
                bytes[n++] = (byte)(0xF0 | cp >>> 18);
                bytes[n++] = (byte)(0x80 | (cp >>> 12) & 0x3F);
                bytes[n++] = (byte)(0x80 | (cp >>> 6) & 0x3F);
                bytes[n++] = (byte)(0x80 | cp & 0x3F);
            }
            else if (Character.isSurrogate(c))
            {
                bytes[n++] = '?';
            }
            else
            {
                bytes[n++] = (byte)(0xE0 | c >>> 12);
                bytes[n++] = (byte)(0x80 | (c >>> 6) & 0x3F);
                bytes[n++] = (byte)(0x80 | c & 0x3F);
            }
        }
        bytes[n++] = '"';
        length = n;
        return this;
    }

    private static int escape(final byte[] bytes, final int offset, final char c)
    {
        int n = offset;
        bytes[n++] = '\\';
        switch (c)
        {
            case '"': bytes[n++] = '"'; break;
            case '\\': bytes[n++] = '\\'; break;
            case '\n': bytes[n++] = 'n'; break;
            case '\r': bytes[n++] = 'r'; break;
            case '\t': bytes[n++] = 't'; break;
            default:
                bytes[n++] = 'u';
                bytes[n++] = '0';
                bytes[n++] = '0';
                bytes[n++] = HEX[c >>> 4];
                bytes[n++] = HEX[c & 0xF];
        }
        return n;
    }

    /** Writes the text to {@code out}. */
    public void writeTo(final OutputStream out) throws IOException
    {
        out.write(buffer.byteArray(), 0, length);
    }

    /** The text. */
    @Override
    public String toString()
    {
        return toString(0, length);
    }

    /** The text of the bytes {@code [from, to)}, which must begin and end with whole characters. */
    public String toString(final int from, final int to)
    {
        return new String(buffer.byteArray(), from, to - from, StandardCharsets.UTF_8);
    }
}
