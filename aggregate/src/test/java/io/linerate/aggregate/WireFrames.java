package io.linerate.aggregate;

import io.linerate.decode.DecodedFrame;
import io.linerate.decode.PacketDecoder;

import static io.linerate.aggregate.CapturedFrames.put16;
import static io.linerate.aggregate.CapturedFrames.put32;

/**
 * Ethernet frames as bytes, decoded by the real {@link PacketDecoder}, for the fuzz tests that drive a
 * shard with frame sequences: IPv4 or IPv6, carrying TCP (any flags, options and payload bytes), UDP,
 * or an ICMP destination unreachable quoting a datagram. Addresses are IPv4 ints or IPv6 (hi, lo)
 * pairs; an IPv4 address in an IPv6 frame is its v4-mapped form.
 */
public final class WireFrames
{
    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private static final int IPV6 = 40;

    private final CapturedFrames captured = new CapturedFrames(new PacketDecoder());

    /** A TCP segment; {@code options} are padded with NOPs (1) to a multiple of 4 and cut at 40 bytes. */
    public DecodedFrame tcp(final long nanos, final boolean ipv6, final long src, final int srcPort, final long dst,
        final int dstPort, final int flags, final long seq, final long ack, final int window, final byte[] options,
        final byte[] payload, final int snapLength)
    {
        final int optionsLength = Math.min(40, (options.length + 3) & ~3);
        final byte[] segment = new byte[20 + optionsLength + payload.length];
        put16(segment, 0, srcPort);
        put16(segment, 2, dstPort);
        put32(segment, 4, seq);
        put32(segment, 8, ack);
        segment[12] = (byte)((20 + optionsLength) / 4 << 4);
        segment[13] = (byte)flags;
        put16(segment, 14, window);
        for (int i = 0; i < optionsLength; i++)
        {
            segment[20 + i] = i < options.length ? options[i] : 1;
        }
        System.arraycopy(payload, 0, segment, 20 + optionsLength, payload.length);
        return ip(nanos, ipv6, src, dst, 6, segment, snapLength);
    }

    /** A UDP datagram. */
    public DecodedFrame udp(final long nanos, final boolean ipv6, final long src, final int srcPort, final long dst,
        final int dstPort, final byte[] payload, final int snapLength)
    {
        final byte[] datagram = new byte[8 + payload.length];
        put16(datagram, 0, srcPort);
        put16(datagram, 2, dstPort);
        put16(datagram, 4, datagram.length);
        System.arraycopy(payload, 0, datagram, 8, payload.length);
        return ip(nanos, ipv6, src, dst, 17, datagram, snapLength);
    }

    /**
     * An ICMP (ICMPv6) destination unreachable from {@code reporter} to {@code to}, quoting an IP header
     * from {@code to} to {@code quotedDst} of protocol {@code quotedProtocol} and {@code quoted} bytes of it.
     */
    public DecodedFrame unreachable(final long nanos, final boolean ipv6, final long reporter, final long to,
        final int code, final int quotedProtocol, final long quotedDst, final byte[] quoted, final int snapLength)
    {
        final byte[] quotedPacket = ipPacket(ipv6, to, quotedDst, quotedProtocol, quoted, 64);
        final byte[] icmp = new byte[8 + quotedPacket.length];
        icmp[0] = (byte)(ipv6 ? 1 : 3);
        icmp[1] = (byte)code;
        System.arraycopy(quotedPacket, 0, icmp, 8, quotedPacket.length);
        return ip(nanos, ipv6, reporter, to, ipv6 ? 58 : 1, icmp, snapLength);
    }

    /** Any bytes as an Ethernet frame (whatever they hold), decoded. */
    public DecodedFrame raw(final long nanos, final byte[] frame)
    {
        return captured.decoded(nanos, frame, frame.length);
    }

    private DecodedFrame ip(final long nanos, final boolean ipv6, final long src, final long dst, final int protocol,
        final byte[] payload, final int snapLength)
    {
        final byte[] packet = ipPacket(ipv6, src, dst, protocol, payload, 64);
        final byte[] frame = new byte[ETHERNET + packet.length];
        for (int i = 0; i < 12; i++)
        {
            frame[i] = (byte)(i + 1);
        }
        put16(frame, 12, ipv6 ? 0x86DD : 0x0800);
        System.arraycopy(packet, 0, frame, ETHERNET, packet.length);
        return captured.decoded(nanos, frame, snapLength);
    }

    private static byte[] ipPacket(final boolean ipv6, final long src, final long dst, final int protocol,
        final byte[] payload, final int ttl)
    {
        if (ipv6)
        {
            final byte[] p = new byte[IPV6 + payload.length];
            p[0] = 0x60;
            put16(p, 4, payload.length);
            p[6] = (byte)protocol;
            p[7] = (byte)ttl;
            // v4-mapped addresses (::ffff:a.b.c.d), so one address set serves both versions.
            put32(p, 16, 0xFFFF);
            put32(p, 20, src);
            put32(p, 32, 0xFFFF);
            put32(p, 36, dst);
            System.arraycopy(payload, 0, p, IPV6, payload.length);
            return p;
        }
        final byte[] p = new byte[IPV4 + payload.length];
        p[0] = 0x45;
        put16(p, 2, p.length);
        p[8] = (byte)ttl;
        p[9] = (byte)protocol;
        put32(p, 12, src);
        put32(p, 16, dst);
        System.arraycopy(payload, 0, p, IPV4, payload.length);
        return p;
    }
}
