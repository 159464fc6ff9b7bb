package io.linerate.sink.spill;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The durable spill in front of an output that can fail (Kafka): a Chronicle Queue in a directory of
 * the user's choosing, written ahead of any send. Each excerpt is one record: its key (the
 * {@code community_id}) and its value (the {@code linerate.flow/1} JSON), both UTF-8.
 *
 * <p>Writers take one {@link Writer} per thread (Chronicle appenders belong to one thread); the
 * reader is a {@link SpillCursor} whose committed position survives a restart, so whatever was not
 * acknowledged when the process stopped (or was killed) is read again by the next run.
 *
 * <p>A new spill rolls to a new cycle file every hour ({@link RollCycles#FAST_HOURLY}; an existing
 * spill keeps the cycle it was created with). Chronicle Queue never deletes old cycle files:
 * {@link #applyRetention} does, by size and age ({@link SpillRetention}), and only whole cycles that
 * a cursor has already committed past, so an unsent record is never deleted.
 */
public final class RecordSpill implements AutoCloseable
{
    static
    {
        // Chronicle otherwise starts a usage-analytics client on first use.
        if (System.getProperty("chronicle.analytics.disable") == null)
        {
            System.setProperty("chronicle.analytics.disable", "true");
        }
    }

    /** A cycle file's name ends with this. */
    static final String CYCLE_FILE_SUFFIX = ".cq4";

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final SpillRetention retention;
    private final DateTimeFormatter cycleFileName;

    private RecordSpill(final Path directory, final SingleChronicleQueue queue, final SpillRetention retention)
    {
        this.directory = directory;
        this.queue = queue;
        this.retention = retention;
        cycleFileName = DateTimeFormatter.ofPattern(queue.rollCycle().format()).withZone(ZoneOffset.UTC);
    }

    /** Opens (or creates) the spill in {@code directory}, keeping everything ({@link SpillRetention#UNLIMITED}). */
    public static RecordSpill open(final Path directory) throws IOException
    {
        return open(directory, SpillRetention.UNLIMITED);
    }

    /** Opens (or creates) the spill in {@code directory} with the limits {@link #applyRetention} keeps to. */
    public static RecordSpill open(final Path directory, final SpillRetention retention) throws IOException
    {
        return open(directory, retention, RollCycles.FAST_HOURLY, SystemTimeProvider.INSTANCE);
    }

    /** As {@link #open(Path, SpillRetention)}, with the roll cycle and clock given (tests). */
    static RecordSpill open(final Path directory, final SpillRetention retention, final RollCycle rollCycle,
        final TimeProvider clock) throws IOException
    {
        Files.createDirectories(directory);
        return new RecordSpill(directory,
            SingleChronicleQueueBuilder.binary(directory).rollCycle(rollCycle).timeProvider(clock).build(), retention);
    }

    /**
     * Deletes whole cycle files, oldest first, while the spill is larger than the retention's bytes
     * or the cycle ended longer ago than its age, but only cycles that {@code slowest} (the slowest
     * cursor) has committed past, and never the cycle being written. Returns the files deleted.
     *
     * @param slowest the cursor whose committed position bounds what may go
     * @throws IOException when a file cannot be measured or deleted
     */
    public int applyRetention(final SpillCursor slowest) throws IOException
    {
        final long committedIndex = slowest.committedIndex();
        if (committedIndex == 0 || retention.equals(SpillRetention.UNLIMITED))
        {
            return 0;
        }
        final RollCycle rollCycle = queue.rollCycle();
        // Cycles before the committed one were read to their end; the writer's cycle is never deleted.
        final int firstKept = Math.min(rollCycle.toCycle(committedIndex), queue.cycle());
        final int firstCycle = queue.firstCycle();
        if (firstCycle == Integer.MAX_VALUE || firstCycle >= firstKept)
        {
            return 0;
        }
        long bytes = 0;
        try (var files = Files.list(directory))
        {
            for (final Path f : (Iterable<Path>)files::iterator)
            {
                if (f.getFileName().toString().endsWith(CYCLE_FILE_SUFFIX))
                {
                    bytes += Files.size(f);
                }
            }
        }
        final long now = queue.time().currentTimeMillis();
        int deleted = 0;
        for (final long cycle : queue.listCyclesBetween(firstCycle, firstKept - 1))
        {
            final long cycleEndMillis = (cycle + 1) * rollCycle.lengthInMillis();
            final boolean tooBig = bytes > retention.maxBytes();
            final boolean tooOld = now - cycleEndMillis > retention.maxAge().toMillis();
            if (!tooBig && !tooOld)
            {
                break;
            }
            final Path file = directory.resolve(
                cycleFileName.format(Instant.ofEpochMilli(cycle * rollCycle.lengthInMillis())) + CYCLE_FILE_SUFFIX);
            if (Files.exists(file))
            {
                final long size = Files.size(file);
                Files.delete(file);
                bytes -= size;
                deleted++;
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    /** The spill's directory. */
    public Path directory()
    {
        return directory;
    }

    /** A writer for the calling thread; use it from that thread only. */
    public Writer writer()
    {
        return new Writer(queue.createAppender());
    }

    /**
     * The cursor named {@code name}: it starts where the last cursor of that name committed, in this
     * process or an earlier one.
     */
    public SpillCursor cursor(final String name)
    {
        return new SpillCursor(queue.createTailer(name), queue.createTailer());
    }

    /** Counts the records after {@code cursor}'s committed position (reads through them: use at start or end). */
    public long countUncommitted(final SpillCursor cursor)
    {
        return backlog(cursor).records();
    }

    /**
     * The records after {@code cursor}'s committed position and their size in the spill (see
     * {@link Writer#append}); reads through them: use at start or end.
     */
    public SpillBacklog backlog(final SpillCursor cursor)
    {
        final ExcerptTailer scan = queue.createTailer();
        if (!cursor.positionAtCommitted(scan))
        {
            return new SpillBacklog(0, 0);
        }
        long records = 0;
        long bytes = 0;
        while (true)
        {
            try (DocumentContext dc = scan.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return new SpillBacklog(records, bytes);
                }
                records++;
                bytes += dc.wire().bytes().readRemaining();
            }
        }
    }

    @Override
    public void close()
    {
        queue.close();
    }

    /** Appends records for one thread. */
    public static final class Writer
    {
        private final ExcerptAppender appender;

        private Writer(final ExcerptAppender appender)
        {
            this.appender = appender;
        }

        /**
         * Appends one record; throws when the spill cannot be written (disk full). Returns the
         * record's size in the spill: key and value in UTF-8, each after its length (a stop-bit
         * encoded number, 1 to 3 bytes for a record), without Chronicle's 4-byte excerpt header.
         * {@link SpillCursor#recordBytes()} reports the same size when the record is read.
         */
        public long append(final CharSequence key, final CharSequence value)
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                final Bytes<?> bytes = dc.wire().bytes();
                final long start = bytes.writePosition();
                bytes.writeUtf8(key);
                bytes.writeUtf8(value);
                return bytes.writePosition() - start;
            }
        }
    }
}
