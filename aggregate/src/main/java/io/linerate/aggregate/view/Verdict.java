package io.linerate.aggregate.view;

/**
 * What went wrong with a connection, in the order a troubleshooting guide checks it: the first
 * verdict after {@link #OK} whose evidence holds is the connection's (DESIGN.md, "Verdicts").
 */
public enum Verdict
{
    /** Handshake complete (or a UDP/ICMP flow), closed or still open, nothing below applies. */
    OK("ok"),
    /** SYNs and no SYN-ACK, RST or ICMP error: the server is down or a firewall drops silently. */
    SYN_UNANSWERED("syn_unanswered"),
    /** SYN answered by RST: nothing listens on the port. */
    REFUSED("refused"),
    /** An ICMP/ICMPv6 destination unreachable (or time exceeded) quoted this connection. */
    ICMP_UNREACHABLE("icmp_unreachable"),
    /** SYN-ACK seen but the client never completed the handshake: the client side dropped it. */
    HANDSHAKE_INCOMPLETE("handshake_incomplete"),
    /** TCP established, then a fatal TLS alert in the clear during the TLS handshake. */
    TLS_ALERT("tls_alert"),
    /** Reset after establishment. */
    RESET("reset"),
    /** A receiver advertised a zero window and the sender had to wait. */
    ZERO_WINDOW_STALL("zero_window_stall"),
    /** Retransmit rate above the configured threshold. */
    LOSSY("lossy"),
    /** No handshake seen: the capture started after the connection opened. */
    MIDSTREAM("midstream");

    private final String wireName;

    Verdict(final String wireName)
    {
        this.wireName = wireName;
    }

    /** The name written in records. */
    public String wireName()
    {
        return wireName;
    }
}
