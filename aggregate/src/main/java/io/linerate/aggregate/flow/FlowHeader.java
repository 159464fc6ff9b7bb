package io.linerate.aggregate.flow;

import io.linerate.decode.DecodedFrame;
import org.agrona.concurrent.UnsafeBuffer;

import static io.linerate.aggregate.flow.FlowDescriptor.A_HI;
import static io.linerate.aggregate.flow.FlowDescriptor.A_LO;
import static io.linerate.aggregate.flow.FlowDescriptor.A_PORT;
import static io.linerate.aggregate.flow.FlowDescriptor.B_HI;
import static io.linerate.aggregate.flow.FlowDescriptor.B_LO;
import static io.linerate.aggregate.flow.FlowDescriptor.B_PORT;
import static io.linerate.aggregate.flow.FlowDescriptor.CLIENT_IS_A;
import static io.linerate.aggregate.flow.FlowDescriptor.CLOSED;
import static io.linerate.aggregate.flow.FlowDescriptor.EXPIRES_NANOS;
import static io.linerate.aggregate.flow.FlowDescriptor.FLAGS;
import static io.linerate.aggregate.flow.FlowDescriptor.HALF_OPEN;
import static io.linerate.aggregate.flow.FlowDescriptor.HANDSHAKE_RTT_NANOS;
import static io.linerate.aggregate.flow.FlowDescriptor.HANDSHAKE_SETTLED;
import static io.linerate.aggregate.flow.FlowDescriptor.HEADER_LENGTH;
import static io.linerate.aggregate.flow.FlowDescriptor.HELLO_BUFFERED;
import static io.linerate.aggregate.flow.FlowDescriptor.IP_VERSION;
import static io.linerate.aggregate.flow.FlowDescriptor.LAST_NANOS;
import static io.linerate.aggregate.flow.FlowDescriptor.LAST_REPORT_NANOS;
import static io.linerate.aggregate.flow.FlowDescriptor.PROTOCOL;
import static io.linerate.aggregate.flow.FlowDescriptor.TIMESTAMPS;
import static io.linerate.aggregate.flow.FlowDescriptor.WIDE_KEY;

/**
 * The header lines of a flow record ({@link FlowDescriptor}): the key, the roles, the times and the
 * flags a packet reads before anything else. A flyweight: the per-packet path wraps one at the record
 * a table slot points to, so it reads these without touching the flow's object; the {@link Flow}
 * object has its own, wrapped once, for everything else.
 */
public final class FlowHeader
{
    private UnsafeBuffer buffer;
    private int record;

    /** Points the flyweight at the record that starts at {@code record} in {@code buffer}. */
    public FlowHeader wrap(final UnsafeBuffer buffer, final int record)
    {
        this.buffer = buffer;
        this.record = record;
        return this;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Where the record starts in {@link #buffer()}. */
    public int record()
    {
        return record;
    }

    public void clear()
    {
        buffer.setMemory(record, HEADER_LENGTH, (byte)0);
    }

    /** Sets the key, in canonical order (the lower endpoint first). */
    void key(final int protocol, final int ipVersion, final long aHi, final long aLo, final int aPort,
        final long bHi, final long bLo, final int bPort, final long tunnelKey)
    {
        buffer.putLong(record + FlowDescriptor.TUNNEL_KEY, tunnelKey);
        buffer.putByte(record + PROTOCOL, (byte)protocol);
        buffer.putByte(record + IP_VERSION, (byte)ipVersion);
        buffer.putLong(record + A_HI, aHi);
        buffer.putLong(record + A_LO, aLo);
        buffer.putShort(record + A_PORT, (short)aPort);
        buffer.putLong(record + B_HI, bHi);
        buffer.putLong(record + B_LO, bLo);
        buffer.putShort(record + B_PORT, (short)bPort);
        flag(WIDE_KEY, (aHi | bHi | tunnelKey) != 0);
    }

    /** True when the record's key is this one (canonical order). */
    boolean keyIs(final int protocol, final long aHi, final long aLo, final int aPort,
        final long bHi, final long bLo, final int bPort, final long tunnelKey)
    {
        // One comparison of differences, not a chain of branches: the JIT sees no branch to leave out
        // and recompile later when a key first differs in a new place.
        final UnsafeBuffer b = buffer;
        final int r = record;
        long differ = (b.getLong(r + A_LO) ^ aLo) | (b.getLong(r + B_LO) ^ bLo) |
            ((b.getShort(r + A_PORT) & 0xFFFF) ^ aPort) |
            ((b.getShort(r + B_PORT) & 0xFFFF) ^ bPort) | ((b.getByte(r + PROTOCOL) & 0xFF) ^ protocol);
        final long wide = aHi | bHi | tunnelKey;
        if (wide != 0 || (b.getShort(r + FLAGS) & WIDE_KEY) != 0)
        {
            differ |= (b.getLong(r + A_HI) ^ aHi) | (b.getLong(r + B_HI) ^ bHi) |
                (b.getLong(r + FlowDescriptor.TUNNEL_KEY) ^ tunnelKey);
        }
        return differ == 0;
    }

    /** The identifiers of the tunnels that are part of the key ({@code DecodedFrame.tunnelKey}), 0 untunnelled. */
    public long tunnelKey()
    {
        return buffer.getLong(record + FlowDescriptor.TUNNEL_KEY);
    }

    public int protocol()
    {
        return buffer.getByte(record + PROTOCOL) & 0xFF;
    }

    public int ipVersion()
    {
        return buffer.getByte(record + IP_VERSION) & 0xFF;
    }

    public long aHi()
    {
        return buffer.getLong(record + A_HI);
    }

    public long aLo()
    {
        return buffer.getLong(record + A_LO);
    }

    public int aPort()
    {
        return buffer.getShort(record + A_PORT) & 0xFFFF;
    }

    public long bHi()
    {
        return buffer.getLong(record + B_HI);
    }

    public long bLo()
    {
        return buffer.getLong(record + B_LO);
    }

    public int bPort()
    {
        return buffer.getShort(record + B_PORT) & 0xFFFF;
    }

    /** True when a packet from this endpoint was sent by the flow's client. */
    public boolean isFromClient(final long srcHi, final long srcLo, final int srcPort)
    {
        final UnsafeBuffer b = buffer;
        final int r = record;
        final int flags = b.getShort(r + FLAGS);
        final boolean clientIsA = (flags & CLIENT_IS_A) != 0;
        // The high halves are in line 1; a record without WIDE_KEY has none (both 0), so line 0 decides.
        return srcLo == b.getLong(r + (clientIsA ? A_LO : B_LO)) &&
            srcPort == (b.getShort(r + (clientIsA ? A_PORT : B_PORT)) & 0xFFFF) &&
            ((flags & WIDE_KEY) == 0 ? srcHi == 0 : srcHi == b.getLong(r + (clientIsA ? A_HI : B_HI)));
    }

    /** True when the frame was sent by the flow's client. */
    public boolean isFromClient(final DecodedFrame slot)
    {
        return isFromClient(slot.srcHi, slot.srcLo, slot.srcPort);
    }

    public boolean flag(final int flag)
    {
        return (buffer.getShort(record + FLAGS) & flag) != 0;
    }

    public void flag(final int flag, final boolean on)
    {
        final int flags = buffer.getShort(record + FLAGS);
        buffer.putShort(record + FLAGS, (short)(on ? flags | flag : flags & ~flag));
    }

    /** Packet time after which the flow is idle. */
    public long expiresNanos()
    {
        return buffer.getLong(record + EXPIRES_NANOS);
    }

    public void expiresNanos(final long v)
    {
        buffer.putLong(record + EXPIRES_NANOS, v);
    }

    public long lastNanos()
    {
        return buffer.getLong(record + LAST_NANOS);
    }

    /** Notes a packet of the flow seen at {@code timestampNanos} (the flow's last time moves on). */
    public void seen(final long timestampNanos)
    {
        if (timestampNanos > buffer.getLong(record + LAST_NANOS))
        {
            buffer.putLong(record + LAST_NANOS, timestampNanos);
        }
    }

    /** Packet time of the flow's start or of its last interim record. */
    public long lastReportNanos()
    {
        return buffer.getLong(record + LAST_REPORT_NANOS);
    }

    public void lastReportNanos(final long v)
    {
        buffer.putLong(record + LAST_REPORT_NANOS, v);
    }

    public boolean closed()
    {
        return flag(CLOSED);
    }

    public boolean handshakeSettled()
    {
        return flag(HANDSHAKE_SETTLED);
    }

    public boolean halfOpen()
    {
        return flag(HALF_OPEN);
    }

    public boolean timestamps()
    {
        return flag(TIMESTAMPS);
    }

    public boolean helloBuffered()
    {
        return flag(HELLO_BUFFERED);
    }

    /** The handshake RTT (Wireshark's initial RTT), 0 while not measured. */
    public long handshakeRttNanos()
    {
        return buffer.getLong(record + HANDSHAKE_RTT_NANOS);
    }

    public void handshakeRttNanos(final long v)
    {
        buffer.putLong(record + HANDSHAKE_RTT_NANOS, v);
    }
}
