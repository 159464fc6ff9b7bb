package io.linerate.sink.record;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonBufferTest
{
    private static byte[] bytes(final JsonBuffer b)
    {
        return Arrays.copyOf(b.array(), b.length());
    }

    @Test
    void numbersAreWrittenAsJavaWritesThem()
    {
        final long[] values = {0, 1, -1, 9, 10, 99, 100, 1_704_067_200_001_300L, Long.MAX_VALUE, Long.MIN_VALUE};
        for (final long v : values)
        {
            assertEquals(Long.toString(v), new JsonBuffer(1).number(v).toString());
        }
        final double[] doubles = {0.0, 0.012345, 1.0e-6, 0.5, 1.0, Math.round(0.0333333333 * 1e6) / 1e6};
        for (final double d : doubles)
        {
            assertEquals(Double.toString(d), new JsonBuffer(1).number(d).toString());
        }
    }

    @Test
    void stringsAreQuotedEscapedAndUtf8()
    {
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001\\u001f\"", new JsonBuffer(4).string("a\"b\\c\nd\re\tf\u0001\u001f").toString());
        final String unicode = "b\u00fccher.\u4f8b\u3048.jp \ud83d\ude00";
        assertArrayEquals(('"' + unicode + '"').getBytes(StandardCharsets.UTF_8), bytes(new JsonBuffer(4).string(unicode)));
        // A lone surrogate is not UTF-8: written as String.getBytes writes it.
        final String lone = "x\ud800y\udc00";
        assertArrayEquals(('"' + lone + '"').getBytes(StandardCharsets.UTF_8), bytes(new JsonBuffer(4).string(lone)));
    }

    @Test
    void hexKeepsLeadingZeros()
    {
        assertEquals("0000000000000000", new JsonBuffer(1).hex16(0).toString());
        assertEquals("00000000000000ff", new JsonBuffer(1).hex16(255).toString());
        assertEquals("d95ea330be6b2096", new JsonBuffer(1).hex16(0xd95ea330be6b2096L).toString());
        assertEquals("ffffffffffffffff", new JsonBuffer(1).hex16(-1).toString());
    }

    @Test
    void growsPastItsFirstCapacityAndStartsOverOnClear()
    {
        final JsonBuffer b = new JsonBuffer(2);
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            b.raw(JsonBuffer.ascii(",\"k\":")).number(i);
            expected.append(",\"k\":").append(i);
        }
        assertEquals(expected.toString(), b.toString());
        assertEquals("{}", b.clear().ascii('{').ascii('}').toString());
    }

    @Test
    void fixedPiecesMustBeAscii()
    {
        assertThrows(IllegalArgumentException.class, () -> JsonBuffer.ascii("caf\u00e9"));
    }

    @Test
    void truncateGoesBackToAMarkAndNoFurther()
    {
        final JsonBuffer b = new JsonBuffer(4).ascii('{');
        final int mark = b.length();
        b.string("half a record");
        assertEquals("{", b.truncate(mark).toString());
        assertEquals("{1}", b.number(1).ascii('}').toString());
        assertThrows(IllegalArgumentException.class, () -> b.truncate(4));
        assertThrows(IllegalArgumentException.class, () -> b.truncate(-1));
    }
}
