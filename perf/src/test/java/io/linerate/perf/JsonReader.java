package io.linerate.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for tests (RFC 8259): objects become ordered maps, arrays lists,
 * integers {@link Long}, other numbers {@link Double}. Rejects trailing text and duplicate keys.
 */
public final class JsonReader
{
    private final String text;
    private int pos;

    private JsonReader(final String text)
    {
        this.text = text;
    }

    /** Parses one JSON object (a JSON-lines line). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(final String text)
    {
        final JsonReader r = new JsonReader(text);
        final Object v = r.value();
        r.skipWhitespace();
        if (r.pos != text.length())
        {
            throw r.error("trailing text");
        }
        if (!(v instanceof Map))
        {
            throw r.error("not an object");
        }
        return (Map<String, Object>)v;
    }

    /** The value at a dotted path ({@code "handshake.rtt_us"}), null when any part is absent. */
    @SuppressWarnings("unchecked")
    public static Object at(final Map<String, Object> object, final String path)
    {
        Object cur = object;
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

    private Object value()
    {
        skipWhitespace();
        if (pos >= text.length())
        {
            throw error("unexpected end");
        }
        final char c = text.charAt(pos);
        switch (c)
        {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object()
    {
        pos++;
        final Map<String, Object> m = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}')
        {
            pos++;
            return m;
        }
        while (true)
        {
            skipWhitespace();
            final String key = string();
            skipWhitespace();
            expect(':');
            if (m.containsKey(key))
            {
                throw error("duplicate key " + key);
            }
            m.put(key, value());
            skipWhitespace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect('}');
            return m;
        }
    }

    private List<Object> array()
    {
        pos++;
        final List<Object> l = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']')
        {
            pos++;
            return l;
        }
        while (true)
        {
            l.add(value());
            skipWhitespace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect(']');
            return l;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (pos >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(pos++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw error("control character in a string");
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            final char e = text.charAt(pos++);
            switch (e)
            {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    sb.append((char)Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                    break;
                default:
                    throw error("bad escape \\" + e);
            }
        }
    }

    private Object number()
    {
        final int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
        final String n = text.substring(start, pos);
        if (n.isEmpty())
        {
            throw error("unexpected character");
        }
        return n.contains(".") || n.contains("e") || n.contains("E") ? (Object)Double.parseDouble(n) : (Object)Long.parseLong(n);
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, pos))
        {
            throw error("unexpected character");
        }
        pos += word.length();
        return value;
    }

    private char peek()
    {
        if (pos >= text.length())
        {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace()
    {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at " + pos + " in " + text);
    }
}
