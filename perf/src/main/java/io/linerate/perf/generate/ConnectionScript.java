package io.linerate.perf.generate;

import io.linerate.decode.tcp.TcpFlags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The packets of one TCP connection or UDP flow, planned in full before its first packet is written
 * (a connection has tens of packets), in the order of their planned time. The generator merges the
 * scripts of all open connections by time.
 *
 * <p>Times are planned at the capture point between client and server: {@code server delay} is the
 * time from a client packet passing the capture point to the server's answer passing it back
 * (the SYN to SYN-ACK time), {@code client delay} the same on the client side (SYN-ACK to ACK).
 */
final class ConnectionScript
{
    /** What a segment is, for the truth (the handshake times come from the segments' written times). */
    static final int ROLE_DATA = 0;
    static final int ROLE_SYN = 1;
    static final int ROLE_SYN_ACK = 2;
    static final int ROLE_HANDSHAKE_ACK = 3;
    static final int ROLE_REFUSAL = 4;
    static final int ROLE_RETRANSMISSION = 5;

    /** First SYN retransmission after 1 s (RFC 6298 section 2.1's initial RTO), doubling each time. */
    static final long INITIAL_RTO_MICROS = 1_000_000;
    /** Raw window field on the SYN (Linux: 64240) and after the handshake (scaled by 2^7). */
    private static final int SYN_WINDOW = 64240;
    private static final int WINDOW = 502;

    /** One planned packet. */
    record Segment(long micros, boolean fromClient, int flags, long seq, long ack, int payload, int role)
    {
    }

    private static final Comparator<Segment> BY_TIME = Comparator.comparingLong(Segment::micros);

    final long ordinal;
    final ConnectionTruth truth;
    final List<Segment> segments = new ArrayList<>();
    private int next;

    private ConnectionScript(final long ordinal, final ConnectionTruth truth)
    {
        this.ordinal = ordinal;
        this.truth = truth;
    }

    /** The planned time of the next segment to write. */
    long nextMicros()
    {
        return segments.get(next).micros();
    }

    boolean hasNext()
    {
        return next < segments.size();
    }

    Segment take()
    {
        return segments.get(next++);
    }

    /** Raw window field for a segment of this script. */
    static int window(final Segment s)
    {
        return (s.flags() & TcpFlags.SYN) != 0 ? SYN_WINDOW : WINDOW;
    }

    /**
     * Plans a TCP connection.
     *
     * @param kind            FIN, RST, REFUSED or UNANSWERED
     * @param retransmit      re-send one response segment after the retransmission delay
     * @param synRetried      the first SYN goes unanswered and is retransmitted after 1 s
     */
    static ConnectionScript tcp(final GeneratorSettings s, final long ordinal, final ConnectionTruth truth,
        final long startMicros, final boolean retransmit, final boolean synRetried, final SplittableRandom rng)
    {
        final ConnectionScript c = new ConnectionScript(ordinal, truth);
        final ConnectionTruth.Kind kind = truth.kind();
        final long clientIsn = rng.nextLong() & 0xFFFF_FFFFL;
        final long serverIsn = rng.nextLong() & 0xFFFF_FFFFL;
        final long serverDelay = uniform(rng, s.synToSynAckMicros());
        final long clientDelay = uniform(rng, s.synAckToAckMicros());

        // SYN, retransmitted on the RTO backoff (RFC 6298 section 5.5) while unanswered.
        final int syns = kind == ConnectionTruth.Kind.UNANSWERED ? 1 + s.synRetries() : synRetried ? 2 : 1;
        long t = startMicros;
        long rto = INITIAL_RTO_MICROS;
        for (int k = 0; k < syns; k++)
        {
            c.add(t, true, TcpFlags.SYN, clientIsn, 0, 0, ROLE_SYN);
            if (k < syns - 1)
            {
                t += rto;
                rto *= 2;
            }
        }
        if (kind == ConnectionTruth.Kind.UNANSWERED)
        {
            return c.seal();
        }
        if (kind == ConnectionTruth.Kind.REFUSED)
        {
            // RFC 9293 section 3.10.7.1: a SYN to a closed port gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
            c.add(t + serverDelay, false, TcpFlags.RST | TcpFlags.ACK, 0, clientIsn + 1, 0, ROLE_REFUSAL);
            return c.seal();
        }

        final long synAck = t + serverDelay;
        c.add(synAck, false, TcpFlags.SYN | TcpFlags.ACK, serverIsn, clientIsn + 1, 0, ROLE_SYN_ACK);
        final long ack = synAck + clientDelay;
        c.add(ack, true, TcpFlags.ACK, clientIsn + 1, serverIsn + 1, 0, ROLE_HANDSHAKE_ACK);
        long clientSeq = clientIsn + 1;
        long serverSeq = serverIsn + 1;
        final int mss = s.mss();

        // The request, right after the handshake.
        t = ack + 1 + rng.nextInt(50);
        for (long left = uniform(rng, s.requestBytes()); left > 0; )
        {
            final int n = (int)Math.min(mss, left);
            left -= n;
            c.add(t, true, TcpFlags.ACK | (left == 0 ? TcpFlags.PSH : 0), clientSeq, serverSeq, n, ROLE_DATA);
            clientSeq += n;
            if (left > 0)
            {
                t += s.segmentGapMicros();
            }
        }

        // The response; the client acknowledges every second segment and the last (RFC 9293 section 3.8.6.3).
        t += serverDelay + uniform(rng, s.thinkMicros());
        final long responseBytes = uniform(rng, s.responseBytes());
        final int responseSegments = (int)((responseBytes + mss - 1) / mss);
        final long[] segTime = new long[responseSegments];
        final long[] segSeq = new long[responseSegments];
        final int[] segLength = new int[responseSegments];
        final int[] segFlags = new int[responseSegments];
        long left = responseBytes;
        for (int k = 0; k < responseSegments; k++)
        {
            final int n = (int)Math.min(mss, left);
            left -= n;
            final boolean last = k == responseSegments - 1;
            segTime[k] = t;
            segSeq[k] = serverSeq;
            segLength[k] = n;
            segFlags[k] = TcpFlags.ACK | (last ? TcpFlags.PSH : 0);
            c.add(t, false, segFlags[k], serverSeq, clientSeq, n, ROLE_DATA);
            serverSeq += n;
            if (k % 2 == 1 || last)
            {
                c.add(t + clientDelay, true, TcpFlags.ACK, clientSeq, serverSeq, 0, ROLE_DATA);
            }
            t += s.segmentGapMicros();
        }

        if (retransmit)
        {
            // A spurious retransmission: the segment had arrived, its copy is acknowledged at once
            // (RFC 9293 section 3.10.7.4: a duplicate segment is answered with an ACK) with
            // everything the client holds by then.
            final int k = rng.nextInt(responseSegments);
            final long resent = segTime[k] + s.retransmitDelayMicros();
            c.add(resent, false, segFlags[k], segSeq[k], clientSeq, segLength[k], ROLE_RETRANSMISSION);
            long held = segSeq[k] + segLength[k];
            for (int j = k + 1; j < responseSegments && segTime[j] <= resent; j++)
            {
                held = segSeq[j] + segLength[j];
            }
            c.add(resent + clientDelay, true, TcpFlags.ACK, clientSeq, held, 0, ROLE_DATA);
        }

        long lastPlanned = 0;
        for (final Segment seg : c.segments)
        {
            lastPlanned = Math.max(lastPlanned, seg.micros());
        }
        final long close = lastPlanned + 10 + rng.nextInt(990);
        final boolean clientCloses = rng.nextBoolean();
        if (kind == ConnectionTruth.Kind.FIN)
        {
            // Active close, the peer's FIN, the last ACK (RFC 9293 section 3.6).
            final long d1 = clientCloses ? serverDelay : clientDelay;
            final long d2 = clientCloses ? clientDelay : serverDelay;
            final long closerSeq = clientCloses ? clientSeq : serverSeq;
            final long peerSeq = clientCloses ? serverSeq : clientSeq;
            final int finAck = TcpFlags.FIN | TcpFlags.ACK;
            c.add(close, clientCloses, finAck, closerSeq, peerSeq, 0, ROLE_DATA);
            c.add(close + d1, !clientCloses, finAck, peerSeq, closerSeq + 1, 0, ROLE_DATA);
            c.add(close + d1 + d2, clientCloses, TcpFlags.ACK, closerSeq + 1, peerSeq + 1, 0, ROLE_DATA);
        }
        else
        {
            // An abortive close (SO_LINGER 0): one RST/ACK, no FIN.
            c.add(close, clientCloses, TcpFlags.RST | TcpFlags.ACK, clientCloses ? clientSeq : serverSeq,
                clientCloses ? serverSeq : clientSeq, 0, ROLE_DATA);
        }
        return c.seal();
    }

    /**
     * Plans a UDP flow: one or two DNS queries and their answers (the segment's {@code seq} holds the
     * query's {@link DnsMessage} number, its payload the message length).
     */
    static ConnectionScript udp(final GeneratorSettings s, final long ordinal, final ConnectionTruth truth,
        final long startMicros, final SplittableRandom rng)
    {
        final ConnectionScript c = new ConnectionScript(ordinal, truth);
        final long serverDelay = uniform(rng, s.synToSynAckMicros());
        final int exchanges = 1 + rng.nextInt(2);
        long t = startMicros;
        for (int e = 0; e < exchanges; e++)
        {
            final long query = rng.nextLong() & 0xFFFF_FFFFL;
            c.add(t, true, 0, query, 0, DnsMessage.length(query, false), ROLE_DATA);
            c.add(t + serverDelay, false, 0, query, 0, DnsMessage.length(query, true), ROLE_DATA);
            t += serverDelay + 1000 + rng.nextInt(10_000);
        }
        return c.seal();
    }

    private void add(final long micros, final boolean fromClient, final int flags, final long seq, final long ack,
        final int payload, final int role)
    {
        segments.add(new Segment(micros, fromClient, flags, seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL, payload, role));
    }

    private ConnectionScript seal()
    {
        // Stable: segments planned for the same microsecond keep the order they were planned in.
        segments.sort(BY_TIME);
        return this;
    }

    static long uniform(final SplittableRandom rng, final GeneratorSettings.Range r)
    {
        return r.min() == r.max() ? r.min() : r.min() + rng.nextLong(r.max() - r.min() + 1);
    }
}
