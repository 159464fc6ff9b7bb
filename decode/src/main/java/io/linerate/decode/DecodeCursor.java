package io.linerate.decode;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.mpls.MplsLabelFlyweight;
import io.linerate.decode.pppoe.PppoeSessionHeaderFlyweight;
import io.linerate.decode.tunnel.TunnelType;

import java.util.Arrays;

/**
 * Where the decode chain is in one frame: the frame's bytes and extents, the slot the layers write
 * into, where the next layer starts, the first anomaly, and the dispatch tables that map an
 * EtherType, an IP protocol number or a UDP port to the next {@link Layer} (dense arrays, one load
 * per dispatch). One per {@link PacketDecoder}, reused for every frame.
 */
public final class DecodeCursor
{
    /** VXLAN's IANA port (RFC 7348 §5). */
    public static final int VXLAN_PORT = 4789;
    /** Geneve's IANA port (RFC 8926 §3.3). */
    public static final int GENEVE_PORT = 6081;
    /** GTP-U's port (3GPP TS 29.281 §4.4.2.3). */
    public static final int GTP_U_PORT = 2152;
    /** The Teredo server port (RFC 4380 §2.9). */
    public static final int TEREDO_PORT = 3544;
    /** AYIYA's IANA port. */
    public static final int AYIYA_PORT = 5072;
    private static final int IPV6_HEADER_LENGTH = 40;
    /** Default and largest tunnel depth: as many as a slot keeps. */
    public static final int MAX_TUNNEL_DEPTH = DecodedFrame.MAX_TUNNELS;

    /** The slot being decoded. */
    public DecodedFrame slot;
    /** The frame's bytes. */
    public byte[] buffer;
    /** End of the captured bytes (may shrink to an encapsulation's end). */
    public int captureEnd;
    /** End of the frame on the wire (may shrink to an encapsulation's end). */
    public int wireEnd;
    /** Where the next layer's header starts: set by a layer that returns a next layer. */
    public int next;
    /** Bytes of the next layer by the length fields before it (an IP or UDP payload), else unused. */
    public int length;
    /** The EtherType that chose the next layer (a MAC-in-MAC header's length depends on it). */
    public int etherType;
    /** The first anomaly, {@link Anomaly#NONE} while there is none. */
    public int anomaly;
    /** Tallies per {@link Census} code. */
    public final long[] census = new long[Census.COUNT];

    // The quoted datagram of an ICMP error, written to the slot once its transport header decoded.
    /** End of the quoted bytes (the end of the ICMP message, as captured). */
    public int quoteEnd;
    public int quotedIpVersion;
    public int quotedProtocol;
    public long quotedSrcHi, quotedSrcLo, quotedDstHi, quotedDstLo;

    private final byte[] layerByEtherType = new byte[1 << 16];
    private final byte[] layerByProtocol = new byte[256];
    private final byte[] layerByUdpPort = new byte[1 << 16];
    private final int maxTunnelDepth;
    /** Teredo is looked for in UDP datagrams on any port, as Zeek does (when tunnels are opened at all). */
    private final boolean teredoOnAnyPort;

    /** Every tunnel followed, VXLAN on its IANA port only. */
    public DecodeCursor()
    {
        this(MAX_TUNNEL_DEPTH, VXLAN_PORT);
    }

    /**
     * @param maxTunnelDepth tunnels followed into a frame, 0 to {@link #MAX_TUNNEL_DEPTH}: 0 leaves
     *                       every tunnel closed (its packets are the outer flow's), and a frame
     *                       with more is the anomaly {@link Anomaly#TUNNEL_TOO_DEEP}
     * @param vxlanPort      a UDP port VXLAN is taken on besides 4789 (0 or 4789: none)
     */
    public DecodeCursor(final int maxTunnelDepth, final int vxlanPort)
    {
        if (maxTunnelDepth < 0 || maxTunnelDepth > MAX_TUNNEL_DEPTH)
        {
            throw new IllegalArgumentException("tunnel depth " + maxTunnelDepth + " not in 0.." + MAX_TUNNEL_DEPTH);
        }
        if (vxlanPort < 0 || vxlanPort > 0xFFFF)
        {
            throw new IllegalArgumentException("VXLAN port " + vxlanPort + " not in 0..65535");
        }
        this.maxTunnelDepth = maxTunnelDepth;
        this.teredoOnAnyPort = maxTunnelDepth > 0;

        Arrays.fill(layerByEtherType, (byte)Layer.NON_IP);
        Arrays.fill(layerByEtherType, 0, EtherType.MIN_ETHERTYPE, (byte)Layer.LLC_SNAP);
        layerByEtherType[EtherType.IPV4] = Layer.IPV4;
        layerByEtherType[EtherType.IPV6] = Layer.IPV6;
        layerByEtherType[EtherType.VLAN] = Layer.VLAN;
        layerByEtherType[EtherType.QINQ] = Layer.VLAN;
        layerByEtherType[EtherType.QINQ_LEGACY] = Layer.VLAN;
        layerByEtherType[EtherType.PBB_ITAG] = Layer.MAC_IN_MAC;
        layerByEtherType[EtherType.FABRICPATH] = Layer.MAC_IN_MAC;
        layerByEtherType[PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION] = Layer.PPPOE_SESSION;
        layerByEtherType[MplsLabelFlyweight.ETHER_TYPE_UNICAST] = Layer.MPLS;
        layerByEtherType[MplsLabelFlyweight.ETHER_TYPE_MULTICAST] = Layer.MPLS;
        // Reached through GRE's protocol type, which is an EtherType.
        layerByEtherType[EtherType.TRANSPARENT_ETHERNET_BRIDGING] = Layer.ETHERNET;
        layerByEtherType[EtherType.ERSPAN_TYPE_II] = Layer.ERSPAN;
        layerByEtherType[EtherType.ERSPAN_TYPE_III] = Layer.ERSPAN;
        layerByEtherType[EtherType.PPP] = Layer.PPP;

        Arrays.fill(layerByProtocol, (byte)Layer.OTHER_IP_PROTOCOL);
        layerByProtocol[IpProtocol.TCP] = Layer.TCP;
        layerByProtocol[IpProtocol.UDP] = Layer.UDP;
        layerByProtocol[IpProtocol.ICMP] = Layer.ICMP;
        layerByProtocol[IpProtocol.ICMPV6] = Layer.ICMPV6;
        if (maxTunnelDepth > 0)
        {
            layerByProtocol[IpProtocol.IPV4] = Layer.IP_IN_IP;
            layerByProtocol[IpProtocol.IPV6] = Layer.IP_IN_IP;
            layerByProtocol[IpProtocol.GRE] = Layer.GRE;
            layerByUdpPort[VXLAN_PORT] = Layer.VXLAN;
            if (vxlanPort != 0)
            {
                layerByUdpPort[vxlanPort] = Layer.VXLAN;
            }
            layerByUdpPort[GENEVE_PORT] = Layer.GENEVE;
            layerByUdpPort[GTP_U_PORT] = Layer.GTP_U;
            layerByUdpPort[TEREDO_PORT] = Layer.TEREDO;
            layerByUdpPort[AYIYA_PORT] = Layer.AYIYA;
        }
    }

    /** Starts a frame. */
    void start(final DecodedFrame slot, final byte[] buffer, final int captureEnd, final int wireEnd)
    {
        this.slot = slot;
        this.buffer = buffer;
        this.captureEnd = captureEnd;
        this.wireEnd = wireEnd;
        this.next = 0;
        this.anomaly = Anomaly.NONE;
    }

    /** Ends the chain with an anomaly. */
    public int fail(final int anomaly)
    {
        this.anomaly = anomaly;
        return Layer.END;
    }

    /** The layer an EtherType selects, whose header starts at {@code offset}. */
    public int byEtherType(final int etherType, final int offset)
    {
        this.etherType = etherType;
        this.next = offset;
        return layerByEtherType[etherType];
    }

    /**
     * The layer that decodes an IP payload: writes the protocol and where it starts into the slot.
     *
     * @param fragment the payload is a first fragment: it is decoded as far as it goes, but a tunnel
     *                 is not opened in part of a datagram (it is, once the shard reassembled it)
     */
    public int byProtocol(final int protocol, final int offset, final int length, final boolean fragment)
    {
        final DecodedFrame slot = this.slot;
        slot.ipProtocol = protocol;
        slot.transportOffset = offset;
        next = offset;
        this.length = length;
        final int layer = layerByProtocol[protocol];
        if ((layer == Layer.ICMP && slot.ipVersion != 4) || (layer == Layer.ICMPV6 && slot.ipVersion != 6) ||
            (fragment && Layer.isTunnel(layer)))
        {
            return Layer.OTHER_IP_PROTOCOL;
        }
        return layer;
    }

    /**
     * The tunnel a UDP datagram's ports select ({@link Layer#END} when none): the destination port
     * first, then the source port (a Teredo server's or a GTP-U peer's answer).
     */
    public int byUdpPort(final int sourcePort, final int destinationPort)
    {
        final int byDestination = layerByUdpPort[destinationPort];
        return byDestination != Layer.END ? byDestination : layerByUdpPort[sourcePort];
    }

    /**
     * Teredo on another port than 3544 (a relay's or a peer's): a datagram of at least an IPv6
     * header whose first byte may start Teredo (an IPv6 version nibble, or an indicator's 0) is
     * handed to the Teredo layer, which takes it only when it holds an IPv6 packet that fills the
     * datagram exactly (Zeek's Teredo detection; tshark needs its Teredo heuristic for these).
     */
    public boolean mayBeTeredo(final int payloadOffset, final int payloadLength)
    {
        if (!teredoOnAnyPort || payloadLength < IPV6_HEADER_LENGTH || captureEnd - payloadOffset < 1)
        {
            return false;
        }
        final int first = buffer[payloadOffset] & 0xFF;
        return (first >>> 4) == 6 || first == 0;
    }

    /**
     * An IP payload not decoded further (SCTP, ESP, ICMP over the other IP version, a GRE header
     * this decoder does not open): well formed, counted, the payload fields hold the IP payload.
     */
    public int otherIpProtocol(final int offset)
    {
        census[Census.OTHER_IP_PROTOCOL]++;
        slot.payloadOffset = offset;
        slot.payloadLength = length;
        return Layer.END;
    }

    /** Counts a payload that is not IP and ends the chain. */
    public int nonIp()
    {
        census[Census.NON_IP]++;
        return Layer.END;
    }

    /**
     * Opens a tunnel: keeps its type, identifier and, when the frame is inside an IP packet, that
     * packet's addresses as the tunnel's outer endpoints; then clears the slot's IP and transport
     * fields for the packet inside. From here the frame ends where the tunnel's payload ends.
     *
     * @param id          the tunnel's identifier, -1 when it has none
     * @param payloadEnd  where the tunnel's payload ends by the outer length fields, -1 when unknown
     * @return false when the tunnel cannot be opened: too deep, or a loop (the same tunnel already
     *     on the stack, as a packet that encapsulates itself); the anomaly is set
     */
    public boolean enterTunnel(final int type, final long id, final int payloadEnd)
    {
        final DecodedFrame slot = this.slot;
        final int depth = slot.tunnelCount;
        if (depth >= maxTunnelDepth)
        {
            anomaly = Anomaly.TUNNEL_TOO_DEEP;
            return false;
        }
        final int ipVersion = slot.ipVersion;
        for (int i = 0; i < depth; i++)
        {
            if (slot.tunnelType[i] == type && slot.tunnelId[i] == id && slot.tunnelIpVersion[i] == ipVersion &&
                slot.tunnelSrcHi[i] == slot.srcHi && slot.tunnelSrcLo[i] == slot.srcLo &&
                slot.tunnelDstHi[i] == slot.dstHi && slot.tunnelDstLo[i] == slot.dstLo)
            {
                anomaly = Anomaly.TUNNEL_LOOP;
                return false;
            }
        }
        slot.tunnelType[depth] = type;
        slot.tunnelId[depth] = id;
        slot.tunnelIpVersion[depth] = ipVersion;
        slot.tunnelSrcHi[depth] = slot.srcHi;
        slot.tunnelSrcLo[depth] = slot.srcLo;
        slot.tunnelDstHi[depth] = slot.dstHi;
        slot.tunnelDstLo[depth] = slot.dstLo;
        final boolean udp = ipVersion != 0 && slot.ipProtocol == IpProtocol.UDP && slot.transportPresent;
        slot.tunnelSrcPort[depth] = udp ? slot.srcPort : 0;
        slot.tunnelDstPort[depth] = udp ? slot.dstPort : 0;
        slot.tunnelCount = depth + 1;
        if (depth == 0)
        {
            census[Census.TUNNELLED]++;
        }
        if (payloadEnd >= 0)
        {
            wireEnd = Math.min(wireEnd, payloadEnd);
            captureEnd = Math.min(captureEnd, payloadEnd);
        }
        if (ipVersion != 0)
        {
            // The packet inside starts afresh: nothing of the outer IP or transport header is its.
            slot.ipVersion = 0;
            slot.ipProtocol = -1;
            slot.ttl = 0;
            slot.srcHi = slot.srcLo = slot.dstHi = slot.dstLo = 0;
            slot.srcPort = slot.dstPort = 0;
            slot.ipId = -1;
            slot.fragment = false;
            slot.fragmentOffset = 0;
            slot.moreFragments = false;
            slot.fragmentPayloadOffset = -1;
            slot.fragmentPayloadLength = 0;
            slot.transportPresent = false;
            slot.networkOffset = -1;
            slot.transportOffset = -1;
            slot.payloadOffset = -1;
            slot.payloadLength = 0;
        }
        return true;
    }

    /**
     * Keeps an encapsulation below IP (MPLS, PPPoE) in the frame's tunnel list when there is room
     * for it. It is decoded whatever the depth setting (it always was): only the list is capped.
     */
    public void noteLinkEncapsulation(final int type, final long id)
    {
        final DecodedFrame slot = this.slot;
        final int depth = slot.tunnelCount;
        if (depth >= maxTunnelDepth)
        {
            return;
        }
        slot.tunnelType[depth] = type;
        slot.tunnelId[depth] = id;
        slot.tunnelIpVersion[depth] = 0;
        slot.tunnelSrcHi[depth] = slot.tunnelSrcLo[depth] = slot.tunnelDstHi[depth] = slot.tunnelDstLo[depth] = 0;
        slot.tunnelSrcPort[depth] = slot.tunnelDstPort[depth] = 0;
        slot.tunnelCount = depth + 1;
        if (depth == 0)
        {
            census[Census.TUNNELLED]++;
        }
    }

    /** The tunnel type of a frame's innermost tunnel, 0 when there is none. */
    public int innermostTunnel()
    {
        final int depth = slot.tunnelCount;
        return depth == 0 ? 0 : slot.tunnelType[depth - 1];
    }

    /** Turns the innermost tunnel into another type with another identifier (GRE found to be ERSPAN). */
    public void retypeInnermostTunnel(final int type, final long id)
    {
        final int depth = slot.tunnelCount;
        if (depth > 0)
        {
            slot.tunnelType[depth - 1] = type;
            slot.tunnelId[depth - 1] = id;
        }
    }

    /**
     * The layer that reads a quoted transport header: TCP, UDP, or ICMP echo of the quote's own IP
     * version. Other protocols, and a quoted non-first fragment, have no ports (as they would not
     * outside a quote): the quote is written at once.
     */
    public int byQuotedProtocol(
        final int ipVersion, final int protocol, final int offset, final boolean nonFirstFragment)
    {
        quotedIpVersion = ipVersion;
        quotedProtocol = protocol;
        if (nonFirstFragment)
        {
            return commitQuote(0, 0, 0, 0, 0);
        }
        next = offset;
        switch (layerByProtocol[protocol])
        {
            case Layer.TCP:
                return Layer.QUOTED_TCP;
            case Layer.UDP:
                return Layer.QUOTED_UDP;
            case Layer.ICMP:
                if (ipVersion == 4)
                {
                    return Layer.QUOTED_ICMP;
                }
                break;
            case Layer.ICMPV6:
                if (ipVersion == 6)
                {
                    return Layer.QUOTED_ICMP;
                }
                break;
            default:
                break;
        }
        return commitQuote(0, 0, 0, 0, Math.max(0, quoteEnd - offset));
    }

    /** Writes the quoted datagram of an ICMP error into the slot once its transport decoded. */
    public int commitQuote(
        final int sourcePort, final int destinationPort, final long sequence, final int flags, final int transportBytes)
    {
        final DecodedFrame slot = this.slot;
        slot.quotedPresent = true;
        slot.quotedProtocol = quotedProtocol;
        slot.quotedSrcHi = quotedSrcHi;
        slot.quotedSrcLo = quotedSrcLo;
        slot.quotedDstHi = quotedDstHi;
        slot.quotedDstLo = quotedDstLo;
        slot.quotedSrcPort = sourcePort;
        slot.quotedDstPort = destinationPort;
        slot.quotedSeq = sequence;
        slot.quotedTransportLength = transportBytes;
        slot.quotedTcpFlags = flags;
        census[Census.ICMP_ERROR_QUOTE]++;
        return Layer.END;
    }

    /** The IP version nibble of the byte at {@code offset} (common to IPv4 and IPv6). */
    public int versionAt(final int offset)
    {
        return NetworkOrder.uint8(buffer, offset) >>> 4;
    }
}
