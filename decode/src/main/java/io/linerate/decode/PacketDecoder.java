package io.linerate.decode;

import io.linerate.decode.ethernet.EthernetLayer;
import io.linerate.decode.ethernet.LlcSnapLayer;
import io.linerate.decode.ethernet.MacInMacLayer;
import io.linerate.decode.ethernet.VlanLayer;
import io.linerate.decode.hdlc.CiscoHdlcLayer;
import io.linerate.decode.icmp.IcmpLayer;
import io.linerate.decode.ip.IpVersionLayer;
import io.linerate.decode.ip.Ipv4Layer;
import io.linerate.decode.ip.Ipv6Layer;
import io.linerate.decode.loopback.LoopbackLayer;
import io.linerate.decode.mpls.MplsLayer;
import io.linerate.decode.nflog.NflogLayer;
import io.linerate.decode.pppoe.PppLayer;
import io.linerate.decode.pppoe.PppoeSessionLayer;
import io.linerate.decode.sll.LinuxSllLayer;
import io.linerate.decode.tcp.TcpLayer;
import io.linerate.decode.tunnel.AyiyaLayer;
import io.linerate.decode.tunnel.ErspanLayer;
import io.linerate.decode.tunnel.GeneveLayer;
import io.linerate.decode.tunnel.GreLayer;
import io.linerate.decode.tunnel.GtpUserLayer;
import io.linerate.decode.tunnel.IpInIpLayer;
import io.linerate.decode.tunnel.TeredoLayer;
import io.linerate.decode.tunnel.TunnelType;
import io.linerate.decode.tunnel.VxlanLayer;
import io.linerate.decode.udp.UdpLayer;
import io.linerate.decode.wifi.Ieee80211Layer;
import io.linerate.decode.wifi.RadiotapLayer;

/**
 * Decodes the header chain of one captured frame (link, network, transport, through any tunnels to
 * the innermost IP packet) into the decoded fields of its ring slot, through preallocated layer
 * decoders and their flyweights: nothing is allocated per frame.
 *
 * <p>One instance per decoder thread, reused for every frame. The chain is a loop over small
 * {@link LayerDecoder}s (gopacket's {@code DecodingLayerParser}): each decodes its header, writes
 * what it found and says the next {@link Layer} and where it starts; the next layer comes from a
 * dense table indexed by the link type, the EtherType, the IP protocol number or the UDP port
 * ({@link DecodeCursor}). The chain starts at the slot's link type (LINKTYPE_ETHERNET with
 * 802.1Q/802.1ad/QinQ tags at any depth, PPPoE sessions, MPLS label stacks, 802.3 LLC/SNAP and
 * MAC-in-MAC (802.1ah PBB, Cisco FabricPath); LINUX_SLL, LINUX_SLL2, NULL, LOOP, RAW and its old
 * values 12 and 14, IPV4, IPV6, PPP, C_HDLC, NFLOG, IEEE802_11 and IEEE802_11_RADIOTAP: unencrypted
 * data frames, through their LLC/SNAP header), goes through IPv4 or IPv6 (with its extension header chain) and
 * ends with TCP, UDP, ICMP or ICMPv6. An ICMP error's quote is read by the same IP and transport
 * layers ({@code Layer.QUOTED_*}).
 *
 * <h2>Tunnels</h2>
 * IP in IP (4in4, 6in4, 4in6, 6in6), GRE (key, sequence number, bridged Ethernet, PPTP), ERSPAN
 * types I, II and III, VXLAN (UDP 4789 and a configured port), Geneve (6081), GTP-U (2152), Teredo
 * (3544) and AYIYA (5072) are opened to the packet inside, down to the innermost IP packet, whose
 * addresses, ports and transport fields are the slot's. Each tunnel is kept in the slot's
 * {@code tunnel*} arrays, outermost first, with its outer endpoints and identifier (MPLS label
 * stacks and PPPoE sessions too, without endpoints), and {@code tunnelKey} mixes the identifiers
 * that name both directions (VNI, GRE key, ERSPAN and PPPoE session). More tunnels than the depth
 * setting is {@link Anomaly#TUNNEL_TOO_DEEP}; a tunnel inside itself is {@link Anomaly#TUNNEL_LOOP}.
 * A tunnel in a fragment is opened once the shard has reassembled the datagram, which
 * {@link #decodeInside} decodes inside the tunnels its fragments came in.
 *
 * <h2>What the slot holds afterwards</h2>
 * <ul>
 * <li>{@code anomaly}: the first {@link Anomaly} found, 0 when none. A frame that is well formed but
 *     not something this decoder follows (ARP, SCTP, a non-first fragment) has no anomaly; the
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
    /** First layer of the chain, indexed by LINKTYPE. */
    private static final byte[] LINK_LAYER_BY_LINK_TYPE = new byte[LinkType.LINUX_SLL2 + 1];

    static
    {
        LINK_LAYER_BY_LINK_TYPE[LinkType.NULL] = Layer.LOOPBACK_HOST_ORDER;
        LINK_LAYER_BY_LINK_TYPE[LinkType.ETHERNET] = Layer.ETHERNET;
        LINK_LAYER_BY_LINK_TYPE[LinkType.RAW_DLT_12] = Layer.IP_BY_VERSION;
        LINK_LAYER_BY_LINK_TYPE[LinkType.RAW_DLT_14] = Layer.IP_BY_VERSION;
        LINK_LAYER_BY_LINK_TYPE[LinkType.RAW] = Layer.IP_BY_VERSION;
        LINK_LAYER_BY_LINK_TYPE[LinkType.LOOP] = Layer.LOOPBACK_NETWORK_ORDER;
        LINK_LAYER_BY_LINK_TYPE[LinkType.LINUX_SLL] = Layer.LINUX_SLL;
        LINK_LAYER_BY_LINK_TYPE[LinkType.IPV4] = Layer.IPV4;
        LINK_LAYER_BY_LINK_TYPE[LinkType.IPV6] = Layer.IPV6;
        LINK_LAYER_BY_LINK_TYPE[LinkType.LINUX_SLL2] = Layer.LINUX_SLL2;
        LINK_LAYER_BY_LINK_TYPE[LinkType.PPP] = Layer.PPP;
        LINK_LAYER_BY_LINK_TYPE[LinkType.C_HDLC] = Layer.CISCO_HDLC;
        LINK_LAYER_BY_LINK_TYPE[LinkType.NFLOG] = Layer.NFLOG;
        LINK_LAYER_BY_LINK_TYPE[LinkType.IEEE802_11] = Layer.IEEE802_11;
        LINK_LAYER_BY_LINK_TYPE[LinkType.IEEE802_11_RADIOTAP] = Layer.RADIOTAP;
    }

    private final long[] anomalyCounts = new long[Anomaly.COUNT + 1];
    private final DecodeCursor cursor;
    private final boolean tunnelKey;

    private final EthernetLayer ethernet = new EthernetLayer();
    private final LinuxSllLayer linuxSll = new LinuxSllLayer(false);
    private final LinuxSllLayer linuxSll2 = new LinuxSllLayer(true);
    private final LoopbackLayer loopbackHostOrder = new LoopbackLayer(true);
    private final LoopbackLayer loopbackNetworkOrder = new LoopbackLayer(false);
    private final IpVersionLayer ipByVersion = new IpVersionLayer();
    private final VlanLayer vlan = new VlanLayer();
    private final MacInMacLayer macInMac = new MacInMacLayer();
    private final LlcSnapLayer llcSnap = new LlcSnapLayer();
    private final PppoeSessionLayer pppoeSession = new PppoeSessionLayer();
    private final PppLayer ppp = new PppLayer();
    private final MplsLayer mpls = new MplsLayer();
    private final Ipv4Layer ipv4 = new Ipv4Layer();
    private final Ipv6Layer ipv6 = new Ipv6Layer();
    private final TcpLayer tcp = new TcpLayer();
    private final UdpLayer udp = new UdpLayer();
    private final IcmpLayer icmp = new IcmpLayer(false);
    private final IcmpLayer icmpv6 = new IcmpLayer(true);
    private final IpInIpLayer ipInIp = new IpInIpLayer();
    private final GreLayer gre = new GreLayer();
    private final ErspanLayer erspan = new ErspanLayer();
    private final VxlanLayer vxlan = new VxlanLayer();
    private final GeneveLayer geneve = new GeneveLayer();
    private final GtpUserLayer gtpUser = new GtpUserLayer();
    private final TeredoLayer teredo = new TeredoLayer();
    private final AyiyaLayer ayiya = new AyiyaLayer();
    private final CiscoHdlcLayer ciscoHdlc = new CiscoHdlcLayer();
    private final NflogLayer nflog = new NflogLayer();
    private final RadiotapLayer radiotap = new RadiotapLayer();
    private final Ieee80211Layer ieee80211 = new Ieee80211Layer();

    /** A decoder with the {@link DecodeSettings#DEFAULT} settings: every tunnel opened. */
    public PacketDecoder()
    {
        this(DecodeSettings.DEFAULT);
    }

    /**
     * @param maxTunnelDepth tunnels opened in one frame, 0 (none: a tunnel's packets are the outer
     *                       flow's) to {@link DecodeCursor#MAX_TUNNEL_DEPTH}
     * @param vxlanPort      a UDP port VXLAN is also taken on besides 4789 (0: none)
     */
    public PacketDecoder(final int maxTunnelDepth, final int vxlanPort)
    {
        this(new DecodeSettings(maxTunnelDepth, vxlanPort, true));
    }

    public PacketDecoder(final DecodeSettings settings)
    {
        this.cursor = new DecodeCursor(settings.tunnelDepth(), settings.vxlanPort());
        this.tunnelKey = settings.tunnelKey();
    }

    /**
     * Decodes the frame in {@code slot}: clears the decoded fields, fills the ones found, sets
     * {@code slot.anomaly} and {@code slot.flowHash}, and counts the outcome.
     *
     * @param slot a slot whose capture fields ({@code data}, {@code captureLength},
     *             {@code wireLength}, {@code linkType}) the reader has filled
     * @return the anomaly code written to {@code slot.anomaly}, {@link Anomaly#NONE} when clean
     */
    public int decode(final DecodedFrame slot)
    {
        slot.clearDecoded();
        return decodeChain(slot);
    }

    /**
     * Decodes a packet found inside tunnels a frame was decoded through before: an IP datagram
     * reassembled from fragments that came in tunnels, whose outer layers are not among its bytes.
     * As {@link #decode}, except that the slot keeps the first {@code tunnels} entries of its
     * {@code tunnel*} arrays, the fragments' tunnels: they count towards the depth setting and take
     * part in the loop check and the tunnel key as when the fragments were decoded, and any tunnel the
     * packet holds is opened inside them. So the packet has the flow key and the tunnel list of the
     * unfragmented packets of its connection.
     *
     * @param slot    a slot holding the packet's bytes and capture fields, and in its tunnel arrays
     *                the tunnels it came in, outermost first
     * @param tunnels how many of those there are, 0 to {@link DecodedFrame#MAX_TUNNELS}
     * @return the anomaly code written to {@code slot.anomaly}, {@link Anomaly#NONE} when clean
     */
    public int decodeInside(final DecodedFrame slot, final int tunnels)
    {
        if (tunnels < 0 || tunnels > DecodedFrame.MAX_TUNNELS)
        {
            throw new IllegalArgumentException("tunnels " + tunnels + " not in 0.." + DecodedFrame.MAX_TUNNELS);
        }
        slot.clearDecoded();
        // clearDecoded resets the count only: the arrays still hold the outer tunnels.
        slot.tunnelCount = tunnels;
        return decodeChain(slot);
    }

    /** The chain over a slot whose decoded fields are cleared (but for any outer tunnels). */
    private int decodeChain(final DecodedFrame slot)
    {
        final DecodeCursor cursor = this.cursor;
        cursor.census[Census.FRAMES]++;

        // The chain: each layer decodes its header and names the next; every layer consumes bytes
        // (or, for IP in IP, hands over to one that does), so the loop ends with the frame.
        // Each pass walks the layers of most frames in their usual order, as straight-line tests
        // the branch predictor learns (a switch in a loop cost ~5 ns a frame here): link, VLAN tags,
        // IP, transport. Any other layer, and a tunnel's inner frame, take one call and another pass.
        int layer = firstLayer(slot, cursor);
        int offset = 0;
        while (layer != Layer.END)
        {
            if (layer == Layer.ETHERNET)
            {
                layer = ethernet.decode(cursor, offset);
                offset = cursor.next;
            }
            while (layer == Layer.VLAN)
            {
                layer = vlan.decode(cursor, offset);
                offset = cursor.next;
            }
            if (layer == Layer.IPV4)
            {
                layer = ipv4.decode(cursor, offset);
                offset = cursor.next;
            }
            else if (layer == Layer.IPV6)
            {
                layer = ipv6.decode(cursor, offset);
                offset = cursor.next;
            }
            if (layer == Layer.TCP)
            {
                layer = tcp.decode(cursor, offset);
                offset = cursor.next;
            }
            else if (layer == Layer.UDP)
            {
                layer = udp.decode(cursor, offset);
                offset = cursor.next;
            }
            if (layer != Layer.END)
            {
                layer = decodeLayer(layer, cursor, offset);
                offset = cursor.next;
            }
        }
        final int anomaly = cursor.anomaly;

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
        if (slot.tunnelCount != 0 && tunnelKey)
        {
            slot.tunnelKey = TunnelType.key(slot);
        }
        slot.anomaly = anomaly;
        anomalyCounts[anomaly]++;
        cursor.slot = null;
        cursor.buffer = null;
        return anomaly;
    }

    /** True when frames of this LINKTYPE_ value are decoded (not counted as unsupported_link_type). */
    public static boolean supportsLinkType(final int linkType)
    {
        return linkType >= 0 && linkType < LINK_LAYER_BY_LINK_TYPE.length &&
            LINK_LAYER_BY_LINK_TYPE[linkType] != Layer.END;
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
        return cursor.census;
    }

    /**
     * Checks the frame's capture fields and starts the cursor on it.
     *
     * @return the first layer (by link type), or {@link Layer#END} with the cursor's anomaly set
     */
    private static int firstLayer(final DecodedFrame slot, final DecodeCursor cursor)
    {
        final int linkType = slot.linkType;
        final int linkLayer = linkType >= 0 && linkType < LINK_LAYER_BY_LINK_TYPE.length ?
            LINK_LAYER_BY_LINK_TYPE[linkType] : Layer.END;
        cursor.anomaly = Anomaly.NONE;
        if (linkLayer == Layer.END)
        {
            return cursor.fail(Anomaly.UNSUPPORTED_LINK_TYPE);
        }
        final byte[] data = slot.data;
        // The reader keeps captureLength within data; clamping keeps a broken slot from throwing.
        final int captureLength = Math.max(0, Math.min(slot.captureLength, data.length));
        if (captureLength == 0)
        {
            return cursor.fail(Anomaly.EMPTY_FRAME);
        }
        if (slot.captureLength > slot.wireLength)
        {
            return cursor.fail(Anomaly.CAPTURED_LENGTH_EXCEEDS_WIRE_LENGTH);
        }
        cursor.start(slot, data, captureLength, slot.wireLength);
        return linkLayer;
    }

    /** One step of the chain, any layer: the layer's decoder, called directly (a monomorphic call site). */
    private int decodeLayer(final int layer, final DecodeCursor cursor, final int offset)
    {
        switch (layer)
        {
            case Layer.ETHERNET:
                return ethernet.decode(cursor, offset);
            case Layer.VLAN:
                return vlan.decode(cursor, offset);
            case Layer.IPV4:
                return ipv4.decode(cursor, offset);
            case Layer.IPV6:
                return ipv6.decode(cursor, offset);
            case Layer.TCP:
                return tcp.decode(cursor, offset);
            case Layer.UDP:
                return udp.decode(cursor, offset);
            case Layer.ICMP:
                return icmp.decode(cursor, offset);
            case Layer.ICMPV6:
                return icmpv6.decode(cursor, offset);
            case Layer.LINUX_SLL:
                return linuxSll.decode(cursor, offset);
            case Layer.LINUX_SLL2:
                return linuxSll2.decode(cursor, offset);
            case Layer.LOOPBACK_HOST_ORDER:
                return loopbackHostOrder.decode(cursor, offset);
            case Layer.LOOPBACK_NETWORK_ORDER:
                return loopbackNetworkOrder.decode(cursor, offset);
            case Layer.IP_BY_VERSION:
                return ipByVersion.decode(cursor, offset);
            case Layer.MAC_IN_MAC:
                return macInMac.decode(cursor, offset);
            case Layer.LLC_SNAP:
                return llcSnap.decode(cursor, offset);
            case Layer.PPPOE_SESSION:
                return pppoeSession.decode(cursor, offset);
            case Layer.PPP:
                return ppp.decode(cursor, offset);
            case Layer.MPLS:
                return mpls.decode(cursor, offset);
            case Layer.OTHER_IP_PROTOCOL:
                return cursor.otherIpProtocol(offset);
            case Layer.NON_IP:
                return cursor.nonIp();
            case Layer.IP_IN_IP:
                return ipInIp.decode(cursor, offset);
            case Layer.GRE:
                return gre.decode(cursor, offset);
            case Layer.ERSPAN:
                return erspan.decode(cursor, offset);
            case Layer.VXLAN:
                return vxlan.decode(cursor, offset);
            case Layer.GENEVE:
                return geneve.decode(cursor, offset);
            case Layer.GTP_U:
                return gtpUser.decode(cursor, offset);
            case Layer.TEREDO:
                return teredo.decode(cursor, offset);
            case Layer.AYIYA:
                return ayiya.decode(cursor, offset);
            case Layer.CISCO_HDLC:
                return ciscoHdlc.decode(cursor, offset);
            case Layer.NFLOG:
                return nflog.decode(cursor, offset);
            case Layer.RADIOTAP:
                return radiotap.decode(cursor, offset);
            case Layer.IEEE802_11:
                return ieee80211.decode(cursor, offset);
            case Layer.QUOTED_IPV4:
                return ipv4.decodeQuoted(cursor, offset);
            case Layer.QUOTED_IPV6:
                return ipv6.decodeQuoted(cursor, offset);
            case Layer.QUOTED_TCP:
                return tcp.decodeQuoted(cursor, offset);
            case Layer.QUOTED_UDP:
                return udp.decodeQuoted(cursor, offset);
            case Layer.QUOTED_ICMP:
                return icmp.decodeQuoted(cursor, offset);
            default:
                return Layer.END;
        }
    }
}
