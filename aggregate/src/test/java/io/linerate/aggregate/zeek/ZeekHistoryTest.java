package io.linerate.aggregate.zeek;

import io.linerate.aggregate.FlowSettings;
import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.Frames;
import io.linerate.aggregate.RecordingListener;
import io.linerate.aggregate.view.EndReason;
import io.linerate.ingest.ring.FrameSlot;
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
    String zeek(final FrameSlot... slots)
    {
        for (final FrameSlot s : slots)
        {
            shard.onFrame(s);
            shard.advanceTime(s.timestampNanos);
        }
        shard.flushAll(EndReason.END_OF_INPUT);
        assertEquals(1, records.zeek.size());
        final String[] z = records.zeek.get(0);
        return z[0] + " " + z[1];
    }

    FrameSlot c(final long us, final int flags, final long seq, final long ack, final int len)
    {
        return frames.tcp(us, C, 40000, S, 80, flags, seq, ack, len);
    }

    FrameSlot s(final long us, final int flags, final long seq, final long ack, final int len)
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
        final FrameSlot[] p = new FrameSlot[14];
        p[0] = c(1, SYN, 100, 0, 0);
        p[1] = s(2, SYN | ACK, 900, 101, 0);
        p[2] = c(3, ACK, 101, 901, 0);
        p[3] = c(4, PSH | ACK, 101, 901, 10);
        for (int i = 0; i < 10; i++)
        {
            p[4 + i] = c(5 + i, PSH | ACK, 101, 901, 10);
        }
        final FrameSlot zw = s(100, ACK, 901, 111, 0);
        zw.window = 0;
        final FrameSlot[] all = java.util.Arrays.copyOf(p, 15);
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
}
