package io.linerate.sink.spill;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpillCursorTest
{
    @TempDir
    Path dir;

    @Test
    void readsKeyAndValueInOrder() throws Exception
    {
        try (RecordSpill spill = RecordSpill.open(dir))
        {
            append(spill, 0, 3);
            final SpillCursor cursor = spill.cursor("test");
            assertEquals(List.of("k0=v0", "k1=v1", "k2=v2"), read(cursor, 10));
            assertFalse(cursor.next());
        }
    }

    @Test
    void rewindReadsTheUncommittedRecordsAgain() throws Exception
    {
        try (RecordSpill spill = RecordSpill.open(dir))
        {
            append(spill, 0, 4);
            final SpillCursor cursor = spill.cursor("test");
            read(cursor, 2);
            cursor.commit();
            read(cursor, 2);
            cursor.rewind();
            assertEquals(List.of("k2=v2", "k3=v3"), read(cursor, 10));
        }
    }

    @Test
    void aRestartResumesAfterTheLastCommitNotAfterTheLastRead() throws Exception
    {
        try (RecordSpill spill = RecordSpill.open(dir))
        {
            append(spill, 0, 5);
            final SpillCursor cursor = spill.cursor("test");
            read(cursor, 2);
            cursor.commit();
            read(cursor, 2); // read, never acknowledged: the process "dies" here
        }
        try (RecordSpill spill = RecordSpill.open(dir))
        {
            final SpillCursor cursor = spill.cursor("test");
            assertEquals(3, spill.countUncommitted(cursor));
            assertEquals(List.of("k2=v2", "k3=v3", "k4=v4"), read(cursor, 10));
            assertEquals(0, spill.countUncommitted(spill.cursor("other")) - 5);
        }
    }

    @Test
    void fullyCommittedCursorSeesOnlyNewRecordsAfterRestartAndRewind() throws Exception
    {
        try (RecordSpill spill = RecordSpill.open(dir))
        {
            append(spill, 0, 3);
            final SpillCursor cursor = spill.cursor("test");
            read(cursor, 10);
            cursor.commit();
            cursor.rewind();
            assertFalse(cursor.next());
        }
        try (RecordSpill spill = RecordSpill.open(dir))
        {
            final SpillCursor cursor = spill.cursor("test");
            assertEquals(0, spill.countUncommitted(cursor));
            assertFalse(cursor.next());
            append(spill, 3, 1);
            assertTrue(cursor.next());
            assertEquals("k3", cursor.key());
        }
    }

    @Test
    void anotherThreadTakesOverACursorMadeOnASpillWithACommittedPosition() throws Exception
    {
        try (RecordSpill spill = RecordSpill.open(dir))
        {
            append(spill, 0, 2);
            final SpillCursor cursor = spill.cursor("test");
            read(cursor, 10);
            cursor.commit();
        }
        try (RecordSpill spill = RecordSpill.open(dir))
        {
            // Made here, on a spill whose committed position is the end: its tailers move on this thread.
            final SpillCursor cursor = spill.cursor("test");
            append(spill, 2, 2);
            final List<String> seen = new ArrayList<>();
            final Throwable[] failure = new Throwable[1];
            final Thread sender = new Thread(() ->
            {
                try
                {
                    cursor.takeOver();
                    seen.addAll(read(cursor, 1));
                    cursor.rewind();
                    seen.addAll(read(cursor, 10));
                    cursor.commit();
                }
                catch (final Throwable t)
                {
                    failure[0] = t;
                }
            });
            sender.start();
            sender.join();
            assertEquals(null, failure[0]);
            assertEquals(List.of("k2=v2", "k2=v2", "k3=v3"), seen);
        }
    }

    @Test
    void aRecordsSizeIsItsUtf8KeyAndValueWithTheirLengthsAndTheBacklogAddsThemUp() throws Exception
    {
        // Key and value sizes on both sides of the stop-bit length boundaries (128, 16384 bytes),
        // with multi-byte UTF-8 characters.
        final String[][] records = {
            {"1:abc=", "{}"},
            {"1:" + "k".repeat(125), "é".repeat(64)},
            {"1:x", "v".repeat(1_500)},
            {"1:y", "€".repeat(6_000)},
        };
        long expectedTotal = 0;
        try (RecordSpill spill = RecordSpill.open(dir))
        {
            final RecordSpill.Writer writer = spill.writer();
            final SpillCursor cursor = spill.cursor("test");
            for (final String[] r : records)
            {
                final long expected = sized(r[0]) + sized(r[1]);
                assertEquals(expected, writer.append(r[0], r[1]), r[0]);
                expectedTotal += expected;
            }
            assertEquals(new SpillBacklog(records.length, expectedTotal), spill.backlog(cursor));
            long read = 0;
            for (final String[] r : records)
            {
                assertTrue(cursor.next());
                assertEquals(r[1], cursor.value());
                assertEquals(sized(r[0]) + sized(r[1]), cursor.recordBytes());
                read += cursor.recordBytes();
                if (read == sized(records[0][0]) + sized(records[0][1]))
                {
                    cursor.commit();
                }
            }
            assertEquals(expectedTotal, read);
            assertEquals(new SpillBacklog(records.length - 1, expectedTotal - sized(records[0][0]) - sized(records[0][1])),
                spill.backlog(cursor), "the backlog starts at the committed position");
        }
    }

    /** UTF-8 bytes of {@code s} after their length as a stop-bit number (7 bits a byte). */
    private static long sized(final String s)
    {
        final int utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        int lengthBytes = 1;
        for (int rest = utf8 >>> 7; rest != 0; rest >>>= 7)
        {
            lengthBytes++;
        }
        return lengthBytes + utf8;
    }

    private static void append(final RecordSpill spill, final int from, final int count)
    {
        final RecordSpill.Writer writer = spill.writer();
        for (int i = from; i < from + count; i++)
        {
            writer.append("k" + i, "v" + i);
        }
    }

    private static List<String> read(final SpillCursor cursor, final int max)
    {
        final List<String> out = new ArrayList<>();
        while (out.size() < max && cursor.next())
        {
            out.add(cursor.key() + "=" + cursor.value());
        }
        return out;
    }
}
