package io.linerate.aggregate.tcp;

import io.linerate.aggregate.Connections;
import io.linerate.aggregate.Flow;
import io.linerate.aggregate.flow.FlowTable;
import io.linerate.aggregate.view.RttView;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The record holds a direction's first three RTT samples as count, sum, min and max; from the fourth
 * (or one past its range) a side object takes them. Either way a reader sees what one
 * {@link RttSummary} fed every sample would say.
 */
class SequenceStateRttTest
{
    private static final double[] QUANTILES = {0, 0.01, 0.25, 0.5, 0.66, 0.67, 0.9, 0.99, 1};

    @Test
    void everyCountFromNoneToManyReadsAsOneSummaryWould()
    {
        final SplittableRandom random = new SplittableRandom(20261207);
        for (int n = 0; n <= 40; n++)
        {
            for (int round = 0; round < 20; round++)
            {
                final Connections table = new Connections(new FlowTable(4));
                final Flow flow = table.insert(1, 6, 4, 0, 1, 1000, 0, 2, 80, 0);
                final int index = flow.index();
                final RttSummary expected = new RttSummary();
                for (int i = 0; i < n; i++)
                {
                    // mostly short samples, some equal ones, now and then a huge one (past the record's range)
                    final long micros = random.nextInt(10) == 0 ? random.nextLong(1L << 34) :
                        random.nextInt(4) == 0 ? 250 : random.nextLong(1, 5_000);
                    table.flow(index).c2s().recordRtt(micros);
                    expected.record(micros);
                }
                table.flow(index).c2s().recordRtt(-5);
                assertSame(expected, table.flow(index).c2s().rtt(), n + " samples, round " + round);
                assertEquals(0, table.flow(index).s2c().rtt().count(), "the other direction has none");
            }
        }
    }

    @Test
    void threeShortSamplesStayInTheRecordAndTheFourthTakesASideObject()
    {
        final Connections table = new Connections(new FlowTable(4));
        final int index = table.insert(1, 6, 4, 0, 1, 1000, 0, 2, 80, 0).index();
        for (final long micros : new long[] {300, 100, 200})
        {
            table.flow(index).s2c().recordRtt(micros);
        }
        assertNull(table.extrasIfAny(index), "three samples: the record says all");
        final RttView three = table.flow(index).s2c().rtt();
        assertEquals(200, three.percentileMicros(0.5));
        assertEquals(300, three.percentileMicros(0.99));
        assertEquals(100, three.minMicros());
        table.flow(index).s2c().recordRtt(50);
        assertNotNull(table.extrasIfAny(index), "the fourth sample needs the samples themselves");
        assertEquals(100, table.flow(index).s2c().rtt().percentileMicros(0.5));
        table.remove(index);
        final int again = table.insert(1, 6, 4, 0, 1, 1000, 0, 2, 80, 0).index();
        assertEquals(index, again, "the index is reused");
        assertNull(table.extrasIfAny(again), "a new flow starts without the old one's extras");
        assertEquals(0, table.flow(again).s2c().rtt().count());
    }

    private static void assertSame(final RttSummary expected, final RttView actual, final String what)
    {
        assertEquals(expected.count(), actual.count(), what + ": count");
        assertEquals(expected.minMicros(), actual.minMicros(), what + ": min");
        assertEquals(expected.maxMicros(), actual.maxMicros(), what + ": max");
        assertEquals(expected.meanMicros(), actual.meanMicros(), what + ": mean");
        for (final double q : QUANTILES)
        {
            assertEquals(expected.percentileMicros(q), actual.percentileMicros(q), what + ": quantile " + q);
        }
    }
}
