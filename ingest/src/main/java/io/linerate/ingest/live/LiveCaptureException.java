package io.linerate.ingest.live;

/** A device libpcap would not open or configure; the message is libpcap's own. */
public final class LiveCaptureException extends Exception
{
    private static final long serialVersionUID = 1L;

    public LiveCaptureException(final String message)
    {
        super(message);
    }
}
