package io.linerate.ingest.bpf;

/** A filter expression libpcap would not compile; the message is libpcap's own. */
public final class BpfCompileException extends Exception
{
    private static final long serialVersionUID = 1L;

    public BpfCompileException(final String message)
    {
        super(message);
    }
}
