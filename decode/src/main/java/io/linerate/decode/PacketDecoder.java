package io.linerate.decode;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ethernet.EthernetHeaderFlyweight;
import io.linerate.decode.ethernet.VlanTagFlyweight;
import io.linerate.decode.http.HttpFirstLineFlyweight;
import io.linerate.decode.icmp.IcmpHeaderFlyweight;
import io.linerate.decode.icmp.IcmpType;
import io.linerate.decode.icmp.Icmpv6Type;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.ip.Ipv4HeaderFlyweight;
import io.linerate.decode.ip.Ipv6ExtensionHeaderChain;
import io.linerate.decode.ip.Ipv6HeaderFlyweight;
import io.linerate.decode.loopback.AddressFamily;
import io.linerate.decode.loopback.LoopbackHeaderFlyweight;
import io.linerate.decode.mpls.MplsLabelFlyweight;
import io.linerate.decode.pppoe.PppoeSessionHeaderFlyweight;
import io.linerate.decode.sll.ArpHardwareType;
import io.linerate.decode.sll.LinuxSll2HeaderFlyweight;
import io.linerate.decode.sll.LinuxSllHeaderFlyweight;
import io.linerate.decode.tcp.TcpHeaderFlyweight;
import io.linerate.decode.tls.TlsHelloFlyweight;
import io.linerate.decode.udp.UdpHeaderFlyweight;
import io.linerate.ingest.ring.FrameSlot;

/**
 * Decodes the header chain of one captured frame (link, network, transport) into the decoded fields
 * of its ring slot, through preallocated flyweights: nothing is allocated per frame.
 *
 * <p>One instance per decoder thread, reused for every frame. The chain starts at the slot's link
 * type (LINKTYPE_ETHERNET with 802.1Q/802.1ad/QinQ tags, PPPoE sessions, MPLS label stacks, 802.3
 * LLC/SNAP and MAC-in-MAC (802.1ah PBB, Cisco FabricPath); LINUX_SLL, LINUX_SLL2, NULL, LOOP, RAW
 * and its old values 12 and 14, IPV4, IPV6), goes through IPv4 or IPv6 (with its extension header chain)
 * and ends with TCP, UDP, ICMP or ICMPv6. Each step dispatches through a dense table indexed by the
 * link type or the IP protocol number.
 *
 * <h2>What the slot holds afterwards</h2>
 * <ul>
 * <li>{@code anomaly}: the first {@link Anomaly} found, 0 when none. A frame that is well formed but
 *     not something this decoder follows (ARP, GRE, a non-first fragment) has no anomaly; the
 *     {@link Census} tallies count those.</li>
 * <li>{@code vlans}/{@code vlanCount}: VLAN ids outermost first (the 802.1ad S-tag, then the C-tag).</li>
 * <li>{@code networkOffset}: where the IP header starts, set as soon as the link layer points at one,
 *     even if the IP header then fails its checks; -1 when there is none.</li>
 * <li>{@code ipVersion}, {@code ttl} (hop limit for IPv6), the addresses, {@code ipProtocol} and
 *     {@code fragment}: set only when the IP header passed its checks; {@code ipVersion == 0} means
 *     no usable IP header. {@code ipProtocol} is the upper-layer protocol after any IPv6 extension
 *     headers (50 for ESP, 59 for No Next Header); for a non-first fragment it is the protocol of
 *     the datagram, although no transport header is in this frame.</li>
 * <li>{@code ipId}, {@code fragmentOffset} (in bytes) and {@code moreFragments}: the IPv4 header's
 *     (every IPv4 frame) or the IPv6 Fragment header's (an atomic fragment's too); {@code ipId} is
 *     -1 for IPv6 without a Fragment header. For a fragment, {@code fragmentPayloadOffset} and
 *     {@code fragmentPayloadLength} say which bytes of the original datagram's payload it carries
 *     (after the IPv4 header, RFC 791 §3.2; after the Fragment header, RFC 8200 §4.5), so the flow
 *     shards can reassemble it.</li>
 * <li>{@code transportOffset}: first byte after the IP header (and extension headers) when the frame
 *     holds the start of the datagram's payload; -1 for non-first fragments.</li>
 * <li>{@code transportPresent} and the transport fields: set when a TCP, UDP, ICMP or ICMPv6
 *     header passed its checks (see {@link Anomaly} for the three anomalies that leave it true). A
 *     first fragment that ends inside its TCP or UDP header (a tiny fragment, RFC 1858 §3) has no
 *     transport header and no anomaly: the header is whole only after reassembly.</li>
 * <li>{@code payloadOffset}/{@code payloadLength}: the TCP or UDP payload; the message body after
 *     the 8-byte ICMP/ICMPv6 header; for other protocols and non-first fragments, the IP payload
 *     after all IP headers. The length comes from the IP, TCP and UDP length fields, not from the
 *     snap length, so fewer bytes may be captured; in a first fragment it is the part of the
 *     payload this fragment carries.</li>
 * </ul>
 *
 * <h2>Lengths</h2>
 * An IP datagram's extent is taken from its length field (Ethernet padding is not payload). An IPv4
 * total length of 0, or an IPv6 payload length of 0 with a next header other than No Next Header,
 * is what captures of segmentation-offload super-packets on the sending host show (and what an IPv6
 * jumbogram carries, RFC 2675 §3): the length is then taken from the frame's wire length, as
 * Wireshark does, and {@link Census#IP_LENGTH_FROM_WIRE} counts it. A datagram whose length field
 * runs past the frame's wire length (or past its PPPoE session payload) is taken to end with the
 * frame, as Wireshark does, and {@link Census#IP_LENGTH_CLAMPED_TO_FRAME} counts it; a length below
 * the header's own is {@link Anomaly#BAD_IP_TOTAL_LENGTH}.
 *
 * <h2>Flow hash and ICMP keys</h2>
 * For every frame with a usable IP header, {@code flowHash} is {@link FlowHash#hash} of
 * (ipProtocol, source address and port, destination address and port): the same value for both
 * directions, non-negative, well spread for {@code flowHash % M}. Frames without IP get 0. Ports are
 * 0 when the protocol has none or the transport header is absent. ICMP and ICMPv6 messages have no
 * ports: {@code srcPort}/{@code dstPort} stay 0, except for echo request and reply (ICMP 8/0, ICMPv6
 * 128/129), where both hold the echo identifier, so each ping session is one flow with the same
 * hash in both directions.
 *
 * <p>An ICMP/ICMPv6 error whose quote was decoded ({@code quotedPresent}) is hashed on the QUOTED
 * flow (quotedProtocol, quoted addresses and ports, keyed as the quoted packet itself would be), not
 * on its own addresses: a "port unreachable" for a SYN lands on the shard of that connection, where
 * the verdict {@code icmp_unreachable} is made. A quote that cannot be decoded leaves the error on
 * the hash of its own ICMP flow.
 *
 * <h2>Counters</h2>
 * {@link #anomalyCounts()} ({@code Anomaly.COUNT + 1} entries, index 0 = frames without anomaly) and
 * {@link #censusCounts()} ({@code Census.COUNT} entries) are plain arrays written only by the thread
 * that decodes. Another thread may read them for metrics: values can be a little stale, and a
 * 64-bit JVM does not tear them.
 */
public final class PacketDecoder
{
    private static final byte LINK_UNSUPPORTED = 0;
    private static final byte LINK_ETHERNET = 1;
    private static final byte LINK_LINUX_SLL = 2;
    private static final byte LINK_LINUX_SLL2 = 3;
    private static final byte LINK_NULL = 4;
    private static final byte LINK_LOOP = 5;
    private static final byte LINK_RAW = 6;
    private static final byte LINK_IPV4 = 7;
    private static final byte LINK_IPV6 = 8;

    /** First layer of the chain, indexed by LINKTYPE. */
    private static final byte[] LINK_LAYER_BY_LINK_TYPE = new byte[LinkType.LINUX_SLL2 + 1];

    private static final byte TRANSPORT_OTHER = 0;
    private static final byte TRANSPORT_TCP = 1;
    private static final byte TRANSPORT_UDP = 2;
    private static final byte TRANSPORT_ICMP = 3;
    private static final byte TRANSPORT_ICMPV6 = 4;

    /** Transport decoder, indexed by IP protocol number. */
    private static final byte[] TRANSPORT_BY_PROTOCOL = new byte[256];

    /** Largest IPv6 payload without the Jumbo Payload option (RFC 2675). */
    private static final int MAX_IPV6_PAYLOAD_LENGTH = 0xFFFF;
    /** Bytes of a quoted TCP/UDP header that hold the ports. */
    private static final int QUOTED_PORTS_LENGTH = 4;
    /** Bytes of a quoted TCP header up to the end of the flags (many stacks quote more than 8 bytes). */
    private static final int QUOTED_FLAGS_END = 14;
    /** Bytes of a quoted TCP header up to the end of the sequence number (RFC 792's 64 bits). */
    private static final int QUOTED_SEQUENCE_END = 8;

    static
    {
        LINK_LAYER_BY_LINK_TYPE[LinkType.NULL] = LINK_NULL;
        LINK_LAYER_BY_LINK_TYPE[LinkType.ETHERNET] = LINK_ETHERNET;
        LINK_LAYER_BY_LINK_TYPE[LinkType.RAW_DLT_12] = LINK_RAW;
        LINK_LAYER_BY_LINK_TYPE[LinkType.RAW_DLT_14] = LINK_RAW;
        LINK_LAYER_BY_LINK_TYPE[LinkType.RAW] = LINK_RAW;
        LINK_LAYER_BY_LINK_TYPE[LinkType.LOOP] = LINK_LOOP;
        LINK_LAYER_BY_LINK_TYPE[LinkType.LINUX_SLL] = LINK_LINUX_SLL;
        LINK_LAYER_BY_LINK_TYPE[LinkType.IPV4] = LINK_IPV4;
        LINK_LAYER_BY_LINK_TYPE[LinkType.IPV6] = LINK_IPV6;
        LINK_LAYER_BY_LINK_TYPE[LinkType.LINUX_SLL2] = LINK_LINUX_SLL2;

        TRANSPORT_BY_PROTOCOL[IpProtocol.TCP] = TRANSPORT_TCP;
        TRANSPORT_BY_PROTOCOL[IpProtocol.UDP] = TRANSPORT_UDP;
        TRANSPORT_BY_PROTOCOL[IpProtocol.ICMP] = TRANSPORT_ICMP;
        TRANSPORT_BY_PROTOCOL[IpProtocol.ICMPV6] = TRANSPORT_ICMPV6;
    }

    private final long[] anomalyCounts = new long[Anomaly.COUNT + 1];
    private final long[] censusCounts = new long[Census.COUNT];

    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();
    private final VlanTagFlyweight vlanTag = new VlanTagFlyweight();
    private final LinuxSllHeaderFlyweight linuxSll = new LinuxSllHeaderFlyweight();
    private final LinuxSll2HeaderFlyweight linuxSll2 = new LinuxSll2HeaderFlyweight();
    private final LoopbackHeaderFlyweight loopback = new LoopbackHeaderFlyweight();
    private final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight();
    private final Ipv6HeaderFlyweight ipv6 = new Ipv6HeaderFlyweight();
    private final Ipv6ExtensionHeaderChain ipv6Extensions = new Ipv6ExtensionHeaderChain();
    private final TcpHeaderFlyweight tcp = new TcpHeaderFlyweight();
    private final UdpHeaderFlyweight udp = new UdpHeaderFlyweight();
    private final IcmpHeaderFlyweight icmp = new IcmpHeaderFlyweight();

    /** Destination and source MAC addresses of an inner Ethernet frame. */
    private static final int INNER_MAC_ADDRESSES_LENGTH = 12;
    private static final int ETHERNET_FCS_LENGTH = 4;
    /** A TCP header through its window field: enough to put a segment on its connection. */
    private static final int TCP_BYTES_THROUGH_WINDOW = 16;
    /** LLC DSAP and SSAP 0xAA: a SNAP header follows (IEEE 802-2014 section 10.3). */
    private static final int LLC_SNAP_SAPS = 0xAAAA;
    /** LLC control field of unnumbered information frames. */
    private static final int LLC_UNNUMBERED_INFORMATION = 0x03;
    /** LLC (3 bytes) plus SNAP OUI (3) and EtherType (2). */
    private static final int SNAP_HEADER_LENGTH = 8;

    private final PppoeSessionHeaderFlyweight pppoe = new PppoeSessionHeaderFlyweight();
    private final HttpFirstLineFlyweight http = new HttpFirstLineFlyweight();
    private final TlsHelloFlyweight tls = new TlsHelloFlyweight();
    /** TLS record content types: change_cipher_spec (20) to application_data (23). */
    private static final int TLS_CONTENT_TYPE_MIN = 20;
    private static final int TLS_CONTENT_TYPE_MAX = 23;
    private final MplsLabelFlyweight mpls = new MplsLabelFlyweight();
    private final Ipv4HeaderFlyweight quotedIpv4 = new Ipv4HeaderFlyweight();
    private final Ipv6HeaderFlyweight quotedIpv6 = new Ipv6HeaderFlyweight();
    private final Ipv6ExtensionHeaderChain quotedIpv6Extensions = new Ipv6ExtensionHeaderChain();
    private final TcpHeaderFlyweight quotedTcp = new TcpHeaderFlyweight();
    private final UdpHeaderFlyweight quotedUdp = new UdpHeaderFlyweight();
    private final IcmpHeaderFlyweight quotedIcmp = new IcmpHeaderFlyweight();

    // The frame being decoded.
    private byte[] buffer;
    private int captureEnd;
    private int wireEnd;

    // Transport fields of the quoted datagram, written to the slot once the whole quote decoded.
    private int quotedSourcePort;
    private int quotedDestinationPort;
    private long quotedSequence;
    private int quotedTransportBytes;
    private int quotedFlags;

    /**
     * Decodes the frame in {@code slot}: clears the decoded fields, fills the ones found, sets
     * {@code slot.anomaly} and {@code slot.flowHash}, and counts the outcome.
     *
     * @param slot a slot whose capture fields ({@code data}, {@code captureLength},
     *             {@code wireLength}, {@code linkType}) the reader has filled
     * @return the anomaly code written to {@code slot.anomaly}, {@link Anomaly#NONE} when clean
     */
    public int decode(final FrameSlot slot)
    {
        slot.clearDecoded();
        censusCounts[Census.FRAMES]++;

        final int anomaly = decodeFrame(slot);

        if (slot.ipVersion != 0)
        {
            slot.flowHash = slot.quotedPresent ?
                FlowHash.hash(
                    slot.quotedProtocol,
                    slot.quotedSrcHi, slot.quotedSrcLo, slot.quotedSrcPort,
                    slot.quotedDstHi, slot.quotedDstLo, slot.quotedDstPort) :
                FlowHash.hash(
                    slot.ipProtocol,
                    slot.srcHi, slot.srcLo, slot.srcPort,
                    slot.dstHi, slot.dstLo, slot.dstPort);
        }
        slot.anomaly = anomaly;
        anomalyCounts[anomaly]++;
        buffer = null;
        return anomaly;
    }

    /** True when frames of this LINKTYPE_ value are decoded (not counted as unsupported_link_type). */
    public static boolean supportsLinkType(final int linkType)
    {
        return linkType >= 0 && linkType < LINK_LAYER_BY_LINK_TYPE.length &&
            LINK_LAYER_BY_LINK_TYPE[linkType] != LINK_UNSUPPORTED;
    }

    /**
     * Frames seen per anomaly code: index 0 counts frames without anomaly, index {@code c} those
     * with anomaly {@code c}. The live array, written by the decoding thread only.
     */
    public long[] anomalyCounts()
    {
        return anomalyCounts;
    }

    /** Tallies per {@link Census} code. The live array, written by the decoding thread only. */
    public long[] censusCounts()
    {
        return censusCounts;
    }

    private int decodeFrame(final FrameSlot slot)
    {
        final int linkType = slot.linkType;
        final int linkLayer = linkType >= 0 && linkType < LINK_LAYER_BY_LINK_TYPE.length ?
            LINK_LAYER_BY_LINK_TYPE[linkType] : LINK_UNSUPPORTED;
        if (linkLayer == LINK_UNSUPPORTED)
        {
            return Anomaly.UNSUPPORTED_LINK_TYPE;
        }

        final byte[] data = slot.data;
        // The reader keeps captureLength within data; clamping keeps a broken slot from throwing.
        final int captureLength = Math.max(0, Math.min(slot.captureLength, data.length));
        if (captureLength == 0)
        {
            return Anomaly.EMPTY_FRAME;
        }
        if (slot.captureLength > slot.wireLength)
        {
            return Anomaly.CAPTURED_LENGTH_EXCEEDS_WIRE_LENGTH;
        }
        buffer = data;
        captureEnd = captureLength;
        wireEnd = slot.wireLength;

        switch (linkLayer)
        {
            case LINK_ETHERNET:
                return decodeEthernet(slot);
            case LINK_LINUX_SLL:
                return decodeLinuxSll(slot);
            case LINK_LINUX_SLL2:
                return decodeLinuxSll2(slot);
            case LINK_NULL:
                return decodeLoopback(slot, true);
            case LINK_LOOP:
                return decodeLoopback(slot, false);
            case LINK_RAW:
                return decodeRawIp(slot, 0);
            case LINK_IPV4:
                return decodeIpv4(slot, 0);
            case LINK_IPV6:
                return decodeIpv6(slot, 0);
            default:
                return Anomaly.UNSUPPORTED_LINK_TYPE;
        }
    }

    // ---- link layers ------------------------------------------------------------------------

    private int decodeEthernet(final FrameSlot slot)
    {
        if (captureEnd < EthernetHeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_ETHERNET;
        }
        ethernet.wrap(buffer, 0, captureEnd);
        return decodeEtherType(slot, ethernet.etherType(), EthernetHeaderFlyweight.HEADER_LENGTH);
    }

    private int decodeLinuxSll(final FrameSlot slot)
    {
        if (captureEnd < LinuxSllHeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_LINUX_SLL;
        }
        linuxSll.wrap(buffer, 0, captureEnd);
        if (linuxSll.arpHardwareType() == ArpHardwareType.NETLINK)
        {
            return nonIp();
        }
        return decodeEtherType(slot, linuxSll.protocol(), LinuxSllHeaderFlyweight.HEADER_LENGTH);
    }

    private int decodeLinuxSll2(final FrameSlot slot)
    {
        if (captureEnd < LinuxSll2HeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_LINUX_SLL2;
        }
        linuxSll2.wrap(buffer, 0, captureEnd);
        if (linuxSll2.arpHardwareType() == ArpHardwareType.NETLINK)
        {
            return nonIp();
        }
        return decodeEtherType(slot, linuxSll2.protocol(), LinuxSll2HeaderFlyweight.HEADER_LENGTH);
    }

    private int decodeLoopback(final FrameSlot slot, final boolean capturingHostOrder)
    {
        if (captureEnd < LoopbackHeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_LOOPBACK;
        }
        loopback.wrap(buffer, 0, captureEnd);
        final int family = capturingHostOrder ?
            loopback.familyInCapturingHostOrder() : loopback.familyInNetworkOrder();
        if (family == AddressFamily.INET)
        {
            return decodeIpv4(slot, LoopbackHeaderFlyweight.HEADER_LENGTH);
        }
        if (AddressFamily.isInet6(family))
        {
            return decodeIpv6(slot, LoopbackHeaderFlyweight.HEADER_LENGTH);
        }
        return nonIp();
    }

    /**
     * Follows an EtherType (from Ethernet or a cooked header) through any VLAN tags to the network
     * layer. Deeper tag stacks than {@link FrameSlot#MAX_VLANS} are stepped over and counted.
     */
    private int decodeEtherType(final FrameSlot slot, final int firstEtherType, final int firstOffset)
    {
        int etherType = firstEtherType;
        int offset = firstOffset;
        while (EtherType.isVlanTag(etherType) || EtherType.isMacInMac(etherType))
        {
            if (EtherType.isMacInMac(etherType))
            {
                // Provider backbone bridging (IEEE 802.1ah I-TAG) and Cisco FabricPath carry a whole
                // customer Ethernet frame: step over their header and the inner MAC addresses.
                final int inner = offset + EtherType.macInMacHeaderLength(etherType) + INNER_MAC_ADDRESSES_LENGTH;
                if (etherType == EtherType.FABRICPATH)
                {
                    // A FabricPath frame ends with the inner frame's FCS (as Wireshark reads it).
                    wireEnd = Math.max(inner, wireEnd - ETHERNET_FCS_LENGTH);
                    captureEnd = Math.min(captureEnd, wireEnd);
                }
                if (captureEnd - inner < 2)
                {
                    return Anomaly.TRUNCATED_ETHERNET;
                }
                etherType = NetworkOrder.uint16(buffer, inner);
                offset = inner + 2;
                continue;
            }
            if (captureEnd - offset < VlanTagFlyweight.LENGTH)
            {
                return Anomaly.TRUNCATED_VLAN;
            }
            vlanTag.wrap(buffer, offset, captureEnd - offset);
            if (slot.vlanCount < FrameSlot.MAX_VLANS)
            {
                slot.vlans[slot.vlanCount] = vlanTag.vlanId();
            }
            slot.vlanCount++;
            etherType = vlanTag.encapsulatedEtherType();
            offset += VlanTagFlyweight.LENGTH;
        }
        if (slot.vlanCount > 0)
        {
            censusCounts[Census.VLAN_TAGGED]++;
        }

        if (etherType < EtherType.MIN_ETHERTYPE)
        {
            // IEEE 802.3 length field: IP is carried in an LLC/SNAP header (RFC 1042) with OUI 0.
            if (captureEnd - offset < SNAP_HEADER_LENGTH || NetworkOrder.uint16(buffer, offset) != LLC_SNAP_SAPS ||
                NetworkOrder.uint8(buffer, offset + 2) != LLC_UNNUMBERED_INFORMATION ||
                (NetworkOrder.uint32(buffer, offset + 2) & 0xFFFFFF) != 0)
            {
                return nonIp();
            }
            etherType = NetworkOrder.uint16(buffer, offset + SNAP_HEADER_LENGTH - 2);
            offset += SNAP_HEADER_LENGTH;
        }

        switch (etherType)
        {
            case EtherType.IPV4:
                return decodeIpv4(slot, offset);
            case EtherType.IPV6:
                return decodeIpv6(slot, offset);
            case PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION:
                return decodePppoeSession(slot, offset);
            case MplsLabelFlyweight.ETHER_TYPE_UNICAST:
            case MplsLabelFlyweight.ETHER_TYPE_MULTICAST:
                return decodeMpls(slot, offset);
            default:
                return nonIp();
        }
    }

    /** PPPoE session stage (RFC 2516): IPv4 or IPv6 in PPP; control protocols (LCP, IPCP) are not IP. */
    private int decodePppoeSession(final FrameSlot slot, final int offset)
    {
        if (captureEnd - offset < PppoeSessionHeaderFlyweight.LENGTH)
        {
            return Anomaly.TRUNCATED_PPPOE;
        }
        pppoe.wrap(buffer, offset, captureEnd - offset);
        // The session payload ends where the PPPoE length says; what follows is Ethernet padding.
        final int sessionEnd = offset + PppoeSessionHeaderFlyweight.PPP_PROTOCOL_OFFSET + pppoe.payloadLength();
        wireEnd = Math.min(wireEnd, sessionEnd);
        captureEnd = Math.min(captureEnd, sessionEnd);
        switch (pppoe.pppProtocol())
        {
            case PppoeSessionHeaderFlyweight.PPP_IPV4:
                return decodeIpv4(slot, offset + PppoeSessionHeaderFlyweight.LENGTH);
            case PppoeSessionHeaderFlyweight.PPP_IPV6:
                return decodeIpv6(slot, offset + PppoeSessionHeaderFlyweight.LENGTH);
            default:
                return nonIp();
        }
    }

    /**
     * An MPLS label stack (RFC 3032): labels are stepped over to the bottom of the stack; the payload
     * is IP when its version nibble says 4 or 6 (RFC 4385 section 2: a pseudowire control word starts
     * with 0, so it is never taken for IP).
     */
    private int decodeMpls(final FrameSlot slot, final int firstOffset)
    {
        int offset = firstOffset;
        while (true)
        {
            if (captureEnd - offset < MplsLabelFlyweight.LENGTH)
            {
                return Anomaly.TRUNCATED_MPLS;
            }
            mpls.wrap(buffer, offset, captureEnd - offset);
            offset += MplsLabelFlyweight.LENGTH;
            if (mpls.bottomOfStack())
            {
                break;
            }
        }
        if (captureEnd - offset < 1)
        {
            return Anomaly.TRUNCATED_MPLS;
        }
        switch (versionAt(offset))
        {
            case Ipv4HeaderFlyweight.VERSION:
                return decodeIpv4(slot, offset);
            case Ipv6HeaderFlyweight.VERSION:
                return decodeIpv6(slot, offset);
            default:
                return nonIp();
        }
    }

    /** The IP version nibble of the byte at {@code offset} (common to IPv4 and IPv6). */
    private int versionAt(final int offset)
    {
        return NetworkOrder.uint8(buffer, offset) >>> 4;
    }

    private int nonIp()
    {
        censusCounts[Census.NON_IP]++;
        return Anomaly.NONE;
    }

    // ---- network layers ---------------------------------------------------------------------

    private int decodeRawIp(final FrameSlot slot, final int offset)
    {
        final int version = versionAt(offset);
        if (version == Ipv4HeaderFlyweight.VERSION)
        {
            return decodeIpv4(slot, offset);
        }
        if (version == Ipv6HeaderFlyweight.VERSION)
        {
            return decodeIpv6(slot, offset);
        }
        slot.networkOffset = offset;
        return Anomaly.BAD_IP_VERSION;
    }

    private int decodeIpv4(final FrameSlot slot, final int offset)
    {
        slot.networkOffset = offset;
        final int captured = captureEnd - offset;
        // The version nibble first: a packet of the other version is that, not a short header.
        if (captured > 0 && versionAt(offset) != Ipv4HeaderFlyweight.VERSION)
        {
            return Anomaly.BAD_IP_VERSION;
        }
        if (captured < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_IPV4_HEADER;
        }
        final Ipv4HeaderFlyweight ipv4 = this.ipv4.wrap(buffer, offset, captured);
        final int headerLength = ipv4.headerLength();
        if (headerLength < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            // RFC 791 §3.1: "the minimum value for a correct header is 5".
            return Anomaly.BAD_IP_HEADER_LENGTH;
        }
        final int onWire = wireEnd - offset;
        int totalLength = ipv4.totalLength();
        if (totalLength == 0)
        {
            // Offload super-packet captured before segmentation: the wire length is the datagram's.
            totalLength = onWire;
            censusCounts[Census.IP_LENGTH_FROM_WIRE]++;
        }
        if (totalLength > onWire)
        {
            // The frame ends before the length field says: what is there is still the datagram
            // (Wireshark clamps it the same way and goes on).
            totalLength = onWire;
            censusCounts[Census.IP_LENGTH_CLAMPED_TO_FRAME]++;
        }
        if (totalLength < headerLength)
        {
            return Anomaly.BAD_IP_TOTAL_LENGTH;
        }
        if (headerLength > captured)
        {
            return Anomaly.TRUNCATED_IPV4_HEADER;
        }

        final int protocol = ipv4.protocol();
        final int fragmentOffset = ipv4.fragmentOffset();
        slot.ipVersion = Ipv4HeaderFlyweight.VERSION;
        slot.ttl = ipv4.ttl();
        slot.srcLo = ipv4.sourceAddress();
        slot.dstLo = ipv4.destinationAddress();
        slot.ipId = ipv4.identification();
        slot.fragmentOffset = fragmentOffset;
        slot.moreFragments = ipv4.moreFragments();
        slot.fragment = fragmentOffset != 0 || slot.moreFragments;
        censusCounts[Census.IPV4]++;

        final int payloadOffset = offset + headerLength;
        final int payloadLength = totalLength - headerLength;
        if (slot.fragment)
        {
            // RFC 791 §3.2: the fragment offset counts from the end of the IP header.
            censusCounts[Census.IP_FRAGMENT]++;
            slot.fragmentPayloadOffset = payloadOffset;
            slot.fragmentPayloadLength = payloadLength;
            if (fragmentOffset != 0)
            {
                return nonFirstFragment(slot, protocol, payloadOffset, payloadLength);
            }
        }
        return decodeTransport(slot, protocol, payloadOffset, payloadLength);
    }

    private int decodeIpv6(final FrameSlot slot, final int offset)
    {
        slot.networkOffset = offset;
        final int captured = captureEnd - offset;
        if (captured > 0 && versionAt(offset) != Ipv6HeaderFlyweight.VERSION)
        {
            return Anomaly.BAD_IP_VERSION;
        }
        if (captured < Ipv6HeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_IPV6_HEADER;
        }
        final Ipv6HeaderFlyweight ipv6 = this.ipv6.wrap(buffer, offset, captured);
        final int nextHeader = ipv6.nextHeader();
        final int onWire = wireEnd - offset;
        int payloadLength = ipv6.payloadLength();
        if (payloadLength == 0 && nextHeader != IpProtocol.NO_NEXT_HEADER)
        {
            // Jumbogram (RFC 2675 §3) or offload super-packet: the wire length is the datagram's.
            payloadLength = onWire - Ipv6HeaderFlyweight.HEADER_LENGTH;
            censusCounts[Census.IP_LENGTH_FROM_WIRE]++;
        }
        else if (Ipv6HeaderFlyweight.HEADER_LENGTH + payloadLength > onWire)
        {
            if (onWire < Ipv6HeaderFlyweight.HEADER_LENGTH)
            {
                return Anomaly.BAD_IP_TOTAL_LENGTH;
            }
            payloadLength = onWire - Ipv6HeaderFlyweight.HEADER_LENGTH;
            censusCounts[Census.IP_LENGTH_CLAMPED_TO_FRAME]++;
        }

        slot.ipVersion = Ipv6HeaderFlyweight.VERSION;
        slot.ttl = ipv6.hopLimit();
        slot.srcHi = ipv6.sourceAddressHigh();
        slot.srcLo = ipv6.sourceAddressLow();
        slot.dstHi = ipv6.destinationAddressHigh();
        slot.dstLo = ipv6.destinationAddressLow();
        censusCounts[Census.IPV6]++;

        final int datagramEnd = offset + Ipv6HeaderFlyweight.HEADER_LENGTH + payloadLength;
        final Ipv6ExtensionHeaderChain chain = ipv6Extensions;
        final int status = chain.walk(
            buffer, offset + Ipv6HeaderFlyweight.HEADER_LENGTH, nextHeader, captureEnd, datagramEnd);
        final int fragmentableOffset = chain.fragmentableOffset();
        if (fragmentableOffset >= 0)
        {
            slot.ipId = chain.identification();
            slot.fragmentOffset = chain.fragmentOffset();
            slot.moreFragments = chain.moreFragments();
        }
        if (chain.fragment())
        {
            // RFC 8200 §4.5: the fragment offset counts from the start of the Fragmentable Part.
            slot.fragment = true;
            slot.fragmentPayloadOffset = fragmentableOffset;
            slot.fragmentPayloadLength = datagramEnd - fragmentableOffset;
            censusCounts[Census.IP_FRAGMENT]++;
        }
        if (status != Anomaly.NONE)
        {
            return status;
        }

        final int upperLayerOffset = chain.upperLayerOffset();
        if (chain.nonFirstFragment())
        {
            return nonFirstFragment(slot, chain.protocol(), upperLayerOffset, datagramEnd - upperLayerOffset);
        }
        return decodeTransport(slot, chain.protocol(), upperLayerOffset, datagramEnd - upperLayerOffset);
    }

    /** A fragment with an offset: the bytes are the middle of a payload, no transport header. */
    private int nonFirstFragment(
        final FrameSlot slot, final int protocol, final int payloadOffset, final int payloadLength)
    {
        censusCounts[Census.NON_FIRST_FRAGMENT]++;
        slot.ipProtocol = protocol;
        slot.payloadOffset = payloadOffset;
        slot.payloadLength = payloadLength;
        return Anomaly.NONE;
    }

    // ---- transport layers -------------------------------------------------------------------

    /**
     * Decodes the header that starts the IP payload.
     *
     * @param offset          first byte after the IP headers
     * @param ipPayloadLength bytes of IP payload by the IP length fields (in this fragment)
     */
    private int decodeTransport(final FrameSlot slot, final int protocol, final int offset, final int ipPayloadLength)
    {
        slot.ipProtocol = protocol;
        slot.transportOffset = offset;
        switch (TRANSPORT_BY_PROTOCOL[protocol])
        {
            case TRANSPORT_TCP:
                return decodeTcp(slot, offset, ipPayloadLength);
            case TRANSPORT_UDP:
                return decodeUdp(slot, offset, ipPayloadLength);
            case TRANSPORT_ICMP:
                if (slot.ipVersion == Ipv4HeaderFlyweight.VERSION)
                {
                    return decodeIcmp(slot, offset, ipPayloadLength);
                }
                break;
            case TRANSPORT_ICMPV6:
                if (slot.ipVersion == Ipv6HeaderFlyweight.VERSION)
                {
                    return decodeIcmpv6(slot, offset, ipPayloadLength);
                }
                break;
            default:
                break;
        }
        // GRE, SCTP, ESP, ICMP over the other IP version, ...: well formed, just not decoded here.
        censusCounts[Census.OTHER_IP_PROTOCOL]++;
        slot.payloadOffset = offset;
        slot.payloadLength = ipPayloadLength;
        return Anomaly.NONE;
    }

    /**
     * A first fragment that ends inside its transport header (RFC 791 allows it; RFC 1858 §3 calls
     * it a tiny fragment): the header is whole only in the reassembled datagram, so this is no
     * anomaly and no transport header; the payload fields hold the fragment's IP payload.
     */
    private int transportHeaderContinuesInNextFragment(
        final FrameSlot slot, final int payloadOffset, final int payloadLength)
    {
        slot.payloadOffset = payloadOffset;
        slot.payloadLength = payloadLength;
        return Anomaly.NONE;
    }

    /** Ports, numbers, flags and window (the header up to its checksum), and where the payload is. */
    private static void tcpFixedFields(
        final FrameSlot slot, final TcpHeaderFlyweight tcp, final int payloadOffset, final int payloadLength)
    {
        slot.srcPort = tcp.sourcePort();
        slot.dstPort = tcp.destinationPort();
        slot.seq = tcp.sequenceNumber();
        slot.ack = tcp.acknowledgmentNumber();
        slot.tcpFlags = tcp.flags();
        slot.window = tcp.window();
        slot.payloadOffset = payloadOffset;
        slot.payloadLength = payloadLength;
    }

    private int decodeTcp(final FrameSlot slot, final int offset, final int ipPayloadLength)
    {
        final int captured = captureEnd - offset;
        if (slot.fragment && ipPayloadLength < TcpHeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return transportHeaderContinuesInNextFragment(slot, offset, ipPayloadLength);
        }
        if (ipPayloadLength < TcpHeaderFlyweight.MIN_HEADER_LENGTH || captured < TcpHeaderFlyweight.MIN_HEADER_LENGTH)
        {
            if (Math.min(ipPayloadLength, captured) >= TCP_BYTES_THROUGH_WINDOW)
            {
                // Cut after the window field: the segment still belongs to its connection.
                final int present = Math.min(ipPayloadLength, captured);
                tcpFixedFields(slot, this.tcp.wrap(buffer, offset, captured), offset + present, 0);
                slot.transportPresent = true;
                slot.tcpHeaderCut = true;
            }
            return Anomaly.TRUNCATED_TCP_HEADER;
        }
        final TcpHeaderFlyweight tcp = this.tcp.wrap(buffer, offset, captured);
        if (tcp.dataOffset() < TcpHeaderFlyweight.MIN_DATA_OFFSET)
        {
            // RFC 9293 §3.1: the header is at least 20 bytes, so Data Offset is at least 5.
            return Anomaly.BAD_TCP_DATA_OFFSET;
        }
        final int headerLength = tcp.headerLength();
        if (headerLength > ipPayloadLength)
        {
            return slot.fragment ?
                transportHeaderContinuesInNextFragment(slot, offset, ipPayloadLength) : Anomaly.BAD_TCP_DATA_OFFSET;
        }
        if (headerLength > captured)
        {
            return Anomaly.TRUNCATED_TCP_HEADER;
        }

        tcpFixedFields(slot, tcp, offset + headerLength, ipPayloadLength - headerLength);
        slot.transportPresent = true;
        censusCounts[Census.TCP]++;
        final int payloadCaptured = captureEnd - slot.payloadOffset;
        if (slot.payloadLength > 0 && payloadCaptured > 0)
        {
            // HTTP/1.x: the first line of a request or response, when a segment starts with one.
            final HttpFirstLineFlyweight line = http.wrap(buffer, slot.payloadOffset,
                Math.min(payloadCaptured, slot.payloadLength));
            slot.httpMethod = line.method();
            slot.httpStatus = slot.httpMethod == 0 ? line.status() : -1;
            final int first = buffer[slot.payloadOffset] & 0xFF;
            if (first >= TLS_CONTENT_TYPE_MIN && first <= TLS_CONTENT_TYPE_MAX)
            {
                // TLS: hellos and plaintext alerts at the start of the segment (handshake metadata only).
                tls.decode(slot, buffer, slot.payloadOffset, Math.min(payloadCaptured, slot.payloadLength));
            }
        }

        // A malformed option spoils only the options: ports, seq, ack and flags are still good.
        return tcp.decodeOptions(slot) ? Anomaly.NONE : Anomaly.BAD_TCP_OPTION;
    }

    private int decodeUdp(final FrameSlot slot, final int offset, final int ipPayloadLength)
    {
        final int captured = captureEnd - offset;
        if (slot.fragment && ipPayloadLength < UdpHeaderFlyweight.HEADER_LENGTH)
        {
            return transportHeaderContinuesInNextFragment(slot, offset, ipPayloadLength);
        }
        if (ipPayloadLength < UdpHeaderFlyweight.HEADER_LENGTH || captured < UdpHeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_UDP_HEADER;
        }
        final UdpHeaderFlyweight udp = this.udp.wrap(buffer, offset, captured);
        slot.srcPort = udp.sourcePort();
        slot.dstPort = udp.destinationPort();
        slot.payloadOffset = offset + UdpHeaderFlyweight.HEADER_LENGTH;
        slot.transportPresent = true;
        censusCounts[Census.UDP]++;

        int datagramLength = udp.datagramLength();
        if (datagramLength == 0 &&
            slot.ipVersion == Ipv6HeaderFlyweight.VERSION &&
            ipPayloadLength > MAX_IPV6_PAYLOAD_LENGTH)
        {
            // RFC 2675 §4: a UDP jumbogram's length field is 0; the IP payload length is its length.
            datagramLength = ipPayloadLength;
        }
        final int ipPayloadAfterHeader = ipPayloadLength - UdpHeaderFlyweight.HEADER_LENGTH;
        if (datagramLength < UdpHeaderFlyweight.HEADER_LENGTH)
        {
            slot.payloadLength = ipPayloadAfterHeader;
            return Anomaly.BAD_UDP_LENGTH;
        }
        if (datagramLength > ipPayloadLength)
        {
            // A first fragment carries only the start of the datagram the length field describes.
            slot.payloadLength = ipPayloadAfterHeader;
            return slot.fragment ? Anomaly.NONE : Anomaly.BAD_UDP_LENGTH;
        }
        // Bytes after the UDP length inside the IP payload are not UDP data (RFC 768).
        slot.payloadLength = datagramLength - UdpHeaderFlyweight.HEADER_LENGTH;
        return Anomaly.NONE;
    }

    private int decodeIcmp(final FrameSlot slot, final int offset, final int ipPayloadLength)
    {
        final int captured = captureEnd - offset;
        if (ipPayloadLength < IcmpHeaderFlyweight.HEADER_LENGTH || captured < IcmpHeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_ICMP;
        }
        final IcmpHeaderFlyweight icmp = this.icmp.wrap(buffer, offset, captured);
        final int type = icmp.type();
        slot.icmpType = type;
        slot.icmpCode = icmp.code();
        slot.payloadOffset = offset + IcmpHeaderFlyweight.HEADER_LENGTH;
        slot.payloadLength = ipPayloadLength - IcmpHeaderFlyweight.HEADER_LENGTH;
        slot.transportPresent = true;
        censusCounts[Census.ICMP]++;

        if (IcmpType.isEcho(type))
        {
            slot.srcPort = icmp.identifier();
            slot.dstPort = slot.srcPort;
            return Anomaly.NONE;
        }
        if (IcmpType.isError(type))
        {
            final int quoteEnd = Math.min(captureEnd, offset + ipPayloadLength);
            return decodeIpv4Quote(slot, offset + IcmpHeaderFlyweight.QUOTE_OFFSET, quoteEnd);
        }
        return Anomaly.NONE;
    }

    private int decodeIcmpv6(final FrameSlot slot, final int offset, final int ipPayloadLength)
    {
        final int captured = captureEnd - offset;
        if (ipPayloadLength < IcmpHeaderFlyweight.HEADER_LENGTH || captured < IcmpHeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_ICMP;
        }
        final IcmpHeaderFlyweight icmp = this.icmp.wrap(buffer, offset, captured);
        final int type = icmp.type();
        slot.icmpType = type;
        slot.icmpCode = icmp.code();
        slot.payloadOffset = offset + IcmpHeaderFlyweight.HEADER_LENGTH;
        slot.payloadLength = ipPayloadLength - IcmpHeaderFlyweight.HEADER_LENGTH;
        slot.transportPresent = true;
        censusCounts[Census.ICMPV6]++;

        if (Icmpv6Type.isEcho(type))
        {
            slot.srcPort = icmp.identifier();
            slot.dstPort = slot.srcPort;
            return Anomaly.NONE;
        }
        if (Icmpv6Type.isError(type))
        {
            final int quoteEnd = Math.min(captureEnd, offset + ipPayloadLength);
            return decodeIpv6Quote(slot, offset + IcmpHeaderFlyweight.QUOTE_OFFSET, quoteEnd);
        }
        return Anomaly.NONE;
    }

    // ---- ICMP quotes ------------------------------------------------------------------------

    /**
     * The IPv4 header and first 8 data bytes an ICMP error quotes (RFC 792; RFC 1812 §4.3.2.3 lets
     * routers quote more). The quoted total length describes the original datagram, not the quote.
     */
    private int decodeIpv4Quote(final FrameSlot slot, final int offset, final int quoteEnd)
    {
        final int available = quoteEnd - offset;
        if (available < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_ICMP_QUOTE;
        }
        final Ipv4HeaderFlyweight quoted = quotedIpv4.wrap(buffer, offset, available);
        if (quoted.version() != Ipv4HeaderFlyweight.VERSION)
        {
            return Anomaly.BAD_ICMP_QUOTE;
        }
        final int headerLength = quoted.headerLength();
        if (headerLength < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return Anomaly.BAD_ICMP_QUOTE;
        }
        if (headerLength > available)
        {
            return Anomaly.TRUNCATED_ICMP_QUOTE;
        }
        final int protocol = quoted.protocol();
        final int status = decodeQuotedTransport(
            Ipv4HeaderFlyweight.VERSION, protocol, offset + headerLength, quoteEnd, quoted.fragmentOffset() != 0);
        if (status != Anomaly.NONE)
        {
            return status;
        }
        quoted(slot, protocol, 0, quoted.sourceAddress(), 0, quoted.destinationAddress());
        return Anomaly.NONE;
    }

    /**
     * The IPv6 packet an ICMPv6 error quotes, as much as fits in the minimum MTU
     * (RFC 4443 §2.4(c)): the fixed header, any extension headers, then the transport header.
     */
    private int decodeIpv6Quote(final FrameSlot slot, final int offset, final int quoteEnd)
    {
        final int available = quoteEnd - offset;
        if (available < Ipv6HeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_ICMP_QUOTE;
        }
        final Ipv6HeaderFlyweight quoted = quotedIpv6.wrap(buffer, offset, available);
        if (quoted.version() != Ipv6HeaderFlyweight.VERSION)
        {
            return Anomaly.BAD_ICMP_QUOTE;
        }
        // The quote is cut: what can be read ends at the end of the ICMPv6 message.
        final Ipv6ExtensionHeaderChain chain = quotedIpv6Extensions;
        if (chain.walk(buffer, offset + Ipv6HeaderFlyweight.HEADER_LENGTH, quoted.nextHeader(), quoteEnd, quoteEnd) !=
            Anomaly.NONE)
        {
            return Anomaly.TRUNCATED_ICMP_QUOTE;
        }
        final int protocol = chain.protocol();
        final int status = decodeQuotedTransport(
            Ipv6HeaderFlyweight.VERSION, protocol, chain.upperLayerOffset(), quoteEnd, chain.nonFirstFragment());
        if (status != Anomaly.NONE)
        {
            return status;
        }
        quoted(
            slot,
            protocol,
            quoted.sourceAddressHigh(),
            quoted.sourceAddressLow(),
            quoted.destinationAddressHigh(),
            quoted.destinationAddressLow());
        return Anomaly.NONE;
    }

    /**
     * Reads the ports of a quoted transport header the way the outer decode keys that protocol (TCP
     * and UDP ports, the echo identifier of ICMP/ICMPv6 echo, 0 otherwise), so the quoted flow hashes
     * like the packet it quotes. A quoted non-first fragment has no ports, as it would not outside.
     */
    private int decodeQuotedTransport(
        final int ipVersion, final int protocol, final int offset, final int quoteEnd, final boolean nonFirstFragment)
    {
        quotedSourcePort = 0;
        quotedDestinationPort = 0;
        quotedSequence = 0;
        quotedFlags = 0;
        quotedTransportBytes = 0;
        if (nonFirstFragment)
        {
            return Anomaly.NONE;
        }

        final int available = quoteEnd - offset;
        quotedTransportBytes = Math.max(0, available);
        switch (TRANSPORT_BY_PROTOCOL[protocol])
        {
            case TRANSPORT_TCP:
                if (available < QUOTED_PORTS_LENGTH)
                {
                    return Anomaly.TRUNCATED_ICMP_QUOTE;
                }
                quotedTcp.wrap(buffer, offset, available);
                quotedSourcePort = quotedTcp.sourcePort();
                quotedDestinationPort = quotedTcp.destinationPort();
                if (available >= QUOTED_SEQUENCE_END)
                {
                    quotedSequence = quotedTcp.sequenceNumber();
                }
                if (available >= QUOTED_FLAGS_END)
                {
                    quotedFlags = quotedTcp.flags();
                }
                return Anomaly.NONE;

            case TRANSPORT_UDP:
                if (available < QUOTED_PORTS_LENGTH)
                {
                    return Anomaly.TRUNCATED_ICMP_QUOTE;
                }
                quotedUdp.wrap(buffer, offset, available);
                quotedSourcePort = quotedUdp.sourcePort();
                quotedDestinationPort = quotedUdp.destinationPort();
                return Anomaly.NONE;

            case TRANSPORT_ICMP:
                return ipVersion == Ipv4HeaderFlyweight.VERSION ? quotedEcho(offset, available, false) : Anomaly.NONE;

            case TRANSPORT_ICMPV6:
                return ipVersion == Ipv6HeaderFlyweight.VERSION ? quotedEcho(offset, available, true) : Anomaly.NONE;

            default:
                return Anomaly.NONE;
        }
    }

    private int quotedEcho(final int offset, final int available, final boolean version6)
    {
        if (available < IcmpHeaderFlyweight.HEADER_LENGTH)
        {
            return Anomaly.TRUNCATED_ICMP_QUOTE;
        }
        quotedIcmp.wrap(buffer, offset, available);
        final int type = quotedIcmp.type();
        if (version6 ? Icmpv6Type.isEcho(type) : IcmpType.isEcho(type))
        {
            quotedSourcePort = quotedIcmp.identifier();
            quotedDestinationPort = quotedSourcePort;
        }
        return Anomaly.NONE;
    }

    private void quoted(
        final FrameSlot slot,
        final int protocol,
        final long sourceHi,
        final long sourceLo,
        final long destinationHi,
        final long destinationLo)
    {
        slot.quotedPresent = true;
        slot.quotedProtocol = protocol;
        slot.quotedSrcHi = sourceHi;
        slot.quotedSrcLo = sourceLo;
        slot.quotedDstHi = destinationHi;
        slot.quotedDstLo = destinationLo;
        slot.quotedSrcPort = quotedSourcePort;
        slot.quotedDstPort = quotedDestinationPort;
        slot.quotedSeq = quotedSequence;
        slot.quotedTransportLength = quotedTransportBytes;
        slot.quotedTcpFlags = quotedFlags;
        censusCounts[Census.ICMP_ERROR_QUOTE]++;
    }
}
