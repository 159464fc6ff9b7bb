package io.linerate.aggregate.flow;

import io.linerate.decode.FlowHash;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowTableTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void bothDirectionsFindTheSameFlow()
    {
        final FlowTable t = new FlowTable(16);
        final int f = insert(t, 6, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80);
        assertEquals(f, find(t, 6, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80));
        assertEquals(f, find(t, 6, 0, 0x0A000002L, 80, 0, 0x0A000001L, 40000));
        assertEquals(-1, find(t, 17, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80), "another protocol is another flow");
        assertEquals(-1, find(t, 6, 0, 0x0A000001L, 40001, 0, 0x0A000002L, 80));
        assertEquals(-1, find(t, 6, 1, 0x0A000001L, 40000, 0, 0x0A000002L, 80), "the high 64 bits count");
    }

    @Test
    void theTunnelKeyIsPartOfTheKey()
    {
        // Two tenants' identical inner 5-tuples in two VNIs (the decoder's tunnelKey differs).
        final FlowTable t = new FlowTable(16);
        final int hash = FlowHash.hash(6, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80);
        final int vni42 = t.insert(hash, 6, 4, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80, 0x4242L);
        final int vni43 = t.insert(hash, 6, 4, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80, 0x4343L);

        assertTrue(vni42 != vni43);
        assertEquals(vni42, t.findIndex(hash, 6, 0, 0x0A000002L, 80, 0, 0x0A000001L, 40000, 0x4242L), "the answer");
        assertEquals(vni43, t.findIndex(hash, 6, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80, 0x4343L));
        assertEquals(FlowTable.NONE, t.findIndex(hash, 6, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80, 0), "untunnelled is another flow");
        t.remove(vni42);
        assertEquals(FlowTable.NONE, t.findIndex(hash, 6, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80, 0x4242L));
        assertEquals(vni43, t.findIndex(hash, 6, 0, 0x0A000002L, 80, 0, 0x0A000001L, 40000, 0x4343L));
    }

    @Test
    void keysEqualInTheirFirstLineAreToldApartByTheirWideParts()
    {
        // ::a00:1 and 2001:db8::a00:1 share the low halves and ports: the high halves (line 1 of the
        // record, read when either the record or the probe has one) decide, in both directions.
        final FlowTable t = new FlowTable(16);
        final long hi = 0x20010DB800000000L;
        final int narrow = t.insert(777, 6, 6, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80);
        final int wideSrc = t.insert(777, 6, 6, hi, 0x0A000001L, 40000, 0, 0x0A000002L, 80);
        final int wideDst = t.insert(777, 6, 6, 0, 0x0A000001L, 40000, hi, 0x0A000002L, 80);

        assertEquals(3, List.of(narrow, wideSrc, wideDst).stream().distinct().count());
        assertEquals(narrow, t.findIndex(777, 6, 0, 0x0A000002L, 80, 0, 0x0A000001L, 40000, 0));
        assertEquals(wideSrc, t.findIndex(777, 6, 0, 0x0A000002L, 80, hi, 0x0A000001L, 40000, 0));
        assertEquals(wideDst, t.findIndex(777, 6, hi, 0x0A000002L, 80, 0, 0x0A000001L, 40000, 0));
        t.remove(narrow);
        assertEquals(FlowTable.NONE, t.findIndex(777, 6, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80, 0),
            "only flows with a high half are left: a probe without one finds none");
        assertEquals(FlowTable.NONE, t.findIndex(777, 6, hi, 0x0A000001L, 40000, hi, 0x0A000002L, 80, 0));
        assertEquals(FlowTable.NONE, t.findIndex(777, 17, hi, 0x0A000001L, 40000, 0, 0x0A000002L, 80, 0), "protocol");
    }

    @Test
    void flowsWhoseHashesAreEqualAreToldApartByTheirKeys()
    {
        final FlowTable t = new FlowTable(64);
        final List<Integer> flows = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            // One hash for all: every probe passes the fingerprint and must compare the key.
            flows.add(t.insert(12345, 17, 4, 0, 0x0A000000L + i, 1000, 0, 0x0B000000L, 53));
        }
        for (int i = 0; i < 40; i += 3)
        {
            t.remove(flows.get(i));
        }
        for (int i = 0; i < 40; i++)
        {
            final int found = t.findIndex(12345, 17, 0, 0x0B000000L, 53, 0, 0x0A000000L + i, 1000, 0);
            assertEquals(i % 3 == 0 ? -1 : flows.get(i), found, "flow " + i);
        }
    }

    @Test
    void removingKeepsEveryOtherFlowFindable()
    {
        final int n = 5000;
        final FlowTable t = new FlowTable(n);
        final List<Integer> flows = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            flows.add(insert(t, 17, 0, 0x0A000000L + (i % 7), 1000 + i, 0, 0x0B000000L, 53));
        }
        assertTrue(t.isFull());
        assertThrows(IllegalStateException.class, () -> insert(t, 17, 0, 1, 1, 0, 2, 2));
        for (int i = 0; i < n; i += 2)
        {
            t.remove(flows.get(i));
        }
        assertEquals(n / 2, t.size());
        for (int i = 0; i < n; i++)
        {
            final int found = find(t, 17, 0, 0x0B000000L, 53, 0, 0x0A000000L + (i % 7), 1000 + i);
            if (i % 2 == 0)
            {
                assertEquals(-1, found, "removed " + i);
            }
            else
            {
                assertEquals(flows.get(i), found, "kept " + i);
            }
        }
    }

    @Test
    void theSlotsGrowWithTheFlowsAndEveryFlowStaysFindable()
    {
        final int n = 100_000;
        final FlowTable t = new FlowTable(1_000_000);
        assertEquals(FlowTable.INITIAL_SLOTS, t.slotCount(), "a table starts small whatever its cap");
        final List<Integer> flows = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            flows.add(insert(t, 6, 0, 0x0A000000L + i, 1000 + (i & 0x7FFF), 0, 0x0B000000L, 443));
            assertTrue(t.slotCount() >= 2 * t.size(), "at most half full: " + t.size() + " in " + t.slotCount());
        }
        assertEquals(262_144, t.slotCount(), "the power of two at least twice the flows");
        for (int i = 0; i < n; i += 3)
        {
            t.remove(flows.get(i));
        }
        for (int i = 0; i < n; i++)
        {
            final int found = find(t, 6, 0, 0x0B000000L, 443, 0, 0x0A000000L + i, 1000 + (i & 0x7FFF));
            assertEquals(i % 3 == 0 ? -1 : flows.get(i), found, "flow " + i);
        }
    }

    @Test
    void theSlotsStopGrowingAtTwiceTheCap()
    {
        final int cap = 5_000;
        final FlowTable t = new FlowTable(cap);
        for (int i = 0; i < cap; i++)
        {
            udp(t, i);
        }
        assertTrue(t.isFull());
        assertEquals(16_384, t.slotCount(), "the cap's slots, as a table made at its full size had");
    }

    @Test
    void aFlowExpiresOnceItsTimeoutHasPassedAndNotBefore()
    {
        final FlowTable t = new FlowTable(16, 10 * SECOND, 300 * SECOND);
        final int quiet = udp(t, 1);
        final int busy = udp(t, 2);
        t.schedule(quiet, 100 * SECOND + 60 * SECOND, false);
        t.schedule(busy, 100 * SECOND + 60 * SECOND, false);
        assertEquals(FlowTable.NONE, t.nextExpired(100 * SECOND));
        // Seen again: only its expiry moves.
        t.schedule(busy, 150 * SECOND + 60 * SECOND, false);
        assertEquals(FlowTable.NONE, t.nextExpired(160 * SECOND), "not yet past the timeout");
        // A tick of these timers is at most 10 s / 64: one second later every bucket of 160 s is swept.
        assertEquals(quiet, t.nextExpired(161 * SECOND));
        t.remove(quiet);
        assertEquals(FlowTable.NONE, t.nextExpired(161 * SECOND), "the busy flow was filed again");
        assertEquals(busy, t.nextExpired(211 * SECOND));
        t.remove(busy);
        assertEquals(0, t.size());
    }

    @Test
    void aShorterTimeoutRefilesTheFlowAtOnce()
    {
        final FlowTable t = new FlowTable(16, 10 * SECOND, 300 * SECOND);
        final int f = udp(t, 1);
        t.schedule(f, 300 * SECOND, false);
        t.schedule(f, 20 * SECOND, false);
        assertEquals(f, t.nextExpired(21 * SECOND));
    }

    @Test
    void closedConnectionsExpireInClosingOrderAndAreEvictedFirst()
    {
        final FlowTable t = new FlowTable(3, 10 * SECOND, 300 * SECOND);
        final int open = udp(t, 1);
        final int first = udp(t, 2);
        final int second = udp(t, 3);
        t.schedule(open, 5 * SECOND, false);
        t.schedule(first, 30 * SECOND, true);
        t.schedule(second, 31 * SECOND, true);
        assertEquals(first, t.evictionCandidate(), "a closed connection before one nearer its timeout");
        // A late packet after the close puts the flow at the end of the closing order.
        t.schedule(first, 32 * SECOND, true);
        assertEquals(second, t.evictionCandidate());
        assertEquals(second, t.nextExpired(31 * SECOND + 1));
        t.remove(second);
        assertEquals(open, t.nextExpired(31 * SECOND + 1));
        t.remove(open);
        assertEquals(FlowTable.NONE, t.nextExpired(31 * SECOND + 1));
        assertEquals(first, t.nextExpired(32 * SECOND + 1));
    }

    @Test
    void theEvictionCandidateIsTheOpenFlowNearestItsTimeout()
    {
        final FlowTable t = new FlowTable(8, 60 * SECOND, 60 * SECOND);
        final int a = udp(t, 1);
        final int b = udp(t, 2);
        final int c = udp(t, 3);
        t.schedule(a, 60 * SECOND + 2, false);
        t.schedule(b, 60 * SECOND + 1, false);
        t.schedule(c, 60 * SECOND + 3, false);
        assertEquals(b, t.evictionCandidate(), "three flows in one tick: the earliest expiry");
        t.remove(b);
        assertEquals(a, t.evictionCandidate());
    }

    @Test
    void flowsWithoutTimeStampsNeverExpireButAreFlushed()
    {
        final FlowTable t = new FlowTable(8, 60 * SECOND, 60 * SECOND);
        final int untimed = udp(t, 1);
        final int timed = udp(t, 2);
        t.schedule(untimed, Long.MAX_VALUE, false);
        t.schedule(timed, 61 * SECOND, false);
        assertEquals(timed, t.nextExpired(1_000_000 * SECOND), "a jump in time sweeps every bucket once");
        t.remove(timed);
        assertEquals(FlowTable.NONE, t.nextExpired(1_000_000 * SECOND));
        assertEquals(untimed, t.evictionCandidate());
        assertEquals(untimed, t.nextRemaining());
        t.remove(untimed);
        assertEquals(FlowTable.NONE, t.nextRemaining());
    }

    @Test
    void everyFlowComesOutOnceWhenTheTableIsEmptied()
    {
        final FlowTable t = new FlowTable(1000, 30 * SECOND, 300 * SECOND);
        for (int i = 0; i < 1000; i++)
        {
            t.schedule(udp(t, i), (i % 400) * SECOND, i % 3 == 0);
        }
        final Set<Integer> seen = new HashSet<>();
        int f;
        while ((f = t.nextRemaining()) != FlowTable.NONE)
        {
            assertTrue(seen.add(t.header(f).aPort()), "once: " + t.header(f).aPort());
            t.remove(f);
        }
        assertEquals(1000, seen.size());
    }

    @Test
    void farExpiriesAreHeldUntilTheirTimeWhateverTheWheelSpans()
    {
        // A wheel of 128 ticks of 2^23 ns spans about a second; the flow's expiry is an hour out.
        final FlowTable t = new FlowTable(8, 1_000_000_000L, 1_000_000_000L);
        final int f = udp(t, 1);
        t.schedule(f, 3600 * SECOND, false);
        for (long now = 0; now < 3600 * SECOND; now += SECOND / 4)
        {
            assertEquals(FlowTable.NONE, t.nextExpired(now), "at " + now);
        }
        assertEquals(f, t.nextExpired(3600 * SECOND + SECOND));
    }

    private static int udp(final FlowTable t, final int port)
    {
        return insert(t, 17, 0, 0x0A000001L, port, 0, 0x0B000000L, 53);
    }

    /** The flow's index: a flow is an index, and the table lends a cursor over it for a few lookups. */
    private static int insert(final FlowTable t, final int protocol, final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        return t.insert(FlowHash.hash(protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort), protocol, 4,
            srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
    }

    private static int find(final FlowTable t, final int protocol, final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        return t.findIndex(FlowHash.hash(protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort), protocol,
            srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, 0);
    }
}
