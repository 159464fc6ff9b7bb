package io.linerate.ops.filter;

/**
 * A display filter that does not compile: the message and where in the expression it went wrong,
 * shown as Wireshark shows it (the expression, then a caret under the offending part).
 */
public final class FilterException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final String expression;
    private final int position;
    private final int length;

    /**
     * @param position offset of the offending part in {@code expression}
     * @param length   its length (at least one mark is drawn)
     */
    public FilterException(final String message, final String expression, final int position, final int length)
    {
        super(message);
        this.expression = expression;
        this.position = position;
        this.length = length;
    }

    public int position()
    {
        return position;
    }

    public int length()
    {
        return length;
    }

    /** The message, the expression and the mark under the offending part, on three lines. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(getMessage()).append('\n');
        sb.append("    ").append(expression).append('\n');
        sb.append("    ").append(" ".repeat(Math.max(0, position))).append('^');
        sb.append("~".repeat(Math.max(0, length - 1)));
        return sb.toString();
    }
}
