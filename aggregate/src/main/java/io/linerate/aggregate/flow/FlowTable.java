package io.linerate.aggregate.flow;

import java.util.Arrays;

/**
 * A shard's flows: an open-addressing hash table (linear probing, backward-shift deletion, power of
 * two capacity) over a pool of {@link Flow} objects, plus a least-recently-seen list through the pool
 * for idle timeouts and eviction.
 *
 * <p>The recently-seen order is kept in several lists, one per timeout class (established TCP,
 * half-open, closed, UDP, ...): within a list every flow has the same idle timeout, so its head is
 * always the next to expire, and a long-timeout flow never holds back a short-timeout one.
 *
 * <p>The table has a hard cap ({@code maxFlows}); the pool grows lazily up to it, so a shard that sees
 * few connections holds few objects, and a full table never allocates: the caller evicts the least
 * recently seen flow first. Not thread-safe: one table per shard.
 *
 * <p>Keys are canonical (the lower endpoint first), so both directions of a connection find the
 * same entry.
 */
public final class FlowTable
{
    private static final int EMPTY = -1;

    private final int maxFlows;
    private final int mask;
    private final int[] slots;
    private Flow[] pool;
    private int poolSize;
    private int[] freeList;
    private int freeCount;
    private int size;
    private final int[] lruHead;
    private final int[] lruTail;

    /**
     * @param maxFlows hard cap on concurrent flows in this table
     */
    public FlowTable(final int maxFlows)
    {
        this(maxFlows, 1);
    }

    /**
     * @param maxFlows hard cap on concurrent flows in this table
     * @param lists    number of recently-seen lists (timeout classes)
     */
    public FlowTable(final int maxFlows, final int lists)
    {
        if (lists < 1)
        {
            throw new IllegalArgumentException("lists must be positive: " + lists);
        }
        this.lruHead = new int[lists];
        this.lruTail = new int[lists];
        Arrays.fill(lruHead, -1);
        Arrays.fill(lruTail, -1);
        if (maxFlows < 1)
        {
            throw new IllegalArgumentException("maxFlows must be positive: " + maxFlows);
        }
        this.maxFlows = maxFlows;
        final int capacity = Integer.highestOneBit(Math.max(2, maxFlows) * 2 - 1) << 1;
        this.mask = capacity - 1;
        this.slots = new int[capacity];
        Arrays.fill(slots, EMPTY);
        this.pool = new Flow[Math.min(maxFlows, 1024)];
        this.freeList = new int[pool.length];
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

    /** The least recently seen flow of all lists (by last packet time), or null when empty. */
    public Flow oldest()
    {
        Flow oldest = null;
        for (final int head : lruHead)
        {
            if (head >= 0 && (oldest == null || pool[head].lastNanos < oldest.lastNanos))
            {
                oldest = pool[head];
            }
        }
        return oldest;
    }

    /** The least recently seen flow of one list, or null when that list is empty. */
    public Flow oldest(final int list)
    {
        final int head = lruHead[list];
        return head < 0 ? null : pool[head];
    }

    /** Number of recently-seen lists. */
    public int lists()
    {
        return lruHead.length;
    }

    /** The flow seen just after {@code flow} in its list (towards the most recent), or null. */
    public Flow newer(final Flow flow)
    {
        return flow.lruNext < 0 ? null : pool[flow.lruNext];
    }

    /** Finds the flow of a packet from (src) to (dst), in either direction; null when absent. */
    public Flow find(
        final int protocol,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        final boolean srcFirst = endpointLess(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        final long aHi = srcFirst ? srcHi : dstHi;
        final long aLo = srcFirst ? srcLo : dstLo;
        final int aPort = srcFirst ? srcPort : dstPort;
        final long bHi = srcFirst ? dstHi : srcHi;
        final long bLo = srcFirst ? dstLo : srcLo;
        final int bPort = srcFirst ? dstPort : srcPort;

        int i = hash(protocol, aHi, aLo, aPort, bHi, bLo, bPort) & mask;
        while (true)
        {
            final int idx = slots[i];
            if (idx == EMPTY)
            {
                return null;
            }
            final Flow f = pool[idx];
            if (f.protocol == protocol && f.aLo == aLo && f.bLo == bLo && f.aPort == aPort && f.bPort == bPort &&
                f.aHi == aHi && f.bHi == bHi)
            {
                return f;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Adds a new, reset flow for the given key and makes it the most recent. The caller must make
     * room first when {@link #isFull()}.
     */
    public Flow insert(
        final int protocol, final int ipVersion,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        if (size >= maxFlows)
        {
            throw new IllegalStateException("flow table full (" + maxFlows + "): evict before inserting");
        }
        final Flow f = allocate();
        f.reset();
        f.protocol = protocol;
        f.ipVersion = ipVersion;
        final boolean srcFirst = endpointLess(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        f.aHi = srcFirst ? srcHi : dstHi;
        f.aLo = srcFirst ? srcLo : dstLo;
        f.aPort = srcFirst ? srcPort : dstPort;
        f.bHi = srcFirst ? dstHi : srcHi;
        f.bLo = srcFirst ? dstLo : srcLo;
        f.bPort = srcFirst ? dstPort : srcPort;

        int i = hash(protocol, f.aHi, f.aLo, f.aPort, f.bHi, f.bLo, f.bPort) & mask;
        while (slots[i] != EMPTY)
        {
            i = (i + 1) & mask;
        }
        slots[i] = f.index;
        f.inUse = true;
        size++;
        f.lruList = 0;
        lruAppend(f);
        return f;
    }

    /** Removes the flow from the table and returns its storage to the pool. */
    public void remove(final Flow f)
    {
        if (!f.inUse)
        {
            return;
        }
        int i = hash(f.protocol, f.aHi, f.aLo, f.aPort, f.bHi, f.bLo, f.bPort) & mask;
        while (slots[i] != f.index)
        {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion keeps probe chains intact without tombstones.
        int hole = i;
        int j = (i + 1) & mask;
        while (slots[j] != EMPTY)
        {
            final Flow g = pool[slots[j]];
            final int home = hash(g.protocol, g.aHi, g.aLo, g.aPort, g.bHi, g.bLo, g.bPort) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask))
            {
                slots[hole] = slots[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        slots[hole] = EMPTY;
        lruUnlink(f);
        f.inUse = false;
        size--;
        freeList[freeCount++] = f.index;
    }

    /** Marks the flow as just seen: it moves to the recent end of its list. */
    public void touch(final Flow f)
    {
        touch(f, f.lruList);
    }

    /** Marks the flow as just seen and puts it at the recent end of {@code list}. */
    public void touch(final Flow f, final int list)
    {
        if (f.lruList != list || lruTail[list] != f.index)
        {
            lruUnlink(f);
            f.lruList = list;
            lruAppend(f);
        }
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
        }
        final Flow f = new Flow();
        f.index = poolSize;
        pool[poolSize++] = f;
        return f;
    }

    private void lruAppend(final Flow f)
    {
        final int list = f.lruList;
        f.lruPrev = lruTail[list];
        f.lruNext = -1;
        if (lruTail[list] >= 0)
        {
            pool[lruTail[list]].lruNext = f.index;
        }
        else
        {
            lruHead[list] = f.index;
        }
        lruTail[list] = f.index;
    }

    private void lruUnlink(final Flow f)
    {
        final int list = f.lruList;
        if (f.lruPrev >= 0)
        {
            pool[f.lruPrev].lruNext = f.lruNext;
        }
        else
        {
            lruHead[list] = f.lruNext;
        }
        if (f.lruNext >= 0)
        {
            pool[f.lruNext].lruPrev = f.lruPrev;
        }
        else
        {
            lruTail[list] = f.lruPrev;
        }
        f.lruPrev = f.lruNext = -1;
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

    private static int hash(
        final int protocol, final long aHi, final long aLo, final int aPort, final long bHi, final long bLo, final int bPort)
    {
        long h = protocol * 0x9E3779B97F4A7C15L;
        h = (h ^ aHi) * 0xBF58476D1CE4E5B9L;
        h = (h ^ aLo) * 0x94D049BB133111EBL;
        h = (h ^ bHi) * 0xBF58476D1CE4E5B9L;
        h = (h ^ bLo) * 0x94D049BB133111EBL;
        h = (h ^ (((long)aPort << 16) | bPort)) * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 31) ^ (h >>> 47));
    }
}
