package io.linerate.decode.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the HTTP first-line reader with any TCP payload, against a plain string reading of RFC 9112's
 * request-line and status-line (the method then a space; "HTTP/" digit "." digit, a space and three
 * digits from 100 up). An input is: byte 0, where the payload starts (0 to 255); the rest, the
 * payload, at the end of an array of exactly that size, so a read past it throws.
 */
class HttpFirstLineFlyweightFuzzTest
{
    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/[0-9]\\.[0-9] ([0-9]{3})");

    private final HttpFirstLineFlyweight line = new HttpFirstLineFlyweight();

    @FuzzTest(maxDuration = "10s")
    void payload(final byte[] input)
    {
        if (input.length < 1)
        {
            return;
        }
        final int offset = Math.min(input[0] & 0xFF, input.length - 1);
        final byte[] frame = Arrays.copyOfRange(input, 1, input.length);
        final int length = frame.length - offset;
        final String text = new String(frame, offset, length, StandardCharsets.ISO_8859_1);

        line.wrap(frame, offset, length);
        assertEquals(expectedMethod(text), line.method(), () -> "method of " + text);
        assertEquals(expectedStatus(text), line.status(), () -> "status of " + text);
    }

    private static int expectedMethod(final String text)
    {
        for (int code = 1; code < HttpFirstLineFlyweight.METHODS.length; code++)
        {
            if (text.startsWith(HttpFirstLineFlyweight.METHODS[code] + " "))
            {
                return code;
            }
        }
        return 0;
    }

    private static int expectedStatus(final String text)
    {
        final Matcher m = STATUS_LINE.matcher(text);
        if (!m.find())
        {
            return -1;
        }
        final int status = Integer.parseInt(m.group(1));
        return status >= 100 ? status : -1;
    }
}
