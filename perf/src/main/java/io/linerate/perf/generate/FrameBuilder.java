package io.linerate.perf.generate;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.ip.Ipv4HeaderFlyweight;
import io.linerate.decode.tcp.TcpFlags;

/**
 * Writes Ethernet II / IPv4 / TCP or UDP frames into a reusable buffer, with correct IPv4 header,
 * TCP and UDP checksums, so tcpdump, tshark and tcptrace read them as they would read real traffic.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  destination MAC (6)  |  source MAC (6)  | EtherType 0x0800  |  14 bytes
 * +---------------------------------------------------------------+
 * |  IPv4 header, 20 bytes, DF set for TCP, TTL 64, no options     |  RFC 791
 * +---------------------------------------------------------------+
 * |  TCP header, 20 bytes + options (RFC 9293) | UDP header, 8     |
 * +---------------------------------------------------------------+
 * |  payload (a deterministic byte pattern)                        |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Frames shorter than the Ethernet minimum (60 bytes without the FCS) are zero-padded to 60, as
 * a NIC pads them on the wire; the IP total length still says where the datagram ends. The frame
 * check sequence is never written: captures do not hold it.
 *
 * <p>Not thread-safe; one builder per generator. Nothing is allocated per frame.
 */
public final class FrameBuilder
{
    /** Smallest Ethernet frame without its 4-byte FCS (64 bytes on the wire with it). */
    public static final int MIN_FRAME_LENGTH = 60;
    /** Ethernet II header: two MAC addresses and the EtherType. */
    public static final int ETHERNET_HEADER_LENGTH = 14;
    /** IPv4 header without options (RFC 791 section 3.1). */
    public static final int IPV4_HEADER_LENGTH = 20;
    /** TCP header without options (RFC 9293 section 3.1). */
    public static final int TCP_HEADER_LENGTH = 20;
    /** UDP header (RFC 768). */
    public static final int UDP_HEADER_LENGTH = 8;
    /** Largest frame built: a 1500-byte IP MTU plus the Ethernet header. */
    public static final int MAX_FRAME_LENGTH = ETHERNET_HEADER_LENGTH + 1500;


    private static final int TTL = 64;

    /**
     * SYN and SYN-ACK options as Linux orders them without timestamps: MSS (kind 2), NOP, window
     * scale (kind 3, RFC 7323 section 2.2), NOP, NOP, SACK permitted (kind 4, RFC 2018 section 2).
     * The MSS value (bytes 2-3) is filled in per frame.
     */
    private static final byte[] SYN_OPTIONS = {2, 4, 0, 0, 1, 3, 3, 7, 1, 1, 4, 2};

    /** Bytes the payloads are cut from: a fixed pseudo-random pattern, so payloads are not all zeros. */
    private static final int PATTERN_LENGTH = 1 << 16;
    private static final byte[] PATTERN = new byte[PATTERN_LENGTH + MAX_FRAME_LENGTH];

    static
    {
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < PATTERN.length; i++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            PATTERN[i] = (byte)x;
        }
    }

    private final byte[] frame = new byte[MAX_FRAME_LENGTH];
    private int ipIdentification;

    /** The buffer the last frame was written to; valid until the next build. */
    public byte[] frame()
    {
        return frame;
    }

    /**
     * Builds a TCP segment.
     *
     * @param srcIp        IPv4 source address (low 32 bits)
     * @param dstIp        IPv4 destination address
     * @param seq          sequence number (low 32 bits used)
     * @param ack          acknowledgement number (low 32 bits used)
     * @param flags        TCP flags ({@link TcpFlags#SYN}, {@link TcpFlags#ACK}, ...)
     * @param window       raw 16-bit window field
     * @param mss          MSS to announce in SYN options, or 0 for a segment without options
     * @param payloadLength payload bytes (a pattern chosen by {@code payloadSeed})
     * @param payloadSeed  which part of the pattern the payload is cut from
     * @return the frame length (at least {@link #MIN_FRAME_LENGTH})
     */
    public int tcp(final int srcIp, final int srcPort, final int dstIp, final int dstPort, final long seq,
        final long ack, final int flags, final int window, final int mss, final int payloadLength, final long payloadSeed)
    {
        final int optionsLength = mss > 0 ? SYN_OPTIONS.length : 0;
        final int tcpLength = TCP_HEADER_LENGTH + optionsLength;
        final int ipLength = IPV4_HEADER_LENGTH + tcpLength + payloadLength;
        checkFits(ipLength);
        final int ip = ETHERNET_HEADER_LENGTH;
        final int t = ip + IPV4_HEADER_LENGTH;
        ethernet(srcIp, dstIp);
        ipv4(ip, ipLength, IpProtocol.TCP, Ipv4HeaderFlyweight.DONT_FRAGMENT_FLAG, srcIp, dstIp);

        putShort(t, srcPort);
        putShort(t + 2, dstPort);
        putInt(t + 4, (int)seq);
        putInt(t + 8, (flags & TcpFlags.ACK) != 0 ? (int)ack : 0);
        frame[t + 12] = (byte)((tcpLength / 4) << 4);
        frame[t + 13] = (byte)flags;
        putShort(t + 14, window);
        putShort(t + 16, 0);
        putShort(t + 18, 0);
        if (optionsLength > 0)
        {
            System.arraycopy(SYN_OPTIONS, 0, frame, t + TCP_HEADER_LENGTH, optionsLength);
            putShort(t + TCP_HEADER_LENGTH + 2, mss);
        }
        final int payload = t + tcpLength;
        copyPayload(payload, payloadLength, payloadSeed);
        putShort(t + 16, transportChecksum(IpProtocol.TCP, srcIp, dstIp, t, tcpLength + payloadLength));
        return pad(payload + payloadLength);
    }

    /** Builds a UDP datagram with a pattern payload; see {@link #tcp} for the parameters. */
    public int udp(final int srcIp, final int srcPort, final int dstIp, final int dstPort, final int payloadLength,
        final long payloadSeed)
    {
        return udp(srcIp, srcPort, dstIp, dstPort, PATTERN, (int)(payloadSeed & (PATTERN_LENGTH - 1)), payloadLength);
    }

    /** Builds a UDP datagram carrying {@code payload[0, payloadLength)}. */
    public int udp(final int srcIp, final int srcPort, final int dstIp, final int dstPort, final byte[] payload,
        final int payloadLength)
    {
        return udp(srcIp, srcPort, dstIp, dstPort, payload, 0, payloadLength);
    }

    private int udp(final int srcIp, final int srcPort, final int dstIp, final int dstPort, final byte[] payload,
        final int payloadOffset, final int payloadLength)
    {
        final int udpLength = UDP_HEADER_LENGTH + payloadLength;
        final int ipLength = IPV4_HEADER_LENGTH + udpLength;
        checkFits(ipLength);
        final int ip = ETHERNET_HEADER_LENGTH;
        final int u = ip + IPV4_HEADER_LENGTH;
        ethernet(srcIp, dstIp);
        ipv4(ip, ipLength, IpProtocol.UDP, 0, srcIp, dstIp);
        putShort(u, srcPort);
        putShort(u + 2, dstPort);
        putShort(u + 4, udpLength);
        putShort(u + 6, 0);
        System.arraycopy(payload, payloadOffset, frame, u + UDP_HEADER_LENGTH, payloadLength);
        int checksum = transportChecksum(IpProtocol.UDP, srcIp, dstIp, u, udpLength);
        // RFC 768: a computed zero is sent as all ones (zero means "no checksum").
        if (checksum == 0)
        {
            checksum = 0xFFFF;
        }
        putShort(u + 6, checksum);
        return pad(u + udpLength);
    }

    /**
     * Builds one IPv4 fragment (RFC 791 section 3.2): bytes [offset, offset + length) of the datagram
     * payload {@code payload} (its transport header included), with identification {@code id}.
     *
     * @param offset fragment offset in bytes (a multiple of 8, except to build bad input)
     * @return the frame length (at least {@link #MIN_FRAME_LENGTH})
     */
    public int ipv4Fragment(final int srcIp, final int dstIp, final int protocol, final int id,
        final byte[] payload, final int offset, final int length, final boolean moreFragments)
    {
        final int ipLength = IPV4_HEADER_LENGTH + length;
        checkFits(ipLength);
        final int ip = ETHERNET_HEADER_LENGTH;
        ethernet(srcIp, dstIp);
        final int next = ipIdentification;
        ipIdentification = id & 0xFFFF;
        ipv4(ip, ipLength, protocol, (moreFragments ? Ipv4HeaderFlyweight.MORE_FRAGMENTS_FLAG : 0) | offset >>> 3, srcIp, dstIp);
        ipIdentification = next;
        System.arraycopy(payload, offset, frame, ip + IPV4_HEADER_LENGTH, length);
        return pad(ip + ipLength);
    }

    /** Frame length of a TCP segment with {@code payloadLength} payload bytes and no options. */
    public static int tcpFrameLength(final int payloadLength)
    {
        return Math.max(MIN_FRAME_LENGTH, ETHERNET_HEADER_LENGTH + IPV4_HEADER_LENGTH + TCP_HEADER_LENGTH + payloadLength);
    }

    /** Frame length of a SYN or SYN-ACK built with options. */
    public static int synFrameLength()
    {
        return Math.max(MIN_FRAME_LENGTH, ETHERNET_HEADER_LENGTH + IPV4_HEADER_LENGTH + TCP_HEADER_LENGTH + SYN_OPTIONS.length);
    }

    /** Frame length of a UDP datagram with {@code payloadLength} payload bytes. */
    public static int udpFrameLength(final int payloadLength)
    {
        return Math.max(MIN_FRAME_LENGTH, ETHERNET_HEADER_LENGTH + IPV4_HEADER_LENGTH + UDP_HEADER_LENGTH + payloadLength);
    }

    /** Dotted-quad text of an IPv4 address held in an int. */
    public static String ipText(final int ip)
    {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF);
    }

    /**
     * The Internet checksum (RFC 1071) of {@code length} bytes of {@code data} from {@code offset},
     * added to {@code initial} (a partial sum), folded and complemented.
     */
    public static int internetChecksum(final byte[] data, final int offset, final int length, final long initial)
    {
        long sum = initial;
        int i = offset;
        final int end = offset + length;
        for (; i + 1 < end; i += 2)
        {
            sum += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        }
        if (i < end)
        {
            sum += (data[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }

    private void ethernet(final int srcIp, final int dstIp)
    {
        // Locally administered unicast MACs (02:...) derived from the addresses: stable and distinct.
        mac(0, dstIp);
        mac(6, srcIp);
        putShort(12, EtherType.IPV4);
    }

    private void mac(final int offset, final int ip)
    {
        frame[offset] = 0x02;
        frame[offset + 1] = 0x00;
        putInt(offset + 2, ip);
    }

    private void ipv4(final int ip, final int totalLength, final int protocol, final int flagsAndOffset,
        final int srcIp, final int dstIp)
    {
        frame[ip] = 0x45;
        frame[ip + 1] = 0;
        putShort(ip + 2, totalLength);
        putShort(ip + 4, ipIdentification);
        ipIdentification = (ipIdentification + 1) & 0xFFFF;
        putShort(ip + 6, flagsAndOffset);
        frame[ip + 8] = (byte)TTL;
        frame[ip + 9] = (byte)protocol;
        putShort(ip + 10, 0);
        putInt(ip + 12, srcIp);
        putInt(ip + 16, dstIp);
        putShort(ip + 10, internetChecksum(frame, ip, IPV4_HEADER_LENGTH, 0));
    }

    private int transportChecksum(final int protocol, final int srcIp, final int dstIp, final int offset, final int length)
    {
        // Pseudo-header (RFC 9293 section 3.1, RFC 768): addresses, zero, protocol, length.
        final long pseudo = (srcIp >>> 16) + (srcIp & 0xFFFF) + (dstIp >>> 16) + (dstIp & 0xFFFF) + protocol + length;
        return internetChecksum(frame, offset, length, pseudo);
    }

    private void copyPayload(final int offset, final int length, final long seed)
    {
        if (length > 0)
        {
            System.arraycopy(PATTERN, (int)(seed & (PATTERN_LENGTH - 1)), frame, offset, length);
        }
    }

    private int pad(final int length)
    {
        if (length < MIN_FRAME_LENGTH)
        {
            java.util.Arrays.fill(frame, length, MIN_FRAME_LENGTH, (byte)0);
            return MIN_FRAME_LENGTH;
        }
        return length;
    }

    private static void checkFits(final int ipLength)
    {
        if (ETHERNET_HEADER_LENGTH + ipLength > MAX_FRAME_LENGTH)
        {
            throw new IllegalArgumentException("datagram of " + ipLength + " bytes exceeds the 1500-byte MTU");
        }
    }

    private void putShort(final int offset, final int value)
    {
        frame[offset] = (byte)(value >>> 8);
        frame[offset + 1] = (byte)value;
    }

    private void putInt(final int offset, final int value)
    {
        frame[offset] = (byte)(value >>> 24);
        frame[offset + 1] = (byte)(value >>> 16);
        frame[offset + 2] = (byte)(value >>> 8);
        frame[offset + 3] = (byte)value;
    }
}
