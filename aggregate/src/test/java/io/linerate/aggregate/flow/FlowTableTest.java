package io.linerate.aggregate.flow;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowTableTest
{
    @Test
    void bothDirectionsFindTheSameFlow()
    {
        final FlowTable t = new FlowTable(16);
        final Flow f = t.insert(6, 4, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80);
        assertSame(f, t.find(6, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80));
        assertSame(f, t.find(6, 0, 0x0A000002L, 80, 0, 0x0A000001L, 40000));
        assertNull(t.find(17, 0, 0x0A000001L, 40000, 0, 0x0A000002L, 80), "another protocol is another flow");
        assertNull(t.find(6, 0, 0x0A000001L, 40001, 0, 0x0A000002L, 80));
        assertNull(t.find(6, 1, 0x0A000001L, 40000, 0, 0x0A000002L, 80), "the high 64 bits count");
    }

    @Test
    void removingKeepsEveryOtherFlowFindable()
    {
        final int n = 5000;
        final FlowTable t = new FlowTable(n);
        final List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            flows.add(t.insert(17, 4, 0, 0x0A000000L + (i % 7), 1000 + i, 0, 0x0B000000L, 53));
        }
        assertTrue(t.isFull());
        for (int i = 0; i < n; i += 2)
        {
            t.remove(flows.get(i));
        }
        assertEquals(n / 2, t.size());
        for (int i = 0; i < n; i++)
        {
            final Flow found = t.find(17, 0, 0x0B000000L, 53, 0, 0x0A000000L + (i % 7), 1000 + i);
            if (i % 2 == 0)
            {
                assertNull(found, "removed " + i);
            }
            else
            {
                assertSame(flows.get(i), found, "kept " + i);
            }
        }
    }

    @Test
    void theLeastRecentlySeenComesFirstAndAFullTableRefusesToGrow()
    {
        final FlowTable t = new FlowTable(3);
        final Flow a = t.insert(17, 4, 0, 1, 1, 0, 2, 2);
        final Flow b = t.insert(17, 4, 0, 1, 3, 0, 2, 2);
        final Flow c = t.insert(17, 4, 0, 1, 4, 0, 2, 2);
        t.touch(a);
        assertSame(b, t.oldest());
        assertSame(c, t.newer(b));
        assertSame(a, t.newer(c));
        assertNull(t.newer(a));
        assertThrows(IllegalStateException.class, () -> t.insert(17, 4, 0, 1, 5, 0, 2, 2));
        t.remove(b);
        assertSame(c, t.oldest());
        final Flow d = t.insert(17, 4, 0, 1, 5, 0, 2, 2);
        assertSame(b, d, "the pool reuses the removed flow's storage");
    }

    @Test
    void eachTimeoutClassKeepsItsOwnRecentlySeenOrder()
    {
        final FlowTable t = new FlowTable(8, 2);
        final Flow established = t.insert(6, 4, 0, 1, 1, 0, 2, 80);
        established.lastNanos = 10;
        t.touch(established, 0);
        final Flow closed = t.insert(6, 4, 0, 1, 2, 0, 2, 80);
        closed.lastNanos = 20;
        t.touch(closed, 1);
        final Flow later = t.insert(6, 4, 0, 1, 3, 0, 2, 80);
        later.lastNanos = 30;
        t.touch(later, 0);
        assertSame(established, t.oldest(0));
        assertSame(later, t.newer(established));
        assertSame(closed, t.oldest(1), "a short-timeout flow is not behind a long-timeout one");
        assertSame(established, t.oldest(), "across lists, by last packet time");
        t.touch(established, 1);
        assertSame(later, t.oldest(0));
        assertSame(closed, t.oldest(1));
        assertSame(established, t.newer(closed));
        t.remove(closed);
        assertSame(established, t.oldest(1));
        assertNull(t.newer(established));
    }
}
