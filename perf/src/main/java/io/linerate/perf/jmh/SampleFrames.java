package io.linerate.perf.jmh;

import io.linerate.decode.DecodedFrame;
import io.linerate.decode.tcp.TcpFlags;
import io.linerate.perf.generate.FrameBuilder;

import java.util.Arrays;

/**
 * Frames for the micro-benchmarks, one per kind of traffic the decoder meets most, loaded into a
 * ring slot as the reader would leave it (capture metadata and bytes, nothing decoded).
 *
 * <ul>
 * <li>{@code tcp_ack_64}: a 60-byte TCP pure ACK (64 with FCS), the 10GbE line-rate case</li>
 * <li>{@code tcp_syn_options}: a SYN with MSS, window scale and SACK-permitted options</li>
 * <li>{@code tcp_data_1514}: a full-size TCP data segment (1460 bytes of payload)</li>
 * <li>{@code udp}: a UDP datagram with 52 bytes of payload</li>
 * <li>{@code vlan_tcp_ack}: an 802.1Q-tagged TCP pure ACK</li>
 * <li>{@code ipv6_tcp_ack}: a TCP pure ACK over IPv6</li>
 * <li>{@code icmp_port_unreachable}: an ICMP port unreachable quoting a UDP datagram</li>
 * <li>{@code vxlan_tcp_ack}: the {@code tcp_ack_64} frame in VXLAN (VNI 42) between two VTEPs</li>
 * </ul>
 */
public final class SampleFrames
{
    /** Every frame name {@link #load} knows. */
    public static final String[] NAMES = {
        "tcp_ack_64", "tcp_syn_options", "tcp_data_1514", "udp", "vlan_tcp_ack", "ipv6_tcp_ack", "icmp_port_unreachable",
        "vxlan_tcp_ack"};

    private static final int CLIENT = (10 << 24) | (1 << 16) | (2 << 8) | 3;
    private static final int SERVER = (172 << 24) | (16 << 16) | 1;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final long TIME_NANOS = 1_704_067_200_000_000_000L;

    private SampleFrames()
    {
    }

    /** Fills {@code slot}'s capture fields with the frame called {@code name}. */
    public static void load(final String name, final DecodedFrame slot)
    {
        final byte[] frame = build(name);
        slot.ensureCapacity(frame.length);
        System.arraycopy(frame, 0, slot.data, 0, frame.length);
        slot.captureLength = frame.length;
        slot.wireLength = frame.length;
        slot.linkType = LINKTYPE_ETHERNET;
        slot.interfaceId = 0;
        slot.timestampNanos = TIME_NANOS;
        slot.frameNumber = 1;
        slot.fileOffset = -1;
        slot.endOfInput = false;
    }

    /** The bytes of the frame called {@code name}. */
    public static byte[] build(final String name)
    {
        final FrameBuilder b = new FrameBuilder();
        switch (name)
        {
            case "tcp_ack_64":
                return copy(b, b.tcp(CLIENT, 51234, SERVER, 443, 1000, 2000, TcpFlags.ACK, 502, 0, 0, 0));
            case "tcp_syn_options":
                return copy(b, b.tcp(CLIENT, 51234, SERVER, 443, 999, 0, TcpFlags.SYN, 64240, 1460, 0, 0));
            case "tcp_data_1514":
                return copy(b, b.tcp(SERVER, 443, CLIENT, 51234, 2000, 1000, TcpFlags.ACK | TcpFlags.PSH, 502, 0,
                    1460, 2000));
            case "udp":
                return copy(b, b.udp(SERVER, 53, CLIENT, 40000, 52, 7));
            case "vlan_tcp_ack":
                return vlan(copy(b, b.tcp(CLIENT, 51234, SERVER, 443, 1000, 2000, TcpFlags.ACK, 502, 0, 0, 0)), 100);
            case "ipv6_tcp_ack":
                return ipv6TcpAck();
            case "vxlan_tcp_ack":
                return vxlan(copy(b, b.tcp(CLIENT, 51234, SERVER, 443, 1000, 2000, TcpFlags.ACK, 502, 0, 0, 0)), 42);
            case "icmp_port_unreachable":
                return icmpPortUnreachable(copy(b, b.udp(CLIENT, 40000, SERVER, 33434, 32, 1)));
            default:
                throw new IllegalArgumentException("no sample frame " + name + "; known: " + Arrays.toString(NAMES));
        }
    }

    private static byte[] copy(final FrameBuilder b, final int length)
    {
        return Arrays.copyOf(b.frame(), length);
    }

    /** Inserts an 802.1Q tag (TPID 0x8100, VID {@code vid}) after the MAC addresses. */
    private static byte[] vlan(final byte[] untagged, final int vid)
    {
        final byte[] f = new byte[untagged.length + 4];
        System.arraycopy(untagged, 0, f, 0, 12);
        f[12] = (byte)0x81;
        f[13] = 0x00;
        f[14] = (byte)(vid >>> 8);
        f[15] = (byte)vid;
        System.arraycopy(untagged, 12, f, 16, untagged.length - 12);
        return f;
    }

    /**
     * The Ethernet frame {@code inner} (its 54 bytes of headers, without padding) in VXLAN (RFC 7348)
     * from VTEP 192.0.2.1 to 192.0.2.2, UDP 49152 to 4789, VNI {@code vni}.
     */
    private static byte[] vxlan(final byte[] inner, final int vni)
    {
        final int innerLength = 14 + 20 + 20;
        final int udpLength = 8 + 8 + innerLength;
        final byte[] f = new byte[14 + 20 + udpLength];
        f[0] = 0x02;
        f[6] = 0x02;
        f[11] = 2;
        f[12] = 0x08;
        final int ip = 14;
        f[ip] = 0x45;
        f[ip + 2] = (byte)((20 + udpLength) >>> 8);
        f[ip + 3] = (byte)(20 + udpLength);
        f[ip + 8] = 64;
        f[ip + 9] = 17;
        f[ip + 12] = (byte)192;
        f[ip + 14] = 2;
        f[ip + 15] = 1;
        f[ip + 16] = (byte)192;
        f[ip + 18] = 2;
        f[ip + 19] = 2;
        final int ipSum = FrameBuilder.internetChecksum(f, ip, 20, 0);
        f[ip + 10] = (byte)(ipSum >>> 8);
        f[ip + 11] = (byte)ipSum;
        final int udp = ip + 20;
        f[udp] = (byte)(49152 >>> 8);
        f[udp + 2] = (byte)(4789 >>> 8);
        f[udp + 3] = (byte)4789;
        f[udp + 4] = (byte)(udpLength >>> 8);
        f[udp + 5] = (byte)udpLength;
        final int vxlan = udp + 8;
        f[vxlan] = 0x08;
        f[vxlan + 4] = (byte)(vni >>> 16);
        f[vxlan + 5] = (byte)(vni >>> 8);
        f[vxlan + 6] = (byte)vni;
        System.arraycopy(inner, 0, f, vxlan + 8, innerLength);
        return f;
    }

    /** Ethernet, IPv6 (2001:db8::1 to 2001:db8::2, RFC 3849), TCP pure ACK: 74 bytes. */
    private static byte[] ipv6TcpAck()
    {
        final byte[] f = new byte[14 + 40 + 20];
        f[0] = 0x02;
        f[6] = 0x02;
        f[11] = 1;
        f[12] = (byte)0x86;
        f[13] = (byte)0xDD;
        final int ip = 14;
        f[ip] = 0x60;
        f[ip + 5] = 20;
        f[ip + 6] = 6;
        f[ip + 7] = 64;
        for (final int addr : new int[] {ip + 8, ip + 24})
        {
            f[addr] = 0x20;
            f[addr + 1] = 0x01;
            f[addr + 2] = 0x0D;
            f[addr + 3] = (byte)0xB8;
        }
        f[ip + 23] = 1;
        f[ip + 39] = 2;
        final int t = ip + 40;
        f[t] = (byte)(51234 >>> 8);
        f[t + 1] = (byte)51234;
        f[t + 3] = (byte)443;
        f[t + 2] = (byte)(443 >>> 8);
        f[t + 7] = 100;
        f[t + 11] = (byte)200;
        f[t + 12] = 0x50;
        f[t + 13] = TcpFlags.ACK;
        f[t + 14] = 1;
        long pseudo = 20 + 6;
        for (int i = ip + 8; i < ip + 40; i += 2)
        {
            pseudo += ((f[i] & 0xFF) << 8) | (f[i + 1] & 0xFF);
        }
        final int checksum = FrameBuilder.internetChecksum(f, t, 20, pseudo);
        f[t + 16] = (byte)(checksum >>> 8);
        f[t + 17] = (byte)checksum;
        return f;
    }

    /** An ICMP destination unreachable, port unreachable (type 3 code 3), quoting {@code udp}'s IP header and 8 bytes. */
    private static byte[] icmpPortUnreachable(final byte[] udp)
    {
        final int quote = 20 + 8;
        final byte[] f = new byte[14 + 20 + 8 + quote];
        System.arraycopy(udp, 6, f, 0, 6);
        System.arraycopy(udp, 0, f, 6, 6);
        f[12] = 0x08;
        final int ip = 14;
        f[ip] = 0x45;
        final int total = 20 + 8 + quote;
        f[ip + 2] = (byte)(total >>> 8);
        f[ip + 3] = (byte)total;
        f[ip + 8] = 64;
        f[ip + 9] = 1;
        System.arraycopy(udp, 14 + 16, f, ip + 12, 4);
        System.arraycopy(udp, 14 + 12, f, ip + 16, 4);
        final int ipSum = FrameBuilder.internetChecksum(f, ip, 20, 0);
        f[ip + 10] = (byte)(ipSum >>> 8);
        f[ip + 11] = (byte)ipSum;
        final int icmp = ip + 20;
        f[icmp] = 3;
        f[icmp + 1] = 3;
        System.arraycopy(udp, 14, f, icmp + 8, quote);
        final int sum = FrameBuilder.internetChecksum(f, icmp, 8 + quote, 0);
        f[icmp + 2] = (byte)(sum >>> 8);
        f[icmp + 3] = (byte)sum;
        return f;
    }
}
