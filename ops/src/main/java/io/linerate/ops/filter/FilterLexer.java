package io.linerate.ops.filter;

import java.util.ArrayList;
import java.util.List;

/** Splits a display filter into {@link Token}s, as Wireshark's scanner does for its grammar. */
final class FilterLexer
{
    private static final String[] SYMBOLS = {"===", "==", "!=", "~=", ">=", "<=", "&&", "||", "^^", ">", "<", "!", "(", ")",
        "{", "}", ",", "[", "]"};

    private FilterLexer()
    {
    }

    static List<Token> tokens(final String text) throws FilterException
    {
        final List<Token> out = new ArrayList<>();
        int i = 0;
        final int n = text.length();
        scan:
        while (i < n)
        {
            final char c = text.charAt(i);
            if (Character.isWhitespace(c))
            {
                i++;
                continue;
            }
            if (c == '"')
            {
                i = string(text, i, out);
                continue;
            }
            if (wordChar(c))
            {
                final int start = i;
                while (i < n && wordChar(text.charAt(i)))
                {
                    i++;
                }
                out.add(new Token(Token.Kind.WORD, text.substring(start, i), start, i - start));
                continue;
            }
            for (final String s : SYMBOLS)
            {
                if (text.startsWith(s, i))
                {
                    out.add(new Token(Token.Kind.SYMBOL, s, i, s.length()));
                    i += s.length();
                    continue scan;
                }
            }
            throw new FilterException("\"" + c + "\" was unexpected in this context.", text, i, 1);
        }
        out.add(new Token(Token.Kind.END, "", n, 1));
        return out;
    }

    private static boolean wordChar(final char c)
    {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == ':' || c == '/' || c == '+';
    }

    /** A quoted string with C escapes ({@code \" \\ \n \t \r \xHH}); returns where it ends. */
    private static int string(final String text, final int start, final List<Token> out) throws FilterException
    {
        final StringBuilder sb = new StringBuilder();
        int i = start + 1;
        while (i < text.length())
        {
            final char c = text.charAt(i);
            if (c == '"')
            {
                out.add(new Token(Token.Kind.STRING, sb.toString(), start, i + 1 - start));
                return i + 1;
            }
            if (c == '\\' && i + 1 < text.length())
            {
                final char e = text.charAt(i + 1);
                switch (e)
                {
                    case 'n': sb.append('\n'); i += 2; continue;
                    case 't': sb.append('\t'); i += 2; continue;
                    case 'r': sb.append('\r'); i += 2; continue;
                    case 'x':
                        if (i + 3 < text.length() + 0 && hex(text.charAt(i + 2)) && hex(text.charAt(i + 3)))
                        {
                            sb.append((char)Integer.parseInt(text.substring(i + 2, i + 4), 16));
                            i += 4;
                            continue;
                        }
                        throw new FilterException("\\x needs two hexadecimal digits.", text, i, 2);
                    default:
                        sb.append(e);
                        i += 2;
                        continue;
                }
            }
            sb.append(c);
            i++;
        }
        throw new FilterException("The string has no closing quote.", text, start, text.length() - start);
    }

    private static boolean hex(final char c)
    {
        return Character.digit(c, 16) >= 0;
    }
}
