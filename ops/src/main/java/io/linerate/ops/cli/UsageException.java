package io.linerate.ops.cli;

/** A command line that cannot be run as written: exit code 2, with this message. */
public final class UsageException extends Exception
{
    private static final long serialVersionUID = 1L;

    public UsageException(final String message)
    {
        super(message);
    }
}
