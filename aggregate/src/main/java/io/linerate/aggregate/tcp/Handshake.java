package io.linerate.aggregate.tcp;

import io.linerate.aggregate.view.HandshakeView;
import io.linerate.decode.DecodedFrame;
import org.agrona.concurrent.UnsafeBuffer;

import static io.linerate.aggregate.flow.FlowDescriptor.*;

/**
 * The TCP three-way handshake of one connection (RFC 9293 section 3.5) as seen at the capture point:
 * SYN and SYN-ACK counts (retransmissions included), the options each side offered, and the timing.
 *
 * <p>Timing follows Wireshark's {@code tcp.analysis.initial_rtt}: from the most recent SYN to the
 * client's first ACK after the SYN-ACK. Split at the capture point, {@code syn_to_synack} is the
 * server side of the path and {@code synack_to_ack} the client side.
 *
 * <p>A flyweight over the meta region of a flow record ({@link io.linerate.aggregate.flow.FlowDescriptor}):
 * point it at a record with {@link #wrap}, and it reads and writes the handshake there.
 */
public final class Handshake implements HandshakeView
{
    private static final String[] STATUS_NAMES = {"not_seen", "syn_sent", "syn_ack_seen", "complete", "refused"};

    private UnsafeBuffer buffer;
    /** Where the record's meta region starts in {@link #buffer}. */
    private int base;

    /** Points the flyweight at the handshake of the record that starts at {@code record} in {@code buffer}. */
    public Handshake wrap(final UnsafeBuffer buffer, final int record)
    {
        this.buffer = buffer;
        this.base = record + META_OFFSET;
        return this;
    }

    /** Back to no handshake seen. */
    public void reset()
    {
        buffer.putLong(base + LAST_SYN_NANOS, UNSET);
        buffer.putLong(base + LAST_SYN_ACK_NANOS, UNSET);
        buffer.putLong(base + HS_RTT_NANOS, UNSET);
        buffer.putLong(base + BACKOFF_NANOS, 0);
        buffer.putLong(base + SYN_TO_SYN_ACK_NANOS, UNSET);
        buffer.putLong(base + SYN_ACK_TO_ACK_NANOS, UNSET);
        buffer.putInt(base + CLIENT_ISN, 0);
        buffer.putInt(base + SERVER_ISN, 0);
        buffer.putInt(base + CLIENT_MSS, -1);
        buffer.putInt(base + SERVER_MSS, -1);
        buffer.putInt(base + SYN_COUNT, 0);
        buffer.putInt(base + SYN_ACK_COUNT, 0);
        buffer.putByte(base + HS_STATUS, (byte)NOT_SEEN);
        buffer.putByte(base + HS_BITS, (byte)0);
        buffer.putShort(base + CLIENT_WSCALE, (short)-1);
        buffer.putShort(base + SERVER_WSCALE, (short)-1);
    }

    /**
     * Any SYN without ACK on the connection, from either side: the most recent one starts the
     * handshake RTT (a retransmitted SYN restarts it, as Wireshark's {@code ts_mru_syn}).
     */
    public void onPureSyn(final long timestampNanos)
    {
        final long lastSyn = lastSynNanos();
        if (lastSyn != UNSET)
        {
            buffer.putLong(base + BACKOFF_NANOS, Math.max(backoffNanos(), timestampNanos - lastSyn));
        }
        buffer.putLong(base + LAST_SYN_NANOS, timestampNanos);
    }

    /** A SYN (without ACK) from the client: counted, and its options kept. */
    public void onSyn(final DecodedFrame slot)
    {
        final int synCount = synCount();
        if (synCount == 0)
        {
            buffer.putInt(base + CLIENT_ISN, (int)slot.seq);
            bit(HS_CLIENT_ISN_KNOWN, true);
            if (status() == NOT_SEEN)
            {
                status(SYN_SENT);
            }
        }
        buffer.putInt(base + SYN_COUNT, synCount + 1);
        buffer.putInt(base + CLIENT_MSS, slot.mss);
        buffer.putShort(base + CLIENT_WSCALE, (short)slot.windowScale);
        bit(HS_CLIENT_SACK, slot.sackPermitted);
        bit(HS_CLIENT_TIMESTAMPS, slot.timestampsPresent);
    }

    /** A SYN-ACK from the server. */
    public void onSynAck(final DecodedFrame slot)
    {
        final int synAckCount = synAckCount();
        if (synAckCount == 0)
        {
            buffer.putInt(base + SERVER_ISN, (int)slot.seq);
            bit(HS_SERVER_ISN_KNOWN, true);
            final long lastSyn = lastSynNanos();
            if (lastSyn != UNSET)
            {
                buffer.putLong(base + SYN_TO_SYN_ACK_NANOS, slot.timestampNanos - lastSyn);
            }
        }
        else
        {
            buffer.putLong(base + BACKOFF_NANOS,
                Math.max(backoffNanos(), slot.timestampNanos - buffer.getLong(base + LAST_SYN_ACK_NANOS)));
        }
        buffer.putInt(base + SYN_ACK_COUNT, synAckCount + 1);
        buffer.putLong(base + LAST_SYN_ACK_NANOS, slot.timestampNanos);
        if (status() < SYN_ACK_SEEN)
        {
            status(SYN_ACK_SEEN);
        }
        buffer.putInt(base + SERVER_MSS, slot.mss);
        buffer.putShort(base + SERVER_WSCALE, (short)slot.windowScale);
        bit(HS_SERVER_SACK, slot.sackPermitted);
        bit(HS_SERVER_TIMESTAMPS, slot.timestampsPresent);
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
        final long rtt = rttNanos();
        final long lastSyn = lastSynNanos();
        if ((rtt == UNSET || rtt == 0) && lastSyn != UNSET)
        {
            buffer.putLong(base + HS_RTT_NANOS, timestampNanos - lastSyn);
        }
        if (fromClient && status() == SYN_ACK_SEEN)
        {
            status(COMPLETE);
            buffer.putLong(base + SYN_ACK_TO_ACK_NANOS, timestampNanos - buffer.getLong(base + LAST_SYN_ACK_NANOS));
        }
    }

    /** A RST from the server answering the client's SYN: nothing listens on the port. */
    public void onRefused()
    {
        if (status() == SYN_SENT)
        {
            status(REFUSED);
        }
    }

    /**
     * The longest interval between two SYNs or two SYN-ACKs of this handshake. A retransmission
     * timer doubles on every try (RFC 6298 section 5.5), so the next try is due within twice this.
     */
    public long backoffNanos()
    {
        return buffer.getLong(base + BACKOFF_NANOS);
    }

    /**
     * True when no plain ACK can change this handshake any more: the client's ACK is not awaited,
     * and the RTT is measured (and not zero) or there is no SYN to measure it from. A later SYN or
     * SYN-ACK can still change it.
     */
    public boolean settled()
    {
        final long rtt = rttNanos();
        return status() != SYN_ACK_SEEN && (lastSynNanos() == UNSET || rtt != UNSET && rtt != 0);
    }

    @Override
    public int status()
    {
        return buffer.getByte(base + HS_STATUS);
    }

    private void status(final int status)
    {
        buffer.putByte(base + HS_STATUS, (byte)status);
    }

    @Override
    public String statusName()
    {
        return STATUS_NAMES[status()];
    }

    /** True when a SYN or SYN-ACK of this connection was seen. */
    @Override
    public boolean seen()
    {
        return synCount() > 0 || synAckCount() > 0;
    }

    @Override
    public int synCount()
    {
        return buffer.getInt(base + SYN_COUNT);
    }

    @Override
    public int synAckCount()
    {
        return buffer.getInt(base + SYN_ACK_COUNT);
    }

    private long lastSynNanos()
    {
        return buffer.getLong(base + LAST_SYN_NANOS);
    }

    /**
     * Most recent SYN to the first ACK after it (Wireshark's initial RTT), nanoseconds; {@link #UNSET} when
     * not measured.
     */
    @Override
    public long rttNanos()
    {
        return buffer.getLong(base + HS_RTT_NANOS);
    }

    @Override
    public long synToSynAckNanos()
    {
        return buffer.getLong(base + SYN_TO_SYN_ACK_NANOS);
    }

    @Override
    public long synAckToAckNanos()
    {
        return buffer.getLong(base + SYN_ACK_TO_ACK_NANOS);
    }

    /** The client's initial sequence number, -1 before its SYN. */
    public long clientIsn()
    {
        return bit(HS_CLIENT_ISN_KNOWN) ? buffer.getInt(base + CLIENT_ISN) & 0xFFFF_FFFFL : -1;
    }

    /** The server's initial sequence number, -1 before its SYN-ACK. */
    public long serverIsn()
    {
        return bit(HS_SERVER_ISN_KNOWN) ? buffer.getInt(base + SERVER_ISN) & 0xFFFF_FFFFL : -1;
    }

    /** MSS option of the client's SYN, -1 when absent. */
    @Override
    public int clientMss()
    {
        return buffer.getInt(base + CLIENT_MSS);
    }

    @Override
    public int serverMss()
    {
        return buffer.getInt(base + SERVER_MSS);
    }

    /** Window scale shift of the client's SYN, -1 when absent (RFC 7323 section 2). */
    @Override
    public int clientWindowScale()
    {
        return buffer.getShort(base + CLIENT_WSCALE);
    }

    @Override
    public int serverWindowScale()
    {
        return buffer.getShort(base + SERVER_WSCALE);
    }

    /** SACK is in use when both sides sent SACK-permitted (RFC 2018 section 2). */
    @Override
    public boolean sackPermitted()
    {
        return bit(HS_CLIENT_SACK) && bit(HS_SERVER_SACK);
    }

    /** Timestamps are in use when both sides sent the option on SYN and SYN-ACK (RFC 7323 section 3.2). */
    @Override
    public boolean timestamps()
    {
        return bit(HS_CLIENT_TIMESTAMPS) && bit(HS_SERVER_TIMESTAMPS);
    }

    @Override
    public boolean synSeen()
    {
        return synCount() > 0;
    }

    @Override
    public boolean synAckSeen()
    {
        return synAckCount() > 0;
    }

    private boolean bit(final int bit)
    {
        return (buffer.getByte(base + HS_BITS) & bit) != 0;
    }

    private void bit(final int bit, final boolean on)
    {
        final int bits = buffer.getByte(base + HS_BITS);
        buffer.putByte(base + HS_BITS, (byte)(on ? bits | bit : bits & ~bit));
    }
}
