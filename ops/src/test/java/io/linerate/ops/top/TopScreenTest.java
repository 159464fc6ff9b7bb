package io.linerate.ops.top;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text helpers of top's screen: wrapping that a terminal copy can undo, and the table's units. */
class TopScreenTest
{
    private static final String TCPDUMP = "06:41:52.598920 IP 127.0.0.1.48644 > 127.0.0.1.18081: Flags [S], seq 0, " +
        "win 65495, options [mss 65495,sackOK,TS val 1625942984 ecr 0,nop,wscale 10], length 0";

    @Test
    void wrappedLinesJoinBackWithoutTheirIndent()
    {
        for (int width = 8; width <= TCPDUMP.length() + 1; width++)
        {
            final List<String> pieces = new ArrayList<>();
            TopScreen.wrap(pieces, TCPDUMP, width);
            final StringBuilder joined = new StringBuilder(pieces.get(0));
            for (int i = 0; i < pieces.size(); i++)
            {
                final String p = pieces.get(i);
                assertTrue(p.length() <= width, width + ": " + pieces);
                assertFalse(p.endsWith(" "), "a piece ends with a space at width " + width + ": " + pieces);
                if (i > 0)
                {
                    assertTrue(p.startsWith("    "), pieces.toString());
                    joined.append(p.substring(4));
                }
            }
            assertEquals(TCPDUMP, joined.toString(), "width " + width);
        }
    }

    @Test
    void durationsAndBytesAsTheColumnsShowThem()
    {
        assertEquals("-", TopScreen.duration(-1));
        assertEquals("850us", TopScreen.duration(850));
        assertEquals("1.25ms", TopScreen.duration(1250));
        assertEquals("3.20s", TopScreen.duration(3_200_000));
        assertEquals("9999", TopScreen.bytes(9999));
        assertEquals("12.3K", TopScreen.bytes(12_345));
        assertEquals("4.5M", TopScreen.bytes(4_500_000));
        assertEquals("123M", TopScreen.bytes(123_456_789));
    }

    @Test
    void prettyJsonKeepsEveryCharacterOfItsStrings()
    {
        final String json = "{\"a\":1,\"s\":\"x, {y}: [z] \\\"q\\\"\",\"e\":{},\"l\":[],\"o\":{\"b\":[1,2]}}";
        assertEquals(List.of(
            "{",
            "  \"a\": 1,",
            "  \"s\": \"x, {y}: [z] \\\"q\\\"\",",
            "  \"e\": {},",
            "  \"l\": [],",
            "  \"o\": {",
            "    \"b\": [",
            "      1,",
            "      2",
            "    ]",
            "  }",
            "}"), PrettyJson.lines(json));
    }
}
