package io.linerate.sink.jsonl;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.ingest.os.SystemErrors;
import io.linerate.sink.record.FlowRecordEncoder;
import io.linerate.sink.record.JsonBuffer;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --out jsonl:PATH}: flow records as JSON lines in a file, or on standard output for {@code -}.
 * Each shard writes through its own {@link #listener()}, which encodes into a private buffer and
 * hands whole lines to the shared stream at the end of a batch, so records of different shards never
 * interleave inside a line.
 */
public final class JsonLinesOutput implements AutoCloseable
{
    private static final int FLUSH_THRESHOLD = 64 * 1024;

    private final OutputStream out;
    /** How messages name the output: its path, or standard output. */
    private final String name;
    private final String sensor;
    private final boolean closeStream;
    private long records;
    private IOException failure;

    private JsonLinesOutput(final OutputStream out, final String name, final String sensor, final boolean closeStream)
    {
        this.out = out;
        this.name = name;
        this.sensor = sensor;
        this.closeStream = closeStream;
    }

    /**
     * Opens {@code target}: a path, or {@code -} for standard output.
     *
     * @throws IOException saying the path and the operating system's reason ({@code permission denied},
     *     {@code is a directory}), not only the path the JDK's exception carries
     */
    public static JsonLinesOutput open(final String target, final String sensor) throws IOException
    {
        if ("-".equals(target))
        {
            return new JsonLinesOutput(new FileOutputStream(java.io.FileDescriptor.out), "standard output", sensor,
                false);
        }
        final Path path = Path.of(target);
        try
        {
            final Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent))
            {
                Files.createDirectories(parent);
            }
            return new JsonLinesOutput(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16), target, sensor,
                true);
        }
        catch (final IOException ex)
        {
            throw new IOException(SystemErrors.describe(target, ex), ex);
        }
    }

    /** A listener for one shard thread. */
    public FlowRecordListener listener()
    {
        return new ShardWriter();
    }

    /** Records written so far. */
    public synchronized long records()
    {
        return records;
    }

    private synchronized void write(final JsonBuffer lines, final int count)
    {
        if (failure != null)
        {
            return;
        }
        try
        {
            lines.writeTo(out);
            out.flush();
            records += count;
        }
        catch (final IOException ex)
        {
            failure = ex;
        }
    }

    @Override
    public synchronized void close() throws IOException
    {
        try
        {
            out.flush();
            if (closeStream)
            {
                out.close();
            }
        }
        catch (final IOException ex)
        {
            if (failure == null)
            {
                failure = ex;
            }
        }
        if (failure != null)
        {
            throw new IOException(SystemErrors.describe(name, failure) + " (" + records + " records written before)",
                failure);
        }
    }

    private final class ShardWriter implements FlowRecordListener
    {
        private final FlowRecordEncoder encoder = new FlowRecordEncoder(sensor);
        private final JsonBuffer buffer = new JsonBuffer(FLUSH_THRESHOLD * 2);
        private int lines;

        @Override
        public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
        {
            // The lines already here are whole: a record that fails half-way must not leave its
            // start for the next one to follow on the same line.
            final int whole = buffer.length();
            try
            {
                encoder.encode(buffer, flow, isFinal, endReason).ascii('\n');
            }
            catch (final RuntimeException ex)
            {
                buffer.truncate(whole);
                throw ex;
            }
            lines++;
            if (buffer.length() >= FLUSH_THRESHOLD)
            {
                onEndOfBatch();
            }
        }

        @Override
        public void onEndOfBatch()
        {
            if (lines > 0)
            {
                write(buffer, lines);
                buffer.clear();
                lines = 0;
            }
        }
    }

    /** Rethrows a write failure (disk full, closed pipe) as unchecked, for callers that poll. */
    public synchronized void checkHealthy()
    {
        if (failure != null)
        {
            throw new UncheckedIOException(failure);
        }
    }
}
