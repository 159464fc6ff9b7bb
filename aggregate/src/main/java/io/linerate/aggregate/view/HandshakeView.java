package io.linerate.aggregate.view;

/** A TCP connection's three-way handshake: the record's {@code handshake} object. */
public interface HandshakeView
{
    /** No SYN or SYN-ACK seen. */
    int NOT_SEEN = 0;
    /** The client's SYN seen, no SYN-ACK yet. */
    int SYN_SENT = 1;
    /** SYN-ACK seen, the client's ACK not (yet). */
    int SYN_ACK_SEEN = 2;
    /** The client acknowledged the SYN-ACK. */
    int COMPLETE = 3;
    /** The SYN was answered by a RST. */
    int REFUSED = 4;

    /** A time or duration that was not measured. */
    long UNSET = Long.MIN_VALUE;

    /** Some part of a handshake was seen. */
    boolean seen();

    /** Status code, one of the constants above; {@link #statusName()} is the record's word. */
    int status();

    /** {@code not_seen}, {@code syn_sent}, {@code syn_ack_seen}, {@code complete} or {@code refused}. */
    String statusName();

    int synCount();

    int synAckCount();

    /** SYN to the client's ACK of the SYN-ACK, or {@link #UNSET}. */
    long rttNanos();

    long synToSynAckNanos();

    long synAckToAckNanos();

    /** MSS option of the client's SYN, -1 when absent. */
    int clientMss();

    int serverMss();

    /** Window scale shift of the client's SYN, -1 when absent. */
    int clientWindowScale();

    int serverWindowScale();

    /** Both sides offered SACK. */
    boolean sackPermitted();

    /** Both sides sent timestamps. */
    boolean timestamps();

    boolean synSeen();

    boolean synAckSeen();
}
