package io.linerate.aggregate.flow;

/**
 * The layout of a flow record in a {@link FlowSlab}: every offset in one place, as Aeron's
 * {@code *Descriptor} classes keep theirs. A record is {@value #RECORD_LENGTH} bytes, aligned to a
 * 64-byte cache line; fields a packet touches together share a line, and no field crosses one
 * ({@code FlowDescriptorTest} checks both rules against {@link #DIRECTION_FIELDS}).
 *
 * <pre>
 *   0 +------------------------------------------------------------------------------------+
 *     | header line: reserved for the flow's key, times and flags                          |
 *  64 +------------------------------------------------------------------------------------+
 *     | c2s: the client's direction, 4 lines (layout below, offsets from the direction)    |
 * 320 +------------------------------------------------------------------------------------+
 *     | s2c: the server's direction, 4 lines                                               |
 * 576 +------------------------------------------------------------------------------------+
 *
 * One direction (what one side sent, and Wireshark's sequence analysis of it):
 *   0 | nextSeq:i32 | maxSeqToBeAcked:i32 | lastAck:i32 | dupAckCount:i32 | lastSegmentFlags:i32   every
 *     | baseSeq:u32 | window:i32 | bits:i32 | windowScale:i32 | timedEnd:i32                      segment
 *     | lastAckNanos:i64 | nextSeqNanos:i64 | zeroWindowSinceNanos:i64                            (seq line)
 *  64 | packets | bytes | payloadBytes | windowMin | windowMax | windowSum | windowCount          every segment
 *     | lastSackedBytes                                  (all i64)                                 (count line)
 * 128 | dataSegments | sackBlocks | maxBytesInFlight | timedNanos | timedTsVal                   data segments,
 *     | zeroWindowPendingNanos | zeroWindowStallNanos | retransmittedBytes     (all i64)          RTT timing
 * 192 | retransmissions | fastRetransmissions | spuriousRetransmissions | outOfOrder            only when a
 *     | lostSegments | dupAcks | zeroWindows | windowFull | keepAlives                          flag fires
 *     | retransmittedDataSegments                        (all i32) | 24 bytes free               (event line)
 * </pre>
 *
 * {@code bits} holds {@link #ACKED}, {@link #TIMING}, {@link #TIMED_AMBIGUOUS}, {@link #FIN_SEEN},
 * {@link #RST_SEEN}, {@link #ZERO_WINDOW_HELD_DATA} and {@link #BASE_SEQ_KNOWN}.
 */
public final class FlowDescriptor
{
    /** One field of the layout: where it starts (from its region's start) and how many bytes it takes. */
    public record Field(String name, int offset, int length)
    {
    }

    public static final int CACHE_LINE = 64;

    public static final int HEADER_OFFSET = 0;
    public static final int HEADER_LENGTH = CACHE_LINE;
    public static final int DIRECTION_LENGTH = 4 * CACHE_LINE;
    /** The client's direction. */
    public static final int C2S_OFFSET = HEADER_OFFSET + HEADER_LENGTH;
    /** The server's direction. */
    public static final int S2C_OFFSET = C2S_OFFSET + DIRECTION_LENGTH;
    public static final int RECORD_LENGTH = S2C_OFFSET + DIRECTION_LENGTH;

    // direction, seq line
    public static final int NEXT_SEQ = 0;
    public static final int MAX_SEQ_TO_BE_ACKED = 4;
    public static final int LAST_ACK = 8;
    public static final int DUP_ACK_COUNT = 12;
    public static final int LAST_SEGMENT_FLAGS = 16;
    public static final int BASE_SEQ = 20;
    public static final int WINDOW = 24;
    public static final int BITS = 28;
    public static final int WINDOW_SCALE = 32;
    public static final int TIMED_END = 36;
    public static final int LAST_ACK_NANOS = 40;
    public static final int NEXT_SEQ_NANOS = 48;
    public static final int ZERO_WINDOW_SINCE_NANOS = 56;
    // direction, count line
    public static final int PACKETS = 64;
    public static final int BYTES = 72;
    public static final int PAYLOAD_BYTES = 80;
    public static final int WINDOW_MIN = 88;
    public static final int WINDOW_MAX = 96;
    public static final int WINDOW_SUM = 104;
    public static final int WINDOW_COUNT = 112;
    public static final int LAST_SACKED_BYTES = 120;
    // direction, data line
    public static final int DATA_SEGMENTS = 128;
    public static final int SACK_BLOCKS = 136;
    public static final int MAX_BYTES_IN_FLIGHT = 144;
    public static final int TIMED_NANOS = 152;
    public static final int TIMED_TS_VAL = 160;
    public static final int ZERO_WINDOW_PENDING_NANOS = 168;
    public static final int ZERO_WINDOW_STALL_NANOS = 176;
    public static final int RETRANSMITTED_BYTES = 184;
    // direction, event line
    public static final int RETRANSMISSIONS = 192;
    public static final int FAST_RETRANSMISSIONS = 196;
    public static final int SPURIOUS_RETRANSMISSIONS = 200;
    public static final int OUT_OF_ORDER = 204;
    public static final int LOST_SEGMENTS = 208;
    public static final int DUP_ACKS = 212;
    public static final int ZERO_WINDOWS = 216;
    public static final int WINDOW_FULL = 220;
    public static final int KEEP_ALIVES = 224;
    public static final int RETRANSMITTED_DATA_SEGMENTS = 228;

    // bits of BITS
    /** The side sent a segment with ACK set: its {@code lastAck} is a real acknowledgement. */
    public static final int ACKED = 1;
    /** One of the side's data segments is being timed for an RTT sample. */
    public static final int TIMING = 1 << 1;
    /** The timed segment was sent again (Karn's rule). */
    public static final int TIMED_AMBIGUOUS = 1 << 2;
    public static final int FIN_SEEN = 1 << 3;
    public static final int RST_SEEN = 1 << 4;
    /** The other side had data to send during this side's current zero window. */
    public static final int ZERO_WINDOW_HELD_DATA = 1 << 5;
    /** {@link #BASE_SEQ} holds the side's first sequence number. */
    public static final int BASE_SEQ_KNOWN = 1 << 6;

    /** Every field of a direction, for the layout test and for readers of this class. */
    public static final Field[] DIRECTION_FIELDS = {
        new Field("nextSeq", NEXT_SEQ, 4),
        new Field("maxSeqToBeAcked", MAX_SEQ_TO_BE_ACKED, 4),
        new Field("lastAck", LAST_ACK, 4),
        new Field("dupAckCount", DUP_ACK_COUNT, 4),
        new Field("lastSegmentFlags", LAST_SEGMENT_FLAGS, 4),
        new Field("baseSeq", BASE_SEQ, 4),
        new Field("window", WINDOW, 4),
        new Field("bits", BITS, 4),
        new Field("windowScale", WINDOW_SCALE, 4),
        new Field("timedEnd", TIMED_END, 4),
        new Field("lastAckNanos", LAST_ACK_NANOS, 8),
        new Field("nextSeqNanos", NEXT_SEQ_NANOS, 8),
        new Field("zeroWindowSinceNanos", ZERO_WINDOW_SINCE_NANOS, 8),
        new Field("packets", PACKETS, 8),
        new Field("bytes", BYTES, 8),
        new Field("payloadBytes", PAYLOAD_BYTES, 8),
        new Field("windowMin", WINDOW_MIN, 8),
        new Field("windowMax", WINDOW_MAX, 8),
        new Field("windowSum", WINDOW_SUM, 8),
        new Field("windowCount", WINDOW_COUNT, 8),
        new Field("lastSackedBytes", LAST_SACKED_BYTES, 8),
        new Field("dataSegments", DATA_SEGMENTS, 8),
        new Field("sackBlocks", SACK_BLOCKS, 8),
        new Field("maxBytesInFlight", MAX_BYTES_IN_FLIGHT, 8),
        new Field("timedNanos", TIMED_NANOS, 8),
        new Field("timedTsVal", TIMED_TS_VAL, 8),
        new Field("zeroWindowPendingNanos", ZERO_WINDOW_PENDING_NANOS, 8),
        new Field("zeroWindowStallNanos", ZERO_WINDOW_STALL_NANOS, 8),
        new Field("retransmittedBytes", RETRANSMITTED_BYTES, 8),
        new Field("retransmissions", RETRANSMISSIONS, 4),
        new Field("fastRetransmissions", FAST_RETRANSMISSIONS, 4),
        new Field("spuriousRetransmissions", SPURIOUS_RETRANSMISSIONS, 4),
        new Field("outOfOrder", OUT_OF_ORDER, 4),
        new Field("lostSegments", LOST_SEGMENTS, 4),
        new Field("dupAcks", DUP_ACKS, 4),
        new Field("zeroWindows", ZERO_WINDOWS, 4),
        new Field("windowFull", WINDOW_FULL, 4),
        new Field("keepAlives", KEEP_ALIVES, 4),
        new Field("retransmittedDataSegments", RETRANSMITTED_DATA_SEGMENTS, 4),
    };

    private FlowDescriptor()
    {
    }
}
