package io.linerate.aggregate;

import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FlowHash;
import io.linerate.decode.tcp.TcpFlags;

/**
 * Decoded frames for shard tests: the fields a decoder would have written, set directly, so each
 * test states exactly the packet it means. Addresses are IPv4 (a.b.c.d as an int).
 */
public final class Frames
{
    public static final int FIN = TcpFlags.FIN;
    public static final int SYN = TcpFlags.SYN;
    public static final int RST = TcpFlags.RST;
    public static final int PSH = TcpFlags.PSH;
    public static final int ACK = TcpFlags.ACK;

    private long frameNumber;

    public static long ip(final int a, final int b, final int c, final int d)
    {
        return ((long)a << 24) | (b << 16) | (c << 8) | d;
    }

    /** A TCP segment from src:srcPort to dst:dstPort at {@code micros}. */
    public DecodedFrame tcp(
        final long micros, final long src, final int srcPort, final long dst, final int dstPort,
        final int flags, final long seq, final long ack, final int payload)
    {
        final DecodedFrame s = base(micros, 6, src, srcPort, dst, dstPort);
        s.tcpFlags = flags;
        s.seq = seq & 0xFFFFFFFFL;
        s.ack = ack & 0xFFFFFFFFL;
        s.window = 65535;
        s.payloadLength = payload;
        s.wireLength = 54 + payload;
        s.captureLength = s.wireLength;
        return hashed(s);
    }

    /** A UDP datagram. */
    public DecodedFrame udp(final long micros, final long src, final int srcPort, final long dst, final int dstPort,
        final int payload)
    {
        final DecodedFrame s = base(micros, 17, src, srcPort, dst, dstPort);
        s.payloadLength = payload;
        s.wireLength = 42 + payload;
        s.captureLength = s.wireLength;
        return hashed(s);
    }

    /**
     * An ICMP destination unreachable from {@code reporter} to {@code to}, quoting a TCP header of
     * {@code quotedBytes} bytes sent from quotedSrc to quotedDst.
     */
    public DecodedFrame icmpQuotingTcp(
        final long micros, final long reporter, final long to, final int code,
        final long quotedSrc, final int quotedSrcPort, final long quotedDst, final int quotedDstPort,
        final int quotedFlags, final int quotedBytes)
    {
        return icmpQuoting(micros, reporter, to, code, 6, quotedSrc, quotedSrcPort, quotedDst, quotedDstPort,
            quotedFlags, quotedBytes);
    }

    /** The same, quoting a header of IP protocol {@code quotedProtocol}. */
    public DecodedFrame icmpQuoting(
        final long micros, final long reporter, final long to, final int code, final int quotedProtocol,
        final long quotedSrc, final int quotedSrcPort, final long quotedDst, final int quotedDstPort,
        final int quotedFlags, final int quotedBytes)
    {
        final DecodedFrame s = base(micros, 1, reporter, 0, to, 0);
        s.icmpType = 3;
        s.icmpCode = code;
        s.quotedPresent = true;
        s.quotedProtocol = quotedProtocol;
        s.quotedSrcLo = quotedSrc;
        s.quotedSrcPort = quotedSrcPort;
        s.quotedDstLo = quotedDst;
        s.quotedDstPort = quotedDstPort;
        s.quotedTransportLength = quotedBytes;
        s.quotedTcpFlags = quotedBytes >= 14 ? quotedFlags : 0;
        s.wireLength = 14 + 20 + 8 + 20 + quotedBytes;
        s.captureLength = s.wireLength;
        return hashed(s);
    }

    /** The flow hash as the decoder writes it: the quoted connection's for an ICMP error. */
    private static DecodedFrame hashed(final DecodedFrame s)
    {
        s.flowHash = s.quotedPresent ?
            FlowHash.hash(s.quotedProtocol, s.quotedSrcHi, s.quotedSrcLo, s.quotedSrcPort,
                s.quotedDstHi, s.quotedDstLo, s.quotedDstPort) :
            FlowHash.hash(s.ipProtocol, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
        return s;
    }

    private DecodedFrame base(final long micros, final int protocol, final long src, final int srcPort, final long dst,
        final int dstPort)
    {
        final DecodedFrame s = new DecodedFrame();
        s.clearDecoded();
        s.frameNumber = ++frameNumber;
        s.timestampNanos = micros * 1000;
        s.linkType = 1;
        s.ipVersion = 4;
        s.ipProtocol = protocol;
        s.transportPresent = true;
        s.srcLo = src;
        s.dstLo = dst;
        s.srcPort = srcPort;
        s.dstPort = dstPort;
        return s;
    }
}
