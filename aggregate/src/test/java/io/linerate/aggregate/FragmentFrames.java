package io.linerate.aggregate;

import io.linerate.decode.PacketDecoder;
import io.linerate.ingest.ring.FrameSlot;

/**
 * IP fragments for shard tests, as frame bytes decoded by the real {@link PacketDecoder}: the
 * reassembler reads the first fragment's headers and the payload bytes, so a fragment must be a
 * frame, not only the decoded fields. Ethernet II frames; IPv4 addresses as ints ({@link Frames#ip}),
 * IPv6 addresses as (hi, lo) longs.
 */
public final class FragmentFrames
{
    public static final int ETHERNET_HEADER = 14;
    public static final int IPV4_HEADER = 20;
    public static final int IPV6_HEADER = 40;
    public static final int FRAGMENT_HEADER = 8;
    public static final int TCP_HEADER = 20;

    private static final int ETHER_TYPE_IPV4 = 0x0800;
    private static final int ETHER_TYPE_IPV6 = 0x86DD;
    private static final int ETHER_TYPE_VLAN = 0x8100;
    private static final int PROTOCOL_FRAGMENT = 44;

    private final PacketDecoder decoder = new PacketDecoder();
    private long frameNumber;
    private int vlan = -1;
    private int snapLength = Integer.MAX_VALUE;

    /** Tags the frames built from now on with one 802.1Q VLAN id (-1: untagged). */
    public FragmentFrames vlan(final int id)
    {
        vlan = id;
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

    /** A whole (unfragmented) IPv4 datagram carrying {@code ipPayload}, decoded. */
    public FrameSlot ipv4(final long micros, final long src, final long dst, final int protocol, final int id,
        final byte[] ipPayload)
    {
        return ipv4Fragment(micros, src, dst, protocol, id, ipPayload, 0, ipPayload.length, false);
    }

    /**
     * The IPv4 fragment carrying bytes [offset, offset + length) of {@code ipPayload} (RFC 791 §3.2:
     * offset in bytes, a multiple of 8 except in tests of bad input), decoded.
     */
    public FrameSlot ipv4Fragment(
        final long micros, final long src, final long dst, final int protocol, final int id,
        final byte[] ipPayload, final int offset, final int length, final boolean moreFragments)
    {
        final int link = linkHeaderLength();
        final byte[] frame = new byte[link + IPV4_HEADER + length];
        final int ip = linkHeader(frame, ETHER_TYPE_IPV4);
        frame[ip] = 0x45;
        put16(frame, ip + 2, IPV4_HEADER + length);
        put16(frame, ip + 4, id);
        put16(frame, ip + 6, (moreFragments ? 0x2000 : 0) | offset >>> 3);
        frame[ip + 8] = 64;
        frame[ip + 9] = (byte)protocol;
        put32(frame, ip + 12, src);
        put32(frame, ip + 16, dst);
        System.arraycopy(ipPayload, offset, frame, ip + IPV4_HEADER, length);
        return decoded(micros, frame);
    }

    /**
     * The IPv6 fragment carrying bytes [offset, offset + length) of the Fragmentable Part
     * {@code fragmentable} (RFC 8200 §4.5), with a Fragment header of next header {@code nextHeader}
     * right after the fixed header, decoded.
     */
    public FrameSlot ipv6Fragment(
        final long micros, final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int nextHeader, final long id, final byte[] fragmentable, final int offset, final int length,
        final boolean moreFragments)
    {
        final int link = linkHeaderLength();
        final byte[] frame = new byte[link + IPV6_HEADER + FRAGMENT_HEADER + length];
        final int ip = linkHeader(frame, ETHER_TYPE_IPV6);
        frame[ip] = 0x60;
        put16(frame, ip + 4, FRAGMENT_HEADER + length);
        frame[ip + 6] = PROTOCOL_FRAGMENT;
        frame[ip + 7] = 64;
        put64(frame, ip + 8, srcHi);
        put64(frame, ip + 16, srcLo);
        put64(frame, ip + 24, dstHi);
        put64(frame, ip + 32, dstLo);
        final int fh = ip + IPV6_HEADER;
        frame[fh] = (byte)nextHeader;
        put16(frame, fh + 2, offset | (moreFragments ? 1 : 0));
        put32(frame, fh + 4, id);
        System.arraycopy(fragmentable, offset, frame, fh + FRAGMENT_HEADER, length);
        return decoded(micros, frame);
    }

    /** Wire length of an IPv4 fragment frame carrying {@code length} payload bytes. */
    public int ipv4WireLength(final int length)
    {
        return linkHeaderLength() + IPV4_HEADER + length;
    }

    private int linkHeaderLength()
    {
        return ETHERNET_HEADER + (vlan >= 0 ? 4 : 0);
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

    private FrameSlot decoded(final long micros, final byte[] frame)
    {
        final int captureLength = Math.min(frame.length, snapLength);
        final FrameSlot s = new FrameSlot();
        s.ensureCapacity(captureLength);
        System.arraycopy(frame, 0, s.data, 0, captureLength);
        s.linkType = 1;
        s.captureLength = captureLength;
        s.wireLength = frame.length;
        s.timestampNanos = micros * 1000;
        s.frameNumber = ++frameNumber;
        decoder.decode(s);
        return s;
    }

    private static void put16(final byte[] b, final int at, final int v)
    {
        b[at] = (byte)(v >>> 8);
        b[at + 1] = (byte)v;
    }

    private static void put32(final byte[] b, final int at, final long v)
    {
        put16(b, at, (int)(v >>> 16) & 0xFFFF);
        put16(b, at + 2, (int)v & 0xFFFF);
    }

    private static void put64(final byte[] b, final int at, final long v)
    {
        put32(b, at, v >>> 32);
        put32(b, at + 4, v & 0xFFFF_FFFFL);
    }
}
