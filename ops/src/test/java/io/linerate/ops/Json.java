package io.linerate.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small strict JSON reader for tests: objects become maps, arrays lists, numbers Long or Double. */
public final class Json
{
    private final String s;
    private int i;

    private Json(final String s)
    {
        this.s = s;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(final String text)
    {
        final Json j = new Json(text);
        final Object v = j.value();
        j.ws();
        if (j.i != text.length())
        {
            throw new IllegalArgumentException("trailing text at " + j.i + ": " + text);
        }
        return (Map<String, Object>)v;
    }

    /** Follows a dotted path ("handshake.rtt_us") through nested objects; null when absent. */
    @SuppressWarnings("unchecked")
    public static Object at(final Map<String, Object> obj, final String path)
    {
        Object cur = obj;
        for (final String key : path.split("\\."))
        {
            if (!(cur instanceof Map))
            {
                return null;
            }
            cur = ((Map<String, Object>)cur).get(key);
        }
        return cur;
    }

    public static long num(final Map<String, Object> obj, final String path)
    {
        final Object v = at(obj, path);
        if (!(v instanceof Number))
        {
            throw new AssertionError(path + " is not a number in " + obj);
        }
        return ((Number)v).longValue();
    }

    private Object value()
    {
        ws();
        final char c = s.charAt(i);
        if (c == '{')
        {
            i++;
            final Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (s.charAt(i) == '}')
            {
                i++;
                return m;
            }
            while (true)
            {
                ws();
                final String k = string();
                ws();
                expect(':');
                if (m.put(k, value()) != null)
                {
                    throw new IllegalArgumentException("duplicate key " + k);
                }
                ws();
                if (s.charAt(i) == ',')
                {
                    i++;
                    continue;
                }
                expect('}');
                return m;
            }
        }
        if (c == '[')
        {
            i++;
            final List<Object> l = new ArrayList<>();
            ws();
            if (s.charAt(i) == ']')
            {
                i++;
                return l;
            }
            while (true)
            {
                l.add(value());
                ws();
                if (s.charAt(i) == ',')
                {
                    i++;
                    continue;
                }
                expect(']');
                return l;
            }
        }
        if (c == '"')
        {
            return string();
        }
        if (s.startsWith("true", i))
        {
            i += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", i))
        {
            i += 5;
            return Boolean.FALSE;
        }
        if (s.startsWith("null", i))
        {
            i += 4;
            return null;
        }
        final int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0)
        {
            i++;
        }
        final String n = s.substring(start, i);
        if (n.isEmpty())
        {
            throw new IllegalArgumentException("unexpected '" + c + "' at " + start);
        }
        return n.contains(".") || n.contains("e") || n.contains("E") ? (Object)Double.parseDouble(n) : (Object)Long.parseLong(n);
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
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
                    case 't': sb.append('\t'); break;
                    case 'r': sb.append('\r'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'u':
                        sb.append((char)Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: sb.append(e);
                }
            }
            else if (c < 0x20)
            {
                throw new IllegalArgumentException("control character in string at " + (i - 1));
            }
            else
            {
                sb.append(c);
            }
        }
    }

    private void expect(final char c)
    {
        if (s.charAt(i) != c)
        {
            throw new IllegalArgumentException("expected '" + c + "' at " + i + " in " + s);
        }
        i++;
    }

    private void ws()
    {
        while (i < s.length() && Character.isWhitespace(s.charAt(i)))
        {
            i++;
        }
    }
}
