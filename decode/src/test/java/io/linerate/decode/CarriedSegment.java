package io.linerate.decode;

import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;

/**
 * The one TCP segment the encapsulation and tunnel tests carry inside whatever they wrap it in
 * (PPPoE, MPLS, VXLAN, GRE, ...): 192.0.2.1:40000 to 198.51.100.2:443, PSH ACK, the 4 bytes
 * {@code "abcd"}, over IPv4 or IPv6. One segment, so that every test checks only its wrapping and a
 * decoded wrapped segment can be compared with the same segment in plain Ethernet.
 */
public final class CarriedSegment
{
    public static final String CLIENT = "192.0.2.1";
    public static final String SERVER = "198.51.100.2";
    public static final String CLIENT6 = "2001:db8:1::1";
    public static final String SERVER6 = "2001:db8:2::2";
    /** Bytes {@link #overIpv4} appends: IPv4 header, TCP header, payload. */
    public static final int IPV4_LENGTH = 20 + 20 + 4;
    /** Bytes {@link #overIpv6} appends: IPv6 header, TCP header, payload. */
    public static final int IPV6_LENGTH = 40 + 20 + 4;

    private CarriedSegment()
    {
    }

    /** Appends 192.0.2.1:40000 -> 198.51.100.2:443, PSH ACK, 4 bytes "abcd": 44 bytes of IPv4. */
    public static FrameBuilder overIpv4(final FrameBuilder frame)
    {
        return frame
            .ipv4(IPV4_LENGTH, 0x1C46, 0x4000, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(40000, 443, 0x0102_0304L, 0x0A0B_0C0DL, 5, TcpFlags.PSH | TcpFlags.ACK, 502)
            .hex("61626364");
    }

    /** The same segment over IPv6: 64 bytes. */
    public static FrameBuilder overIpv6(final FrameBuilder frame)
    {
        return frame
            .ipv6(20 + 4, IpProtocol.TCP, 64, CLIENT6, SERVER6)
            .tcp(40000, 443, 0x0102_0304L, 0x0A0B_0C0DL, 5, TcpFlags.PSH | TcpFlags.ACK, 502)
            .hex("61626364");
    }
}
