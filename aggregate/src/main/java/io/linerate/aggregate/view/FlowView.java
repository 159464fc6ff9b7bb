package io.linerate.aggregate.view;

import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tunnel.TunnelStack;

/**
 * A connection (TCP) or flow (UDP, ICMP, other IP protocols) as its shard has analysed it so far: what
 * a {@code linerate.flow/1} record, a summary, a display filter or a report reads. Valid only during
 * the call that gave it ({@link FlowRecordListener#onRecord}, {@link PacketListener#onPacket}): the
 * storage behind it is the shard's and is reused for the next connection, so a reader copies what it
 * keeps.
 *
 * <p>{@code client} is the side that sent the first SYN. Without a SYN, a SYN-ACK names its receiver
 * as the client; without either, the lower port is taken as the server (Wireshark's conversation
 * rule), and {@link #rolesInferred()} is true. Addresses are 128-bit pairs: an IPv4 address is the
 * low 32 bits of {@code lo}, {@code hi} 0.
 */
public interface FlowView
{
    /** IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6...). */
    int protocol();

    /** True when the protocol has ports ({@link IpProtocol#hasPorts}): the endpoints' ports mean something. */
    default boolean hasPorts()
    {
        return IpProtocol.hasPorts(protocol());
    }

    /** 4 or 6. */
    int ipVersion();

    /**
     * The identifiers of the tunnels that are part of the flow's key (the decoder's
     * {@code tunnelKey}: VNI, GRE key, ...), 0 untunnelled: two tenants' identical inner 5-tuples
     * differ here.
     */
    long tunnelKey();

    long clientHi();

    long clientLo();

    int clientPort();

    long serverHi();

    long serverLo();

    int serverPort();

    /** No SYN said who opened the connection: the roles are the port rule's guess. */
    boolean rolesInferred();

    /** Time of the first packet, nanoseconds since the epoch. */
    long firstNanos();

    /** Time of the last packet. */
    long lastNanos();

    /** Number of the first frame in the input (1-based), which with the key makes the record's id. */
    long firstFrame();

    /** 802.1Q tags of the first frame, outermost first. */
    int vlanCount();

    int vlan(int i);

    /** The tunnels the first frame came in, outermost first; null or empty when none. */
    TunnelStack tunnels();

    /** Interim records written so far. */
    int interimCount();

    /** Zeek's {@code conn_state} ({@code S0}, {@code SF}, {@code REJ}...). */
    String zeekState();

    /** Letters of Zeek's {@code history} so far. */
    int historyLength();

    char historyLetter(int i);

    Verdict verdict();

    /** One sentence on the evidence of the verdict, or null. */
    String verdictDetail();

    /** The three-way handshake (TCP; {@link HandshakeView#seen()} false otherwise). */
    HandshakeView handshake();

    /** What the client sent. */
    DirectionView c2s();

    /** What the server sent. */
    DirectionView s2c();

    /**
     * Retransmitted data segments over data segments, both directions (DESIGN.md); NaN for a TCP
     * connection without data and for other transports.
     */
    default double retransmitRate()
    {
        if (protocol() != IpProtocol.TCP)
        {
            return Double.NaN;
        }
        final long data = c2s().dataSegments() + s2c().dataSegments();
        if (data == 0)
        {
            return Double.NaN;
        }
        return (double)(c2s().retransmittedDataSegments() + s2c().retransmittedDataSegments()) / data;
    }

    /** A TLS hello or alert was seen. */
    boolean tlsSeen();

    /** Version in the ClientHello, as on the wire (0x0303 is TLS 1.2); 0 when none. */
    int tlsClientVersion();

    /** Version the server chose (supported_versions when present), 0 when none. */
    int tlsServerVersion();

    /** server_name of the ClientHello, or null. */
    String tlsSni();

    /** ALPN protocol the server chose (or the client's first offer), or null. */
    String tlsAlpn();

    /** Level of the first alert in the clear, -1 when none. */
    int tlsAlertLevel();

    int tlsAlertDescription();

    boolean tlsAlertFromServer();

    /** HTTP/1.x method of the first request as a code of {@link #httpMethodName()}, 0 when none. */
    int httpMethod();

    /** The first request's method ({@code GET}...), or null. */
    String httpMethodName();

    /** Status of the first response, -1 when none. */
    int httpStatus();

    /** ICMP type of the error that quoted the connection (or an ICMP flow's own), -1 when none. */
    int icmpType();

    int icmpCode();

    /** IP version of the ICMP error's sender, 0 when not known. */
    int icmpReporterVersion();

    long icmpReporterHi();

    long icmpReporterLo();

    /** Bits a {@link PacketListener} keeps on the connection (0 when it starts); no analysis reads them. */
    long packetMarks();

    void packetMarks(long marks);
}
