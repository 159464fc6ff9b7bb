package io.linerate.aggregate.flow;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * A shard's flows: an open-addressing hash table over the flow records of a {@link FlowSlab}, and
 * the timers that say when each flow goes idle. A flow is an index: its record in the slab and its
 * timer links in two int arrays. No object is made per flow; what composes a connection out of the
 * record's regions (a cursor, side tables) is the shard's.
 *
 * <p><b>Lookup.</b> Linear probing, backward-shift deletion, power-of-two capacity. An array of
 * tags holds each slot's flow hash (the decoder's symmetric {@code flowHash}, computed once per
 * packet) with the flow's index (which says where its record is in the slab), so a probe compares
 * hashes without touching any record, and the record of a matching slot is one load away (its
 * address depends only on the slot, not on another load). Deletion shifts entries back by their
 * stored hashes, again without touching records.
 *
 * <p><b>Expiry.</b> A packet only writes its flow's the record's {@code expiresNanos}: it does not move the
 * flow in any list. Open flows are filed in a hashed timer wheel by the tick of their expiry at
 * filing time; when the wheel's clock passes a bucket, each flow in it either has expired (it is
 * handed to the caller) or has been seen since and is filed again by its new expiry, so a flow is
 * refiled at most once per idle timeout instead of relinked on every packet (Linux's and Agrona's
 * timer wheels; Zeek's connection timers). A flow whose expiry moves earlier than where it is filed
 * (a shorter timeout class) is refiled at once. Closed TCP connections wait in a list of their own
 * in closing order: they are the first to go when the table is full, and a packet after the close is
 * rare enough to move the flow to the list's end. Flows whose frames carry no time stamp never
 * expire. Records therefore come out at most a tick after the idle timeout passed; the caller checks
 * the record's {@code expiresNanos} on lookup, so a late packet never joins an expired flow.
 *
 * <p>The table has a hard cap ({@code maxFlows}); the slab grows lazily up to it, so a shard that sees
 * few connections holds little, and a full table never allocates: the caller evicts
 * ({@link #evictionCandidate()}) first. Not thread-safe: one table per shard.
 *
 * <p>Keys are canonical (the lower endpoint first), so both directions of a connection find the
 * same entry. A key is the 5-tuple and the frame's {@code tunnelKey} (the VNIs, GRE keys and other
 * identifiers of the tunnels it came in that are the same both ways), so equal inner 5-tuples of two
 * tenants are two flows.
 */
public final class FlowTable
{
    /** Flows compared by expiry when the wheel's earliest bucket is searched for an eviction victim. */
    static final int EVICTION_CANDIDATES = 16;

    /** No flow: what the methods returning an index return when there is none. */
    public static final int NONE = -1;
    /** Set in every occupied slot's tag, so an empty slot (0) never matches a hash. */
    private static final int OCCUPIED = 0x8000_0000;
    /** Multiplier of Fibonacci hashing: spreads hashes that share their residue modulo the shard count. */
    private static final long SPREAD = 0x9E37_79B9_7F4A_7C15L;

    /** Slots a table starts with: it doubles as flows come, up to twice its cap. */
    static final int INITIAL_SLOTS = 1 << 12;

    private final int maxFlows;
    /** Slots at the cap: twice {@code maxFlows} or more, a power of two. */
    private final int maxSlots;
    private int mask;
    private int shift;
    /**
     * Per slot: the tag of its flow ({@code OCCUPIED | hash}), or 0 when empty. At most half full: it
     * doubles before an insert would pass that, so it stays as small as the flows it holds (a lookup
     * of a random flow then reads a slot in 1 MB at 65,536 flows, not in the 8 MB the default cap
     * would need).
     */
    private long[] tags;
    /** Room in the per-index arrays (free list, timer links). */
    private int indexCapacity;
    /** The per-packet path's view of a record's header: see {@link #header(int)}. */
    private final FlowHeader scratch = new FlowHeader();
    /** The records of the pool's flows, by flow index. */
    private final FlowSlab slab = new FlowSlab();
    private int poolSize;
    private int[] freeList;
    private int freeCount;
    private int size;

    // Timers: lists threaded through next/prev by flow index. Lists 0..buckets-1 are the wheel's
    // buckets, then the closed connections (in closing order), then the flows without time stamps.
    private final int tickShift;
    private final int buckets;
    private final int closedList;
    private final int untimedList;
    private final int[] head;
    private final int[] tail;
    private int[] next;
    private int[] prev;
    /** Every bucket of a tick up to this one has been swept (Long.MIN_VALUE: no time yet). */
    private long sweptTick = Long.MIN_VALUE;
    /** Before the first sweep: the earliest tick a flow was filed under. */
    private long earliestFiledTick = Long.MAX_VALUE;
    /**
     * Where the last eviction search found a flow: no bucket of an earlier tick (within a turn of the
     * sweep) has been filed into since, so the next search starts here instead of walking the empty
     * buckets between the sweep and the flows' expiries again (an idle timeout's worth, every time).
     */
    private long evictionHint = Long.MIN_VALUE;
    /** Flows taken out of a bucket being swept, not yet judged. */
    private int detached = NONE;
    /** Where {@link #nextRemaining()} looks next. */
    private int remainingCursor;

    /**
     * A table whose timers suit one idle timeout.
     *
     * @param maxFlows hard cap on concurrent flows in this table
     */
    public FlowTable(final int maxFlows)
    {
        this(maxFlows, 1_000_000_000L, 300_000_000_000L);
    }

    /**
     * @param maxFlows           hard cap on concurrent flows in this table
     * @param shortestIdleNanos  the shortest idle timeout of any flow: a wheel tick is at most 1/64 of it
     * @param longestIdleNanos   the longest: the wheel spans it, where it can (a flow further out is
     *                           refiled when its bucket comes round)
     */
    public FlowTable(final int maxFlows, final long shortestIdleNanos, final long longestIdleNanos)
    {
        if (maxFlows < 1)
        {
            throw new IllegalArgumentException("maxFlows must be positive: " + maxFlows);
        }
        if (shortestIdleNanos < 1 || longestIdleNanos < shortestIdleNanos)
        {
            throw new IllegalArgumentException("idle timeouts: " + shortestIdleNanos + ", " + longestIdleNanos);
        }
        this.maxFlows = maxFlows;
        this.maxSlots = Integer.highestOneBit(Math.max(2, maxFlows) * 2 - 1) << 1;
        slots(new long[Math.min(maxSlots, INITIAL_SLOTS)]);
        this.indexCapacity = Math.min(maxFlows, 1024);
        this.freeList = new int[indexCapacity];
        this.next = new int[indexCapacity];
        this.prev = new int[indexCapacity];

        // A tick of a power of two nanoseconds, at most 1/64 of the shortest timeout and at least 1 µs.
        this.tickShift = Math.max(10, 63 - Long.numberOfLeadingZeros(Math.max(1, shortestIdleNanos / 64)));
        final long span = (longestIdleNanos >> tickShift) + 2;
        this.buckets = (int)Math.min(1 << 16, Math.max(64, Long.highestOneBit(span - 1) << 1));
        this.closedList = buckets;
        this.untimedList = buckets + 1;
        this.head = new int[buckets + 2];
        this.tail = new int[buckets + 2];
        Arrays.fill(head, NONE);
        Arrays.fill(tail, NONE);
    }

    public int size()
    {
        return size;
    }

    public int maxFlows()
    {
        return maxFlows;
    }

    public boolean isFull()
    {
        return size >= maxFlows;
    }

    /**
     * The index of the flow of a packet from (src) to (dst) inside the tunnels {@code tunnelKey} names,
     * in either direction; -1 when absent. The probe reads the table's slots and the record of a slot
     * whose hash matches, never a flow object.
     *
     * @param hash      the symmetric flow hash of the key (the decoder's {@code flowHash})
     * @param tunnelKey the frame's {@code tunnelKey}: 0 untunnelled
     */
    public int findIndex(
        final int hash, final int protocol,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort,
        final long tunnelKey)
    {
        final boolean srcFirst = endpointLess(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        final long aHi = srcFirst ? srcHi : dstHi;
        final long aLo = srcFirst ? srcLo : dstLo;
        final int aPort = srcFirst ? srcPort : dstPort;
        final long bHi = srcFirst ? dstHi : srcHi;
        final long bLo = srcFirst ? dstLo : srcLo;
        final int bPort = srcFirst ? dstPort : srcPort;

        final int tag = tag(hash);
        int i = home(hash);
        while (true)
        {
            final long slot = tags[i];
            if (slot == 0)
            {
                return -1;
            }
            if ((int)(slot >>> 32) == tag)
            {
                final int index = (int)slot;
                if (header(index).keyIs(protocol, aHi, aLo, aPort, bHi, bLo, bPort, tunnelKey))
                {
                    return index;
                }
            }
            i = (i + 1) & mask;
        }
    }

    /** The slab segment that holds the record of flow {@code index}. */
    public UnsafeBuffer buffer(final int index)
    {
        return slab.buffer(index);
    }

    /** Where the record of flow {@code index} starts in its segment ({@link #buffer}). */
    public static int offset(final int index)
    {
        return FlowSlab.offset(index);
    }

    /**
     * The table's header flyweight pointed at the record of flow {@code index}: valid until the next
     * call that uses it (this one, and the table's own methods).
     */
    public FlowHeader header(final int index)
    {
        return scratch.wrap(slab.buffer(index), FlowSlab.offset(index));
    }

    /**
     * The slot of {@code hash}'s flow (the first from its home whose tag is the hash's; 0 when an
     * empty slot comes first): loading it is the first half of warming a frame's flow (the second is
     * {@link #warmRecord(long)}). Between the two halves a caller loads the slots of a whole batch of
     * frames, so their misses overlap instead of each waiting for the one before. The probe goes past
     * the home slot as a lookup does: a flow that a collision put further on is warmed too, not the
     * flow at its home (linear probing leaves a quarter of the flows past their home slot at half
     * full, an eighth at a quarter full).
     */
    public long warmSlot(final int hash)
    {
        final long[] tags = this.tags;
        final int tag = tag(hash);
        int i = home(hash);
        long slot;
        while ((slot = tags[i]) != 0 && (int)(slot >>> 32) != tag)
        {
            i = (i + 1) & mask;
        }
        return slot;
    }

    /**
     * Reads the record lines a packet touches of the flow in {@code slot} (a value
     * {@link #warmSlot} returned; 0 for none): header line 0, each direction's sequence and count
     * lines, and Zeek's two endpoint lines. Returns a value made of what was read, so the reads are
     * kept.
     */
    public long warmRecord(final long slot)
    {
        if (slot == 0)
        {
            return 0;
        }
        final int index = (int)slot;
        final UnsafeBuffer b = slab.buffer(index);
        final int r = FlowSlab.offset(index);
        return b.getLong(r + FlowDescriptor.A_LO) +
            b.getLong(r + FlowDescriptor.C2S_OFFSET + FlowDescriptor.NEXT_SEQ_NANOS) +
            b.getLong(r + FlowDescriptor.C2S_OFFSET + FlowDescriptor.PACKETS) +
            b.getLong(r + FlowDescriptor.S2C_OFFSET + FlowDescriptor.NEXT_SEQ_NANOS) +
            b.getLong(r + FlowDescriptor.S2C_OFFSET + FlowDescriptor.PACKETS) +
            b.getLong(r + FlowDescriptor.ZEEK_OFFSET + FlowDescriptor.ZEEK_LAST_NANOS) +
            b.getLong(r + FlowDescriptor.ZEEK_OFFSET + FlowDescriptor.ZEEK_REMOVAL_NANOS);
    }

    /**
     * Adds a new, reset flow for the given key. It is not filed in any timer until
     * {@link #schedule}. The caller must make room first when {@link #isFull()}.
     *
     * @param hash the symmetric flow hash of the key
     */
    public int insert(
        final int hash, final int protocol, final int ipVersion,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        return insert(hash, protocol, ipVersion, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, 0);
    }

    /**
     * Adds a new, reset flow for the given key inside the tunnels {@code tunnelKey} names (0:
     * untunnelled). It is not filed in any timer until {@link #schedule}. The caller must make room
     * first when {@link #isFull()}.
     */
    public int insert(
        final int hash, final int protocol, final int ipVersion,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort,
        final long tunnelKey)
    {
        if (size >= maxFlows)
        {
            throw new IllegalStateException("flow table full (" + maxFlows + "): evict before inserting");
        }
        final int index = allocate();
        final FlowHeader h = header(index);
        h.clear();
        final boolean srcFirst = endpointLess(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        h.key(protocol, ipVersion,
            srcFirst ? srcHi : dstHi, srcFirst ? srcLo : dstLo, srcFirst ? srcPort : dstPort,
            srcFirst ? dstHi : srcHi, srcFirst ? dstLo : srcLo, srcFirst ? dstPort : srcPort, tunnelKey);
        h.buffer().putInt(h.record() + FlowDescriptor.HASH, hash);
        timerList(index, NONE);

        if ((size + 1) * 2 > tags.length && tags.length < maxSlots)
        {
            grow();
        }
        place((long)tag(hash) << 32 | index);
        h.flag(FlowDescriptor.IN_USE, true);
        size++;
        return index;
    }

    /** Removes the flow from the table and its timer, and frees its index (its record is reused). */
    public void remove(final int index)
    {
        final FlowHeader h = header(index);
        if (!h.flag(FlowDescriptor.IN_USE))
        {
            return;
        }
        int i = home(h.buffer().getInt(h.record() + FlowDescriptor.HASH));
        while ((int)tags[i] != index || tags[i] == 0)
        {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion keeps probe chains intact without tombstones; each entry's home
        // comes from the hash stored in its slot.
        int hole = i;
        int j = (i + 1) & mask;
        long entry;
        while ((entry = tags[j]) != 0)
        {
            final int home = homeOfTag((int)(entry >>> 32));
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                tags[hole] = entry;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        tags[hole] = 0;
        unlink(index);
        h.flag(FlowDescriptor.IN_USE, false);
        size--;
        freeList[freeCount++] = index;
    }

    /**
     * Sets when the flow goes idle. On the common path (an open flow seen again, so a later expiry)
     * this is one store; a flow is refiled only when its expiry moves before its wheel bucket, when
     * it closes, or when it is new.
     *
     * @param expiresNanos packet time after which the flow is idle ({@code Long.MAX_VALUE}: never)
     * @param closed       the connection is closed: it waits in closing order and goes first when
     *                     the table is full
     */
    public void schedule(final int index, final long expiresNanos, final boolean closed)
    {
        final UnsafeBuffer b = slab.buffer(index);
        final int r = FlowSlab.offset(index);
        b.putLong(r + FlowDescriptor.EXPIRES_NANOS, expiresNanos);
        final int list = b.getInt(r + FlowDescriptor.TIMER_LIST);
        if (closed)
        {
            if (list != closedList || tail[closedList] != index)
            {
                unlink(index);
                append(closedList, index);
            }
            return;
        }
        if (expiresNanos == Long.MAX_VALUE)
        {
            if (list != untimedList)
            {
                unlink(index);
                append(untimedList, index);
            }
            return;
        }
        final long tick = expiresNanos >> tickShift;
        if (list >= 0 && list < buckets && tick >= b.getLong(r + FlowDescriptor.FILED_TICK))
        {
            return;
        }
        unlink(index);
        file(index, tick);
    }

    /**
     * The next flow idle at {@code nowNanos} (expiry before it), taken out of its timer, or
     * {@link #NONE} when there is none due: call until NONE, removing each flow returned. Buckets wholly before the
     * present tick are swept; the flows in them that were seen since are filed again.
     */
    public int nextExpired(final long nowNanos)
    {
        final int closedHead = head[closedList];
        if (closedHead != NONE && expires(closedHead) < nowNanos)
        {
            unlink(closedHead);
            return closedHead;
        }
        while (true)
        {
            while (detached != NONE)
            {
                final int index = detached;
                detached = next[index];
                timerList(index, NONE);
                final long expires = expires(index);
                if (expires < nowNanos)
                {
                    return index;
                }
                file(index, expires >> tickShift);
            }
            final long due = (nowNanos >> tickShift) - 1;
            if (sweptTick == Long.MIN_VALUE)
            {
                sweptTick = earliestFiledTick == Long.MAX_VALUE ? due : Math.min(due, earliestFiledTick - 1);
            }
            if (sweptTick >= due)
            {
                return NONE;
            }
            if (due - sweptTick > buckets)
            {
                // A jump in time: each bucket once.
                sweptTick = due - buckets;
            }
            sweptTick++;
            final int b = (int)(sweptTick & (buckets - 1));
            detached = head[b];
            head[b] = NONE;
            tail[b] = NONE;
        }
    }

    /**
     * The flow to evict when the table is full: the first closed connection; else the one nearest its
     * idle timeout among the first {@value #EVICTION_CANDIDATES} of the earliest wheel bucket; else a
     * flow without time stamps. {@link #NONE} when the table is empty. The flow stays in the table.
     */
    public int evictionCandidate()
    {
        if (head[closedList] != NONE)
        {
            return head[closedList];
        }
        final long from = Math.max(sweptTick == Long.MIN_VALUE ? earliestFiledTick : sweptTick + 1, evictionHint);
        for (int k = 0; k < buckets; k++)
        {
            int i = head[(int)((from + k) & (buckets - 1))];
            if (i == NONE)
            {
                continue;
            }
            evictionHint = from + k;
            int best = i;
            long bestExpires = expires(i);
            for (int seen = 1; seen < EVICTION_CANDIDATES && (i = next[i]) != NONE; seen++)
            {
                final long expires = expires(i);
                if (expires < bestExpires)
                {
                    best = i;
                    bestExpires = expires;
                }
            }
            return best;
        }
        return head[untimedList];
    }

    /**
     * Some flow still in the table, or {@link #NONE} when it is empty: for emptying the table at the
     * end (call until NONE, removing each flow returned). The order says nothing.
     */
    public int nextRemaining()
    {
        if (size == 0)
        {
            remainingCursor = 0;
            return NONE;
        }
        for (; remainingCursor <= untimedList; remainingCursor++)
        {
            if (head[remainingCursor] != NONE)
            {
                return head[remainingCursor];
            }
        }
        // Flows inserted but never scheduled are in no list: look for them in the slots.
        for (final long slot : tags)
        {
            if (slot != 0)
            {
                return (int)slot;
            }
        }
        throw new IllegalStateException("flow table size " + size + " but no flow found");
    }

    private void file(final int index, final long expiryTick)
    {
        // A bucket already swept would come round again only a whole turn later: an expiry already
        // due goes into the next bucket to sweep. Before the first sweep, the wheel's clock starts
        // before the earliest flow filed.
        final long tick;
        if (sweptTick == Long.MIN_VALUE)
        {
            tick = expiryTick;
            earliestFiledTick = Math.min(earliestFiledTick, tick);
        }
        else
        {
            tick = Math.max(expiryTick, sweptTick + 1);
        }
        slab.buffer(index).putLong(FlowSlab.offset(index) + FlowDescriptor.FILED_TICK, tick);
        append((int)(tick & (buckets - 1)), index);
        if (tick < evictionHint)
        {
            evictionHint = tick;
        }
    }

    private void append(final int list, final int idx)
    {
        timerList(idx, list);
        prev[idx] = tail[list];
        next[idx] = NONE;
        if (tail[list] != NONE)
        {
            next[tail[list]] = idx;
        }
        else
        {
            head[list] = idx;
        }
        tail[list] = idx;
    }

    private void unlink(final int idx)
    {
        final int list = timerList(idx);
        if (list == NONE)
        {
            return;
        }
        if (prev[idx] != NONE)
        {
            next[prev[idx]] = next[idx];
        }
        else
        {
            head[list] = next[idx];
        }
        if (next[idx] != NONE)
        {
            prev[next[idx]] = prev[idx];
        }
        else
        {
            tail[list] = prev[idx];
        }
        timerList(idx, NONE);
    }

    /** Packet time after which flow {@code index} is idle, from its record. */
    private long expires(final int index)
    {
        return slab.buffer(index).getLong(FlowSlab.offset(index) + FlowDescriptor.EXPIRES_NANOS);
    }

    /** The timer list flow {@code index} is filed in (a wheel bucket, closed, untimed), NONE for none. */
    private int timerList(final int index)
    {
        return slab.buffer(index).getInt(FlowSlab.offset(index) + FlowDescriptor.TIMER_LIST);
    }

    private void timerList(final int index, final int list)
    {
        slab.buffer(index).putInt(FlowSlab.offset(index) + FlowDescriptor.TIMER_LIST, list);
    }

    /** A free flow index, its record made room for in the slab. */
    private int allocate()
    {
        if (freeCount > 0)
        {
            return freeList[--freeCount];
        }
        if (poolSize == indexCapacity)
        {
            indexCapacity = (int)Math.min(maxFlows, Math.max(16L, indexCapacity * 2L));
            freeList = Arrays.copyOf(freeList, indexCapacity);
            next = Arrays.copyOf(next, indexCapacity);
            prev = Arrays.copyOf(prev, indexCapacity);
        }
        slab.ensureCapacity(poolSize + 1);
        return poolSize++;
    }

    /** Files a slot's value at the first free slot from its home. */
    private void place(final long entry)
    {
        int i = homeOfTag((int)(entry >>> 32));
        while (tags[i] != 0)
        {
            i = (i + 1) & mask;
        }
        tags[i] = entry;
    }

    /** Twice the slots, every flow filed again from its new home. */
    private void grow()
    {
        final long[] old = tags;
        slots(new long[old.length * 2]);
        for (final long entry : old)
        {
            if (entry != 0)
            {
                place(entry);
            }
        }
    }

    private void slots(final long[] slots)
    {
        tags = slots;
        mask = slots.length - 1;
        shift = 64 - Integer.numberOfTrailingZeros(slots.length);
    }

    /** Slots the table has now (tests: it grows with the flows). */
    int slotCount()
    {
        return tags.length;
    }

    /** The hash as stored in a slot's tag (never 0). */
    private static int tag(final int hash)
    {
        return OCCUPIED | hash;
    }

    private int home(final int hash)
    {
        return homeOfTag(tag(hash));
    }

    private int homeOfTag(final int tag)
    {
        return (int)(((tag & 0x7FFF_FFFFL) * SPREAD) >>> shift);
    }

    static boolean endpointLess(
        final long aHi, final long aLo, final int aPort, final long bHi, final long bLo, final int bPort)
    {
        if (aHi != bHi)
        {
            return Long.compareUnsigned(aHi, bHi) < 0;
        }
        if (aLo != bLo)
        {
            return Long.compareUnsigned(aLo, bLo) < 0;
        }
        return aPort <= bPort;
    }
}
