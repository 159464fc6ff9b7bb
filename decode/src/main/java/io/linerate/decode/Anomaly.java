package io.linerate.decode;

/**
 * Stable names and codes of what can be wrong with a frame, one counter each (in the manner of
 * Zeek's "weird" names). Code 0 is {@link #NONE}; anomalies are numbered 1..{@link #COUNT}, so an
 * array of {@code COUNT + 1} counters is indexed by code directly. Codes and names never change
 * meaning; new anomalies get new codes at the end.
 *
 * <p>{@link io.linerate.ingest.ring.DecodedFrame#anomaly} holds the first anomaly found, and decoding
 * stops there except where a constant below says otherwise. What was decoded before it stays valid:
 * {@code ipVersion != 0} means the IP header passed its checks, {@code transportPresent} means the
 * transport header did, {@code quotedPresent} means an ICMP error's quote did. Consumers decide on
 * those flags, not on {@code anomaly == 0}.
 *
 * <p>Three anomalies leave the transport header usable ({@code transportPresent} stays true):
 * {@link #BAD_TCP_OPTION}, {@link #BAD_UDP_LENGTH} and the two ICMP quote anomalies
 * ({@link #TRUNCATED_ICMP_QUOTE}, {@link #BAD_ICMP_QUOTE}).
 *
 * <p>Not anomalies: a frame whose network protocol is not IP (ARP, LLDP: counted as
 * {@link Census#NON_IP}), IP fragments ({@link Census#IP_FRAGMENT}, {@link Census#NON_FIRST_FRAGMENT};
 * the slot's {@code fragment} flag says so), and IP protocols without a decoder here (GRE, SCTP, ESP:
 * {@link Census#OTHER_IP_PROTOCOL}). Those frames are well formed; a shard simply has no
 * transport header to use. Checksums are not verified: captures taken on the sending host carry
 * unfinished checksums when the NIC offloads them.
 */
public final class Anomaly
{
    /** The frame decoded without anomaly. */
    public static final int NONE = 0;
    /** The slot's link type has no decoder here. */
    public static final int UNSUPPORTED_LINK_TYPE = 1;
    /** The capture holds no bytes of the frame. */
    public static final int EMPTY_FRAME = 2;
    /** The capture record claims more captured bytes than the frame had on the wire. */
    public static final int CAPTURED_LENGTH_EXCEEDS_WIRE_LENGTH = 3;
    /** Fewer than 14 bytes for the Ethernet header. */
    public static final int TRUNCATED_ETHERNET = 4;
    /** An 802.1Q/802.1ad tag cut short. */
    public static final int TRUNCATED_VLAN = 5;
    /** Fewer than 16 bytes for the Linux cooked (SLL) header. */
    public static final int TRUNCATED_LINUX_SLL = 6;
    /** Fewer than 20 bytes for the Linux cooked v2 (SLL2) header. */
    public static final int TRUNCATED_LINUX_SLL2 = 7;
    /** Fewer than 4 bytes for the BSD/OpenBSD loopback header. */
    public static final int TRUNCATED_LOOPBACK = 8;
    /** The IP version nibble disagrees with the link layer, or is neither 4 nor 6 for raw IP. */
    public static final int BAD_IP_VERSION = 9;
    /** Fewer than 20 bytes, or fewer than IHL * 4 bytes, captured for the IPv4 header. */
    public static final int TRUNCATED_IPV4_HEADER = 10;
    /** IHL below 5 (RFC 791 §3.1: the minimum header is 5 words). */
    public static final int BAD_IP_HEADER_LENGTH = 11;
    /**
     * IPv4 total length below the header length, or an IPv4/IPv6 datagram longer than the frame was
     * on the wire.
     */
    public static final int BAD_IP_TOTAL_LENGTH = 12;
    /** Fewer than 40 bytes captured for the IPv6 header. */
    public static final int TRUNCATED_IPV6_HEADER = 13;
    /** An IPv6 extension header cut by the snap length. */
    public static final int TRUNCATED_IPV6_EXTENSION = 14;
    /** An IPv6 extension header that runs past the end of the datagram (RFC 8200 §4). */
    public static final int BAD_IPV6_EXTENSION_LENGTH = 15;
    /** The TCP header is cut by the snap length, or the datagram is shorter than 20 bytes of TCP. */
    public static final int TRUNCATED_TCP_HEADER = 16;
    /** TCP data offset below 5 or past the end of the datagram (RFC 9293 §3.1). */
    public static final int BAD_TCP_DATA_OFFSET = 17;
    /**
     * A TCP option with a length below 2, past the end of the header, or wrong for its kind.
     * The fixed header (ports, seq, ack, flags, window) and the options before it are kept and
     * {@code transportPresent} stays true: a shard can still follow the connection.
     */
    public static final int BAD_TCP_OPTION = 18;
    /** Fewer than 8 bytes for the UDP header. */
    public static final int TRUNCATED_UDP_HEADER = 19;
    /**
     * UDP length below 8 or past the end of an unfragmented datagram (RFC 768). Ports are kept,
     * {@code transportPresent} stays true and the payload length falls back to the IP payload.
     */
    public static final int BAD_UDP_LENGTH = 20;
    /** Fewer than 8 bytes for the ICMP or ICMPv6 header. */
    public static final int TRUNCATED_ICMP = 21;
    /**
     * An ICMP/ICMPv6 error whose quote (RFC 792, RFC 4443 §2.4(c)) is too short for the original IP
     * header and the transport ports. Type and code are kept; {@code quotedPresent} is false.
     */
    public static final int TRUNCATED_ICMP_QUOTE = 22;
    /** An ICMP/ICMPv6 error whose quote is not an IP header of the right version or length. */
    public static final int BAD_ICMP_QUOTE = 23;

    /** Fewer than 8 bytes for a PPPoE session header and its PPP protocol field. */
    public static final int TRUNCATED_PPPOE = 24;
    /** An MPLS label stack cut before its bottom-of-stack entry. */
    public static final int TRUNCATED_MPLS = 25;

    /** More tunnels inside one another than the decoder follows (the tunnel depth setting). */
    public static final int TUNNEL_TOO_DEEP = 26;
    /** A tunnel inside the same tunnel (same type, identifier and endpoints): a packet that loops. */
    public static final int TUNNEL_LOOP = 27;
    /** A radiotap header or an 802.11 MAC header cut short, or a radiotap length past the frame. */
    public static final int TRUNCATED_IEEE80211 = 28;

    /** Number of anomalies; codes run 1..COUNT, counter arrays have COUNT + 1 entries. */
    public static final int COUNT = 28;

    private static final String[] NAMES =
    {
        "none",
        "unsupported_link_type",
        "empty_frame",
        "captured_length_exceeds_wire_length",
        "truncated_ethernet",
        "truncated_vlan",
        "truncated_linux_sll",
        "truncated_linux_sll2",
        "truncated_loopback",
        "bad_ip_version",
        "truncated_ipv4_header",
        "bad_ip_header_length",
        "bad_ip_total_length",
        "truncated_ipv6_header",
        "truncated_ipv6_extension",
        "bad_ipv6_extension_length",
        "truncated_tcp_header",
        "bad_tcp_data_offset",
        "bad_tcp_option",
        "truncated_udp_header",
        "bad_udp_length",
        "truncated_icmp",
        "truncated_icmp_quote",
        "bad_icmp_quote",
        "truncated_pppoe",
        "truncated_mpls",
        "tunnel_too_deep",
        "tunnel_loop",
        "truncated_ieee80211",
    };

    private Anomaly()
    {
    }

    /**
     * The stable name of an anomaly code ({@code "none"} for 0).
     *
     * @throws IllegalArgumentException if {@code code} is not 0..{@link #COUNT}
     */
    public static String name(final int code)
    {
        if (code < 0 || code > COUNT)
        {
            throw new IllegalArgumentException("no anomaly with code " + code);
        }
        return NAMES[code];
    }

    /** The code of an anomaly name, or -1 when there is none by that name. */
    public static int code(final String name)
    {
        for (int code = 0; code <= COUNT; code++)
        {
            if (NAMES[code].equals(name))
            {
                return code;
            }
        }
        return -1;
    }
}
