package io.linerate.aggregate.tcp;

import io.linerate.aggregate.flow.DirectionStats;

/**
 * One direction of a TCP connection as Wireshark's sequence analysis follows it (the sender's next
 * sequence number, its last ACK and window, its duplicate-ACK run), and the expert-info events it
 * counted for that sender. Sequence and acknowledgement numbers are relative to the connection's
 * base sequence numbers, 32-bit, with 0 meaning "not seen yet" as in Wireshark.
 *
 * <p>Read by {@link SequenceAnalyzer}, which applies the rules; the counters are what records say.
 */
public final class SequenceState extends DirectionStats
{
    /** Window scale not known (no SYN seen from this side). */
    public static final int SCALE_UNKNOWN = -1;
    /** A SYN was seen and the handshake agreed on no scaling (RFC 7323 section 2.2). */
    public static final int SCALE_NONE = -2;

    // Wireshark's analysis state
    int nextSeq;
    long nextSeqNanos;
    int maxSeqToBeAcked;
    int lastAck;
    long lastAckNanos;
    /** Raw window of the last segment; -1 before any, so no first segment repeats it. */
    long window = -1;
    int lastSegmentFlags;
    int dupAckCount;
    int windowScale = SCALE_UNKNOWN;
    /** True once this side sent a segment with ACK set: {@link #lastAck} is a real acknowledgement. */
    boolean acked;
    /** Bytes the SACK blocks of this side's last segment report received (RFC 2018); 0 without any. */
    long lastSackedBytes;

    // RTT timing of one data segment at a time (RFC 6298 section 3, Karn's rule)
    boolean timing;
    /** The timed segment was sent again: its ACK is ambiguous unless timestamps tell which copy. */
    boolean timedAmbiguous;
    int timedEnd;
    long timedNanos;
    long timedTsVal;

    // what was counted
    long retransmissions;
    long fastRetransmissions;
    long spuriousRetransmissions;
    long outOfOrder;
    long lostSegments;
    long dupAcks;
    long zeroWindows;
    long windowFull;
    long keepAlives;
    long retransmittedBytes;
    long retransmittedDataSegments;
    long dataSegments;
    long sackBlocks;
    long maxBytesInFlight;
    long windowMin = Long.MAX_VALUE;
    long windowMax = -1;
    long windowSum;
    long windowCount;
    /** Since when this side's zero window holds back the other side's data, -1 when it does not. */
    long zeroWindowSinceNanos = -1;
    /** The other side is known to have had data to send during the current zero window. */
    boolean zeroWindowHeldData;
    /** Zero-window time not yet known to have held anything back (the other side sent no data since). */
    long zeroWindowPendingNanos;
    long zeroWindowStallNanos;
    final RttSummary rtt = new RttSummary();

    /**
     * Forgets where the sender's sequence numbers were (a SYN-ACK started them again from a new
     * initial sequence number), keeping what was counted.
     */
    public void restart()
    {
        nextSeq = 0;
        nextSeqNanos = 0;
        maxSeqToBeAcked = 0;
        lastSegmentFlags = 0;
        timing = false;
    }

    /** Back to the sequence state of a connection not seen yet (the counts of packets are the base class's). */
    public void resetSequence()
    {
        nextSeq = 0;
        nextSeqNanos = 0;
        maxSeqToBeAcked = 0;
        lastAck = 0;
        lastAckNanos = 0;
        window = -1;
        lastSegmentFlags = 0;
        dupAckCount = 0;
        windowScale = SCALE_UNKNOWN;
        acked = false;
        lastSackedBytes = 0;
        timing = false;
        timedAmbiguous = false;
        timedEnd = 0;
        timedNanos = 0;
        timedTsVal = 0;
        retransmissions = 0;
        fastRetransmissions = 0;
        spuriousRetransmissions = 0;
        outOfOrder = 0;
        lostSegments = 0;
        dupAcks = 0;
        zeroWindows = 0;
        windowFull = 0;
        keepAlives = 0;
        retransmittedBytes = 0;
        retransmittedDataSegments = 0;
        dataSegments = 0;
        sackBlocks = 0;
        maxBytesInFlight = 0;
        windowMin = Long.MAX_VALUE;
        windowMax = -1;
        windowSum = 0;
        windowCount = 0;
        zeroWindowSinceNanos = -1;
        zeroWindowHeldData = false;
        zeroWindowPendingNanos = 0;
        zeroWindowStallNanos = 0;
        rtt.reset();
    }

    /** Segments Wireshark flags {@code tcp.analysis.retransmission} (fast and spurious ones included). */
    public long retransmissions()
    {
        return retransmissions;
    }

    public long fastRetransmissions()
    {
        return fastRetransmissions;
    }

    public long spuriousRetransmissions()
    {
        return spuriousRetransmissions;
    }

    public long outOfOrder()
    {
        return outOfOrder;
    }

    /** Segments after a gap: Wireshark's "previous segment not captured". */
    public long lostSegments()
    {
        return lostSegments;
    }

    public long dupAcks()
    {
        return dupAcks;
    }

    public long zeroWindows()
    {
        return zeroWindows;
    }

    public long windowFull()
    {
        return windowFull;
    }

    public long keepAlives()
    {
        return keepAlives;
    }

    /** Payload bytes of the segments counted in {@link #retransmissions()}. */
    public long retransmittedBytes()
    {
        return retransmittedBytes;
    }

    /** Segments with payload that were retransmissions: the numerator of the retransmit rate. */
    public long retransmittedDataSegments()
    {
        return retransmittedDataSegments;
    }

    /** Segments with payload, retransmissions included: the denominator of the retransmit rate. */
    public long dataSegments()
    {
        return dataSegments;
    }

    /** SACK blocks this side sent (RFC 2018), summed over its segments. */
    public long sackBlocks()
    {
        return sackBlocks;
    }

    /**
     * Most data this side had sent and not yet seen acknowledged, bytes: Wireshark's largest
     * {@code tcp.analysis.bytes_in_flight}, which leaves out what the receiver's SACK blocks report.
     */
    public long maxBytesInFlight()
    {
        return maxBytesInFlight;
    }

    /** True when at least one window was advertised by this side. */
    public boolean windowSeen()
    {
        return windowCount > 0;
    }

    /** Smallest receive window this side advertised, bytes, scaled (RFC 7323). */
    public long windowMin()
    {
        return windowMin;
    }

    public long windowMax()
    {
        return windowMax;
    }

    public double windowMean()
    {
        return windowCount == 0 ? 0 : (double)windowSum / windowCount;
    }

    /**
     * How long this side's zero windows held back data the other side had to send, nanoseconds, up
     * to {@code nowNanos} for a window still closed.
     */
    public long zeroWindowStallNanos(final long nowNanos)
    {
        return zeroWindowStallNanos +
            (zeroWindowSinceNanos < 0 || !zeroWindowHeldData ? 0 : Math.max(0, nowNanos - zeroWindowSinceNanos));
    }

    /** RTT samples of this side's data: from a segment to the other side's ACK that covers it. */
    public RttSummary rtt()
    {
        return rtt;
    }

    /** The shift this side's windows are scaled by, or {@link #SCALE_UNKNOWN} / {@link #SCALE_NONE}. */
    public int windowScale()
    {
        return windowScale;
    }

    /**
     * Reads the fields a packet reads first, so their cache lines are loaded before the packet is
     * analysed (see {@code FlowShard#warm}); returns a value made of them so the reads stay.
     */
    public long warm()
    {
        return nextSeq + lastAck + window + dupAckCount + retransmissions + lastSackedBytes;
    }
}
