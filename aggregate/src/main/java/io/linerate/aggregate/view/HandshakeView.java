package io.linerate.aggregate.view;

/** A TCP connection's three-way handshake: the record's {@code handshake} object. */
public interface HandshakeView
{
    /** A time or duration that was not measured. */
    long UNSET = Long.MIN_VALUE;

    /** Some part of a handshake was seen. */
    boolean seen();

    /** Status code: see the implementation's constants; {@link #statusName()} is the record's word. */
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
