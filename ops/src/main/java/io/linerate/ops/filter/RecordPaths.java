package io.linerate.ops.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a record's JSON (as {@code FlowRecordEncoder} writes it) into its leaf values by dotted path:
 * {@code {"c2s":{"packets":3},"vlan":[10,20]}} gives {@code c2s.packets → [3]} and
 * {@code vlan → [10, 20]}. Numbers become Long or Double, {@code true}/{@code false} Boolean.
 */
public final class RecordPaths
{
    private final CharSequence s;
    private final Map<String, List<Object>> out;
    private int i;

    private RecordPaths(final CharSequence s, final Map<String, List<Object>> out)
    {
        this.s = s;
        this.out = out;
    }

    /** Adds every leaf of the JSON object in {@code json} to {@code out}, by path. */
    public static void flatten(final CharSequence json, final Map<String, List<Object>> out)
    {
        new RecordPaths(json, out).value("");
    }

    private void value(final String path)
    {
        ws();
        final char c = s.charAt(i);
        if (c == '{')
        {
            i++;
            ws();
            if (s.charAt(i) == '}')
            {
                i++;
                return;
            }
            while (true)
            {
                ws();
                final String key = string();
                ws();
                i++; // ':'
                value(path.isEmpty() ? key : path + "." + key);
                ws();
                if (s.charAt(i++) == '}')
                {
                    return;
                }
            }
        }
        if (c == '[')
        {
            i++;
            ws();
            if (s.charAt(i) == ']')
            {
                i++;
                return;
            }
            while (true)
            {
                value(path);
                ws();
                if (s.charAt(i++) == ']')
                {
                    return;
                }
            }
        }
        final Object leaf;
        if (c == '"')
        {
            leaf = string();
        }
        else if (s.charAt(i) == 't' || s.charAt(i) == 'f' || s.charAt(i) == 'n')
        {
            final boolean t = c == 't';
            final boolean isNull = c == 'n';
            i += t || isNull ? 4 : 5;
            if (isNull)
            {
                return;
            }
            leaf = t;
        }
        else
        {
            final int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0)
            {
                i++;
            }
            final String num = s.subSequence(start, i).toString();
            leaf = num.indexOf('.') >= 0 || num.indexOf('e') >= 0 || num.indexOf('E') >= 0 ?
                (Object)Double.parseDouble(num) : (Object)Long.parseLong(num);
        }
        out.computeIfAbsent(path, k -> new ArrayList<>(1)).add(leaf);
    }

    private String string()
    {
        final StringBuilder sb = new StringBuilder();
        i++; // opening quote
        while (true)
        {
            final char c = s.charAt(i++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c == '\\')
            {
                final char e = s.charAt(i++);
                switch (e)
                {
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'u':
                        sb.append((char)Integer.parseInt(s.subSequence(i, i + 4).toString(), 16));
                        i += 4;
                        break;
                    default: sb.append(e); break;
                }
                continue;
            }
            sb.append(c);
        }
    }

    private void ws()
    {
        while (i < s.length() && Character.isWhitespace(s.charAt(i)))
        {
            i++;
        }
    }
}
