package io.linerate.aggregate;

import io.linerate.aggregate.flow.FlowDescriptor;
import io.linerate.aggregate.flow.FlowHeader;
import io.linerate.aggregate.flow.FlowTable;
import io.linerate.aggregate.tcp.RttSpills;
import io.linerate.aggregate.tcp.RttSummary;

import java.util.Arrays;

/**
 * A shard's connections: its {@link FlowTable} (keys, records, timers, all by flow index), the
 * {@link FlowExtras} of the few flows that need one, and {@link Flow} cursors lent in turn over both.
 * No object is made per flow.
 */
public final class Connections implements RttSpills
{
    /** Cursors lent by {@link #flow}, in turn: a reference stays good for {@value #CURSORS} lookups. */
    private static final int CURSORS = 8;

    private final FlowTable table;
    private final Flow[] cursors = new Flow[CURSORS];
    private int nextCursor;
    /** Per flow index: what its record cannot hold, or null (most flows). */
    private FlowExtras[] extras = new FlowExtras[1024];
    /** Extras given back by flows that left, for the next flow that needs one. */
    private FlowExtras[] spareExtras = new FlowExtras[16];
    private int spareExtrasCount;

    public Connections(final FlowTable table)
    {
        this.table = table;
        for (int c = 0; c < CURSORS; c++)
        {
            cursors[c] = new Flow(this);
        }
    }

    /** The table of keys, records and timers underneath. */
    public FlowTable table()
    {
        return table;
    }

    /**
     * A cursor over flow {@code index}: its record and extras. Cursors are lent in turn, so one stays
     * good while up to {@value #CURSORS} - 1 other flows are looked at (a packet's work, a record's).
     */
    public Flow flow(final int index)
    {
        final Flow cursor = cursors[nextCursor++ & (CURSORS - 1)];
        return cursor.at(index, table.buffer(index), FlowTable.offset(index));
    }

    /** The flow of a packet from (src) to (dst) inside the tunnels {@code tunnelKey} names, in either direction; null when absent. */
    public Flow find(
        final int hash, final int protocol,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort,
        final long tunnelKey)
    {
        final int index = table.findIndex(hash, protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, tunnelKey);
        return index < 0 ? null : flow(index);
    }

    /**
     * Adds a new flow for the given key (see {@link FlowTable#insert}), every region of its record
     * back to "nothing seen". The caller must make room first when {@link #isFull()}.
     */
    public Flow insert(
        final int hash, final int protocol, final int ipVersion,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort,
        final long tunnelKey)
    {
        final int index = table.insert(hash, protocol, ipVersion, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, tunnelKey);
        final Flow f = flow(index);
        f.reset();
        return f;
    }

    /** Removes the flow, gives its extras back (a hello buffer to its pool) and frees its index. */
    public void remove(final Flow f)
    {
        remove(f.index());
    }

    public void remove(final int index)
    {
        if (index < extras.length)
        {
            final FlowExtras e = extras[index];
            if (e != null)
            {
                e.clear();
                extras[index] = null;
                if (spareExtrasCount == spareExtras.length)
                {
                    spareExtras = Arrays.copyOf(spareExtras, spareExtrasCount * 2);
                }
                spareExtras[spareExtrasCount++] = e;
            }
        }
        table.header(index).flag(FlowDescriptor.HELLO_BUFFERED, false);
        table.remove(index);
    }

    /** See {@link FlowTable#schedule}. */
    public void schedule(final Flow f, final long expiresNanos, final boolean closed)
    {
        table.schedule(f.index(), expiresNanos, closed);
    }

    public void schedule(final int index, final long expiresNanos, final boolean closed)
    {
        table.schedule(index, expiresNanos, closed);
    }

    /** The next flow idle at {@code nowNanos}, taken out of its timer, or null (see {@link FlowTable#nextExpired}). */
    public Flow nextExpired(final long nowNanos)
    {
        final int index = table.nextExpired(nowNanos);
        return index == FlowTable.NONE ? null : flow(index);
    }

    /** The flow to evict when the table is full, or null when it is empty (see {@link FlowTable#evictionCandidate}). */
    public Flow evictionCandidate()
    {
        final int index = table.evictionCandidate();
        return index == FlowTable.NONE ? null : flow(index);
    }

    /** Some flow still in the table, or null when it is empty (see {@link FlowTable#nextRemaining}). */
    public Flow nextRemaining()
    {
        final int index = table.nextRemaining();
        return index == FlowTable.NONE ? null : flow(index);
    }

    public int findIndex(
        final int hash, final int protocol,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort,
        final long tunnelKey)
    {
        return table.findIndex(hash, protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, tunnelKey);
    }

    /** The table's header flyweight over flow {@code index} (see {@link FlowTable#header}). */
    public FlowHeader header(final int index)
    {
        return table.header(index);
    }

    public int size()
    {
        return table.size();
    }

    public boolean isFull()
    {
        return table.isFull();
    }

    /** The extras of flow {@code index}, lent from the spares when it has none yet. */
    public FlowExtras extras(final int index)
    {
        if (index >= extras.length)
        {
            extras = Arrays.copyOf(extras, Math.max(index + 1, extras.length * 2));
        }
        FlowExtras e = extras[index];
        if (e == null)
        {
            e = spareExtrasCount > 0 ? spareExtras[--spareExtrasCount] : new FlowExtras();
            extras[index] = e;
        }
        return e;
    }

    /** The extras of flow {@code index}, or null when it has none. */
    public FlowExtras extrasIfAny(final int index)
    {
        return index < extras.length ? extras[index] : null;
    }

    /** Flows holding extras now. */
    public int flowsWithExtras()
    {
        int n = 0;
        for (final FlowExtras e : extras)
        {
            if (e != null)
            {
                n++;
            }
        }
        return n;
    }

    @Override
    public RttSummary rtt(final int index, final boolean client)
    {
        return extras(index).rtt(client);
    }

    @Override
    public RttSummary rttIfAny(final int index, final boolean client)
    {
        final FlowExtras e = extrasIfAny(index);
        return e == null ? null : e.rttIfAny(client);
    }
}
