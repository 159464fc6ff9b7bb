package io.linerate.sink.spill;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpillRetentionTest
{
    private static final long HOUR_MS = TimeUnit.HOURS.toMillis(1);

    @TempDir
    Path dir;

    private final SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-01-01T00:10:00Z"));

    @Test
    void oldCyclesGoOnlyOnceTheCursorCommittedPastThem() throws Exception
    {
        try (RecordSpill spill = open(new SpillRetention(Long.MAX_VALUE, Duration.ofHours(2))))
        {
            final SpillCursor cursor = spill.cursor("kafka-sender");
            appendHourly(spill, 5); // cycles 00:00 .. 04:00; the clock is at 04:10
            assertEquals(5, cycleFiles());

            read(cursor, 2);
            assertEquals(0, spill.applyRetention(cursor), "nothing committed yet: nothing goes");

            cursor.commit(); // committed inside the 01:00 cycle: only 00:00 was read to its end
            assertEquals(1, spill.applyRetention(cursor));
            assertEquals(4, cycleFiles());

            read(cursor, 10);
            cursor.commit(); // at the end: every cycle but the one being written is sent
            // 01:00 ended more than two hours before 04:10; 02:00 and 03:00 did not.
            assertEquals(1, spill.applyRetention(cursor));
            assertEquals(3, cycleFiles());
            clock.advanceMillis(HOUR_MS);
            assertEquals(1, spill.applyRetention(cursor), "an hour later, 02:00 is old enough");
            cursor.rewind();
            assertFalse(cursor.next(), "nothing unsent was deleted, nothing is read twice");
        }
    }

    @Test
    void sizeDeletesSentCyclesOldestFirstButNeverUnsentOnes() throws Exception
    {
        try (RecordSpill spill = open(new SpillRetention(1, Duration.ofDays(365))))
        {
            final SpillCursor cursor = spill.cursor("kafka-sender");
            appendHourly(spill, 4);
            read(cursor, 3);
            cursor.commit(); // after k2: inside the 02:00 cycle
            assertEquals(2, spill.applyRetention(cursor), "00:00 and 01:00 are sent; 02:00 may have more");
            assertEquals(2, cycleFiles());
            assertEquals(List.of("k3=v3"), read(cursor, 10)); // read, never committed
        }
        // A restart with the same spill resumes where the cursor committed.
        try (RecordSpill spill = open(new SpillRetention(1, Duration.ofDays(365))))
        {
            final SpillCursor cursor = spill.cursor("kafka-sender");
            assertEquals(List.of("k3=v3"), read(cursor, 10));
        }
    }

    @Test
    void unlimitedKeepsEverything() throws Exception
    {
        try (RecordSpill spill = open(SpillRetention.UNLIMITED))
        {
            final SpillCursor cursor = spill.cursor("kafka-sender");
            appendHourly(spill, 3);
            read(cursor, 10);
            cursor.commit();
            assertEquals(0, spill.applyRetention(cursor));
            assertEquals(3, cycleFiles());
        }
    }

    @Test
    void limitsMustBePositive()
    {
        assertThrows(IllegalArgumentException.class, () -> new SpillRetention(0, Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new SpillRetention(1, Duration.ZERO));
    }

    private RecordSpill open(final SpillRetention retention) throws IOException
    {
        return RecordSpill.open(dir, retention, RollCycles.FAST_HOURLY, clock);
    }

    /** One record per hourly cycle, {@code k0=v0} first; the clock ends in the last cycle. */
    private void appendHourly(final RecordSpill spill, final int cycles)
    {
        final RecordSpill.Writer writer = spill.writer();
        for (int i = 0; i < cycles; i++)
        {
            if (i > 0)
            {
                clock.advanceMillis(HOUR_MS);
            }
            writer.append("k" + i, "v" + i);
        }
    }

    private long cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(RecordSpill.CYCLE_FILE_SUFFIX)).count();
        }
    }

    private static List<String> read(final SpillCursor cursor, final int max)
    {
        final List<String> out = new java.util.ArrayList<>();
        while (out.size() < max && cursor.next())
        {
            out.add(cursor.key() + "=" + cursor.value());
        }
        assertTrue(out.size() <= max);
        return out;
    }
}
