package io.linerate.aggregate.view;

/**
 * What one side of a connection sent, with Wireshark's sequence analysis of it (TCP; the analysis
 * counts are 0 for other protocols): the record's {@code c2s} and {@code s2c} objects. Valid only
 * while the {@link FlowView} that gave it is.
 */
public interface DirectionView
{
    long packets();

    /** The sequence number this side started from (TCP), -1 before its first segment. */
    long baseSeq();

    /** Frame bytes as captured on the wire (original lengths). */
    long bytes();

    long payloadBytes();

    /** A FIN was sent. */
    boolean fin();

    /** A RST was sent. */
    boolean rst();

    long retransmissions();

    long fastRetransmissions();

    long spuriousRetransmissions();

    long outOfOrder();

    long lostSegments();

    long dupAcks();

    long zeroWindows();

    long windowFull();

    long keepAlives();

    long retransmittedBytes();

    /** Data segments flagged as any kind of retransmission: the numerator of the retransmit rate. */
    long retransmittedDataSegments();

    /** Segments that carried data: the denominator of the retransmit rate. */
    long dataSegments();

    long sackBlocks();

    long maxBytesInFlight();

    /** A window was seen, so the three below mean something. */
    boolean windowSeen();

    /** Smallest advertised window, bytes after scaling. */
    long windowMin();

    long windowMax();

    double windowMean();

    /**
     * How long the other side had data to send while this side's window was zero, up to
     * {@code nowNanos} for a window still closed.
     */
    long zeroWindowStallNanos(long nowNanos);

    /** RTT of this side's data, measured from the other side's ACKs. */
    RttView rtt();
}
