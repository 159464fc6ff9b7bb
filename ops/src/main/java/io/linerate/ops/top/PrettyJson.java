package io.linerate.ops.top;

import java.util.ArrayList;
import java.util.List;

/**
 * A record's JSON laid out for reading, two spaces an indent level, as {@code jq .} prints it: an
 * object or array opens a level, each member on its own line, empty ones stay {@code {}}/{@code []}.
 * It moves no character of a string: only the whitespace between tokens changes.
 */
final class PrettyJson
{
    private static final String INDENT = "  ";

    private PrettyJson()
    {
    }

    /** The lines of {@code json} laid out. */
    static List<String> lines(final String json)
    {
        final List<String> lines = new ArrayList<>();
        final StringBuilder line = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++)
        {
            final char c = json.charAt(i);
            if (inString)
            {
                line.append(c);
                if (c == '\\' && i + 1 < json.length())
                {
                    line.append(json.charAt(++i));
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    line.append(c);
                    break;
                case '{':
                case '[':
                {
                    final char close = c == '{' ? '}' : ']';
                    final int next = nextToken(json, i + 1);
                    if (next < json.length() && json.charAt(next) == close)
                    {
                        line.append(c).append(close);
                        i = next;
                        break;
                    }
                    line.append(c);
                    depth++;
                    newLine(lines, line, depth);
                    break;
                }
                case '}':
                case ']':
                    depth--;
                    newLine(lines, line, depth);
                    line.append(c);
                    break;
                case ',':
                    line.append(c);
                    newLine(lines, line, depth);
                    break;
                case ':':
                    line.append(": ");
                    break;
                case ' ':
                case '\t':
                case '\n':
                case '\r':
                    break;
                default:
                    line.append(c);
                    break;
            }
        }
        if (line.length() > 0)
        {
            lines.add(line.toString());
        }
        return lines;
    }

    private static int nextToken(final String json, final int from)
    {
        int i = from;
        while (i < json.length() && Character.isWhitespace(json.charAt(i)))
        {
            i++;
        }
        return i;
    }

    private static void newLine(final List<String> lines, final StringBuilder line, final int depth)
    {
        lines.add(line.toString());
        line.setLength(0);
        line.append(INDENT.repeat(Math.max(0, depth)));
    }
}
