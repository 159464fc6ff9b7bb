package io.linerate.decode;

/**
 * The LINKTYPE_* values of the pcap and pcapng link-layer header type registry
 * (https://www.tcpdump.org/linktypes.html) that {@link PacketDecoder} decodes.
 */
public final class LinkType
{
    /** BSD loopback: a 4-byte address family in the capturing machine's byte order. */
    public static final int NULL = 0;
    /** IEEE 802.3 Ethernet (and 802.1Q/802.1ad tagged frames). */
    public static final int ETHERNET = 1;
    /** PPP (RFC 1661), optionally with HDLC-like framing's address and control fields (RFC 1662). */
    public static final int PPP = 9;
    /** DLT_RAW as written by some old tools on most platforms: the frame starts with an IP header. */
    public static final int RAW_DLT_12 = 12;
    /** DLT_RAW as written by some old OpenBSD tools: the frame starts with an IP header. */
    public static final int RAW_DLT_14 = 14;
    /** Raw IP, version from the first nibble. */
    public static final int RAW = 101;
    /** Cisco HDLC: address, control and an EtherType. */
    public static final int C_HDLC = 104;
    /** IEEE 802.11 (Wi-Fi) frames, no radio header. */
    public static final int IEEE802_11 = 105;
    /** OpenBSD loopback: a 4-byte address family in network byte order. */
    public static final int LOOP = 108;
    /** Radiotap header (what a card in monitor mode says of the radio), then an IEEE 802.11 frame. */
    public static final int IEEE802_11_RADIOTAP = 127;
    /** Linux "cooked" capture, version 1 (16-byte header). */
    public static final int LINUX_SLL = 113;
    /** Raw IPv4, no link header. */
    public static final int IPV4 = 228;
    /** Raw IPv6, no link header. */
    public static final int IPV6 = 229;
    /** Linux netfilter NFLOG: a header, then TLVs, one of them the packet. */
    public static final int NFLOG = 239;
    /** Linux "cooked" capture, version 2 (20-byte header). */
    public static final int LINUX_SLL2 = 276;

    private LinkType()
    {
    }
}
