package io.linerate.aggregate.tcp;

import io.linerate.aggregate.flow.DirectionStats;
import io.linerate.aggregate.flow.FlowDescriptor;
import io.linerate.aggregate.view.DirectionView;
import io.linerate.aggregate.view.RttView;
import org.agrona.concurrent.UnsafeBuffer;

import static io.linerate.aggregate.flow.FlowDescriptor.*;

/**
 * One direction of a TCP connection as Wireshark's sequence analysis follows it (the sender's next
 * sequence number, its last ACK and window, its duplicate-ACK run), and the expert-info events it
 * counted for that sender. Sequence and acknowledgement numbers are relative to the connection's
 * base sequence numbers, 32-bit, with 0 meaning "not seen yet" as in Wireshark.
 *
 * <p>A flyweight over the direction's lines of a flow record ({@link FlowDescriptor}); the RTT
 * samples, which most segments never touch, are an object beside it. Read by
 * {@link SequenceAnalyzer}, which applies the rules; the counters are what records say.
 */
public final class SequenceState extends DirectionStats implements DirectionView
{
    /** Window scale not known (no SYN seen from this side). */
    public static final int SCALE_UNKNOWN = -1;
    /** A SYN was seen and the handshake agreed on no scaling (RFC 7323 section 2.2). */
    public static final int SCALE_NONE = -2;

    /** Samples the record holds by itself: with three, min, max and sum say every percentile. */
    static final int RTT_IN_RECORD = 3;
    /** The largest sample the record's min and max hold (u32 microseconds, 71 minutes). */
    private static final long RTT_IN_RECORD_MAX = 0xFFFF_FFFFL;

    /** The direction's RTT samples as the view reads them. */
    private final Rtt rtt = new Rtt();
    private RttSpills spills;
    private int index;
    private boolean client;
    /** Where the direction's rare part ({@link FlowDescriptor#RARE_FIELDS}) starts in {@link #buffer}. */
    private int rare;

    /**
     * Points the flyweight at the client's ({@code client}) or the server's direction of flow
     * {@code index}, which starts at {@code base} in {@code buffer}; the RTT samples past the record's
     * three are in {@code spills}.
     */
    public void wrap(final UnsafeBuffer buffer, final int base, final RttSpills spills, final int index,
        final boolean client)
    {
        wrap(buffer, base);
        this.rare = base - (client ? C2S_OFFSET : S2C_OFFSET) + RARE_OFFSET + (client ? 0 : RARE_DIRECTION_LENGTH);
        this.spills = spills;
        this.index = index;
        this.client = client;
    }

    /** Back to a direction not seen yet: nothing counted, no sequence state, no RTT samples. */
    @Override
    public void clear()
    {
        super.clear();
        buffer.setMemory(rare, RARE_DIRECTION_LENGTH, (byte)0);
        window(-1);
        windowScale(SCALE_UNKNOWN);
        buffer.putInt(base + WINDOW_MIN, Integer.MAX_VALUE);
        buffer.putInt(base + WINDOW_MAX, -1);
        putLong(ZERO_WINDOW_SINCE_NANOS, -1);
    }

    /**
     * Forgets where the sender's sequence numbers were (a SYN-ACK started them again from a new
     * initial sequence number), keeping what was counted.
     */
    public void restart()
    {
        nextSeq(0);
        nextSeqNanos(0);
        maxSeqToBeAcked(0);
        lastSegmentFlags(0);
        clearBits(TIMING);
    }

    // Wireshark's analysis state, for SequenceAnalyzer

    int nextSeq()
    {
        return buffer.getInt(base + NEXT_SEQ);
    }

    void nextSeq(final int v)
    {
        buffer.putInt(base + NEXT_SEQ, v);
    }

    long nextSeqNanos()
    {
        return buffer.getLong(base + NEXT_SEQ_NANOS);
    }

    void nextSeqNanos(final long v)
    {
        buffer.putLong(base + NEXT_SEQ_NANOS, v);
    }

    int maxSeqToBeAcked()
    {
        return buffer.getInt(base + MAX_SEQ_TO_BE_ACKED);
    }

    void maxSeqToBeAcked(final int v)
    {
        buffer.putInt(base + MAX_SEQ_TO_BE_ACKED, v);
    }

    int lastAck()
    {
        return buffer.getInt(base + LAST_ACK);
    }

    void lastAck(final int v)
    {
        buffer.putInt(base + LAST_ACK, v);
    }

    long lastAckNanos()
    {
        return buffer.getLong(base + LAST_ACK_NANOS);
    }

    void lastAckNanos(final long v)
    {
        buffer.putLong(base + LAST_ACK_NANOS, v);
    }

    /** Raw window of the last segment; -1 before any, so no first segment repeats it. */
    long window()
    {
        return buffer.getInt(base + WINDOW);
    }

    void window(final long v)
    {
        buffer.putInt(base + WINDOW, (int)v);
    }

    int lastSegmentFlags()
    {
        return buffer.getShort(base + LAST_SEGMENT_FLAGS) & 0xFFFF;
    }

    void lastSegmentFlags(final int v)
    {
        buffer.putShort(base + LAST_SEGMENT_FLAGS, (short)v);
    }

    int dupAckCount()
    {
        return buffer.getInt(base + DUP_ACK_COUNT);
    }

    void dupAckCount(final int v)
    {
        buffer.putInt(base + DUP_ACK_COUNT, v);
    }

    void windowScale(final int v)
    {
        buffer.putByte(base + WINDOW_SCALE, (byte)v);
    }

    /** True once this side sent a segment with ACK set: {@link #lastAck()} is a real acknowledgement. */
    boolean acked()
    {
        return (bits() & ACKED) != 0;
    }

    void acked(final boolean v)
    {
        flag(ACKED, v);
    }

    /**
     * Bytes the SACK blocks of this side's last segment report received (RFC 2018); 0 without any.
     * Modulo 2^32, as it is used: in 32-bit sequence arithmetic.
     */
    long lastSackedBytes()
    {
        return buffer.getInt(base + LAST_SACKED_BYTES) & 0xFFFF_FFFFL;
    }

    void lastSackedBytes(final long v)
    {
        buffer.putInt(base + LAST_SACKED_BYTES, (int)v);
    }

    // RTT timing of one data segment at a time (RFC 6298 section 3, Karn's rule)

    boolean timing()
    {
        return (bits() & TIMING) != 0;
    }

    void timing(final boolean v)
    {
        flag(TIMING, v);
    }

    /** The timed segment was sent again: its ACK is ambiguous unless timestamps tell which copy. */
    boolean timedAmbiguous()
    {
        return (bits() & TIMED_AMBIGUOUS) != 0;
    }

    void timedAmbiguous(final boolean v)
    {
        flag(TIMED_AMBIGUOUS, v);
    }

    int timedEnd()
    {
        return buffer.getInt(base + TIMED_END);
    }

    long timedNanos()
    {
        return buffer.getLong(base + TIMED_NANOS);
    }

    long timedTsVal()
    {
        return buffer.getInt(base + TIMED_TS_VAL) & 0xFFFF_FFFFL;
    }

    /** Starts timing the segment that ends at {@code end}, sent at {@code nanos} with TSval {@code tsVal}. */
    void startTiming(final int end, final long nanos, final long tsVal)
    {
        clearBits(TIMED_AMBIGUOUS);
        setBits(TIMING);
        buffer.putInt(base + TIMED_END, end);
        buffer.putLong(base + TIMED_NANOS, nanos);
        buffer.putInt(base + TIMED_TS_VAL, (int)tsVal);
    }

    // zero windows: since when this side's zero window holds back the other side's data (-1 when
    // it does not), whether the other side is known to have had data to send during it, and the
    // time not yet known to have held anything back

    long zeroWindowSinceNanos()
    {
        return buffer.getLong(base + ZERO_WINDOW_SINCE_NANOS);
    }

    void zeroWindowSinceNanos(final long v)
    {
        buffer.putLong(base + ZERO_WINDOW_SINCE_NANOS, v);
    }

    boolean zeroWindowHeldData()
    {
        return (bits() & ZERO_WINDOW_HELD_DATA) != 0;
    }

    void zeroWindowHeldData(final boolean v)
    {
        flag(ZERO_WINDOW_HELD_DATA, v);
    }

    long zeroWindowPendingNanos()
    {
        return buffer.getLong(base + ZERO_WINDOW_PENDING_NANOS);
    }

    void zeroWindowPendingNanos(final long v)
    {
        buffer.putLong(base + ZERO_WINDOW_PENDING_NANOS, v);
    }

    void addZeroWindowStallNanos(final long v)
    {
        add(ZERO_WINDOW_STALL_NANOS, v);
    }

    // what was counted

    /** Adds {@code v} to the 64-bit counter at {@code field} of this direction. */
    void add(final int field, final long v)
    {
        buffer.putLong(base + field, buffer.getLong(base + field) + v);
    }

    /** Adds one to the 32-bit event counter at {@code field} of this direction. */
    void increment(final int field)
    {
        buffer.putInt(base + field, buffer.getInt(base + field) + 1);
    }

    /** Adds {@code v} to the 32-bit counter at {@code field} of this direction. */
    void addInt(final int field, final int v)
    {
        buffer.putInt(base + field, buffer.getInt(base + field) + v);
    }

    /** Adds one to the 32-bit counter at {@code field} of the direction's rare part. */
    void incrementRare(final int field)
    {
        buffer.putInt(rare + field, buffer.getInt(rare + field) + 1);
    }

    /** Sets the 32-bit field at {@code field} of this direction. */
    void putInt(final int field, final int v)
    {
        buffer.putInt(base + field, v);
    }

    void putLong(final int field, final long v)
    {
        buffer.putLong(base + field, v);
    }

    /** Segments Wireshark flags {@code tcp.analysis.retransmission} (fast and spurious ones included). */
    public long retransmissions()
    {
        return buffer.getInt(base + RETRANSMISSIONS);
    }

    public long fastRetransmissions()
    {
        return buffer.getInt(rare + FAST_RETRANSMISSIONS);
    }

    public long spuriousRetransmissions()
    {
        return buffer.getInt(rare + SPURIOUS_RETRANSMISSIONS);
    }

    public long outOfOrder()
    {
        return buffer.getInt(base + OUT_OF_ORDER);
    }

    /** Segments after a gap: Wireshark's "previous segment not captured". */
    public long lostSegments()
    {
        return buffer.getInt(base + LOST_SEGMENTS);
    }

    public long dupAcks()
    {
        return buffer.getInt(base + DUP_ACKS);
    }

    public long zeroWindows()
    {
        return buffer.getInt(base + ZERO_WINDOWS);
    }

    public long windowFull()
    {
        return buffer.getInt(base + WINDOW_FULL);
    }

    public long keepAlives()
    {
        return buffer.getInt(base + KEEP_ALIVES);
    }

    /** Payload bytes of the segments counted in {@link #retransmissions()}. */
    public long retransmittedBytes()
    {
        return buffer.getLong(base + RETRANSMITTED_BYTES);
    }

    /** Segments with payload that were retransmissions: the numerator of the retransmit rate. */
    public long retransmittedDataSegments()
    {
        return buffer.getInt(base + RETRANSMITTED_DATA_SEGMENTS);
    }

    /** Segments with payload, retransmissions included: the denominator of the retransmit rate. */
    public long dataSegments()
    {
        return buffer.getLong(base + DATA_SEGMENTS);
    }

    /** SACK blocks this side sent (RFC 2018), summed over its segments. */
    public long sackBlocks()
    {
        return buffer.getInt(base + SACK_BLOCKS);
    }

    /**
     * Most data this side had sent and not yet seen acknowledged, bytes: Wireshark's largest
     * {@code tcp.analysis.bytes_in_flight}, which leaves out what the receiver's SACK blocks report.
     */
    public long maxBytesInFlight()
    {
        return buffer.getInt(base + MAX_BYTES_IN_FLIGHT);
    }

    /** True when at least one window was advertised by this side. */
    public boolean windowSeen()
    {
        return buffer.getLong(base + WINDOW_COUNT) > 0;
    }

    /** Smallest receive window this side advertised, bytes, scaled (RFC 7323). */
    public long windowMin()
    {
        return buffer.getInt(base + WINDOW_MIN);
    }

    public long windowMax()
    {
        return buffer.getInt(base + WINDOW_MAX);
    }

    public double windowMean()
    {
        final long count = buffer.getLong(base + WINDOW_COUNT);
        return count == 0 ? 0 : (double)buffer.getLong(base + WINDOW_SUM) / count;
    }

    /**
     * How long this side's zero windows held back data the other side had to send, nanoseconds, up
     * to {@code nowNanos} for a window still closed.
     */
    public long zeroWindowStallNanos(final long nowNanos)
    {
        final long since = zeroWindowSinceNanos();
        return buffer.getLong(base + ZERO_WINDOW_STALL_NANOS) +
            (since < 0 || !zeroWindowHeldData() ? 0 : Math.max(0, nowNanos - since));
    }

    /** RTT samples of this side's data: from a segment to the other side's ACK that covers it. */
    @Override
    public RttView rtt()
    {
        return rtt;
    }

    /**
     * Adds an RTT sample of this side's data, microseconds (negative ones, from clocks stepping back,
     * are ignored). The record keeps count, sum, min and max; from the fourth sample (or one past
     * the record's range) the shard's {@link RttSpills} take the samples
     * for the percentiles, starting with the three the record stood for.
     */
    public void recordRtt(final long micros)
    {
        if (micros < 0)
        {
            return;
        }
        final int count = buffer.getInt(rare + RTT_COUNT);
        final long sum = rttSum();
        RttSummary spilled = spilled(count);
        if (spilled == null && (count == RTT_IN_RECORD || micros > RTT_IN_RECORD_MAX))
        {
            spilled = spills.rtt(index, client);
            final long min = rttMinInRecord();
            final long max = rttMaxInRecord();
            if (count >= 1)
            {
                spilled.record(min);
            }
            if (count == 3)
            {
                spilled.record(sum - min - max);
            }
            if (count >= 2)
            {
                spilled.record(max);
            }
        }
        if (spilled != null)
        {
            spilled.record(micros);
        }
        else
        {
            final long min = rttMinInRecord();
            final long max = rttMaxInRecord();
            buffer.putInt(rare + RTT_MIN, (int)(count == 0 ? micros : Math.min(min, micros)));
            buffer.putInt(rare + RTT_MAX, (int)(count == 0 ? micros : Math.max(max, micros)));
        }
        buffer.putInt(rare + RTT_COUNT, count + 1);
        buffer.putLong(rare + RTT_SUM, sum + micros);
    }

    /** The sum of the direction's RTT samples, microseconds (kept in the record past the third). */
    private long rttSum()
    {
        return buffer.getLong(rare + RTT_SUM);
    }

    /** The smallest of the samples the record holds (its first three). */
    private long rttMinInRecord()
    {
        return buffer.getInt(rare + RTT_MIN) & 0xFFFF_FFFFL;
    }

    /** The largest of the samples the record holds (its first three). */
    private long rttMaxInRecord()
    {
        return buffer.getInt(rare + RTT_MAX) & 0xFFFF_FFFFL;
    }

    /** The side object holding this direction's samples, or null while the record holds them. */
    private RttSummary spilled(final int count)
    {
        if (count == 0)
        {
            return null;
        }
        return spills.rttIfAny(index, client);
    }

    /** The RTT samples of the direction the flyweight points at, read from the record or its extras. */
    private final class Rtt implements RttView
    {
        @Override
        public long count()
        {
            return buffer.getInt(rare + RTT_COUNT);
        }

        @Override
        public long minMicros()
        {
            final int count = (int)count();
            final RttSummary spilled = spilled(count);
            return spilled != null ? spilled.minMicros() : count == 0 ? 0 : rttMinInRecord();
        }

        @Override
        public long maxMicros()
        {
            final int count = (int)count();
            final RttSummary spilled = spilled(count);
            return spilled != null ? spilled.maxMicros() : count == 0 ? 0 : rttMaxInRecord();
        }

        @Override
        public long meanMicros()
        {
            final long count = count();
            return count == 0 ? 0 : Math.round((double)rttSum() / count);
        }

        /** As {@link RttSummary#percentileMicros}: by nearest rank, exact while the record holds the samples. */
        @Override
        public long percentileMicros(final double quantile)
        {
            final int count = (int)count();
            final RttSummary spilled = spilled(count);
            if (spilled != null)
            {
                return spilled.percentileMicros(quantile);
            }
            if (count == 0)
            {
                return 0;
            }
            final long rank = RttSummary.rank(quantile, count);
            final long min = minMicros();
            final long max = maxMicros();
            if (rank == 1)
            {
                return min;
            }
            return rank == count ? max : rttSum() - min - max;
        }
    }

    /** The shift this side's windows are scaled by, or {@link #SCALE_UNKNOWN} / {@link #SCALE_NONE}. */
    public int windowScale()
    {
        return buffer.getByte(base + WINDOW_SCALE);
    }

    private void flag(final int bit, final boolean on)
    {
        if (on)
        {
            setBits(bit);
        }
        else
        {
            clearBits(bit);
        }
    }
}
