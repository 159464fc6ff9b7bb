package io.linerate.decode.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpFirstLineFlyweightTest
{
    private final HttpFirstLineFlyweight line = new HttpFirstLineFlyweight();

    private HttpFirstLineFlyweight at(final String text, final int offset)
    {
        final byte[] bytes = ("xx".repeat(offset) + text).getBytes(StandardCharsets.US_ASCII);
        return line.wrap(bytes, offset * 2, bytes.length - offset * 2);
    }

    @ParameterizedTest
    @CsvSource({
        "'GET / HTTP/1.1\r\n', GET",
        "'POST /form HTTP/1.0\r\n', POST",
        "'HEAD /x HTTP/1.1\r\n', HEAD",
        "'OPTIONS * HTTP/1.1\r\n', OPTIONS",
        "'CONNECT host:443 HTTP/1.1\r\n', CONNECT",
        "'DELETE /a HTTP/1.1\r\n', DELETE",
        "'PATCH /a HTTP/1.1\r\n', PATCH",
        "'PUT /a HTTP/1.1\r\n', PUT",
        "'TRACE / HTTP/1.1\r\n', TRACE",
    })
    void requestLinesGiveTheirMethod(final String text, final String method)
    {
        assertEquals(method, HttpFirstLineFlyweight.METHODS[at(text, 3).method()]);
        assertEquals(-1, at(text, 3).status());
    }

    @ParameterizedTest
    @CsvSource({
        "'HTTP/1.1 200 OK\r\n', 200",
        "'HTTP/1.0 404 File not found\r\n', 404",
        "'HTTP/1.1 101 Switching Protocols\r\n', 101",
        "'HTTP/1.1 503', 503",
    })
    void statusLinesGiveTheirCode(final String text, final int status)
    {
        assertEquals(status, at(text, 1).status());
        assertEquals(0, at(text, 1).method());
    }

    @Test
    void otherPayloadsAreNeither()
    {
        for (final String text : new String[] {"GETX / HTTP/1.1", "get / HTTP/1.1", "GET", "\u0016\u0003\u0001\u0002\u0000",
            "HTTP/1.1 2OO OK", "HTTP/2 200 OK ", "HTTP/1.1 099 x", "SSH-2.0-OpenSSH_9.2", "HTTP/1.1 20"})
        {
            assertEquals(0, at(text, 0).method(), text);
            assertEquals(-1, at(text, 0).status(), text);
        }
    }

    @Test
    void onlyTheWrappedLengthIsRead()
    {
        final byte[] bytes = "GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0, line.wrap(bytes, 0, 3).method(), "'GET' without its space is not yet a request line");
        assertEquals(1, line.wrap(bytes, 0, 4).method());
    }
}
