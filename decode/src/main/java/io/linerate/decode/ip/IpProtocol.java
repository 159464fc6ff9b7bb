package io.linerate.decode.ip;

/**
 * IP protocol numbers (IANA "Assigned Internet Protocol Numbers"), which are also the IPv6 Next
 * Header values, for the protocols and extension headers the decoder knows.
 */
public final class IpProtocol
{
    /** IPv6 Hop-by-Hop Options (RFC 8200 §4.3). */
    public static final int HOP_BY_HOP = 0;
    public static final int ICMP = 1;
    public static final int IGMP = 2;
    /** IPv4 in IP (RFC 2003). */
    public static final int IPV4 = 4;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** IPv6 in IP (RFC 4213 §3.5, RFC 2473). */
    public static final int IPV6 = 41;
    /** IPv6 Routing header (RFC 8200 §4.4). */
    public static final int ROUTING = 43;
    /** IPv6 Fragment header (RFC 8200 §4.5). */
    public static final int FRAGMENT = 44;
    public static final int GRE = 47;
    /** Encapsulating Security Payload (RFC 4303): what follows is encrypted. */
    public static final int ESP = 50;
    /** Authentication Header (RFC 4302 §2.2): length in 4-octet units minus 2. */
    public static final int AUTHENTICATION = 51;
    public static final int ICMPV6 = 58;
    /** IPv6 No Next Header (RFC 8200 §4.7). */
    public static final int NO_NEXT_HEADER = 59;
    public static final int OSPF = 89;
    /** IPv6 Destination Options (RFC 8200 §4.6). */
    public static final int DESTINATION_OPTIONS = 60;
    public static final int SCTP = 132;
    /** Mobility header (RFC 6275 §6.1), extension header format of RFC 8200 §4. */
    public static final int MOBILITY = 135;
    /** Host Identity Protocol (RFC 7401 §5.1), extension header format of RFC 8200 §4. */
    public static final int HIP = 139;
    /** Shim6 (RFC 5533 §5), extension header format of RFC 8200 §4. */
    public static final int SHIM6 = 140;

    private IpProtocol()
    {
    }

    /**
     * True for the protocols whose header starts with a source and a destination port (TCP, UDP,
     * SCTP): the ones a flow's key, its record and its display filter have ports for.
     */
    public static boolean hasPorts(final int protocol)
    {
        return protocol == TCP || protocol == UDP || protocol == SCTP;
    }
}
