package io.linerate.ops.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeline stays bounded however long the run, and keeps every packet it was given. */
class TimelineTest
{
    @Test
    void aYearOfConnectionsStaysBoundedAndKeepsItsCounts()
    {
        final Timeline t = new Timeline();
        final long second = 1_000_000_000L;
        long packets = 0;
        for (int day = 0; day < 365; day++)
        {
            final long start = 1_700_000_000L * second + day * 86_400 * second;
            t.add(start, start + 3 * second, 10, 6, 1);
            t.add(start + 5 * second, start + 5 * second, 1, 0, 0);
            packets += 11;
        }
        // One connection that lasted the whole year.
        t.add(1_700_000_000L * second, (1_700_000_000L + 365 * 86_400) * second, 1_000, 500, 5);
        packets += 1_000;
        final double[][] rows = t.rows();
        assertTrue(rows.length <= Timeline.MAX_BUCKETS, rows.length + " buckets");
        double sum = 0;
        double retransmitted = 0;
        for (final double[] r : rows)
        {
            sum += r[1];
            retransmitted += r[3];
        }
        assertEquals(packets, sum, 1e-6);
        assertEquals(365 + 5, retransmitted, 1e-6);
        t.coarsen(HtmlReport.TIMELINE_POINTS);
        assertTrue(t.rows().length <= HtmlReport.TIMELINE_POINTS);
    }

    @Test
    void shardsWithDifferentBucketWidthsAddUp()
    {
        final Timeline shortRun = new Timeline();
        shortRun.add(0, 1_000_000, 4, 2, 0);
        final Timeline longRun = new Timeline();
        longRun.add(0, 10_000L * 1_000_000_000L, 100, 50, 10);
        shortRun.addAll(longRun);
        assertEquals(longRun.widthNanos(), shortRun.widthNanos());
        double sum = 0;
        for (final double[] r : shortRun.rows())
        {
            sum += r[1];
        }
        assertEquals(104, sum, 1e-6);
    }
}
