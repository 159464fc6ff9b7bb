package io.linerate.aggregate.flow;

import org.agrona.concurrent.UnsafeBuffer;

import static io.linerate.aggregate.flow.FlowDescriptor.BASE_SEQ;
import static io.linerate.aggregate.flow.FlowDescriptor.BASE_SEQ_KNOWN;
import static io.linerate.aggregate.flow.FlowDescriptor.BITS;
import static io.linerate.aggregate.flow.FlowDescriptor.BYTES;
import static io.linerate.aggregate.flow.FlowDescriptor.DIRECTION_LENGTH;
import static io.linerate.aggregate.flow.FlowDescriptor.FIN_SEEN;
import static io.linerate.aggregate.flow.FlowDescriptor.PACKETS;
import static io.linerate.aggregate.flow.FlowDescriptor.PAYLOAD_BYTES;
import static io.linerate.aggregate.flow.FlowDescriptor.RST_SEEN;

/**
 * What one side of a connection sent: {@code c2s} holds the client's packets, {@code s2c} the
 * server's. Counts follow DESIGN.md's meanings: {@code bytes} is the frame length on the wire,
 * {@code payloadBytes} the transport payload, retransmissions included.
 *
 * <p>A flyweight over one direction of a flow record in the shard's {@link FlowSlab}
 * ({@link FlowDescriptor} has the layout): the state is in the slab, this object only says where.
 */
public class DirectionStats
{
    protected UnsafeBuffer buffer;
    /** Where the direction starts in {@link #buffer}. */
    protected int base;

    /** Points the flyweight at the direction that starts at {@code base} in {@code buffer}. */
    public void wrap(final UnsafeBuffer buffer, final int base)
    {
        this.buffer = buffer;
        this.base = base;
    }

    /** Back to a direction that sent nothing: every field zero, then the ones whose "none" is not. */
    public void clear()
    {
        buffer.setMemory(base, DIRECTION_LENGTH, (byte)0);
    }

    /** Notes the TCP flags this side sent. */
    public void noteFlags(final boolean finSeen, final boolean rstSeen)
    {
        if (finSeen || rstSeen)
        {
            setBits((finSeen ? FIN_SEEN : 0) | (rstSeen ? RST_SEEN : 0));
        }
    }

    /** Counts a packet of {@code wireLength} bytes carrying {@code payloadLength} bytes of payload. */
    public void count(final int wireLength, final int payloadLength)
    {
        final UnsafeBuffer b = buffer;
        final int at = base;
        b.putLong(at + PACKETS, b.getLong(at + PACKETS) + 1);
        b.putLong(at + BYTES, b.getLong(at + BYTES) + wireLength);
        b.putLong(at + PAYLOAD_BYTES, b.getLong(at + PAYLOAD_BYTES) + payloadLength);
    }

    /** The sequence number this side started from, -1 before its first segment. */
    public long baseSeq()
    {
        return (bits() & BASE_SEQ_KNOWN) == 0 ? -1 : buffer.getInt(base + BASE_SEQ) & 0xFFFF_FFFFL;
    }

    public void baseSeq(final long seq)
    {
        buffer.putInt(base + BASE_SEQ, (int)seq);
        setBits(BASE_SEQ_KNOWN);
    }

    public long packets()
    {
        return buffer.getLong(base + PACKETS);
    }

    public long bytes()
    {
        return buffer.getLong(base + BYTES);
    }

    public long payloadBytes()
    {
        return buffer.getLong(base + PAYLOAD_BYTES);
    }

    /** True when this side sent a FIN. */
    public boolean fin()
    {
        return (bits() & FIN_SEEN) != 0;
    }

    /** True when this side sent a RST. */
    public boolean rst()
    {
        return (bits() & RST_SEEN) != 0;
    }

    /** The direction's flag bits ({@link FlowDescriptor#BITS}). */
    protected final int bits()
    {
        return buffer.getByte(base + BITS) & 0xFF;
    }

    protected final void setBits(final int bits)
    {
        buffer.putByte(base + BITS, (byte)(buffer.getByte(base + BITS) | bits));
    }

    protected final void clearBits(final int bits)
    {
        buffer.putByte(base + BITS, (byte)(buffer.getByte(base + BITS) & ~bits));
    }
}
