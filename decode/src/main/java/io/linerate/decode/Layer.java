package io.linerate.decode;

/**
 * The layers of the decode chain, as small dense ids: what a {@link LayerDecoder} returns to say
 * which layer comes next, and what the dispatch tables of {@link DecodeCursor} hold, indexed by
 * EtherType, IP protocol number and UDP port (gopacket's {@code LayerType}; Zeek's packet-analysis
 * dispatcher keys its tables the same way).
 */
public final class Layer
{
    /** No further layer: the chain ends (cleanly unless the cursor holds an anomaly). */
    public static final int END = 0;
    public static final int ETHERNET = 1;
    public static final int LINUX_SLL = 2;
    public static final int LINUX_SLL2 = 3;
    /** BSD loopback, address family in the capturing host's byte order (LINKTYPE_NULL). */
    public static final int LOOPBACK_HOST_ORDER = 4;
    /** OpenBSD loopback, address family in network byte order (LINKTYPE_LOOP). */
    public static final int LOOPBACK_NETWORK_ORDER = 5;
    /** An IP header of either version, told by its version nibble. */
    public static final int IP_BY_VERSION = 6;
    public static final int VLAN = 7;
    public static final int MAC_IN_MAC = 8;
    public static final int LLC_SNAP = 9;
    public static final int PPPOE_SESSION = 10;
    public static final int MPLS = 11;
    public static final int IPV4 = 12;
    public static final int IPV6 = 13;
    public static final int TCP = 14;
    public static final int UDP = 15;
    public static final int ICMP = 16;
    public static final int ICMPV6 = 17;
    /** An IP payload of a protocol not decoded further (SCTP, ESP, ...): counted, then the end. */
    public static final int OTHER_IP_PROTOCOL = 18;
    /** A link layer payload that is not IP (ARP, LLDP, ...): counted, then the end. */
    public static final int NON_IP = 19;
    public static final int IP_IN_IP = 20;
    public static final int GRE = 21;
    public static final int ERSPAN = 22;
    public static final int VXLAN = 23;
    public static final int GENEVE = 24;
    public static final int GTP_U = 25;
    public static final int TEREDO = 26;
    public static final int AYIYA = 27;
    /** The IPv4 header an ICMP error quotes (RFC 792). */
    public static final int QUOTED_IPV4 = 28;
    /** The IPv6 packet an ICMPv6 error quotes (RFC 4443 §2.4(c)). */
    public static final int QUOTED_IPV6 = 29;
    public static final int QUOTED_TCP = 30;
    public static final int QUOTED_UDP = 31;
    public static final int QUOTED_ICMP = 32;
    /** A PPP frame's protocol field (RFC 1661), as PPTP's enhanced GRE carries it. */
    public static final int PPP = 33;
    /** Cisco HDLC (LINKTYPE_C_HDLC). */
    public static final int CISCO_HDLC = 34;
    /** Linux netfilter NFLOG (LINKTYPE_NFLOG). */
    public static final int NFLOG = 35;
    /** A radiotap header (LINKTYPE_IEEE802_11_RADIOTAP). */
    public static final int RADIOTAP = 36;
    /** An IEEE 802.11 MAC header (LINKTYPE_IEEE802_11, or after radiotap). */
    public static final int IEEE802_11 = 37;

    private Layer()
    {
    }

    /** True for the layers that open a tunnel inside an IP packet (never followed inside a fragment). */
    public static boolean isTunnel(final int layer)
    {
        return layer == IP_IN_IP || layer == GRE || (layer >= VXLAN && layer <= AYIYA);
    }
}
