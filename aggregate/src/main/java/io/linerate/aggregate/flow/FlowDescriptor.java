package io.linerate.aggregate.flow;


/**
 * The layout of a flow record in a {@link FlowSlab}: every offset in one place, as Aeron's
 * {@code *Descriptor} classes keep theirs. A record is {@value #RECORD_LENGTH} bytes, aligned to a
 * 64-byte cache line; fields a packet touches together share a line, and no field crosses one
 * ({@code FlowDescriptorTest} checks both rules against {@link #DIRECTION_FIELDS}).
 *
 * <pre>
 *   0 +------------------------------------------------------------------------------------+
 *     | header: the flow's key, times, flags and timer, 2 lines (below)                    |
 * 128 +------------------------------------------------------------------------------------+
 *     | c2s: the client's direction, 3 lines (layout below, offsets from the direction)    |
 * 320 +------------------------------------------------------------------------------------+
 *     | s2c: the server's direction, 3 lines                                               |
 * 512 +------------------------------------------------------------------------------------+
 *     | rare: the client's rare counters and RTT samples, then the server's, 1 line        |
 * 576 +------------------------------------------------------------------------------------+
 *     | zeek: Zeek's endpoints, history bits, timers and letters, 3 lines (below)          |
 * 768 +------------------------------------------------------------------------------------+
 *     | meta: the handshake, the first record's times, HTTP, TLS and ICMP facts, 2 lines    |
 * 896 +------------------------------------------------------------------------------------+
 *
 * Header (the key in canonical order, the lower endpoint "a"; a table probe compares it here). Line 0
 * is all a packet of an untunnelled IPv4 flow reads or writes of the header; line 1 holds the key's
 * wide parts (read only when {@link #WIDE_KEY} says the record has them, or the probe has them) and
 * cold facts:
 *   0 | aLo:i64 | bLo:i64 | aPort:u16 | bPort:u16 | protocol:u8 | ipVersion:u8 | flags:u16
 *     | timerList:i32 | hash:i32 | filedTick:i64 | expiresNanos:i64 | lastNanos:i64
 *     | lastReportNanos:i64                                                                  (line 0)
 *  64 | aHi:i64 | bHi:i64 | tunnelKey:i64 | handshakeRttNanos:i64 | firstNanos:i64 | firstFrame:i64
 *     | vlans:i64 (count, then two 16-bit ids) | packetMarks:i64                               (line 1)
 *     (tunnelKey: the identifiers of the tunnels the flow came in that are the same both ways, 0 untunnelled;
 *     handshakeRttNanos: read by the sequence analysis only to classify a retransmission)
 *
 * One direction (what one side sent, and Wireshark's sequence analysis of it). A pure ACK reads and
 * writes lines 0 and 1 of its sender and line 0 of the other side; the expert-info events such a
 * segment can raise (a lost segment before it, a duplicate ACK, a keep-alive, a zero or full
 * window) are counted in those lines too, so they cost no further line:
 *   0 | nextSeq:i32 | maxSeqToBeAcked:i32 | lastAck:i32 | dupAckCount:i32 | lastSegmentFlags:u16   every
 *     | bits:u8 | windowScale:i8 | baseSeq:u32 | window:i32 | timedEnd:i32 | zeroWindows:i32     segment
 *     | keepAlives:i32 | lastAckNanos:i64 | nextSeqNanos:i64 | zeroWindowSinceNanos:i64          (seq line)
 *  64 | packets | bytes | payloadBytes | windowSum | windowCount (i64) | windowMin:i32          every segment
 *     | windowMax:i32 | lastSackedBytes:u32 | lostSegments:i32 | dupAcks:i32 | windowFull:i32  (count line)
 * 128 | dataSegments | timedNanos | zeroWindowPendingNanos | zeroWindowStallNanos            data segments,
 *     | retransmittedBytes (i64) | sackBlocks:i32 | timedTsVal:u32 | maxBytesInFlight:i32      RTT timing,
 *     | retransmissions:i32 | retransmittedDataSegments:i32 | outOfOrder:i32                  (data line)
 *     (a scaled window is at most 65,535 << 14 and bytes in flight are counted below 2^31, so both
 *     fit 32 bits; lastSackedBytes is only ever used modulo 2^32, as sequence numbers are)
 * A direction's rare part (offsets from it; the client's at {@link #RARE_OFFSET}, the server's
 * {@link #RARE_DIRECTION_LENGTH} bytes on), touched by a fast or spurious retransmission and by an
 * RTT sample:
 *   0 | fastRetransmissions:i32 | spuriousRetransmissions:i32 | rttSum:i64 | rttCount:i32
 *     | rttMin:u32 | rttMax:u32 | 4 free   (RTT samples, microseconds: up to three samples these say
 *     every percentile; from the fourth, a side object holds the rest)
 *
 * Zeek (offsets from the zeek region; an endpoint is 48 bytes, Zeek's TCP_Endpoint). A packet reads
 * and writes lines 0 and 1; line 2 only when a letter is added or the packet's tunnels are not the
 * last packet's ({@link #Z_TUNNELLED} says whether the last packet had any):
 *   0 | client endpoint | bits:i32 (originator is client, started, given up, ...) | seen:i32
 *     | lastNanos:i64                                                                       (line 0)
 *  64 | server endpoint | removalNanos:i64 | attemptDeadlineNanos:i64                       (line 1)
 * 128 | history letters: 48 ASCII bytes | letters:i32 (history length) | tunnelChanges:i32
 *     | tunnelHash:i64                                                                      (line 2)
 * Meta (offsets from the meta region; touched by handshake segments, the first record's facts and records):
 *   0 | lastSynNanos | lastSynAckNanos | handshakeRttNanos | backoffNanos | synToSynAckNanos
 *     | synAckToAckNanos (i64, Long.MIN_VALUE unset) | clientIsn:u32 | serverIsn:u32
 *     | clientMss:i32 | serverMss:i32                                                       (line 0)
 *  64 | synCount:i32 | synAckCount:i32 | interimCount:i32 | handshakeStatus:u8 | handshakeBits:u8
 *     | httpMethod:u8 | metaBits:u8 | clientWscale:i16 | serverWscale:i16 | httpStatus:i16
 *     | tlsClientVersion:u16 | tlsServerVersion:u16 | tlsAlertLevel:i16 | tlsAlertDescription:i16
 *     | icmpType:i16 | icmpCode:i16 | icmpReporterVersion:u8 | 5 free | icmpReporterHi:i64
 *     | icmpReporterLo:i64 | 8 free                        (-1 is "none" in every i16; line 1)
 * endpoint:
 *   0 | state:u8 | prevState:u8 | bits:u8 | - | startSeq | lastSeq | lastSyn | lastFin | lastRst
 *     | rexmits | rexmitThreshold | zeroWindows | zeroWindowThreshold | contigEnd | aheadEnd (i32)
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
    public static final int HEADER_LENGTH = 2 * CACHE_LINE;
    public static final int DIRECTION_LENGTH = 3 * CACHE_LINE;
    /** The client's direction. */
    public static final int C2S_OFFSET = HEADER_OFFSET + HEADER_LENGTH;
    /** The server's direction. */
    public static final int S2C_OFFSET = C2S_OFFSET + DIRECTION_LENGTH;
    /** Both directions' rare parts: the client's, then the server's. */
    public static final int RARE_OFFSET = S2C_OFFSET + DIRECTION_LENGTH;
    /** One direction's rare part. */
    public static final int RARE_DIRECTION_LENGTH = CACHE_LINE / 2;
    public static final int RARE_LENGTH = CACHE_LINE;
    /** Zeek's view of the connection. */
    public static final int ZEEK_OFFSET = RARE_OFFSET + RARE_LENGTH;
    public static final int ZEEK_LENGTH = 3 * CACHE_LINE;
    /** The handshake and the record's cold facts. */
    public static final int META_OFFSET = ZEEK_OFFSET + ZEEK_LENGTH;
    public static final int META_LENGTH = 2 * CACHE_LINE;
    public static final int RECORD_LENGTH = META_OFFSET + META_LENGTH;

    // header
    public static final int A_LO = 0;
    public static final int B_LO = 8;
    public static final int A_PORT = 16;
    public static final int B_PORT = 18;
    public static final int PROTOCOL = 20;
    public static final int IP_VERSION = 21;
    public static final int FLAGS = 22;
    public static final int TIMER_LIST = 24;
    public static final int HASH = 28;
    public static final int FILED_TICK = 32;
    public static final int EXPIRES_NANOS = 40;
    public static final int LAST_NANOS = 48;
    public static final int LAST_REPORT_NANOS = 56;
    public static final int A_HI = 64;
    public static final int B_HI = 72;
    public static final int TUNNEL_KEY = 80;
    public static final int HANDSHAKE_RTT_NANOS = 88;
    public static final int FIRST_NANOS = 96;
    public static final int FIRST_FRAME = 104;
    public static final int VLANS = 112;
    public static final int PACKET_MARKS = 120;
    // bits of FLAGS
    /** The client is the key's endpoint "a" (else "b"). */
    public static final int CLIENT_IS_A = 1;
    /** No SYN said who opened the connection: the roles were inferred. */
    public static final int ROLES_INFERRED = 1 << 1;
    /** Both FINs or a RST were seen: the next SYN on the tuple starts a new connection. */
    public static final int CLOSED = 1 << 2;
    /** Plain ACKs cannot change the handshake any more. */
    public static final int HANDSHAKE_SETTLED = 1 << 3;
    /** A handshake was seen and did not complete. */
    public static final int HALF_OPEN = 1 << 4;
    /** Both sides use TCP timestamps. */
    public static final int TIMESTAMPS = 1 << 5;
    /** A TLS hello is being collected across segments (the flow holds a hello buffer). */
    public static final int HELLO_BUFFERED = 1 << 6;
    /** The record belongs to a flow in the table. */
    public static final int IN_USE = 1 << 7;
    /**
     * The key has parts in line 1: a high address half (IPv6) or a tunnel key. Without it a probe
     * whose key has none either is decided by line 0 alone.
     */
    public static final int WIDE_KEY = 1 << 8;

    /** Every field of the header. */
    public static final Field[] HEADER_FIELDS = {
        new Field("aLo", A_LO, 8),
        new Field("bLo", B_LO, 8),
        new Field("aPort", A_PORT, 2),
        new Field("bPort", B_PORT, 2),
        new Field("protocol", PROTOCOL, 1),
        new Field("ipVersion", IP_VERSION, 1),
        new Field("flags", FLAGS, 2),
        new Field("timerList", TIMER_LIST, 4),
        new Field("hash", HASH, 4),
        new Field("filedTick", FILED_TICK, 8),
        new Field("expiresNanos", EXPIRES_NANOS, 8),
        new Field("lastNanos", LAST_NANOS, 8),
        new Field("lastReportNanos", LAST_REPORT_NANOS, 8),
        new Field("aHi", A_HI, 8),
        new Field("bHi", B_HI, 8),
        new Field("tunnelKey", TUNNEL_KEY, 8),
        new Field("handshakeRttNanos", HANDSHAKE_RTT_NANOS, 8),
        new Field("firstNanos", FIRST_NANOS, 8),
        new Field("firstFrame", FIRST_FRAME, 8),
        new Field("vlans", VLANS, 8),
        new Field("packetMarks", PACKET_MARKS, 8),
    };

    // direction, seq line
    public static final int NEXT_SEQ = 0;
    public static final int MAX_SEQ_TO_BE_ACKED = 4;
    public static final int LAST_ACK = 8;
    public static final int DUP_ACK_COUNT = 12;
    public static final int LAST_SEGMENT_FLAGS = 16;
    public static final int BITS = 18;
    public static final int WINDOW_SCALE = 19;
    public static final int BASE_SEQ = 20;
    public static final int WINDOW = 24;
    public static final int TIMED_END = 28;
    public static final int ZERO_WINDOWS = 32;
    public static final int KEEP_ALIVES = 36;
    public static final int LAST_ACK_NANOS = 40;
    public static final int NEXT_SEQ_NANOS = 48;
    public static final int ZERO_WINDOW_SINCE_NANOS = 56;
    // direction, count line
    public static final int PACKETS = 64;
    public static final int BYTES = 72;
    public static final int PAYLOAD_BYTES = 80;
    public static final int WINDOW_SUM = 88;
    public static final int WINDOW_COUNT = 96;
    public static final int WINDOW_MIN = 104;
    public static final int WINDOW_MAX = 108;
    public static final int LAST_SACKED_BYTES = 112;
    public static final int LOST_SEGMENTS = 116;
    public static final int DUP_ACKS = 120;
    public static final int WINDOW_FULL = 124;
    // direction, data line
    public static final int DATA_SEGMENTS = 128;
    public static final int TIMED_NANOS = 136;
    public static final int ZERO_WINDOW_PENDING_NANOS = 144;
    public static final int ZERO_WINDOW_STALL_NANOS = 152;
    public static final int RETRANSMITTED_BYTES = 160;
    public static final int SACK_BLOCKS = 168;
    public static final int TIMED_TS_VAL = 172;
    public static final int MAX_BYTES_IN_FLIGHT = 176;
    public static final int RETRANSMISSIONS = 180;
    public static final int RETRANSMITTED_DATA_SEGMENTS = 184;
    public static final int OUT_OF_ORDER = 188;
    // a direction's rare part (offsets from it, in the rare line both directions share)
    public static final int FAST_RETRANSMISSIONS = 0;
    public static final int SPURIOUS_RETRANSMISSIONS = 4;
    public static final int RTT_SUM = 8;
    public static final int RTT_COUNT = 16;
    public static final int RTT_MIN = 20;
    public static final int RTT_MAX = 24;

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

    // zeek region
    public static final int ZEEK_CLIENT_END = 0;
    public static final int ZEEK_BITS = 48;
    public static final int ZEEK_SEEN = 52;
    /** Time of the connection's last packet Zeek saw (its last_time, for the inactivity timeout). */
    public static final int ZEEK_LAST_NANOS = 56;
    public static final int ZEEK_SERVER_END = 64;
    public static final int ZEEK_REMOVAL_NANOS = 112;
    public static final int ZEEK_ATTEMPT_DEADLINE_NANOS = 120;
    /** The history's letters, one ASCII byte each, up to {@code ZeekHistory.MAX_LETTERS}. */
    public static final int ZEEK_HISTORY = 128;
    public static final int ZEEK_HISTORY_LENGTH = 48;
    public static final int ZEEK_LETTERS = 176;
    /** How many times the packets' tunnels changed (Zeek's tunnel_changes). */
    public static final int ZEEK_TUNNEL_CHANGES = 180;
    /** A hash of the tunnels the last packet came in (Zeek's encapsulation), 0 when untunnelled. */
    public static final int ZEEK_TUNNEL_HASH = 184;
    // bits of ZEEK_BITS
    public static final int Z_ORIG_IS_CLIENT = 1;
    public static final int Z_STARTED = 1 << 1;
    public static final int Z_GIVEN_UP = 1 << 2;
    /** Zeek's HIST_ANALYZER_LIMIT_REACHED: the {@code X} letter was written. */
    public static final int Z_LIMIT_REACHED = 1 << 3;
    /** Zeek's NTP analyzer flipped the roles (it does so once). */
    public static final int Z_NTP_FLIPPED = 1 << 4;
    /** {@link #ZEEK_TUNNEL_HASH} is not 0: the last packet came in tunnels. */
    public static final int Z_TUNNELLED = 1 << 5;
    // one Zeek endpoint
    public static final int ZEEK_END_LENGTH = 48;
    public static final int Z_STATE = 0;
    public static final int Z_PREV_STATE = 1;
    public static final int Z_BITS = 2;
    public static final int Z_START_SEQ = 4;
    public static final int Z_LAST_SEQ = 8;
    public static final int Z_LAST_SYN = 12;
    public static final int Z_LAST_FIN = 16;
    public static final int Z_LAST_RST = 20;
    public static final int Z_REXMITS = 24;
    public static final int Z_REXMIT_THRESHOLD = 28;
    public static final int Z_ZERO_WINDOWS = 32;
    public static final int Z_ZERO_WINDOW_THRESHOLD = 36;
    public static final int Z_CONTIG_END = 40;
    public static final int Z_AHEAD_END = 44;
    // bits of Z_BITS
    public static final int Z_SEQ_KNOWN = 1;
    public static final int Z_UDP_ACTIVE = 1 << 1;
    public static final int Z_CONTIG_KNOWN = 1 << 2;
    public static final int Z_HOLE = 1 << 3;
    public static final int Z_LAST_SYN_SET = 1 << 4;
    public static final int Z_LAST_FIN_SET = 1 << 5;
    public static final int Z_LAST_RST_SET = 1 << 6;
    public static final int Z_PAYLOAD_SEEN = 1 << 7;

    /** Every field of a direction, for the layout test and for readers of this class. */
    public static final Field[] DIRECTION_FIELDS = {
        new Field("nextSeq", NEXT_SEQ, 4),
        new Field("maxSeqToBeAcked", MAX_SEQ_TO_BE_ACKED, 4),
        new Field("lastAck", LAST_ACK, 4),
        new Field("dupAckCount", DUP_ACK_COUNT, 4),
        new Field("lastSegmentFlags", LAST_SEGMENT_FLAGS, 2),
        new Field("bits", BITS, 1),
        new Field("windowScale", WINDOW_SCALE, 1),
        new Field("baseSeq", BASE_SEQ, 4),
        new Field("window", WINDOW, 4),
        new Field("timedEnd", TIMED_END, 4),
        new Field("zeroWindows", ZERO_WINDOWS, 4),
        new Field("keepAlives", KEEP_ALIVES, 4),
        new Field("lastAckNanos", LAST_ACK_NANOS, 8),
        new Field("nextSeqNanos", NEXT_SEQ_NANOS, 8),
        new Field("zeroWindowSinceNanos", ZERO_WINDOW_SINCE_NANOS, 8),
        new Field("packets", PACKETS, 8),
        new Field("bytes", BYTES, 8),
        new Field("payloadBytes", PAYLOAD_BYTES, 8),
        new Field("windowSum", WINDOW_SUM, 8),
        new Field("windowCount", WINDOW_COUNT, 8),
        new Field("windowMin", WINDOW_MIN, 4),
        new Field("windowMax", WINDOW_MAX, 4),
        new Field("lastSackedBytes", LAST_SACKED_BYTES, 4),
        new Field("lostSegments", LOST_SEGMENTS, 4),
        new Field("dupAcks", DUP_ACKS, 4),
        new Field("windowFull", WINDOW_FULL, 4),
        new Field("dataSegments", DATA_SEGMENTS, 8),
        new Field("timedNanos", TIMED_NANOS, 8),
        new Field("zeroWindowPendingNanos", ZERO_WINDOW_PENDING_NANOS, 8),
        new Field("zeroWindowStallNanos", ZERO_WINDOW_STALL_NANOS, 8),
        new Field("retransmittedBytes", RETRANSMITTED_BYTES, 8),
        new Field("sackBlocks", SACK_BLOCKS, 4),
        new Field("timedTsVal", TIMED_TS_VAL, 4),
        new Field("maxBytesInFlight", MAX_BYTES_IN_FLIGHT, 4),
        new Field("retransmissions", RETRANSMISSIONS, 4),
        new Field("retransmittedDataSegments", RETRANSMITTED_DATA_SEGMENTS, 4),
        new Field("outOfOrder", OUT_OF_ORDER, 4),
    };

    /** Every field of a direction's rare part. */
    public static final Field[] RARE_FIELDS = {
        new Field("fastRetransmissions", FAST_RETRANSMISSIONS, 4),
        new Field("spuriousRetransmissions", SPURIOUS_RETRANSMISSIONS, 4),
        new Field("rttSum", RTT_SUM, 8),
        new Field("rttCount", RTT_COUNT, 4),
        new Field("rttMin", RTT_MIN, 4),
        new Field("rttMax", RTT_MAX, 4),
    };

    // meta region, line 0: the handshake's times and numbers
    public static final int LAST_SYN_NANOS = 0;
    public static final int LAST_SYN_ACK_NANOS = 8;
    public static final int HS_RTT_NANOS = 16;
    public static final int BACKOFF_NANOS = 24;
    public static final int SYN_TO_SYN_ACK_NANOS = 32;
    public static final int SYN_ACK_TO_ACK_NANOS = 40;
    public static final int CLIENT_ISN = 48;
    public static final int SERVER_ISN = 52;
    public static final int CLIENT_MSS = 56;
    public static final int SERVER_MSS = 60;
    // meta region, line 1
    public static final int SYN_COUNT = 64;
    public static final int SYN_ACK_COUNT = 68;
    public static final int INTERIM_COUNT = 72;
    public static final int HS_STATUS = 76;
    public static final int HS_BITS = 77;
    public static final int HTTP_METHOD = 78;
    public static final int META_BITS = 79;
    public static final int CLIENT_WSCALE = 80;
    public static final int SERVER_WSCALE = 82;
    public static final int HTTP_STATUS = 84;
    public static final int TLS_CLIENT_VERSION = 86;
    public static final int TLS_SERVER_VERSION = 88;
    public static final int TLS_ALERT_LEVEL = 90;
    public static final int TLS_ALERT_DESCRIPTION = 92;
    public static final int ICMP_TYPE = 94;
    public static final int ICMP_CODE = 96;
    public static final int ICMP_REPORTER_VERSION = 98;
    public static final int ICMP_REPORTER_HI = 104;
    public static final int ICMP_REPORTER_LO = 112;
    // bits of HS_BITS
    public static final int HS_CLIENT_SACK = 1;
    public static final int HS_SERVER_SACK = 1 << 1;
    public static final int HS_CLIENT_TIMESTAMPS = 1 << 2;
    public static final int HS_SERVER_TIMESTAMPS = 1 << 3;
    public static final int HS_CLIENT_ISN_KNOWN = 1 << 4;
    public static final int HS_SERVER_ISN_KNOWN = 1 << 5;
    // bits of META_BITS
    public static final int TLS_ALERT_FROM_SERVER = 1;

    /** Every field of the meta region. */
    public static final Field[] META_FIELDS = {
        new Field("lastSynNanos", LAST_SYN_NANOS, 8),
        new Field("lastSynAckNanos", LAST_SYN_ACK_NANOS, 8),
        new Field("handshakeRttNanos", HS_RTT_NANOS, 8),
        new Field("backoffNanos", BACKOFF_NANOS, 8),
        new Field("synToSynAckNanos", SYN_TO_SYN_ACK_NANOS, 8),
        new Field("synAckToAckNanos", SYN_ACK_TO_ACK_NANOS, 8),
        new Field("clientIsn", CLIENT_ISN, 4),
        new Field("serverIsn", SERVER_ISN, 4),
        new Field("clientMss", CLIENT_MSS, 4),
        new Field("serverMss", SERVER_MSS, 4),
        new Field("synCount", SYN_COUNT, 4),
        new Field("synAckCount", SYN_ACK_COUNT, 4),
        new Field("interimCount", INTERIM_COUNT, 4),
        new Field("handshakeStatus", HS_STATUS, 1),
        new Field("handshakeBits", HS_BITS, 1),
        new Field("httpMethod", HTTP_METHOD, 1),
        new Field("metaBits", META_BITS, 1),
        new Field("clientWscale", CLIENT_WSCALE, 2),
        new Field("serverWscale", SERVER_WSCALE, 2),
        new Field("httpStatus", HTTP_STATUS, 2),
        new Field("tlsClientVersion", TLS_CLIENT_VERSION, 2),
        new Field("tlsServerVersion", TLS_SERVER_VERSION, 2),
        new Field("tlsAlertLevel", TLS_ALERT_LEVEL, 2),
        new Field("tlsAlertDescription", TLS_ALERT_DESCRIPTION, 2),
        new Field("icmpType", ICMP_TYPE, 2),
        new Field("icmpCode", ICMP_CODE, 2),
        new Field("icmpReporterVersion", ICMP_REPORTER_VERSION, 1),
        new Field("icmpReporterHi", ICMP_REPORTER_HI, 8),
        new Field("icmpReporterLo", ICMP_REPORTER_LO, 8),
    };

    /** Every field of the zeek region, endpoints as one field each. */
    public static final Field[] ZEEK_FIELDS = {
        new Field("clientEnd", ZEEK_CLIENT_END, ZEEK_END_LENGTH),
        new Field("bits", ZEEK_BITS, 4),
        new Field("seen", ZEEK_SEEN, 4),
        new Field("lastNanos", ZEEK_LAST_NANOS, 8),
        new Field("serverEnd", ZEEK_SERVER_END, ZEEK_END_LENGTH),
        new Field("removalNanos", ZEEK_REMOVAL_NANOS, 8),
        new Field("attemptDeadlineNanos", ZEEK_ATTEMPT_DEADLINE_NANOS, 8),
        new Field("history", ZEEK_HISTORY, ZEEK_HISTORY_LENGTH),
        new Field("letters", ZEEK_LETTERS, 4),
        new Field("tunnelChanges", ZEEK_TUNNEL_CHANGES, 4),
        new Field("tunnelHash", ZEEK_TUNNEL_HASH, 8),
    };

    /** Every field of a Zeek endpoint. */
    public static final Field[] ZEEK_END_FIELDS = {
        new Field("state", Z_STATE, 1),
        new Field("prevState", Z_PREV_STATE, 1),
        new Field("bits", Z_BITS, 1),
        new Field("startSeq", Z_START_SEQ, 4),
        new Field("lastSeq", Z_LAST_SEQ, 4),
        new Field("lastSyn", Z_LAST_SYN, 4),
        new Field("lastFin", Z_LAST_FIN, 4),
        new Field("lastRst", Z_LAST_RST, 4),
        new Field("rexmits", Z_REXMITS, 4),
        new Field("rexmitThreshold", Z_REXMIT_THRESHOLD, 4),
        new Field("zeroWindows", Z_ZERO_WINDOWS, 4),
        new Field("zeroWindowThreshold", Z_ZERO_WINDOW_THRESHOLD, 4),
        new Field("contigEnd", Z_CONTIG_END, 4),
        new Field("aheadEnd", Z_AHEAD_END, 4),
    };

    private FlowDescriptor()
    {
    }
}
