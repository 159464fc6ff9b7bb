package io.linerate.decode.icmp;

/**
 * ICMP (IPv4) message types the decoder treats specially (RFC 792, RFC 1812 §4.3.2).
 */
public final class IcmpType
{
    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;

    /** Destination unreachable code 3: nothing listens on the port (UDP) or the host rejects. */
    public static final int CODE_PORT_UNREACHABLE = 3;

    private IcmpType()
    {
    }

    /** True for the error messages that quote the offending datagram's header and 8 more bytes. */
    public static boolean isError(final int type)
    {
        return type == DESTINATION_UNREACHABLE ||
            type == SOURCE_QUENCH ||
            type == REDIRECT ||
            type == TIME_EXCEEDED ||
            type == PARAMETER_PROBLEM;
    }

    /** True for echo request and reply, whose identifier names the ping session. */
    public static boolean isEcho(final int type)
    {
        return type == ECHO_REQUEST || type == ECHO_REPLY;
    }
}
