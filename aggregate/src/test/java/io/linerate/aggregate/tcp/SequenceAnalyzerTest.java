package io.linerate.aggregate.tcp;

import io.linerate.aggregate.FlowSettings;
import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.Frames;
import io.linerate.aggregate.view.DirectionView;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.RttView;
import io.linerate.decode.DecodedFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.linerate.aggregate.Frames.ACK;
import static io.linerate.aggregate.Frames.FIN;
import static io.linerate.aggregate.Frames.PSH;
import static io.linerate.aggregate.Frames.SYN;
import static io.linerate.aggregate.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wireshark's expert-info rules, one per test, on a connection with client C:40000 and server S:80
 * whose handshake took 1 ms (the out-of-order window): the segment that should be flagged, and what
 * the record's sender then counts.
 */
class SequenceAnalyzerTest
{
    static final long C = ip(10, 0, 0, 1);
    static final long S = ip(10, 0, 0, 2);
    static final int CLIENT_ISN = 1000;
    static final int SERVER_ISN = 5000;

    /** What a test checks of one direction of a record. */
    record Side(long retransmissions, long fast, long spurious, long outOfOrder, long lost, long dupAcks,
                long zeroWindows, long windowFull, long keepAlives, long retransmittedBytes, long sackBlocks,
                long maxInFlight, long windowMin, long windowMax, long rttSamples, long rttMin, long rttMax,
                long rttP50)
    {
        static Side of(final DirectionView s)
        {
            final RttView r = s.rtt();
            return new Side(s.retransmissions(), s.fastRetransmissions(), s.spuriousRetransmissions(),
                s.outOfOrder(), s.lostSegments(), s.dupAcks(), s.zeroWindows(), s.windowFull(), s.keepAlives(),
                s.retransmittedBytes(), s.sackBlocks(), s.maxBytesInFlight(), s.windowMin(), s.windowMax(),
                r.count(), r.minMicros(), r.maxMicros(), r.percentileMicros(0.5));
        }
    }

    record Out(boolean isFinal, Side c2s, Side s2c, String verdict, String detail, int interimCount)
    {
    }

    final Frames frames = new Frames();
    final List<Out> records = new ArrayList<>();
    final FlowRecordListener listener = (final FlowView f, final boolean isFinal, final EndReason reason) ->
        records.add(new Out(isFinal, Side.of(f.c2s()), Side.of(f.s2c()), f.verdict().wireName(),
            f.verdictDetail(), f.interimCount()));
    FlowShard shard = new FlowShard(FlowSettings.defaults(1), listener);

    void feed(final DecodedFrame... slots)
    {
        for (final DecodedFrame s : slots)
        {
            shard.onFrame(s);
            shard.advanceTime(s.timestampNanos);
        }
    }

    Out end()
    {
        shard.flushAll(EndReason.END_OF_INPUT);
        assertEquals(1, records.size(), "one connection, one record: " + records);
        return records.get(0);
    }

    /** Client data: {@code offset} bytes after the client's first data byte. */
    DecodedFrame c(final long micros, final int flags, final int offset, final int ackOffset, final int payload)
    {
        return frames.tcp(micros, C, 40000, S, 80, flags, CLIENT_ISN + 1 + offset, SERVER_ISN + 1 + ackOffset, payload);
    }

    DecodedFrame s(final long micros, final int flags, final int offset, final int ackOffset, final int payload)
    {
        return frames.tcp(micros, S, 80, C, 40000, flags, SERVER_ISN + 1 + offset, CLIENT_ISN + 1 + ackOffset, payload);
    }

    /** SYN at 0, SYN-ACK at 500 us, ACK at 1000 us: a 1 ms handshake. */
    void handshake()
    {
        feed(
            frames.tcp(0, C, 40000, S, 80, SYN, CLIENT_ISN, 0, 0),
            frames.tcp(500, S, 80, C, 40000, SYN | ACK, SERVER_ISN, CLIENT_ISN + 1, 0),
            c(1_000, ACK, 0, 0, 0));
    }

    @Test
    void aRetransmittedSynIsARetransmission()
    {
        feed(
            frames.tcp(0, C, 40000, S, 80, SYN, CLIENT_ISN, 0, 0),
            frames.tcp(1_000_000, C, 40000, S, 80, SYN, CLIENT_ISN, 0, 0),
            frames.tcp(3_000_000, C, 40000, S, 80, SYN, CLIENT_ISN, 0, 0));
        final Out r = end();
        assertEquals(2, r.c2s().retransmissions());
        assertEquals(0, r.c2s().retransmittedBytes());
        assertEquals("syn_unanswered", r.verdict());
        assertEquals("3 SYNs over 3.000 s to port 80 and no SYN-ACK, RST or ICMP error: the server is down or a " +
            "firewall drops the SYN silently", r.detail());
    }

    @Test
    void dataSentAgainAfterTheTimeoutIsARetransmissionAndGivesNoRttSample()
    {
        handshake();
        feed(
            c(2_000, PSH | ACK, 0, 0, 100),
            c(300_000, PSH | ACK, 0, 0, 100),      // RTO: the same bytes, long after
            s(300_400, ACK, 0, 100, 0));          // answers one of the two copies: which one, no one knows
        final Out r = end();
        assertEquals(1, r.c2s().retransmissions());
        assertEquals(100, r.c2s().retransmittedBytes());
        assertEquals(0, r.c2s().fast());
        assertEquals(0, r.c2s().outOfOrder());
        assertEquals(0, r.c2s().rttSamples(), "Karn: no sample from data sent twice");
    }

    @Test
    void twoDuplicateAcksThenTheMissingSegmentIsAFastRetransmission()
    {
        handshake();
        feed(
            c(2_000, ACK, 0, 0, 100),
            c(2_010, ACK, 100, 0, 100),           // the server never gets 0..100
            c(2_020, ACK, 200, 0, 100),
            s(3_000, ACK, 0, 0, 0),               // repeats the SYN-ACK's ACK and window: duplicate 1
            s(3_100, ACK, 0, 0, 0),               // duplicate 2
            c(3_300, ACK, 0, 0, 100));            // within 20 ms of the last duplicate
        final Out r = end();
        assertEquals(2, r.s2c().dupAcks());
        assertEquals(1, r.c2s().fast());
        assertEquals(1, r.c2s().retransmissions());
    }

    @Test
    void anEarlierSegmentRightAfterALaterOneIsOutOfOrder()
    {
        handshake();
        feed(
            c(2_000, ACK, 100, 0, 100),           // arrives first: previous segment not captured
            c(2_300, ACK, 0, 0, 100));            // 0.3 ms later, within the 1 ms handshake RTT
        final Out r = end();
        assertEquals(1, r.c2s().lost());
        assertEquals(1, r.c2s().outOfOrder());
        assertEquals(0, r.c2s().retransmissions());
    }

    @Test
    void theSameSegmentLaterThanTheHandshakeRttIsARetransmissionNotOutOfOrder()
    {
        handshake();
        feed(
            c(2_000, ACK, 100, 0, 100),
            c(5_000, ACK, 0, 0, 100));            // 3 ms later: longer than the 1 ms RTT
        final Out r = end();
        assertEquals(0, r.c2s().outOfOrder());
        assertEquals(1, r.c2s().retransmissions());
    }

    @Test
    void dataTheReceiverAcknowledgedAlreadyIsASpuriousRetransmission()
    {
        handshake();
        feed(
            c(2_000, ACK, 0, 0, 100),
            s(2_500, ACK, 0, 100, 0),
            c(400_000, ACK, 0, 0, 100));
        final Out r = end();
        assertEquals(1, r.c2s().spurious());
        assertEquals(1, r.c2s().retransmissions());
    }

    @Test
    void aZeroWindowThatHoldsDataBackIsAStall()
    {
        handshake();
        final DecodedFrame closed = s(3_000, ACK, 0, 100, 0);
        closed.window = 0;
        final DecodedFrame probe = c(500_000, ACK, 100, 0, 1);
        final DecodedFrame stillClosed = s(500_500, ACK, 0, 100, 0);
        stillClosed.window = 0;
        final DecodedFrame open = s(2_003_000, ACK, 0, 100, 0);
        feed(
            c(2_000, ACK, 0, 0, 100),
            closed,
            probe,                                // zero-window probe: 1 byte at the window's edge
            stillClosed,
            open,
            c(2_004_000, ACK, 100, 0, 1000));
        final Out r = end();
        assertEquals(2, r.s2c().zeroWindows());
        assertEquals(0, r.c2s().retransmissions(), "a probe is not a retransmission");
        assertEquals(0, r.s2c().dupAcks(), "the probe's ACK is not a duplicate ACK");
        assertEquals("zero_window_stall", r.verdict());
        assertEquals("the server advertised a zero window twice; the client waited 2.000 s to send: the receiving " +
            "application does not read fast enough", r.detail());
    }

    @Test
    void aKeepAliveIsNeitherARetransmissionNorLost()
    {
        handshake();
        feed(
            c(2_000, ACK, 0, 0, 100),
            s(2_500, ACK, 0, 100, 0),
            c(30_000_000, ACK, 99, 0, 0),         // one byte before the next sequence number
            s(30_000_500, ACK, 0, 100, 0));
        final Out r = end();
        assertEquals(1, r.c2s().keepAlives());
        assertEquals(0, r.c2s().retransmissions());
        assertEquals(0, r.s2c().dupAcks(), "a keep-alive's ACK is not a duplicate ACK");
    }

    @Test
    void dataUpToTheEdgeOfTheReceiversWindowIsWindowFull()
    {
        handshake();
        final DecodedFrame small = s(1_500, ACK, 0, 0, 0);
        small.window = 300;                       // no window scale option: windows are as sent
        feed(
            small,
            c(2_000, ACK, 0, 0, 100),
            c(2_010, ACK, 100, 0, 100),
            c(2_020, ACK, 200, 0, 100));          // reaches ack 1 + 300
        final Out r = end();
        assertEquals(1, r.c2s().windowFull());
        assertEquals(300, r.c2s().maxInFlight());
    }

    @Test
    void windowsAreScaledByTheShiftBothSidesAnnounced()
    {
        final DecodedFrame syn = frames.tcp(0, C, 40000, S, 80, SYN, CLIENT_ISN, 0, 0);
        syn.windowScale = 7;
        final DecodedFrame synAck = frames.tcp(500, S, 80, C, 40000, SYN | ACK, SERVER_ISN, CLIENT_ISN + 1, 0);
        synAck.windowScale = 2;
        synAck.window = 1000;
        final DecodedFrame ack = c(1_000, ACK, 0, 0, 0);
        ack.window = 100;
        final DecodedFrame serverAck = s(1_200, ACK, 0, 0, 0);
        serverAck.window = 1000;
        feed(syn, synAck, ack, serverAck);
        final Out r = end();
        assertEquals(100 << 7, r.c2s().windowMin(), "the client's ACK, shifted by the client's 7");
        assertEquals(1000, r.s2c().windowMin(), "the SYN-ACK's own window is never scaled");
        assertEquals(1000 << 2, r.s2c().windowMax());
    }

    @Test
    void eachRoundTripGivesOneRttSample()
    {
        handshake();
        feed(
            c(2_000, ACK, 0, 0, 100),
            c(2_100, ACK, 100, 0, 100),           // not timed: a sample is already running
            s(4_000, ACK, 0, 100, 0),             // 2 ms after the timed segment
            c(5_000, ACK, 200, 0, 100),
            s(8_000, ACK, 0, 300, 0),             // 3 ms
            s(9_000, ACK, 0, 300, 100),
            c(9_500, ACK, 300, 100, 0));          // 0.5 ms for the server's data
        final Out r = end();
        assertEquals(2, r.c2s().rttSamples());
        assertEquals(2_000, r.c2s().rttMin());
        assertEquals(3_000, r.c2s().rttMax());
        assertEquals(2_000, r.c2s().rttP50());
        assertEquals(1, r.s2c().rttSamples());
        assertEquals(500, r.s2c().rttMin());
    }

    @Test
    void sackBlocksAreCountedOnTheirSender()
    {
        handshake();
        final DecodedFrame sack = s(3_000, ACK, 0, 0, 0);
        sack.sackBlockCount = 2;
        feed(c(2_000, ACK, 100, 0, 100), sack);
        assertEquals(2, end().s2c().sackBlocks());
    }

    @Test
    void bytesInFlightLeaveOutWhatTheReceiverSacked()
    {
        handshake();
        final DecodedFrame sack = s(2_100, ACK, 0, 100, 0);  // 100-200 lost, 200-300 received
        sack.sackBlockCount = 1;
        sack.sackLeft[0] = CLIENT_ISN + 1 + 200;
        sack.sackRight[0] = CLIENT_ISN + 1 + 300;
        feed(
            c(2_000, ACK, 0, 0, 100),
            c(2_010, ACK, 100, 0, 100),
            c(2_020, ACK, 200, 0, 100),                    // 300 in flight
            sack,
            c(2_200, ACK, 300, 0, 100),                    // 400 - 100 - 100 SACKed = 200
            c(2_210, ACK, 400, 0, 100),
            c(2_220, ACK, 500, 0, 100),                    // 600 - 100 - 100 = 400, not 500
            c(2_230, ACK, 100, 0, 100));                   // the lost one again: 600 - 100 - 100
        assertEquals(400, end().c2s().maxInFlight(), "as Wireshark's tcp.analysis.bytes_in_flight");
    }

    @Test
    void aLongConnectionGetsInterimRecordsEveryActiveTimeout()
    {
        final long minute = 60_000_000L;
        handshake();
        feed(
            c(minute / 2, ACK, 0, 0, 10),
            c(minute + 1_000, ACK, 10, 0, 10),    // a minute after the SYN: the first interim record
            c(minute + 2_000, ACK, 20, 0, 10),
            c(2 * minute + 2_000, ACK, 30, 0, 10),  // a minute after that: the second
            c(2 * minute + 3_000, FIN | ACK, 40, 0, 0));
        shard.flushAll(EndReason.END_OF_INPUT);
        assertEquals(3, records.size());
        assertFalse(records.get(0).isFinal());
        assertEquals(0, records.get(0).interimCount());
        assertFalse(records.get(1).isFinal());
        assertEquals(1, records.get(1).interimCount());
        assertTrue(records.get(2).isFinal());
        assertEquals(2, records.get(2).interimCount());
    }
}
