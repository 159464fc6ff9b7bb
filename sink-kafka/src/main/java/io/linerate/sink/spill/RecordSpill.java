package io.linerate.sink.spill;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The durable spill in front of an output that can fail (Kafka): a Chronicle Queue in a directory of
 * the user's choosing, written ahead of any send. Each excerpt is one record: its key (the
 * {@code community_id}) and its value (the {@code linerate.flow/1} JSON), both UTF-8.
 *
 * <p>Writers take one {@link Writer} per thread (Chronicle appenders belong to one thread); the
 * reader is a {@link SpillCursor} whose committed position survives a restart, so whatever was not
 * acknowledged when the process stopped (or was killed) is read again by the next run.
 *
 * <p>Chronicle Queue never deletes old cycle files; retention is not implemented yet.
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

    private final Path directory;
    private final SingleChronicleQueue queue;

    private RecordSpill(final Path directory, final SingleChronicleQueue queue)
    {
        this.directory = directory;
        this.queue = queue;
    }

    /** Opens (or creates) the spill in {@code directory}. */
    public static RecordSpill open(final Path directory) throws IOException
    {
        Files.createDirectories(directory);
        return new RecordSpill(directory, SingleChronicleQueueBuilder.binary(directory).build());
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
        final ExcerptTailer scan = queue.createTailer();
        if (!cursor.positionAtCommitted(scan))
        {
            return 0;
        }
        long n = 0;
        while (true)
        {
            try (DocumentContext dc = scan.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return n;
                }
                n++;
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

        /** Appends one record; throws when the spill cannot be written (disk full). */
        public void append(final CharSequence key, final CharSequence value)
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().writeUtf8(key);
                dc.wire().bytes().writeUtf8(value);
            }
        }
    }
}
