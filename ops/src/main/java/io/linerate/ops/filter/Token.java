package io.linerate.ops.filter;

/**
 * A token of a display filter.
 *
 * @param kind     what it is
 * @param text     as written (a string literal without its quotes, escapes resolved)
 * @param position offset in the expression
 * @param length   characters it takes in the expression (quotes included)
 */
record Token(Kind kind, String text, int position, int length)
{
    enum Kind
    {
        /** A field name, a keyword or an unquoted value: {@code tcp.port}, {@code and}, {@code 10.0.0.0/8}, {@code 100ms}. */
        WORD,
        /** A quoted string. */
        STRING,
        /** An operator or punctuation: {@code == != === ~= > < >= <= && || ! ^^ ( ) { } ,}. */
        SYMBOL,
        END
    }

    boolean is(final String symbolOrKeyword)
    {
        return kind == Kind.SYMBOL && text.equals(symbolOrKeyword) ||
            kind == Kind.WORD && text.equalsIgnoreCase(symbolOrKeyword);
    }
}
