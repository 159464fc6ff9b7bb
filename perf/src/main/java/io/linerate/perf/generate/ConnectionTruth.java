package io.linerate.perf.generate;

/**
 * What the generator put on the wire for one connection (TCP) or flow (UDP): the facts a correct
 * analyser must report, known by construction. Written as one JSON line whose keys are the
 * {@code linerate.flow/1} keys of the same facts, so a test compares a record with its truth key by
 * key ({@code c2s.packets}, {@code handshake.rtt_us}, ...).
 *
 * <p>Times are the time stamps actually written (after the generator kept them strictly
 * increasing), so durations are exact to the microsecond. Absent facts ({@code rtt_us} of an
 * unanswered SYN, the handshake of a UDP flow) are absent keys.
 */
public final class ConnectionTruth
{
    /** How the generator scripted the connection. */
    public enum Kind
    {
        /** Handshake, data both ways, closed with FIN from both sides. */
        FIN("fin"),
        /** Handshake, data both ways, aborted with a RST from one side. */
        RST("rst"),
        /** SYN answered by RST/ACK: nothing listens on the port. */
        REFUSED("refused"),
        /** SYN retransmitted with exponential backoff, never answered. */
        UNANSWERED("unanswered"),
        /** Pure ACKs or data of a connection whose handshake is not in the capture (64b, IMIX modes). */
        MIDSTREAM("midstream"),
        /** UDP request/response exchanges (DNS-like). */
        UDP("udp");

        private final String wireName;

        Kind(final String wireName)
        {
            this.wireName = wireName;
        }

        public String wireName()
        {
            return wireName;
        }
    }

    /** linerate's default --lossy-threshold. */
    static final double LOSSY_THRESHOLD = 0.02;

    /** Marks an absent time in the handshake fields. */
    public static final long ABSENT = Long.MIN_VALUE;

    /** One direction's totals: what one side sent. */
    public static final class Direction
    {
        long packets;
        long bytes;
        long payloadBytes;
        boolean fin;
        boolean rst;
        long retransmittedSegments;
        long retransmittedBytes;
        long spuriousRetransmissions;
        long dataSegments;
        long retransmittedDataSegments;
        /** The acknowledgement number of this side's latest segment with ACK, -1 before one. */
        long lastAck = -1;

        void count(final int frameLength, final int payloadLength)
        {
            packets++;
            bytes += frameLength;
            payloadBytes += payloadLength;
            if (payloadLength > 0)
            {
                dataSegments++;
            }
        }

        /**
         * A segment this side sent again: a spurious retransmission when the other side had
         * acknowledged all of it already (its latest ACK covers the segment's end).
         */
        void retransmitted(final long seq, final int payloadLength, final Direction other)
        {
            retransmittedSegments++;
            retransmittedBytes += payloadLength;
            if (payloadLength > 0)
            {
                retransmittedDataSegments++;
                if (other.lastAck >= 0 && (int)(seq + payloadLength - other.lastAck) <= 0)
                {
                    spuriousRetransmissions++;
                }
            }
        }

        public long packets()
        {
            return packets;
        }

        /** Frame bytes (the wire length without FCS, as a capture records it). */
        public long bytes()
        {
            return bytes;
        }

        /** TCP or UDP payload bytes, retransmissions included. */
        public long payloadBytes()
        {
            return payloadBytes;
        }

        public boolean fin()
        {
            return fin;
        }

        public boolean rst()
        {
            return rst;
        }

        /** Payload bytes of those segments. */
        public long retransmittedBytes()
        {
            return retransmittedBytes;
        }

        /** Re-sent segments whose every byte the other side had acknowledged before. */
        public long spuriousRetransmissions()
        {
            return spuriousRetransmissions;
        }

        /** Segments this side re-sent with a sequence number it had sent before (SYNs included). */
        public long retransmittedSegments()
        {
            return retransmittedSegments;
        }
    }

    final Kind kind;
    final boolean tcp;
    final int clientIp;
    final int clientPort;
    final int serverIp;
    final int serverPort;
    final Direction c2s = new Direction();
    final Direction s2c = new Direction();

    int synCount;
    int synAckCount;
    long lastSynMicros = ABSENT;
    long synAckMicros = ABSENT;
    long handshakeAckMicros = ABSENT;
    long refusalMicros = ABSENT;
    long firstMicros = ABSENT;
    long lastMicros = ABSENT;

    ConnectionTruth(final Kind kind, final int clientIp, final int clientPort, final int serverIp, final int serverPort)
    {
        this.kind = kind;
        this.tcp = kind != Kind.UDP;
        this.clientIp = clientIp;
        this.clientPort = clientPort;
        this.serverIp = serverIp;
        this.serverPort = serverPort;
    }

    void seen(final long timestampMicros)
    {
        if (firstMicros == ABSENT)
        {
            firstMicros = timestampMicros;
        }
        lastMicros = timestampMicros;
    }

    public Kind kind()
    {
        return kind;
    }

    /** {@code "tcp"} or {@code "udp"}. */
    public String transport()
    {
        return tcp ? "tcp" : "udp";
    }

    public String clientIp()
    {
        return FrameBuilder.ipText(clientIp);
    }

    public int clientPort()
    {
        return clientPort;
    }

    public String serverIp()
    {
        return FrameBuilder.ipText(serverIp);
    }

    public int serverPort()
    {
        return serverPort;
    }

    /**
     * {@code "handshake"} when a SYN names the client; {@code "inferred"} otherwise (midstream TCP,
     * UDP), where the generator always gives the server the lower port.
     */
    public String roles()
    {
        return synCount > 0 ? "handshake" : "inferred";
    }

    public Direction c2s()
    {
        return c2s;
    }

    public Direction s2c()
    {
        return s2c;
    }

    /** {@code complete}, {@code refused}, {@code syn_sent}; null without a handshake (midstream, UDP). */
    public String handshakeStatus()
    {
        switch (kind)
        {
            case FIN:
            case RST:
                return "complete";
            case REFUSED:
                return "refused";
            case UNANSWERED:
                return "syn_sent";
            default:
                return null;
        }
    }

    public int synCount()
    {
        return synCount;
    }

    public int synAckCount()
    {
        return synAckCount;
    }

    /**
     * Last SYN to the ACK that completed the handshake, or to the RST/ACK that refused it
     * (Wireshark's {@code tcp.analysis.initial_rtt}); {@link #ABSENT} for an unanswered SYN.
     */
    public long rttMicros()
    {
        if (lastSynMicros == ABSENT)
        {
            return ABSENT;
        }
        if (handshakeAckMicros != ABSENT)
        {
            return handshakeAckMicros - lastSynMicros;
        }
        return refusalMicros != ABSENT ? refusalMicros - lastSynMicros : ABSENT;
    }

    /** Last SYN to the SYN-ACK: the server side of the capture point; {@link #ABSENT} without SYN-ACK. */
    public long synToSynAckMicros()
    {
        return lastSynMicros != ABSENT && synAckMicros != ABSENT ? synAckMicros - lastSynMicros : ABSENT;
    }

    /** SYN-ACK to the client's ACK: the client side of the capture point. */
    public long synAckToAckMicros()
    {
        return synAckMicros != ABSENT && handshakeAckMicros != ABSENT ? handshakeAckMicros - synAckMicros : ABSENT;
    }

    public long firstMicros()
    {
        return firstMicros;
    }

    public long lastMicros()
    {
        return lastMicros;
    }

    /**
     * The {@code end_reason} any analyser must give: {@code fin} or {@code rst} for a closed
     * connection (refused ones included); null when it depends on the analyser's timeouts and on
     * where the capture ends (unanswered, midstream, UDP).
     */
    public String endReason()
    {
        switch (kind)
        {
            case FIN:
                return "fin";
            case RST:
            case REFUSED:
                return "rst";
            default:
                return null;
        }
    }

    /** Appends this truth as one JSON object (no newline). */
    public StringBuilder appendJson(final StringBuilder out)
    {
        out.append("{\"kind\":\"").append(kind.wireName()).append('"');
        out.append(",\"transport\":\"").append(transport()).append('"');
        out.append(",\"client\":{\"ip\":\"").append(clientIp()).append("\",\"port\":").append(clientPort).append('}');
        out.append(",\"server\":{\"ip\":\"").append(serverIp()).append("\",\"port\":").append(serverPort).append('}');
        out.append(",\"roles\":\"").append(roles()).append('"');
        out.append(",\"start_us\":").append(firstMicros);
        out.append(",\"end_us\":").append(lastMicros);
        if (endReason() != null)
        {
            out.append(",\"end_reason\":\"").append(endReason()).append('"');
        }
        if (handshakeStatus() != null)
        {
            out.append(",\"handshake\":{\"status\":\"").append(handshakeStatus()).append('"');
            out.append(",\"syn_count\":").append(synCount);
            out.append(",\"synack_count\":").append(synAckCount);
            micros(out, "rtt_us", rttMicros());
            micros(out, "syn_to_synack_us", synToSynAckMicros());
            micros(out, "synack_to_ack_us", synAckToAckMicros());
            out.append('}');
        }
        out.append(",\"verdict\":\"").append(verdict()).append('"');
        out.append(",\"c2s\":");
        direction(out, c2s);
        out.append(",\"s2c\":");
        direction(out, s2c);
        final long data = c2s.dataSegments + s2c.dataSegments;
        if (tcp && data > 0)
        {
            final double rate = (double)(c2s.retransmittedDataSegments + s2c.retransmittedDataSegments) / data;
            out.append(",\"retransmit_rate\":").append(Math.round(rate * 1e6) / 1e6);
        }
        out.append('}');
        return out;
    }

    /**
     * The verdict DESIGN.md's table gives what was scripted (default 2% lossy threshold): an
     * unanswered or refused SYN says so, an abortive close is a reset, a connection whose
     * retransmitted data segments exceed 2% of its data segments is lossy.
     */
    public String verdict()
    {
        switch (kind)
        {
            case UNANSWERED: return "syn_unanswered";
            case REFUSED: return "refused";
            case RST: return "reset";
            case UDP: return "ok";
            default:
                break;
        }
        final long data = c2s.dataSegments + s2c.dataSegments;
        final long resent = c2s.retransmittedDataSegments + s2c.retransmittedDataSegments;
        if (data > 0 && (double)resent / data > LOSSY_THRESHOLD)
        {
            return "lossy";
        }
        return kind == Kind.MIDSTREAM ? "midstream" : "ok";
    }

    private void direction(final StringBuilder out, final Direction d)
    {
        out.append("{\"packets\":").append(d.packets);
        out.append(",\"bytes\":").append(d.bytes);
        out.append(",\"payload_bytes\":").append(d.payloadBytes);
        if (tcp)
        {
            out.append(",\"fin\":").append(d.fin ? 1 : 0);
            out.append(",\"rst\":").append(d.rst ? 1 : 0);
            out.append(",\"retransmissions\":").append(d.retransmittedSegments);
            out.append(",\"retransmitted_bytes\":").append(d.retransmittedBytes);
            out.append(",\"spurious_retransmissions\":").append(d.spuriousRetransmissions);
        }
        out.append('}');
    }

    private static void micros(final StringBuilder out, final String key, final long value)
    {
        if (value != ABSENT)
        {
            out.append(",\"").append(key).append("\":").append(value);
        }
    }
}
