package io.linerate.decode.icmp;

/**
 * ICMPv6 message types the decoder treats specially (RFC 4443 §2.1: errors are types 0..127).
 */
public final class Icmpv6Type
{
    public static final int DESTINATION_UNREACHABLE = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int PARAMETER_PROBLEM = 4;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;

    /** Destination unreachable code 4: port unreachable. */
    public static final int CODE_PORT_UNREACHABLE = 4;

    private Icmpv6Type()
    {
    }

    /** True for the error messages of RFC 4443 §3 that quote as much of the offending packet as fits. */
    public static boolean isError(final int type)
    {
        return type >= DESTINATION_UNREACHABLE && type <= PARAMETER_PROBLEM;
    }

    /** True for echo request and reply, whose identifier names the ping session. */
    public static boolean isEcho(final int type)
    {
        return type == ECHO_REQUEST || type == ECHO_REPLY;
    }
}
