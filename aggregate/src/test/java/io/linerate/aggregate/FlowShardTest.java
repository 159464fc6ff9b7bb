package io.linerate.aggregate;

import io.linerate.aggregate.RecordingListener.Rec;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.decode.DecodedFrame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.linerate.aggregate.Frames.ACK;
import static io.linerate.aggregate.Frames.FIN;
import static io.linerate.aggregate.Frames.PSH;
import static io.linerate.aggregate.Frames.RST;
import static io.linerate.aggregate.Frames.SYN;
import static io.linerate.aggregate.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection tracking rules, one per test: who the client is, when a tuple starts a new connection,
 * the handshake RTT, timeouts and eviction, and the records that come out.
 */
class FlowShardTest
{
    static final long C = ip(10, 0, 0, 1);
    static final long S = ip(10, 0, 0, 2);
    static final long R = ip(192, 168, 1, 1);

    final Frames frames = new Frames();
    final RecordingListener records = new RecordingListener();
    FlowShard shard = new FlowShard(FlowSettings.defaults(1), records);

    void feed(final DecodedFrame... slots)
    {
        for (final DecodedFrame s : slots)
        {
            // The order the ring handler uses: the frame's own flow first, then the clock.
            shard.onFrame(s);
            shard.advanceTime(s.timestampNanos);
        }
    }

    /** The final records, in order (interim records of long flows have tests of their own). */
    List<Rec> end()
    {
        shard.flushAll(EndReason.END_OF_INPUT);
        return records.records.stream().filter(Rec::isFinal).toList();
    }

    @Test
    void aCompleteConnectionGivesOneFinalRecordWithItsHandshake()
    {
        feed(
            frames.tcp(1_000, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.tcp(1_400, S, 80, C, 40000, SYN | ACK, 900, 101, 0),
            frames.tcp(1_500, C, 40000, S, 80, ACK, 101, 901, 0),
            frames.tcp(1_600, C, 40000, S, 80, PSH | ACK, 101, 901, 120),
            frames.tcp(2_000, S, 80, C, 40000, PSH | ACK, 901, 221, 1000),
            frames.tcp(2_100, S, 80, C, 40000, FIN | ACK, 1901, 221, 0),
            frames.tcp(2_200, C, 40000, S, 80, FIN | ACK, 221, 1902, 0),
            frames.tcp(2_300, S, 80, C, 40000, ACK, 1902, 222, 0));
        final List<Rec> out = end();
        assertEquals(1, out.size());
        final Rec r = out.get(0);
        assertTrue(r.isFinal());
        assertEquals(EndReason.FIN, r.reason());
        assertEquals(C, r.client());
        assertEquals(80, r.serverPort());
        assertFalse(r.inferred());
        assertEquals(4, r.c2sPackets());
        assertEquals(4, r.s2cPackets());
        assertEquals(120, r.c2sPayload());
        assertEquals(1000, r.s2cPayload());
        assertTrue(r.c2sFin() && r.s2cFin());
        assertEquals("complete", r.handshake());
        assertEquals(500_000, r.rttNanos(), "SYN at 1000 us to the ACK at 1500 us");
        assertEquals(1_000_000, r.firstNanos());
        assertEquals(2_300_000, r.lastNanos());
    }

    @Test
    void aRetransmittedSynStaysInItsConnectionAndRestartsTheRtt()
    {
        feed(
            frames.tcp(0, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.tcp(1_000_000, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.tcp(1_000_300, S, 80, C, 40000, SYN | ACK, 900, 101, 0),
            frames.tcp(1_000_400, C, 40000, S, 80, ACK, 101, 901, 0));
        final List<Rec> out = end();
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).syns());
        assertEquals(400_000, out.get(0).rttNanos(), "from the most recent SYN, as Wireshark's initial_rtt");
    }

    @Test
    void aSynWithANewSequenceNumberStartsANewConnectionOnTheSameTuple()
    {
        feed(
            frames.tcp(0, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.tcp(100, S, 80, C, 40000, SYN | ACK, 900, 101, 0),
            frames.tcp(200, C, 40000, S, 80, ACK, 101, 901, 0),
            frames.tcp(300, C, 40000, S, 80, FIN | ACK, 101, 901, 0),
            frames.tcp(400, S, 80, C, 40000, FIN | ACK, 901, 102, 0),
            frames.tcp(500, C, 40000, S, 80, ACK, 102, 902, 0),
            frames.tcp(10_000, C, 40000, S, 80, SYN, 5000, 0, 0),
            frames.tcp(10_100, S, 80, C, 40000, RST | ACK, 0, 5001, 0));
        final List<Rec> out = end();
        assertEquals(2, out.size());
        assertEquals(EndReason.FIN, out.get(0).reason());
        assertEquals(4, out.get(0).c2sPackets());
        assertEquals(EndReason.RST, out.get(1).reason());
        assertEquals("refused", out.get(1).handshake());
        assertEquals(1, out.get(1).c2sPackets());
    }

    @Test
    void aSynWithTheSameSequenceNumberAfterAResetIsARetransmissionNotANewConnection()
    {
        feed(
            frames.tcp(0, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.tcp(100, S, 80, C, 40000, RST | ACK, 0, 101, 0),
            frames.tcp(3_000_000, C, 40000, S, 80, SYN, 100, 0, 0));
        final List<Rec> out = end();
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).c2sPackets());
    }

    @Test
    void aRefusedSynIsMeasuredToTheResetAsWiresharkDoes()
    {
        feed(
            frames.tcp(0, C, 40000, S, 81, SYN, 100, 0, 0),
            frames.tcp(250, S, 81, C, 40000, RST | ACK, 0, 101, 0));
        final Rec r = end().get(0);
        assertEquals("refused", r.handshake());
        assertEquals(250_000, r.rttNanos());
        assertTrue(r.s2cRst());
        assertFalse(r.c2sRst());
        assertEquals(EndReason.RST, r.reason());
    }

    @Test
    void withoutAHandshakeTheLowerPortIsTheServer()
    {
        feed(frames.tcp(0, S, 443, C, 51000, PSH | ACK, 5, 7, 100));
        final Rec r = end().get(0);
        assertEquals(C, r.client());
        assertEquals(51000, r.clientPort());
        assertEquals(443, r.serverPort());
        assertTrue(r.inferred());
        assertEquals(0, r.c2sPackets());
        assertEquals(1, r.s2cPackets());
        assertEquals("not_seen", r.handshake());
    }

    @Test
    void aSynAckSeenFirstNamesItsReceiverTheClient()
    {
        feed(frames.tcp(0, S, 80, C, 40000, SYN | ACK, 900, 101, 0),
            frames.tcp(100, C, 40000, S, 80, ACK, 101, 901, 0));
        final Rec r = end().get(0);
        assertEquals(C, r.client());
        assertFalse(r.inferred());
        assertEquals("complete", r.handshake());
    }

    @Test
    void aZeroRttIsMeasuredAgainAtTheNextAck()
    {
        feed(
            frames.tcp(5_000, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.tcp(5_000, S, 80, C, 40000, SYN | ACK, 900, 101, 0),
            frames.tcp(5_000, C, 40000, S, 80, ACK, 101, 901, 0),
            frames.tcp(25_000, C, 40000, S, 80, ACK, 101, 901, 0));
        assertEquals(20_000_000, end().get(0).rttNanos());
    }

    @Test
    void anIdleFlowEndsWhenTheClockPassesItsTimeoutButItsOwnLatePacketKeepsItAlive()
    {
        feed(
            frames.udp(0, C, 5353, S, 53, 30),
            frames.udp(59_000_000, C, 5354, S, 53, 30),
            // 90 s after its first packet, the first flow's own packet arrives before any other frame.
            frames.udp(90_000_000, C, 5353, S, 53, 30),
            frames.udp(200_000_000, R, 1, S, 53, 30));
        final List<Rec> out = end();
        assertEquals(3, out.size());
        assertEquals(EndReason.IDLE_TIMEOUT, out.get(0).reason());
        assertEquals(5354, out.get(0).clientPort());
        assertEquals(EndReason.IDLE_TIMEOUT, out.get(1).reason());
        assertEquals(5353, out.get(1).clientPort());
        assertEquals(2, out.get(1).c2sPackets());
        assertEquals(EndReason.END_OF_INPUT, out.get(2).reason());
    }

    @Test
    void aHandshakeStillBeingRetriedOutlivesTheHalfOpenTimeout()
    {
        // Linux backs off 1, 2, 4, 8, 16, 32 s between SYNs; other traffic keeps the clock moving.
        final long[] synAt = {0, 1, 3, 7, 15, 31, 63};
        long t = 0;
        for (final long s : synAt)
        {
            while (t < s)
            {
                feed(frames.udp(t * 1_000_000, R, 1000, S, 53, 10));
                t++;
            }
            feed(frames.tcp(s * 1_000_000, C, 40000, S, 80, SYN, 100, 0, 0));
        }
        final List<Rec> tcp = end().stream().filter(r -> r.protocol() == 6).toList();
        assertEquals(1, tcp.size());
        assertEquals(7, tcp.get(0).syns());
        assertEquals("syn_sent", tcp.get(0).handshake());
    }

    @Test
    void aFullTableEvictsTheLeastRecentlySeenFlow()
    {
        shard = new FlowShard(new FlowSettings(2, 1_000_000_000_000L, 1_000_000_000_000L, 1_000_000_000_000L,
            1_000_000_000_000L, 1_000_000_000_000L, 1_000_000_000_000L, 0.02), records);
        feed(
            frames.udp(0, C, 1001, S, 53, 1),
            frames.udp(1, C, 1002, S, 53, 1),
            frames.udp(2, C, 1001, S, 53, 1),
            frames.udp(3, C, 1003, S, 53, 1));
        final List<Rec> out = end();
        assertEquals(EndReason.EVICTED, out.get(0).reason());
        assertEquals(1002, out.get(0).clientPort());
        assertEquals(3, out.size());
        assertEquals(1, shard.flowsEvicted());
    }

    @Test
    void anIcmpErrorQuotingATcpHeaderIsNotedAndCountedAsWiresharkCountsIt()
    {
        feed(
            frames.tcp(0, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.icmpQuotingTcp(100, R, C, 13, C, 40000, S, 80, SYN, 20),
            frames.icmpQuotingTcp(200, R, C, 13, C, 40000, S, 80, SYN, 8));
        final List<Rec> out = end();
        final Rec tcp = out.stream().filter(r -> r.protocol() == 6).findFirst().orElseThrow();
        assertEquals(3, tcp.icmpType());
        assertEquals(13, tcp.icmpCode());
        assertEquals(1, tcp.c2sPackets());
        assertEquals(1, tcp.s2cPackets(), "only the error quoting 16+ bytes of the header is a packet of it");
        assertEquals(2, out.stream().filter(r -> r.protocol() == 1).mapToLong(Rec::c2sPackets).sum());
        assertEquals(EndReason.ICMP_ERROR, tcp.reason(), "the attempt ended with the error that answered it");
    }

    @Test
    void anIcmpErrorQuotingAnUnknownConnectionNeverEvictsOneFromAFullTable()
    {
        shard = new FlowShard(new FlowSettings(4, 1_000_000_000_000L, 1_000_000_000_000L, 1_000_000_000_000L,
            1_000_000_000_000L, 1_000_000_000_000L, 1_000_000_000_000L, 0.02), records);
        feed(
            frames.tcp(0, C, 40001, S, 80, SYN, 100, 0, 0),
            frames.tcp(1, C, 40002, S, 80, SYN, 100, 0, 0),
            frames.icmpQuotingTcp(2, R, C, 13, C, 40003, S, 80, SYN, 20));
        assertEquals(4, shard.activeFlows(), "room left: the quoted attempt and the error's own flow");
        assertEquals(0, anomalies()[ShardAnomaly.EXCESSIVE_ICMP_QUOTED_CONNECTIONS]);

        // Forged errors quoting made-up connections, from the same reporter: the table is full.
        for (int port = 50000; port < 50100; port++)
        {
            feed(frames.icmpQuotingTcp(3 + port, R, C, 13, C, port, S, 80, SYN, 20));
        }
        assertEquals(100, anomalies()[ShardAnomaly.EXCESSIVE_ICMP_QUOTED_CONNECTIONS]);
        assertEquals(0, shard.flowsEvicted(), "no connection made room for a quote");
        final List<Rec> out = end();
        assertEquals(List.of(40001, 40002, 40003), out.stream().filter(r -> r.protocol() == 6)
            .map(Rec::clientPort).sorted().toList());
        assertEquals(101, out.stream().filter(r -> r.protocol() == 1).mapToLong(Rec::c2sPackets).sum(),
            "every error is still a packet of the reporter's ICMP flow");
    }

    long[] anomalies()
    {
        final long[] counts = new long[ShardAnomaly.COUNT + 1];
        shard.anomalyCounts(counts);
        return counts;
    }

    @Test
    void aUdpQueryAnsweredByPortUnreachableEndsWithTheIcmpError()
    {
        final DecodedFrame error = frames.icmpQuoting(100, S, C, 3, 17, C, 5353, S, 53, 0, 8);
        feed(frames.udp(0, C, 5353, S, 53, 30), error, frames.udp(200_000_000, C, 1, R, 2, 10));
        final Rec dns = end().stream().filter(r -> r.serverPort() == 53).findFirst().orElseThrow();
        assertEquals(3, dns.icmpCode());
        assertEquals(EndReason.ICMP_ERROR, dns.reason(), "idle after the error: it ended the flow");
    }

    @Test
    void anAnsweredConnectionDoesNotEndWithAnEarlierIcmpError()
    {
        feed(
            frames.tcp(0, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.icmpQuotingTcp(100, R, C, 1, C, 40000, S, 80, SYN, 20),
            frames.tcp(1_000_000, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.tcp(1_000_400, S, 80, C, 40000, SYN | ACK, 900, 101, 0),
            frames.tcp(1_000_500, C, 40000, S, 80, ACK, 101, 901, 0));
        final Rec tcp = end().stream().filter(r -> r.protocol() == 6).findFirst().orElseThrow();
        assertEquals(EndReason.END_OF_INPUT, tcp.reason());
    }

    @Test
    void framesWithoutATimestampNeverTimeOut()
    {
        feed(
            frames.tcp(0, S, 53, C, 56752, PSH | ACK, 1, 1, 56),
            frames.tcp(1_600_000_000_000_000L, C, 1, R, 2, PSH | ACK, 1, 1, 1),
            frames.tcp(1_600_000_100_000_000L, S, 53, C, 56752, PSH | ACK, 57, 1, 46));
        final List<Rec> out = end();
        final Rec dns = out.stream().filter(r -> r.serverPort() == 53).findFirst().orElseThrow();
        assertEquals(2, dns.s2cPackets());
        assertEquals(102, dns.s2cPayload());
    }

    @Test
    void aClosedConnectionEndsAfterItsLingerEvenBehindAnOlderQuietOne()
    {
        feed(
            // An established connection that then goes quiet (an hour's timeout)...
            frames.tcp(0, C, 50000, S, 22, SYN, 10, 0, 0),
            frames.tcp(100, S, 22, C, 50000, SYN | ACK, 20, 11, 0),
            frames.tcp(200, C, 50000, S, 22, ACK, 11, 21, 0),
            // ...then one that opens and closes (30 s linger).
            frames.tcp(1_000, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.tcp(1_100, S, 80, C, 40000, SYN | ACK, 900, 101, 0),
            frames.tcp(1_200, C, 40000, S, 80, FIN | ACK, 101, 901, 0),
            frames.tcp(1_300, S, 80, C, 40000, FIN | ACK, 901, 102, 0),
            frames.tcp(1_400, C, 40000, S, 80, ACK, 102, 902, 0),
            frames.udp(40_000_000, R, 1, S, 53, 10));
        assertEquals(1, records.records.size(), "the closed one is out 30 s after its last packet");
        assertEquals(80, records.records.get(0).serverPort());
        assertEquals(EndReason.FIN, records.records.get(0).reason());
        assertEquals(3, end().size());
    }

    @Test
    void aFullTableEvictsClosedConnectionsFirstAndTheySayHowTheyClosed()
    {
        final long hour = 3_600_000_000_000L;
        shard = new FlowShard(new FlowSettings(2, hour, hour, hour, hour, hour, hour, 0.02), records);
        feed(
            frames.udp(0, C, 1001, S, 53, 1),
            frames.tcp(10, C, 40000, S, 80, SYN, 100, 0, 0),
            frames.tcp(20, S, 80, C, 40000, RST | ACK, 0, 101, 0),
            frames.udp(30, C, 1002, S, 53, 1));
        assertEquals(1, records.records.size());
        assertEquals(EndReason.RST, records.records.get(0).reason(), "closed, so not 'evicted'");
        assertEquals(80, records.records.get(0).serverPort());
        assertEquals(1, shard.flowsEvicted());
    }

    @Test
    void theFirstHttpExchangeIsKept()
    {
        final DecodedFrame request = frames.tcp(1_000, C, 40000, S, 80, PSH | ACK, 101, 901, 80);
        request.httpMethod = 1;
        final DecodedFrame response = frames.tcp(2_000, S, 80, C, 40000, PSH | ACK, 901, 181, 300);
        response.httpStatus = 404;
        final DecodedFrame second = frames.tcp(3_000, C, 40000, S, 80, PSH | ACK, 181, 1201, 80);
        second.httpMethod = 2;
        final DecodedFrame secondResponse = frames.tcp(4_000, S, 80, C, 40000, PSH | ACK, 1201, 261, 300);
        secondResponse.httpStatus = 200;
        feed(request, response, second, secondResponse);
        final Rec r = end().get(0);
        assertEquals(1, r.httpMethod());
        assertEquals(404, r.httpStatus());
    }

    @Test
    void tlsKeepsTheClientsOfferTheServersChoiceAndTheWorstAlert()
    {
        final DecodedFrame hello = frames.tcp(1_000, C, 40000, S, 443, PSH | ACK, 101, 901, 200);
        hello.tlsHandshakeType = 1;
        hello.tlsClientVersion = 0x0303;
        final DecodedFrame warning = frames.tcp(2_000, S, 443, C, 40000, PSH | ACK, 901, 301, 7);
        warning.tlsAlertLevel = 1;
        warning.tlsAlertDescription = 112;
        final DecodedFrame fatal = frames.tcp(3_000, S, 443, C, 40000, PSH | ACK, 908, 301, 7);
        fatal.tlsAlertLevel = 2;
        fatal.tlsAlertDescription = 70;
        final DecodedFrame later = frames.tcp(4_000, C, 40000, S, 443, PSH | ACK, 301, 915, 7);
        later.tlsAlertLevel = 1;
        later.tlsAlertDescription = 0;
        feed(hello, warning, fatal, later);
        end();
        // The shard's flow is gone after the record; RecordingListener keeps what it saw.
        assertEquals(1, records.records.size());
        assertEquals(2, records.tls.get(0)[0], "the fatal alert replaces the warning, a later warning does not");
        assertEquals(70, records.tls.get(0)[1]);
        assertEquals(1, records.tls.get(0)[2], "from the server");
        assertEquals(0x0303, records.tls.get(0)[3]);
    }

    @Test
    void aShardTakesTheFramesWhoseHashLeavesItsNumberAsUnsignedRemainder()
    {
        // Powers of two take the hash's low bits, other counts divide: both mean the same split.
        final java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        final DecodedFrame slot = frames.tcp(1_000, C, 40000, S, 80, ACK, 101, 901, 0);
        for (int count = 1; count <= 8; count++)
        {
            final FlowShard[] shards = new FlowShard[count];
            for (int k = 0; k < count; k++)
            {
                shards[k] = new FlowShard(FlowSettings.defaults(1), records);
                shards[k].placeAs(k, count);
            }
            for (int i = 0; i < 2_000; i++)
            {
                slot.flowHash = i < 4 ? new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}[i] : rng.nextInt();
                int takers = 0;
                for (int k = 0; k < count; k++)
                {
                    final boolean expected = Integer.remainderUnsigned(slot.flowHash, count) == k;
                    assertEquals(expected, shards[k].takes(slot), "hash " + slot.flowHash + ", shard " + k + " of " + count);
                    takers += expected ? 1 : 0;
                }
                assertEquals(1, takers);
            }
        }
    }
}
