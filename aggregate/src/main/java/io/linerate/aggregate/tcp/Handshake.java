package io.linerate.aggregate.tcp;

import io.linerate.aggregate.view.HandshakeView;
import io.linerate.ingest.ring.FrameSlot;

/**
 * The TCP three-way handshake of one connection (RFC 9293 section 3.5) as seen at the capture point:
 * SYN and SYN-ACK counts (retransmissions included), the options each side offered, and the timing.
 *
 * <p>Timing follows Wireshark's {@code tcp.analysis.initial_rtt}: from the most recent SYN to the
 * client's first ACK after the SYN-ACK. Split at the capture point, {@code syn_to_synack} is the
 * server side of the path and {@code synack_to_ack} the client side.
 */
public final class Handshake implements HandshakeView
{
    /** No SYN or SYN-ACK seen: the capture started after the connection was set up. */
    public static final int NOT_SEEN = 0;
    /** Client SYN(s), no answer yet. */
    public static final int SYN_SENT = 1;
    /** SYN-ACK seen, the client's ACK not (yet). */
    public static final int SYN_ACK_SEEN = 2;
    /** The client acknowledged the SYN-ACK. */
    public static final int COMPLETE = 3;
    /** The SYN was answered by a RST. */
    public static final int REFUSED = 4;

    private static final String[] STATUS_NAMES = {"not_seen", "syn_sent", "syn_ack_seen", "complete", "refused"};

    int status;
    int synCount;
    int synAckCount;
    long firstSynNanos;
    long lastSynNanos;
    long firstSynAckNanos;
    long lastSynAckNanos;
    long ackNanos;
    long rttNanos;
    /** Longest gap between two SYNs or two SYN-ACKs: the retransmission timer's backoff so far. */
    long backoffNanos;
    long synToSynAckNanos;
    long synAckToAckNanos;
    /** Client's initial sequence number (the SYN's), valid when synCount > 0. */
    long clientIsn;
    /** Server's initial sequence number (the SYN-ACK's), valid when synAckCount > 0. */
    long serverIsn;
    int clientMss;
    int serverMss;
    int clientWindowScale;
    int serverWindowScale;
    boolean clientSackPermitted;
    boolean serverSackPermitted;
    boolean clientTimestamps;
    boolean serverTimestamps;

    public void reset()
    {
        status = NOT_SEEN;
        synCount = 0;
        synAckCount = 0;
        firstSynNanos = lastSynNanos = firstSynAckNanos = lastSynAckNanos = ackNanos = UNSET;
        rttNanos = synToSynAckNanos = synAckToAckNanos = UNSET;
        backoffNanos = 0;
        clientIsn = serverIsn = -1;
        clientMss = serverMss = -1;
        clientWindowScale = serverWindowScale = -1;
        clientSackPermitted = serverSackPermitted = false;
        clientTimestamps = serverTimestamps = false;
    }

    /**
     * Any SYN without ACK on the connection, from either side: the most recent one starts the
     * handshake RTT (a retransmitted SYN restarts it, as Wireshark's {@code ts_mru_syn}).
     */
    public void onPureSyn(final long timestampNanos)
    {
        if (lastSynNanos != UNSET)
        {
            backoffNanos = Math.max(backoffNanos, timestampNanos - lastSynNanos);
        }
        lastSynNanos = timestampNanos;
    }

    /** A SYN (without ACK) from the client: counted, and its options kept. */
    public void onSyn(final FrameSlot slot)
    {
        if (synCount == 0)
        {
            firstSynNanos = slot.timestampNanos;
            clientIsn = slot.seq;
            if (status == NOT_SEEN)
            {
                status = SYN_SENT;
            }
        }
        synCount++;
        clientMss = slot.mss;
        clientWindowScale = slot.windowScale;
        clientSackPermitted = slot.sackPermitted;
        clientTimestamps = slot.timestampsPresent;
    }

    /** A SYN-ACK from the server. */
    public void onSynAck(final FrameSlot slot)
    {
        if (synAckCount == 0)
        {
            firstSynAckNanos = slot.timestampNanos;
            serverIsn = slot.seq;
            if (lastSynNanos != UNSET)
            {
                synToSynAckNanos = slot.timestampNanos - lastSynNanos;
            }
        }
        else
        {
            backoffNanos = Math.max(backoffNanos, slot.timestampNanos - lastSynAckNanos);
        }
        synAckCount++;
        lastSynAckNanos = slot.timestampNanos;
        if (status < SYN_ACK_SEEN)
        {
            status = SYN_ACK_SEEN;
        }
        serverMss = slot.mss;
        serverWindowScale = slot.windowScale;
        serverSackPermitted = slot.sackPermitted;
        serverTimestamps = slot.timestampsPresent;
    }

    /**
     * A segment with ACK set and SYN clear, from either side. The first one after a SYN gives the
     * handshake RTT, whatever it acknowledges, as Wireshark's {@code tcp.analysis.initial_rtt} does
     * (so a RST/ACK refusing the SYN measures the server's answer time). The client's first such
     * segment after a SYN-ACK completes the handshake (RFC 9293 section 3.5, step 3).
     */
    public void onAck(final long timestampNanos, final boolean fromClient)
    {
        // A zero RTT means the capture's clock did not move between SYN and ACK: Wireshark takes it
        // as not measured yet and measures again at the next ACK, and so does linerate.
        if ((rttNanos == UNSET || rttNanos == 0) && lastSynNanos != UNSET)
        {
            rttNanos = timestampNanos - lastSynNanos;
        }
        if (fromClient && status == SYN_ACK_SEEN)
        {
            status = COMPLETE;
            ackNanos = timestampNanos;
            synAckToAckNanos = timestampNanos - lastSynAckNanos;
        }
    }

    /** A RST from the server answering the client's SYN: nothing listens on the port. */
    public void onRefused()
    {
        if (status == SYN_SENT)
        {
            status = REFUSED;
        }
    }

    /**
     * The longest interval between two SYNs or two SYN-ACKs of this handshake. A retransmission
     * timer doubles on every try (RFC 6298 section 5.5), so the next try is due within twice this.
     */
    public long backoffNanos()
    {
        return backoffNanos;
    }

    /**
     * True when no plain ACK can change this handshake any more: the client's ACK is not awaited,
     * and the RTT is measured (and not zero) or there is no SYN to measure it from. A later SYN or
     * SYN-ACK can still change it.
     */
    public boolean settled()
    {
        return status != SYN_ACK_SEEN && (lastSynNanos == UNSET || rttNanos != UNSET && rttNanos != 0);
    }

    public int status()
    {
        return status;
    }

    public String statusName()
    {
        return STATUS_NAMES[status];
    }

    /** True when a SYN or SYN-ACK of this connection was seen. */
    public boolean seen()
    {
        return synCount > 0 || synAckCount > 0;
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
     * Most recent SYN to the first ACK after it (Wireshark's initial RTT), nanoseconds; {@link #UNSET} when
     * not measured.
     */
    public long rttNanos()
    {
        return rttNanos;
    }

    public long synToSynAckNanos()
    {
        return synToSynAckNanos;
    }

    public long synAckToAckNanos()
    {
        return synAckToAckNanos;
    }

    public long clientIsn()
    {
        return clientIsn;
    }

    public long serverIsn()
    {
        return serverIsn;
    }

    /** MSS option of the client's SYN, -1 when absent. */
    public int clientMss()
    {
        return clientMss;
    }

    public int serverMss()
    {
        return serverMss;
    }

    /** Window scale shift of the client's SYN, -1 when absent (RFC 7323 section 2). */
    public int clientWindowScale()
    {
        return clientWindowScale;
    }

    public int serverWindowScale()
    {
        return serverWindowScale;
    }

    /** SACK is in use when both sides sent SACK-permitted (RFC 2018 section 2). */
    public boolean sackPermitted()
    {
        return clientSackPermitted && serverSackPermitted;
    }

    /** Timestamps are in use when both sides sent the option on SYN and SYN-ACK (RFC 7323 section 3.2). */
    public boolean timestamps()
    {
        return clientTimestamps && serverTimestamps;
    }

    public boolean synSeen()
    {
        return synCount > 0;
    }

    public boolean synAckSeen()
    {
        return synAckCount > 0;
    }
}
