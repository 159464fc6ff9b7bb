package io.linerate.aggregate;

import io.linerate.decode.DecodeSettings;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.PacketDecoder;

import static io.linerate.aggregate.CapturedFrames.put16;
import static io.linerate.aggregate.CapturedFrames.put32;
import static io.linerate.aggregate.CapturedFrames.put64;

/**
 * IP fragments for shard tests, as frame bytes decoded by the real {@link PacketDecoder}: the
 * reassembler reads the first fragment's headers and the payload bytes, so a fragment must be a
 * frame, not only the decoded fields. Ethernet II frames, the IP packet in a VXLAN or GRE tunnel
 * when one is set ({@link #vxlan}, {@link #gre}); IPv4 addresses as ints ({@link Frames#ip}), IPv6
 * addresses as (hi, lo) longs.
 */
public final class FragmentFrames
{
    public static final int ETHERNET_HEADER = 14;
    public static final int IPV4_HEADER = 20;
    public static final int IPV6_HEADER = 40;
    public static final int FRAGMENT_HEADER = 8;
    public static final int TCP_HEADER = 20;
    public static final int UDP_HEADER = 8;
    public static final int VXLAN_HEADER = 8;
    /** A GRE header with its key (RFC 2890 §2). */
    public static final int GRE_HEADER_WITH_KEY = 8;
    /** The outer endpoints of the tunnels: VTEP A sends, VTEP B receives. */
    public static final long VTEP_A = Frames.ip(172, 16, 0, 1);
    public static final long VTEP_B = Frames.ip(172, 16, 0, 2);
    /** The outer UDP source port of the VXLAN packets. */
    public static final int VXLAN_SOURCE_PORT = 55555;
    public static final int PROTOCOL_UDP = 17;
    public static final int PROTOCOL_GRE = 47;

    private static final int ETHER_TYPE_IPV4 = 0x0800;
    private static final int ETHER_TYPE_IPV6 = 0x86DD;
    private static final int ETHER_TYPE_VLAN = 0x8100;
    private static final int PROTOCOL_FRAGMENT = 44;
    private static final int NO_TUNNEL = 0;
    private static final int VXLAN = 1;
    private static final int GRE = 2;

    private final CapturedFrames captured;
    private int vlan = -1;
    private int snapLength = Integer.MAX_VALUE;
    private int tunnel = NO_TUNNEL;
    private int vxlanPort;
    private long tunnelId;

    /** Frames decoded with {@link DecodeSettings#DEFAULT}. */
    public FragmentFrames()
    {
        this(DecodeSettings.DEFAULT);
    }

    /** Frames decoded as a run with these settings decodes them. */
    public FragmentFrames(final DecodeSettings decode)
    {
        captured = new CapturedFrames(new PacketDecoder(decode));
    }

    /** Tags the frames built from now on with one 802.1Q VLAN id (-1: untagged). */
    public FragmentFrames vlan(final int id)
    {
        vlan = id;
        return this;
    }

    /**
     * Carries the IP packets built from now on in VXLAN (RFC 7348) from {@link #VTEP_A} to
     * {@link #VTEP_B}, UDP port {@link #VXLAN_SOURCE_PORT} to {@code port}, VNI {@code vni}, in an
     * inner Ethernet frame.
     */
    public FragmentFrames vxlan(final int port, final long vni)
    {
        tunnel = VXLAN;
        vxlanPort = port;
        tunnelId = vni;
        return this;
    }

    /** Carries the IP packets built from now on in GRE with key {@code key} from {@link #VTEP_A} to {@link #VTEP_B}. */
    public FragmentFrames gre(final long key)
    {
        tunnel = GRE;
        tunnelId = key;
        return this;
    }

    /** The IP packets built from now on are in no tunnel. */
    public FragmentFrames untunnelled()
    {
        tunnel = NO_TUNNEL;
        return this;
    }

    /** Captures at most this many bytes of each frame built from now on (the wire length stays). */
    public FragmentFrames snapLength(final int bytes)
    {
        snapLength = bytes;
        return this;
    }

    /**
     * A TCP segment as IP payload: a header of {@code 20 + options.length} bytes (options padded by
     * the caller to a multiple of 4) and {@code payload} bytes counting 0, 1, 2, ...
     */
    public static byte[] tcpSegment(
        final int srcPort, final int dstPort, final int flags, final long seq, final long ack, final byte[] options,
        final int payload)
    {
        final int headerLength = TCP_HEADER + options.length;
        final byte[] b = new byte[headerLength + payload];
        put16(b, 0, srcPort);
        put16(b, 2, dstPort);
        put32(b, 4, seq);
        put32(b, 8, ack);
        b[12] = (byte)(headerLength / 4 << 4);
        b[13] = (byte)flags;
        put16(b, 14, 65535);
        System.arraycopy(options, 0, b, TCP_HEADER, options.length);
        for (int i = 0; i < payload; i++)
        {
            b[headerLength + i] = (byte)i;
        }
        return b;
    }

    /** A TCP segment without options. */
    public static byte[] tcpSegment(
        final int srcPort, final int dstPort, final int flags, final long seq, final long ack, final int payload)
    {
        return tcpSegment(srcPort, dstPort, flags, seq, ack, new byte[0], payload);
    }

    /** A UDP datagram (checksum 0) carrying {@code payload}. */
    public static byte[] udpDatagram(final int srcPort, final int dstPort, final byte[] payload)
    {
        final byte[] b = new byte[UDP_HEADER + payload.length];
        put16(b, 0, srcPort);
        put16(b, 2, dstPort);
        put16(b, 4, b.length);
        System.arraycopy(payload, 0, b, UDP_HEADER, payload.length);
        return b;
    }

    /** A VXLAN header (I flag, VNI {@code vni}) and an Ethernet frame carrying the IPv4 packet {@code ipv4Packet}. */
    public static byte[] vxlanPayload(final long vni, final byte[] ipv4Packet)
    {
        final byte[] b = new byte[VXLAN_HEADER + ETHERNET_HEADER + ipv4Packet.length];
        b[0] = 0x08;
        put32(b, 4, vni << 8);
        for (int i = 0; i < 12; i++)
        {
            b[VXLAN_HEADER + i] = (byte)(0x20 + i);
        }
        put16(b, VXLAN_HEADER + 12, ETHER_TYPE_IPV4);
        System.arraycopy(ipv4Packet, 0, b, VXLAN_HEADER + ETHERNET_HEADER, ipv4Packet.length);
        return b;
    }

    /** A whole IPv4 packet (no flags, TTL 64, checksum 0) carrying {@code ipPayload}. */
    public static byte[] ipv4Packet(
        final long src, final long dst, final int protocol, final int id, final byte[] ipPayload)
    {
        return ipv4Packet(src, dst, protocol, id, ipPayload, 0, ipPayload.length, false);
    }

    /** A whole (unfragmented) IPv4 datagram carrying {@code ipPayload}, decoded. */
    public DecodedFrame ipv4(final long micros, final long src, final long dst, final int protocol, final int id,
        final byte[] ipPayload)
    {
        return ipv4Fragment(micros, src, dst, protocol, id, ipPayload, 0, ipPayload.length, false);
    }

    /**
     * The IPv4 fragment carrying bytes [offset, offset + length) of {@code ipPayload} (RFC 791 §3.2:
     * offset in bytes, a multiple of 8 except in tests of bad input), decoded.
     */
    public DecodedFrame ipv4Fragment(
        final long micros, final long src, final long dst, final int protocol, final int id,
        final byte[] ipPayload, final int offset, final int length, final boolean moreFragments)
    {
        return decoded(micros, frame(ETHER_TYPE_IPV4,
            ipv4Packet(src, dst, protocol, id, ipPayload, offset, length, moreFragments)));
    }

    private static byte[] ipv4Packet(
        final long src, final long dst, final int protocol, final int id,
        final byte[] ipPayload, final int offset, final int length, final boolean moreFragments)
    {
        final byte[] packet = new byte[IPV4_HEADER + length];
        packet[0] = 0x45;
        put16(packet, 2, IPV4_HEADER + length);
        put16(packet, 4, id);
        put16(packet, 6, (moreFragments ? 0x2000 : 0) | offset >>> 3);
        packet[8] = 64;
        packet[9] = (byte)protocol;
        put32(packet, 12, src);
        put32(packet, 16, dst);
        System.arraycopy(ipPayload, offset, packet, IPV4_HEADER, length);
        return packet;
    }

    /**
     * The IPv6 fragment carrying bytes [offset, offset + length) of the Fragmentable Part
     * {@code fragmentable} (RFC 8200 §4.5), with a Fragment header of next header {@code nextHeader}
     * right after the fixed header, decoded.
     */
    public DecodedFrame ipv6Fragment(
        final long micros, final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int nextHeader, final long id, final byte[] fragmentable, final int offset, final int length,
        final boolean moreFragments)
    {
        final byte[] packet = new byte[IPV6_HEADER + FRAGMENT_HEADER + length];
        packet[0] = 0x60;
        put16(packet, 4, FRAGMENT_HEADER + length);
        packet[6] = PROTOCOL_FRAGMENT;
        packet[7] = 64;
        put64(packet, 8, srcHi);
        put64(packet, 16, srcLo);
        put64(packet, 24, dstHi);
        put64(packet, 32, dstLo);
        final int fh = IPV6_HEADER;
        packet[fh] = (byte)nextHeader;
        put16(packet, fh + 2, offset | (moreFragments ? 1 : 0));
        put32(packet, fh + 4, id);
        System.arraycopy(fragmentable, offset, packet, fh + FRAGMENT_HEADER, length);
        return decoded(micros, frame(ETHER_TYPE_IPV6, packet));
    }

    /** Wire length of an IPv4 fragment frame carrying {@code length} payload bytes. */
    public int ipv4WireLength(final int length)
    {
        return linkHeaderLength() + tunnelHeadersLength() + IPV4_HEADER + length;
    }

    private int linkHeaderLength()
    {
        return ETHERNET_HEADER + (vlan >= 0 ? 4 : 0);
    }

    /** Bytes of the outer IP and tunnel headers before the IP packet. */
    private int tunnelHeadersLength()
    {
        switch (tunnel)
        {
            case VXLAN:
                return IPV4_HEADER + UDP_HEADER + VXLAN_HEADER + ETHERNET_HEADER;
            case GRE:
                return IPV4_HEADER + GRE_HEADER_WITH_KEY;
            default:
                return 0;
        }
    }

    /** The frame of an IP packet of EtherType {@code etherType}: link header, then the tunnel if any. */
    private byte[] frame(final int etherType, final byte[] packet)
    {
        final byte[] carried;
        final int outerEtherType;
        switch (tunnel)
        {
            case VXLAN:
                if (etherType != ETHER_TYPE_IPV4)
                {
                    throw new IllegalArgumentException("VXLAN frames carry IPv4 here");
                }
                carried = ipv4Packet(VTEP_A, VTEP_B, PROTOCOL_UDP, 0,
                    udpDatagram(VXLAN_SOURCE_PORT, vxlanPort, vxlanPayload(tunnelId, packet)));
                outerEtherType = ETHER_TYPE_IPV4;
                break;
            case GRE:
                final byte[] gre = new byte[GRE_HEADER_WITH_KEY + packet.length];
                put16(gre, 0, 0x2000);
                put16(gre, 2, etherType);
                put32(gre, 4, tunnelId);
                System.arraycopy(packet, 0, gre, GRE_HEADER_WITH_KEY, packet.length);
                carried = ipv4Packet(VTEP_A, VTEP_B, PROTOCOL_GRE, 0, gre);
                outerEtherType = ETHER_TYPE_IPV4;
                break;
            default:
                carried = packet;
                outerEtherType = etherType;
                break;
        }
        final byte[] frame = new byte[linkHeaderLength() + carried.length];
        final int ip = linkHeader(frame, outerEtherType);
        System.arraycopy(carried, 0, frame, ip, carried.length);
        return frame;
    }

    /** Writes the Ethernet (and VLAN) header; returns where the IP header starts. */
    private int linkHeader(final byte[] frame, final int etherType)
    {
        for (int i = 0; i < 12; i++)
        {
            frame[i] = (byte)(i + 1);
        }
        if (vlan >= 0)
        {
            put16(frame, 12, ETHER_TYPE_VLAN);
            put16(frame, 14, vlan);
            put16(frame, 16, etherType);
            return 18;
        }
        put16(frame, 12, etherType);
        return ETHERNET_HEADER;
    }

    private DecodedFrame decoded(final long micros, final byte[] frame)
    {
        return captured.decoded(micros * 1000, frame, snapLength);
    }
}
