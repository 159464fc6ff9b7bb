package io.linerate.decode;

/**
 * Stable names and codes of the per-decoder tallies of what the frames were, beside the
 * {@link Anomaly} counters of what was wrong with them. One frame adds to several (an IPv4 TCP first
 * fragment counts under {@link #IPV4}, {@link #IP_FRAGMENT} and {@link #TCP}). Codes run
 * 0..{@link #COUNT} - 1 and never change meaning.
 */
public final class Census
{
    /** Every frame given to the decoder. */
    public static final int FRAMES = 0;
    /** Frames whose network protocol is not IP (ARP, LLDP, a non-IP address family). Not an anomaly. */
    public static final int NON_IP = 1;
    /** Frames with at least one 802.1Q/802.1ad tag. */
    public static final int VLAN_TAGGED = 2;
    /** Frames with a valid IPv4 header. */
    public static final int IPV4 = 3;
    /** Frames with a valid IPv6 header. */
    public static final int IPV6 = 4;
    /** IPv4/IPv6 fragments, first or not (offset above 0 or more-fragments set). */
    public static final int IP_FRAGMENT = 5;
    /** Fragments with an offset above 0: they carry no transport header. */
    public static final int NON_FIRST_FRAGMENT = 6;
    /** Frames with a decoded TCP header. */
    public static final int TCP = 7;
    /** Frames with a decoded UDP header. */
    public static final int UDP = 8;
    /** Frames with a decoded ICMP header. */
    public static final int ICMP = 9;
    /** Frames with a decoded ICMPv6 header. */
    public static final int ICMPV6 = 10;
    /** IP datagrams of a protocol without a decoder here (GRE, SCTP, ESP, No Next Header). */
    public static final int OTHER_IP_PROTOCOL = 11;
    /** ICMP/ICMPv6 errors whose quoted datagram was decoded ({@code quotedPresent}). */
    public static final int ICMP_ERROR_QUOTE = 12;
    /**
     * Datagrams whose IP length field was 0 and whose length was taken from the wire length:
     * segmentation-offload super-packets captured on the sending host, IPv6 jumbograms.
     */
    public static final int IP_LENGTH_FROM_WIRE = 13;
    /**
     * An IP length field larger than the frame (or than its PPPoE session payload): the datagram is
     * taken to end with the frame, as Wireshark does, and its transport is still analysed.
     */
    public static final int IP_LENGTH_CLAMPED_TO_FRAME = 14;

    /** Frames whose innermost IP packet was found inside one tunnel or more (VXLAN, GRE, MPLS, ...). */
    public static final int TUNNELLED = 15;

    /** Number of tallies; counter arrays have COUNT entries. */
    public static final int COUNT = 16;

    private static final String[] NAMES =
    {
        "frames",
        "non_ip",
        "vlan_tagged",
        "ipv4",
        "ipv6",
        "ip_fragment",
        "non_first_fragment",
        "tcp",
        "udp",
        "icmp",
        "icmpv6",
        "other_ip_protocol",
        "icmp_error_quote",
        "ip_length_from_wire",
        "ip_length_clamped_to_frame",
        "tunnelled",
    };

    private Census()
    {
    }

    /**
     * The stable name of a tally code.
     *
     * @throws IllegalArgumentException if {@code code} is not 0..{@link #COUNT} - 1
     */
    public static String name(final int code)
    {
        if (code < 0 || code >= COUNT)
        {
            throw new IllegalArgumentException("no census tally with code " + code);
        }
        return NAMES[code];
    }

    /** The code of a tally name, or -1 when there is none by that name. */
    public static int code(final String name)
    {
        for (int code = 0; code < COUNT; code++)
        {
            if (NAMES[code].equals(name))
            {
                return code;
            }
        }
        return -1;
    }
}
