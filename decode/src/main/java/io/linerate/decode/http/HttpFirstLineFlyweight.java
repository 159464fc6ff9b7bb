package io.linerate.decode.http;

/**
 * Flyweight over the start of an HTTP/1.x message (RFC 9112 section 3 and 4): the method of a
 * request line ({@code GET /path HTTP/1.1}) or the status code of a status line
 * ({@code HTTP/1.1 200 OK}). Only the first bytes are read, nothing is copied, and a method is
 * reported as a small code ({@link #METHODS}) so a decoder allocates nothing.
 *
 * <pre>
 * request-line = method SP request-target SP HTTP-version CRLF
 * status-line  = HTTP-version SP status-code SP [ reason-phrase ] CRLF
 * HTTP-version = "HTTP/" DIGIT "." DIGIT
 * </pre>
 */
public final class HttpFirstLineFlyweight
{
    /** Method names by code; code 0 means "not a request line". */
    public static final String[] METHODS =
        {"", "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"};

    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];
    private static final byte[] VERSION_PREFIX = {'H', 'T', 'T', 'P', '/'};
    /** "HTTP/1.1 200": the shortest status line prefix that holds a status code. */
    private static final int STATUS_LINE_MIN = 12;

    static
    {
        for (int i = 1; i < METHODS.length; i++)
        {
            METHOD_BYTES[i] = METHODS[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private byte[] buffer;
    private int offset;
    private int length;

    /**
     * @param length bytes of the payload captured from {@code offset}
     */
    public HttpFirstLineFlyweight wrap(final byte[] buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** The method code of a request line followed by a space, 0 when this is not one. */
    public int method()
    {
        if (length < 4 || buffer[offset] < 'A' || buffer[offset] > 'Z')
        {
            return 0;
        }
        for (int code = 1; code < METHOD_BYTES.length; code++)
        {
            final byte[] m = METHOD_BYTES[code];
            if (length > m.length && buffer[offset + m.length] == ' ' && startsWith(m))
            {
                return code;
            }
        }
        return 0;
    }

    /** The status code of a status line (100 to 999), -1 when this is not one. */
    public int status()
    {
        if (length < STATUS_LINE_MIN || !startsWith(VERSION_PREFIX) || !digit(5) || buffer[offset + 6] != '.' ||
            !digit(7) || buffer[offset + 8] != ' ' || !digit(9) || !digit(10) || !digit(11))
        {
            return -1;
        }
        final int status = (buffer[offset + 9] - '0') * 100 + (buffer[offset + 10] - '0') * 10 + buffer[offset + 11] - '0';
        return status >= 100 ? status : -1;
    }

    private boolean startsWith(final byte[] prefix)
    {
        for (int i = 0; i < prefix.length; i++)
        {
            if (buffer[offset + i] != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    private boolean digit(final int index)
    {
        final byte b = buffer[offset + index];
        return b >= '0' && b <= '9';
    }
}
