package io.linerate.aggregate.zeek;

import io.linerate.aggregate.FlowSettings;
import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.Frames;
import io.linerate.aggregate.RecordingListener;
import io.linerate.aggregate.view.EndReason;
import io.linerate.decode.DecodedFrame;
import org.junit.jupiter.api.Test;

import static io.linerate.aggregate.Frames.ACK;
import static io.linerate.aggregate.Frames.FIN;
import static io.linerate.aggregate.Frames.PSH;
import static io.linerate.aggregate.Frames.RST;
import static io.linerate.aggregate.Frames.SYN;
import static io.linerate.aggregate.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Zeek's conn_state and history letters, one connection shape per test (values as Zeek's conn.log). */
class ZeekHistoryTest
{
    static final long C = ip(10, 0, 0, 1);
    static final long S = ip(10, 0, 0, 2);

    final Frames frames = new Frames();
    final RecordingListener records = new RecordingListener();
    final FlowShard shard = new FlowShard(FlowSettings.defaults(1), records);

    /** Feeds the frames and returns "STATE history" of the only record. */
    String zeek(final DecodedFrame... slots)
    {
        for (final DecodedFrame s : slots)
        {
            shard.onFrame(s);
            shard.advanceTime(s.timestampNanos);
        }
        shard.flushAll(EndReason.END_OF_INPUT);
        assertEquals(1, records.zeek.size());
        final String[] z = records.zeek.get(0);
        return z[0] + " " + z[1];
    }

    /** Feeds the frames and returns "STATE history" of the only final record (interim records aside). */
    String zeekFinal(final DecodedFrame... slots)
    {
        for (final DecodedFrame s : slots)
        {
            shard.onFrame(s);
            shard.advanceTime(s.timestampNanos);
        }
        shard.flushAll(EndReason.END_OF_INPUT);
        String found = null;
        for (int i = 0; i < records.records.size(); i++)
        {
            if (records.records.get(i).isFinal())
            {
                assertEquals(null, found, "one final record");
                found = records.zeek.get(i)[0] + " " + records.zeek.get(i)[1];
            }
        }
        return found;
    }

    DecodedFrame c(final long us, final int flags, final long seq, final long ack, final int len)
    {
        return frames.tcp(us, C, 40000, S, 80, flags, seq, ack, len);
    }

    DecodedFrame s(final long us, final int flags, final long seq, final long ack, final int len)
    {
        return frames.tcp(us, S, 80, C, 40000, flags, seq, ack, len);
    }

    @Test
    void completeConnectionIsSF()
    {
        assertEquals("SF ShADadFf", zeek(
            c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            c(4, PSH | ACK, 101, 901, 10), s(5, ACK, 901, 111, 0), s(6, PSH | ACK, 901, 111, 20),
            c(7, ACK, 111, 921, 0), c(8, FIN | ACK, 111, 921, 0), s(9, FIN | ACK, 921, 112, 0),
            c(10, ACK, 112, 922, 0)));
    }

    @Test
    void unansweredSynIsS0()
    {
        assertEquals("S0 S", zeek(c(1, SYN, 100, 0, 0), c(1_000_000, SYN, 100, 0, 0)));
    }

    @Test
    void anAttemptZeekGaveUpKeepsItsFirstRowAfterFiveSeconds()
    {
        // Nothing from the responder 5 s after the SYN: Zeek removes the connection; the client's
        // later ACK, data and FIN belong to Zeek's next row, not to this one.
        assertEquals("S0 SAD", zeek(c(1, SYN, 100, 0, 0), c(1_000_000, ACK, 101, 901, 0),
            c(2_000_000, PSH | ACK, 101, 901, 10), c(6_000_000, FIN | ACK, 111, 901, 0)));
    }

    @Test
    void anAnswerBeforeFiveSecondsKeepsTheAttemptGoing()
    {
        assertEquals("SF ShAFf", zeek(c(1, SYN, 100, 0, 0), s(4_000_000, SYN | ACK, 900, 101, 0),
            c(4_000_100, ACK, 101, 901, 0), c(9_000_000, FIN | ACK, 101, 901, 0),
            s(9_000_100, FIN | ACK, 901, 102, 0)));
    }

    @Test
    void anAckForResponderBytesNeverSeenIsAContentGap()
    {
        // The server's 2902 bytes are not in the capture; the client acknowledges them with its FIN:
        // Zeek's reassembler gives them up (missed_bytes), history g.
        assertEquals("SF ShADafgF", zeek(
            c(1, SYN, 0, 0, 0), s(2, SYN | ACK, 0, 1, 0), c(3, ACK, 1, 1, 0), c(4, PSH | ACK, 1, 1, 538),
            s(5, ACK, 1, 539, 0), s(6, FIN | ACK, 2903, 539, 0), c(7, ACK, 539, 2904, 0),
            c(8, FIN | ACK, 539, 2904, 0), s(9, ACK, 2904, 540, 0)));
    }

    @Test
    void aHoleFilledByItsRetransmissionIsNoGap()
    {
        assertEquals("SF ShADdtFf", zeek(
            c(1, SYN, 0, 0, 0), s(2, SYN | ACK, 0, 1, 0), c(3, ACK, 1, 1, 0), c(4, PSH | ACK, 1, 1, 10),
            s(5, ACK, 1, 11, 10),                  // server bytes 1..11
            s(6, ACK, 21, 11, 10),                 // 21..31: 11..21 not seen yet
            c(7, ACK, 11, 11, 0),                  // duplicate ACK: the client misses them too
            s(8, ACK, 11, 11, 10),                 // 11..21 sent again: the hole is filled
            c(9, ACK, 11, 31, 0), c(10, FIN | ACK, 11, 31, 0), s(11, FIN | ACK, 31, 12, 0),
            c(12, ACK, 12, 32, 0)));
    }

    @Test
    void packetsFiveSecondsAfterAResetAreZeeksNextRow()
    {
        // Zeek flushes a reset connection 5 s after the RST (tcp_reset_delay).
        assertEquals("RSTO ShR", zeek(c(1, SYN, 0, 0, 0), s(2, SYN | ACK, 0, 1, 0), c(3, RST, 1, 0, 0),
            c(16_000_000, ACK, 1, 1, 109), s(16_000_100, RST, 1, 0, 0)));
    }

    @Test
    void packetsWithinFiveSecondsOfAResetStayInTheRow()
    {
        assertEquals("REJ ShRr", zeek(c(1, SYN, 0, 0, 0), s(2, SYN | ACK, 0, 1, 0), c(3, RST, 1, 0, 0),
            s(4_000_000, RST, 1, 0, 0)));
    }

    @Test
    void synAnsweredByResetIsREJ()
    {
        assertEquals("REJ Sr", zeek(c(1, SYN, 100, 0, 0), s(2, RST | ACK, 0, 101, 0)));
    }

    @Test
    void establishedNotClosedIsS1()
    {
        assertEquals("S1 ShADda", zeek(
            c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            c(4, PSH | ACK, 101, 901, 10), s(5, PSH | ACK, 901, 111, 20), c(6, ACK, 111, 921, 0),
            s(7, ACK, 921, 111, 0)));
    }

    @Test
    void originatorClosedOnlyIsS2AndResponderClosedOnlyIsS3()
    {
        assertEquals("S2 ShAF", zeek(
            c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            c(4, FIN | ACK, 101, 901, 0)));
    }

    @Test
    void responderClosedOnlyIsS3()
    {
        assertEquals("S3 ShAf", zeek(
            c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            s(4, FIN | ACK, 901, 101, 0)));
    }

    @Test
    void resetByOriginatorIsRSTOAndByResponderRSTR()
    {
        assertEquals("RSTO ShADR", zeek(
            c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            c(4, PSH | ACK, 101, 901, 10), c(5, RST, 111, 0, 0)));
    }

    @Test
    void resetByResponderIsRSTR()
    {
        assertEquals("RSTR ShADr", zeek(
            c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            c(4, PSH | ACK, 101, 901, 10), s(5, RST | ACK, 901, 111, 0)));
    }

    @Test
    void synThenOriginatorResetIsRSTOS0()
    {
        assertEquals("RSTOS0 SR", zeek(c(1, SYN, 100, 0, 0), c(2, RST, 101, 0, 0)));
    }

    @Test
    void loneSynAckFromAServerPortIsFlippedAndResetIsRSTRH()
    {
        // The first packet is the server's SYN-ACK: Zeek flips the roles (^) and its originator is the client.
        assertEquals("RSTRH ^hr", zeek(s(1, SYN | ACK, 900, 101, 0), s(2, RST, 901, 0, 0)));
    }

    @Test
    void synThenFinWithoutAnswerIsSH()
    {
        assertEquals("SH SADF", zeek(
            c(1, SYN, 100, 0, 0), c(2, ACK, 101, 901, 0), c(3, PSH | ACK, 101, 901, 10),
            c(4, FIN | ACK, 111, 901, 0)));
    }

    @Test
    void responderOnlyMidstreamCloseIsSHR()
    {
        assertEquals("SHR ^daf", zeek(s(1, PSH | ACK, 900, 101, 10), s(2, ACK, 910, 101, 0),
            s(3, FIN | ACK, 910, 101, 0)));
    }

    @Test
    void midstreamIsOTH()
    {
        assertEquals("OTH DdA", zeek(c(1, PSH | ACK, 100, 900, 10), s(2, PSH | ACK, 900, 110, 20),
            c(3, ACK, 110, 920, 0)));
    }

    @Test
    void retransmissionsAreCountedOnALogScaleAndZeroWindowsToo()
    {
        final DecodedFrame[] p = new DecodedFrame[14];
        p[0] = c(1, SYN, 100, 0, 0);
        p[1] = s(2, SYN | ACK, 900, 101, 0);
        p[2] = c(3, ACK, 101, 901, 0);
        p[3] = c(4, PSH | ACK, 101, 901, 10);
        for (int i = 0; i < 10; i++)
        {
            p[4 + i] = c(5 + i, PSH | ACK, 101, 901, 10);
        }
        final DecodedFrame zw = s(100, ACK, 901, 111, 0);
        zw.window = 0;
        final DecodedFrame[] all = java.util.Arrays.copyOf(p, 15);
        all[14] = zw;
        assertEquals("S1 ShADTTaw", zeek(all));
    }

    @Test
    void synAckBeforeSynFlipsAfterTheFirstLetter()
    {
        // As Zeek's handshake-reorder trace (ports that are no likely server ports): "H", then the
        // SYN flips the roles: "Hs^".
        assertEquals("S1 Hs^ADda", zeek(
            frames.tcp(1, S, 5000, C, 40000, SYN | ACK, 900, 101, 0), frames.tcp(2, C, 40000, S, 5000, SYN, 100, 0, 0),
            frames.tcp(3, C, 40000, S, 5000, ACK, 101, 901, 0),
            frames.tcp(4, C, 40000, S, 5000, PSH | ACK, 101, 901, 10),
            frames.tcp(5, S, 5000, C, 40000, PSH | ACK, 901, 111, 20),
            frames.tcp(6, S, 5000, C, 40000, ACK, 921, 111, 0)));
    }

    @Test
    void udpBothWaysIsSFOneWayS0AndOtherProtocolsOTH()
    {
        assertEquals("SF Dd", zeek(frames.udp(1, C, 40000, S, 53, 30), frames.udp(2, S, 53, C, 40000, 90),
            frames.udp(3, C, 40000, S, 53, 30)));
    }

    @Test
    void udpReplyOnlyIsFlippedSHR()
    {
        assertEquals("SHR ^d", zeek(frames.udp(1, S, 53, C, 40000, 90)));
    }

    @Test
    void udpRequestOnlyIsS0()
    {
        assertEquals("S0 D", zeek(frames.udp(1, C, 40000, S, 53, 30)));
    }

    @Test
    void fiveMinutesWithoutAPacketEndZeeksRow()
    {
        // Zeek's tcp_inactivity_timeout (5 min): the data sent again 300 s after the last packet is
        // Zeek's next row (its history D), so this row has no retransmission.
        assertEquals("OTH Da", zeekFinal(c(30, ACK, 1001, 2001, 18), s(40, ACK, 2001, 1019, 0),
            c(300_000_040, ACK, 1001, 2001, 18)));
    }

    @Test
    void lessThanFiveMinutesWithoutAPacketKeepTheRow()
    {
        assertEquals("OTH DaT", zeekFinal(c(30, ACK, 1001, 2001, 18), s(40, ACK, 2001, 1019, 0),
            c(300_000_039, ACK, 1001, 2001, 18)));
    }

    @Test
    void aMinuteWithoutADatagramEndsZeeksUdpRow()
    {
        // Zeek's udp_inactivity_timeout (1 min): the late reply is Zeek's next row.
        assertEquals("S0 D", zeekFinal(frames.udp(1, C, 40000, S, 53, 30), frames.udp(60_000_001, S, 53, C, 40000, 90)));
    }

    @Test
    void aReplyWithinAMinuteStaysInTheUdpRow()
    {
        assertEquals("SF Dd", zeekFinal(frames.udp(1, C, 40000, S, 53, 30), frames.udp(60_000_000, S, 53, C, 40000, 90)));
    }

    /** A GTP-U tunnel from {@code src}:{@code srcPort} to {@code dst}:2152 around the frame. */
    static DecodedFrame gtp(final DecodedFrame s, final long src, final int srcPort, final long dst)
    {
        gtp(s, src, dst);
        s.tunnelSrcPort[0] = srcPort;
        s.tunnelDstPort[0] = 2152;
        return s;
    }

    /** A GTP-U tunnel from {@code src} to {@code dst} around the frame (ports 0, as a tunnel not in UDP). */
    static DecodedFrame gtp(final DecodedFrame s, final long src, final long dst)
    {
        s.tunnelCount = 1;
        s.tunnelType[0] = io.linerate.decode.tunnel.TunnelType.GTP_U;
        s.tunnelId[0] = 7;
        s.tunnelIpVersion[0] = 4;
        s.tunnelSrcLo[0] = src;
        s.tunnelDstLo[0] = dst;
        return s;
    }

    static final long UP = ip(192, 0, 2, 1), DOWN = ip(192, 0, 2, 2);

    @Test
    void theSixthChangeOfTunnelIsX()
    {
        // Uplink and downlink are two GTP-U tunnels (outer UDP connections UP:5906 > DOWN:2152 and
        // DOWN:2152 > UP:2152), so each turn of direction changes the connection's tunnels: Zeek follows 5 changes
        // (Tunnel::max_changes_per_connection) and writes X at the 6th, before that packet's letters.
        assertEquals("SF ShADadXFf", zeek(
            gtp(c(1, SYN, 100, 0, 0), UP, 5906, DOWN),
            gtp(s(2, SYN | ACK, 900, 101, 0), DOWN, 2152, UP),                // 1
            gtp(c(3, ACK, 101, 901, 0), UP, 5906, DOWN),                      // 2
            gtp(c(4, PSH | ACK, 101, 901, 10), UP, 5906, DOWN),
            gtp(s(5, ACK, 901, 111, 0), DOWN, 2152, UP),                      // 3
            gtp(s(6, PSH | ACK, 901, 111, 20), DOWN, 2152, UP),
            gtp(c(7, ACK, 111, 921, 0), UP, 5906, DOWN),                      // 4
            gtp(s(8, PSH | ACK, 921, 111, 20), DOWN, 2152, UP),               // 5
            gtp(c(9, FIN | ACK, 111, 941, 0), UP, 5906, DOWN),                // 6: X
            gtp(s(10, FIN | ACK, 941, 112, 0), DOWN, 2152, UP),
            gtp(c(11, ACK, 112, 942, 0), UP, 5906, DOWN)));
    }

    @Test
    void fiveChangesOfTunnelAreNoX()
    {
        assertEquals("SF ShADadFf", zeek(
            gtp(c(1, SYN, 100, 0, 0), UP, 5906, DOWN),
            gtp(s(2, SYN | ACK, 900, 101, 0), DOWN, 2152, UP),                // 1
            gtp(c(3, ACK, 101, 901, 0), UP, 5906, DOWN),                      // 2
            gtp(c(4, PSH | ACK, 101, 901, 10), UP, 5906, DOWN),
            gtp(s(5, ACK, 901, 111, 0), DOWN, 2152, UP),                      // 3
            gtp(s(6, PSH | ACK, 901, 111, 20), DOWN, 2152, UP),
            gtp(c(7, ACK, 111, 921, 0), UP, 5906, DOWN),                      // 4
            gtp(c(8, FIN | ACK, 111, 921, 0), UP, 5906, DOWN),
            gtp(s(9, FIN | ACK, 921, 112, 0), DOWN, 2152, UP),                // 5
            gtp(s(10, ACK, 922, 112, 0), DOWN, 2152, UP)));
    }

    @Test
    void aTunnelTheSameBothWaysIsNoChange()
    {
        // GRE (as IP-in-IP and VXLAN) is the same tunnel with its endpoints reversed.
        final DecodedFrame[] f = {
            c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            s(4, PSH | ACK, 901, 101, 20), c(5, PSH | ACK, 101, 921, 10), s(6, PSH | ACK, 921, 111, 20),
            c(7, PSH | ACK, 111, 941, 10), s(8, FIN | ACK, 941, 121, 0), c(9, FIN | ACK, 121, 942, 0),
            s(10, ACK, 942, 122, 0)};
        for (int i = 0; i < f.length; i++)
        {
            gtp(f[i], i % 2 == 0 ? UP : DOWN, i % 2 == 0 ? DOWN : UP).tunnelType[0] =
                io.linerate.decode.tunnel.TunnelType.GRE;
        }
        assertEquals("SF ShAdDfFa", zeek(f));
    }

    @Test
    void anOuterUdpConnectionIsOneTunnelBothWays()
    {
        // Teredo from the client's 3797 to the relay's 3544 and back: one outer UDP connection, the
        // same tunnel in both directions, however often the direction turns.
        final DecodedFrame[] f = {
            c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            s(4, PSH | ACK, 901, 101, 20), c(5, PSH | ACK, 101, 921, 10), s(6, PSH | ACK, 921, 111, 20),
            c(7, PSH | ACK, 111, 941, 10), s(8, FIN | ACK, 941, 121, 0), c(9, FIN | ACK, 121, 942, 0),
            s(10, ACK, 942, 122, 0)};
        for (int i = 0; i < f.length; i++)
        {
            final DecodedFrame t = gtp(f[i], i % 2 == 0 ? UP : DOWN, i % 2 == 0 ? DOWN : UP);
            t.tunnelType[0] = io.linerate.decode.tunnel.TunnelType.TEREDO;
            t.tunnelSrcPort[0] = i % 2 == 0 ? 3797 : 3544;
            t.tunnelDstPort[0] = i % 2 == 0 ? 3544 : 3797;
        }
        assertEquals("SF ShAdDfFa", zeek(f));
    }

    /** An NTP datagram of NTP mode {@code mode} (a 48-byte standard message) from src:srcPort to dst:dstPort. */
    DecodedFrame ntp(final long us, final long src, final int srcPort, final long dst, final int dstPort,
        final int mode)
    {
        final DecodedFrame f = frames.udp(us, src, srcPort, dst, dstPort, 48);
        f.payloadOffset = 42;
        f.data[42] = (byte)(0x20 | mode);                               // version 4, the mode
        return f;
    }

    @Test
    void anNtpServerMessageFromTheOriginatorFlipsAfterItsLetter()
    {
        // ntp-misordered: the server's answer was captured before the client's request. Zeek's NTP
        // analyzer flips the roles after the answer's D; the UDP lengths stay with the originator,
        // so the request (now the originator's) adds no letter and the reply side stays inactive.
        assertEquals("S0 D^", zeek(ntp(1, S, 123, C, 123, 4), ntp(2, C, 123, S, 123, 3)));
    }

    @Test
    void anNtpClientMessageFromTheResponderFlipsOnce()
    {
        // The responder (port 123) sends a CLIENT message: flipped after its letter; later messages,
        // a SERVER message from the new originator among them, do not flip again.
        assertEquals("SF Dd^", zeek(ntp(1, C, 40000, S, 123, 3), ntp(2, S, 123, C, 40000, 3),
            ntp(3, C, 40000, S, 123, 4), ntp(4, S, 123, C, 40000, 4)));
    }

    @Test
    void ntpInTheRightDirectionsIsNotFlipped()
    {
        assertEquals("SF Dd", zeek(ntp(1, C, 40000, S, 123, 3), ntp(2, S, 123, C, 40000, 4)));
    }

    @Test
    void aServerModeDatagramOffTheNtpPortOrShortIsNotFlipped()
    {
        assertEquals("S0 D", zeek(ntp(1, C, 40000, S, 5000, 4)));
        final DecodedFrame shortOne = ntp(2, C, 40001, S, 123, 4);
        shortOne.payloadLength = 47;
        records.zeek.clear();
        assertEquals("S0 D", zeek(shortOne));
    }

    /** The segment as a capture with a 54-byte snap length holds it: headers only. */
    static DecodedFrame headersOnly(final DecodedFrame f)
    {
        f.payloadOffset = 54;
        f.captureLength = Math.min(f.captureLength, 54);
        return f;
    }

    @Test
    void acknowledgedBytesCutByTheSnapLengthAreContentGaps()
    {
        // tcp-retransmit-fast009 was captured with 54-byte frames: Zeek reassembles none of the
        // payload, so each side's ACK of the other's bytes is a content gap (G for the originator's
        // stream, acknowledged by the responder; g for the responder's).
        assertEquals("RSTO ShADaGdgR", zeek(
            c(1, SYN, 0, 0, 0), s(2, SYN | ACK, 0, 1, 0), c(3, ACK, 1, 1, 0),
            headersOnly(c(4, PSH | ACK, 1, 1, 474)), s(5, ACK, 1, 475, 0),
            headersOnly(s(6, ACK, 1, 475, 1446)), headersOnly(s(7, ACK, 1447, 475, 1446)),
            c(8, ACK, 475, 2861, 0), c(9, RST | ACK, 475, 2893, 0)));
    }

    @Test
    void theSameSegmentsCapturedWholeHaveNoGap()
    {
        assertEquals("RSTO ShADadR", zeek(
            c(1, SYN, 0, 0, 0), s(2, SYN | ACK, 0, 1, 0), c(3, ACK, 1, 1, 0),
            c(4, PSH | ACK, 1, 1, 474), s(5, ACK, 1, 475, 0),
            s(6, ACK, 1, 475, 1446), s(7, ACK, 1447, 475, 1446),
            c(8, ACK, 475, 2861, 0), c(9, RST | ACK, 475, 2893, 0)));
    }

    @Test
    void aDatagramReassembledFromFragmentsIsNoGap()
    {
        // gtp-different-dl-ul: the server's segments came in fragmented outer datagrams; the shard's
        // reassembled frame holds the head of the payload only, but Zeek reassembled all of it.
        final DecodedFrame a = headersOnly(s(6, ACK, 1, 475, 1446)), b = headersOnly(s(7, ACK, 1447, 475, 1446));
        a.reassembled = true;
        b.reassembled = true;
        assertEquals("RSTO ShADadR", zeek(
            c(1, SYN, 0, 0, 0), s(2, SYN | ACK, 0, 1, 0), c(3, ACK, 1, 1, 0),
            c(4, PSH | ACK, 1, 1, 474), s(5, ACK, 1, 475, 0), a, b,
            c(8, ACK, 475, 2861, 0), c(9, RST | ACK, 475, 2893, 0)));
    }

    /**
     * A pure ACK in PPPoE over QinQ (IPv4 at offset 30, payload at 70) whose IPv4 total length is
     * {@code ipTotal} while PPPoE's length (which the record follows) says 40: the frame carries the
     * difference after the TCP header.
     */
    DecodedFrame pppoeAck(final long us, final long seq, final long ack, final int ipTotal)
    {
        final DecodedFrame f = s(us, ACK, seq, ack, 0);
        f.networkOffset = 30;
        f.payloadOffset = 70;
        f.data[32] = (byte)(ipTotal >>> 8);
        f.data[33] = (byte)ipTotal;
        f.captureLength = f.wireLength = 30 + ipTotal;
        return f;
    }

    @Test
    void zeekTakesTheIpLengthOverPppoesShorterOne()
    {
        // pppoe-over-qinq: IPv4 says 46 bytes, PPPoE 40: to Zeek the ACK carries 6 bytes of data,
        // and the second such ACK at the same sequence number is a retransmission (t).
        assertEquals("S1 ShAdt", zeek(c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            s(4, PSH | ACK, 901, 101, 10), pppoeAck(5, 911, 101, 46), pppoeAck(6, 911, 101, 46)));
    }

    @Test
    void anIpLengthThatPppoeAgreesWithIsAPureAck()
    {
        assertEquals("S1 ShAda", zeek(c(1, SYN, 100, 0, 0), s(2, SYN | ACK, 900, 101, 0), c(3, ACK, 101, 901, 0),
            s(4, PSH | ACK, 901, 101, 10), pppoeAck(5, 911, 101, 40), pppoeAck(6, 911, 101, 40)));
    }
}
