package io.linerate.ops.report;

import io.linerate.decode.ip.IpProtocol;

/**
 * One connection as the report lists it, kept as values (the flow it was read from is reused once
 * its record is written). Times are nanoseconds of packet time; microsecond values are rounded as
 * the record rounds them, -1 where the record has no such key.
 *
 * @param flowId            the record's {@code flow_id}
 * @param firstFrame        the frame that began it (orders rows like the capture)
 * @param retransmitRate    the record's {@code retransmit_rate}, NaN where it has none
 * @param handshakeRttMicros the record's {@code handshake.rtt_us}
 * @param c2sRttP99Micros   the record's {@code c2s.rtt_us.p99}
 * @param s2cRttP99Micros   the record's {@code s2c.rtt_us.p99}
 * @param displayFilter     the Wireshark display filter that isolates it
 * @param clientHi          the client's address as the flow keys it (with {@code clientLo}, and the server's
 *                          likewise), for finding its packets again
 * @param tunnelKey         the tunnel identifiers that are part of the flow's key, 0 untunnelled: with
 *                          the addresses, what finds its packets and not another tenant's
 */
public record ConnectionRow(
    String flowId,
    long firstFrame,
    long startNanos,
    long endNanos,
    int protocol,
    int ipVersion,
    String clientIp,
    int clientPort,
    String serverIp,
    int serverPort,
    String verdict,
    String verdictDetail,
    long packets,
    long bytes,
    long retransmissions,
    double retransmitRate,
    long handshakeRttMicros,
    long c2sRttP99Micros,
    long s2cRttP99Micros,
    String displayFilter,
    long clientHi,
    long clientLo,
    long serverHi,
    long serverLo,
    long tunnelKey)
{
    /** {@code ip:port} ({@code [ip]:port} for IPv6), or the address alone without ports. */
    public static String endpoint(final int ipVersion, final String ip, final int port)
    {
        if (port < 0)
        {
            return ip;
        }
        return (ipVersion == 6 ? "[" + ip + "]" : ip) + ":" + port;
    }

    public String client()
    {
        return endpoint(ipVersion, clientIp, clientPort);
    }

    public String server()
    {
        return endpoint(ipVersion, serverIp, serverPort);
    }

    /**
     * The Wireshark display filter of one connection or flow: both addresses and both ports, as
     * Wireshark's "Conversation Filter" writes it ({@code ip.addr==A && tcp.port==P && ip.addr==B &&
     * tcp.port==Q}); ICMP and other protocols by address and protocol.
     */
    public static String displayFilter(final int ipVersion, final int protocol, final String clientIp,
        final int clientPort, final String serverIp, final int serverPort)
    {
        final String addr = ipVersion == 6 ? "ipv6.addr==" : "ip.addr==";
        final String port = protocol == IpProtocol.TCP ? "tcp.port==" : protocol == IpProtocol.UDP ? "udp.port==" :
            protocol == IpProtocol.SCTP ? "sctp.port==" : null;
        if (port != null)
        {
            return addr + clientIp + " && " + port + clientPort + " && " + addr + serverIp + " && " + port + serverPort;
        }
        final String proto = protocol == IpProtocol.ICMP ? "icmp" : protocol == IpProtocol.ICMPV6 ? "icmpv6" :
            (ipVersion == 6 ? "ipv6.nxt==" : "ip.proto==") + protocol;
        return addr + clientIp + " && " + addr + serverIp + " && " + proto;
    }
}
