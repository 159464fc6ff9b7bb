package io.linerate.aggregate.flow;

import java.util.Arrays;

/**
 * A shard's flows: an open-addressing hash table over a pool of {@link Flow} objects, and the
 * timers that say when each flow goes idle.
 *
 * <p><b>Lookup.</b> Linear probing, backward-shift deletion, power-of-two capacity. An array of
 * tags holds each slot's flow hash (the decoder's symmetric {@code flowHash}, computed once per
 * packet) and a parallel array holds the flow itself, so a probe compares hashes without
 * touching any flow, and the flow of a matching slot is one load away (its address depends only on
 * the slot, not on another load). Deletion shifts entries back by their stored hashes, again without
 * touching flows.
 *
 * <p><b>Expiry.</b> A packet only writes its flow's {@link Flow#expiresNanos()}: it does not move the
 * flow in any list. Open flows are filed in a hashed timer wheel by the tick of their expiry at
 * filing time; when the wheel's clock passes a bucket, each flow in it either has expired (it is
 * handed to the caller) or has been seen since and is filed again by its new expiry, so a flow is
 * refiled at most once per idle timeout instead of relinked on every packet (Linux's and Agrona's
 * timer wheels; Zeek's connection timers). A flow whose expiry moves earlier than where it is filed
 * (a shorter timeout class) is refiled at once. Closed TCP connections wait in a list of their own
 * in closing order: they are the first to go when the table is full, and a packet after the close is
 * rare enough to move the flow to the list's end. Flows whose frames carry no time stamp never
 * expire. Records therefore come out at most a tick after the idle timeout passed; the caller checks
 * {@link Flow#expiresNanos()} on lookup, so a late packet never joins an expired flow.
 *
 * <p>The table has a hard cap ({@code maxFlows}); the pool grows lazily up to it, so a shard that sees
 * few connections holds few objects, and a full table never allocates: the caller evicts
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

    private static final int NONE = -1;
    /** Set in every occupied slot's tag, so an empty slot (0) never matches a hash. */
    private static final int OCCUPIED = 0x8000_0000;
    /** Multiplier of Fibonacci hashing: spreads hashes that share their residue modulo the shard count. */
    private static final long SPREAD = 0x9E37_79B9_7F4A_7C15L;

    private final int maxFlows;
    private final int mask;
    private final int shift;
    /** Per slot: the tag of its flow ({@code OCCUPIED | hash}), or 0 when empty. */
    private final int[] tags;
    /** Per slot: its flow. */
    private final Flow[] slotFlows;
    private Flow[] pool;
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
        final int capacity = Integer.highestOneBit(Math.max(2, maxFlows) * 2 - 1) << 1;
        this.mask = capacity - 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
        this.tags = new int[capacity];
        this.slotFlows = new Flow[capacity];
        this.pool = new Flow[Math.min(maxFlows, 1024)];
        this.freeList = new int[pool.length];
        this.next = new int[pool.length];
        this.prev = new int[pool.length];

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
     * Finds the flow of a packet from (src) to (dst), in either direction; null when absent.
     *
     * @param hash the symmetric flow hash of the key (the decoder's {@code flowHash})
     */
    public Flow find(
        final int hash, final int protocol,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        return find(hash, protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, 0);
    }

    /**
     * Finds the flow of a packet from (src) to (dst) inside the tunnels {@code tunnelKey} names, in
     * either direction; null when absent.
     *
     * @param hash      the symmetric flow hash of the key (the decoder's {@code flowHash})
     * @param tunnelKey the frame's {@code tunnelKey}: 0 untunnelled
     */
    public Flow find(
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
            final int slotTag = tags[i];
            if (slotTag == 0)
            {
                return null;
            }
            if (slotTag == tag)
            {
                final Flow f = slotFlows[i];
                if (f.protocol == protocol && f.aLo == aLo && f.bLo == bLo && f.aPort == aPort && f.bPort == bPort &&
                    f.aHi == aHi && f.bHi == bHi && f.tunnelKey == tunnelKey)
                {
                    return f;
                }
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * The flow in the home slot of {@code hash}, or null: a guess at the flow of a packet (it may be
     * another flow, or the packet's flow may sit further along), read only to load its lines early.
     */
    public Flow likelyFlow(final int hash)
    {
        return slotFlows[home(hash)];
    }

    /**
     * Adds a new, reset flow for the given key. It is not filed in any timer until
     * {@link #schedule}. The caller must make room first when {@link #isFull()}.
     *
     * @param hash the symmetric flow hash of the key
     */
    public Flow insert(
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
    public Flow insert(
        final int hash, final int protocol, final int ipVersion,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort,
        final long tunnelKey)
    {
        if (size >= maxFlows)
        {
            throw new IllegalStateException("flow table full (" + maxFlows + "): evict before inserting");
        }
        final Flow f = allocate();
        f.reset();
        f.hash = hash;
        f.protocol = protocol;
        f.ipVersion = ipVersion;
        f.tunnelKey = tunnelKey;
        final boolean srcFirst = endpointLess(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        f.aHi = srcFirst ? srcHi : dstHi;
        f.aLo = srcFirst ? srcLo : dstLo;
        f.aPort = srcFirst ? srcPort : dstPort;
        f.bHi = srcFirst ? dstHi : srcHi;
        f.bLo = srcFirst ? dstLo : srcLo;
        f.bPort = srcFirst ? dstPort : srcPort;

        int i = home(hash);
        while (tags[i] != 0)
        {
            i = (i + 1) & mask;
        }
        tags[i] = tag(hash);
        slotFlows[i] = f;
        f.inUse = true;
        f.timerList = NONE;
        size++;
        return f;
    }

    /** Removes the flow from the table and its timer, and returns its storage to the pool. */
    public void remove(final Flow f)
    {
        if (!f.inUse)
        {
            return;
        }
        int i = home(f.hash);
        while (slotFlows[i] != f)
        {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion keeps probe chains intact without tombstones; each entry's home
        // comes from the hash stored in its slot.
        int hole = i;
        int j = (i + 1) & mask;
        int entry;
        while ((entry = tags[j]) != 0)
        {
            final int home = homeOfTag(entry);
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                tags[hole] = entry;
                slotFlows[hole] = slotFlows[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        tags[hole] = 0;
        slotFlows[hole] = null;
        unlink(f);
        f.releaseBorrowed();
        f.inUse = false;
        size--;
        freeList[freeCount++] = f.index;
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
    public void schedule(final Flow f, final long expiresNanos, final boolean closed)
    {
        f.expiresNanos = expiresNanos;
        final int list = f.timerList;
        if (closed)
        {
            if (list != closedList || tail[closedList] != f.index)
            {
                unlink(f);
                append(closedList, f);
            }
            return;
        }
        if (expiresNanos == Long.MAX_VALUE)
        {
            if (list != untimedList)
            {
                unlink(f);
                append(untimedList, f);
            }
            return;
        }
        final long tick = expiresNanos >> tickShift;
        if (list >= 0 && list < buckets && tick >= f.filedTick)
        {
            return;
        }
        unlink(f);
        file(f, tick);
    }

    /**
     * The next flow idle at {@code nowNanos} (expiry before it), taken out of its timer, or null when
     * there is none due: call until null, removing each flow returned. Buckets wholly before the
     * present tick are swept; the flows in them that were seen since are filed again.
     */
    public Flow nextExpired(final long nowNanos)
    {
        final int closedHead = head[closedList];
        if (closedHead != NONE && pool[closedHead].expiresNanos < nowNanos)
        {
            final Flow f = pool[closedHead];
            unlink(f);
            return f;
        }
        while (true)
        {
            while (detached != NONE)
            {
                final Flow f = pool[detached];
                detached = next[detached];
                f.timerList = NONE;
                if (f.expiresNanos < nowNanos)
                {
                    return f;
                }
                file(f, f.expiresNanos >> tickShift);
            }
            final long due = (nowNanos >> tickShift) - 1;
            if (sweptTick == Long.MIN_VALUE)
            {
                sweptTick = earliestFiledTick == Long.MAX_VALUE ? due : Math.min(due, earliestFiledTick - 1);
            }
            if (sweptTick >= due)
            {
                return null;
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
     * flow without time stamps. Null when the table is empty. The flow stays in the table.
     */
    public Flow evictionCandidate()
    {
        if (head[closedList] != NONE)
        {
            return pool[head[closedList]];
        }
        final long from = sweptTick == Long.MIN_VALUE ? earliestFiledTick : sweptTick + 1;
        for (int k = 0; k < buckets; k++)
        {
            int i = head[(int)((from + k) & (buckets - 1))];
            if (i == NONE)
            {
                continue;
            }
            Flow best = pool[i];
            for (int seen = 1; seen < EVICTION_CANDIDATES && (i = next[i]) != NONE; seen++)
            {
                if (pool[i].expiresNanos < best.expiresNanos)
                {
                    best = pool[i];
                }
            }
            return best;
        }
        return head[untimedList] == NONE ? null : pool[head[untimedList]];
    }

    /**
     * Some flow still in the table, or null when it is empty: for emptying the table at the end
     * (call until null, removing each flow returned). The order says nothing.
     */
    public Flow nextRemaining()
    {
        if (size == 0)
        {
            remainingCursor = 0;
            return null;
        }
        for (; remainingCursor <= untimedList; remainingCursor++)
        {
            if (head[remainingCursor] != NONE)
            {
                return pool[head[remainingCursor]];
            }
        }
        // Flows inserted but never scheduled are in no list: look for them in the slots.
        for (final Flow f : slotFlows)
        {
            if (f != null)
            {
                return f;
            }
        }
        throw new IllegalStateException("flow table size " + size + " but no flow found");
    }

    private void file(final Flow f, final long expiryTick)
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
        f.filedTick = tick;
        append((int)(tick & (buckets - 1)), f);
    }

    private void append(final int list, final Flow f)
    {
        final int idx = f.index;
        f.timerList = list;
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

    private void unlink(final Flow f)
    {
        final int list = f.timerList;
        if (list == NONE)
        {
            return;
        }
        final int idx = f.index;
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
        f.timerList = NONE;
    }

    private Flow allocate()
    {
        if (freeCount > 0)
        {
            return pool[freeList[--freeCount]];
        }
        if (poolSize == pool.length)
        {
            final int grown = (int)Math.min(maxFlows, Math.max(16L, pool.length * 2L));
            pool = Arrays.copyOf(pool, grown);
            freeList = Arrays.copyOf(freeList, grown);
            next = Arrays.copyOf(next, grown);
            prev = Arrays.copyOf(prev, grown);
        }
        final Flow f = new Flow();
        f.index = poolSize;
        pool[poolSize++] = f;
        return f;
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
