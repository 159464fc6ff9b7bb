package io.linerate.perf.generate;

import java.util.Locale;

/**
 * Totals of a generated capture, known by construction: frames and bytes, connections by kind,
 * packets and payload per direction, and the spread of the handshake RTTs. Filled by the
 * {@link TrafficGenerator} as each connection ends.
 */
public final class TrafficTruth
{
    private final long[] connectionsByKind = new long[ConnectionTruth.Kind.values().length];
    private long frames;
    private long frameBytes;
    private long packetsC2s;
    private long packetsS2c;
    private long payloadC2s;
    private long payloadS2c;
    private long retransmittedSegments;
    private long firstMicros = ConnectionTruth.ABSENT;
    private long lastMicros = ConnectionTruth.ABSENT;
    private long maxConcurrent;

    private long handshakes;
    private long rttMinMicros = Long.MAX_VALUE;
    private long rttMaxMicros = Long.MIN_VALUE;
    private long rttSumMicros;
    private long synToSynAckSumMicros;
    private long synAckToAckSumMicros;

    void frame(final long timestampMicros, final int length)
    {
        if (firstMicros == ConnectionTruth.ABSENT)
        {
            firstMicros = timestampMicros;
        }
        lastMicros = timestampMicros;
        frames++;
        frameBytes += length;
    }

    void concurrent(final long n)
    {
        maxConcurrent = Math.max(maxConcurrent, n);
    }

    void add(final ConnectionTruth c)
    {
        connectionsByKind[c.kind().ordinal()]++;
        packetsC2s += c.c2s().packets();
        packetsS2c += c.s2c().packets();
        payloadC2s += c.c2s().payloadBytes();
        payloadS2c += c.s2c().payloadBytes();
        retransmittedSegments += c.c2s().retransmittedSegments() + c.s2c().retransmittedSegments();
        if (c.handshakeAckMicros != ConnectionTruth.ABSENT)
        {
            final long rtt = c.rttMicros();
            handshakes++;
            rttMinMicros = Math.min(rttMinMicros, rtt);
            rttMaxMicros = Math.max(rttMaxMicros, rtt);
            rttSumMicros += rtt;
            synToSynAckSumMicros += c.synToSynAckMicros();
            synAckToAckSumMicros += c.synAckToAckMicros();
        }
    }

    public long frames()
    {
        return frames;
    }

    /** Sum of the frame lengths (without FCS), as a capture's original lengths add up. */
    public long frameBytes()
    {
        return frameBytes;
    }

    /** Connections (or flows) of one kind. */
    public long connections(final ConnectionTruth.Kind kind)
    {
        return connectionsByKind[kind.ordinal()];
    }

    /** TCP connections of every kind. */
    public long tcpConnections()
    {
        long n = 0;
        for (final ConnectionTruth.Kind k : ConnectionTruth.Kind.values())
        {
            n += k == ConnectionTruth.Kind.UDP ? 0 : connectionsByKind[k.ordinal()];
        }
        return n;
    }

    public long packetsC2s()
    {
        return packetsC2s;
    }

    public long packetsS2c()
    {
        return packetsS2c;
    }

    public long payloadC2s()
    {
        return payloadC2s;
    }

    public long payloadS2c()
    {
        return payloadS2c;
    }

    /** Completed handshakes. */
    public long handshakes()
    {
        return handshakes;
    }

    /** Packet time from the first frame to the last, microseconds. */
    public long durationMicros()
    {
        return frames == 0 ? 0 : lastMicros - firstMicros;
    }

    /** Most connections open at the same time (TCP mode) or the flows (64b, imix). */
    public long maxConcurrent()
    {
        return maxConcurrent;
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "frames %d, %d bytes (%.1f per frame), %.3f s of packet time%n",
            frames, frameBytes, frames == 0 ? 0.0 : (double)frameBytes / frames, durationMicros() / 1e6));
        sb.append("connections:");
        for (final ConnectionTruth.Kind k : ConnectionTruth.Kind.values())
        {
            if (connectionsByKind[k.ordinal()] > 0)
            {
                sb.append(' ').append(k.wireName()).append(' ').append(connectionsByKind[k.ordinal()]);
            }
        }
        sb.append(String.format(Locale.ROOT, "  (at most %d at once)%n", maxConcurrent));
        sb.append(String.format(Locale.ROOT, "packets c2s %d, s2c %d; payload bytes c2s %d, s2c %d; retransmitted segments %d%n",
            packetsC2s, packetsS2c, payloadC2s, payloadS2c, retransmittedSegments));
        if (handshakes > 0)
        {
            sb.append(String.format(Locale.ROOT,
                "handshake rtt_us (completed %d): min %d, mean %.1f, max %d; mean syn->synack %.1f, synack->ack %.1f%n",
                handshakes, rttMinMicros, (double)rttSumMicros / handshakes, rttMaxMicros,
                (double)synToSynAckSumMicros / handshakes, (double)synAckToAckSumMicros / handshakes));
        }
        return sb.toString();
    }
}
