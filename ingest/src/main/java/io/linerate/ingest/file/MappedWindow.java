package io.linerate.ingest.file;

import org.agrona.BufferUtil;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A read-only memory mapping of one stretch of a capture file, moved forward as the reader goes, so
 * a file larger than memory (and than the 2 GiB a single buffer can address) streams through a
 * fixed amount of address space.
 *
 * <p>All positions are file offsets ({@code long}). Before reading a record the reader asks for it to
 * be {@linkplain #cover(long, int) covered}; when the record would cross the end of the window, a
 * new window is mapped starting at the record, of the configured size or of the record's size if
 * that is larger. A window that is replaced is unmapped at once (Agrona's {@link BufferUtil#free}, the
 * JDK's own early free of a direct buffer): left to the garbage collector, the windows of a
 * whole replay stayed mapped until the end (a collector with little to do rarely runs), so the
 * process's resident size grew by the size of the file for every thread that read it (5.1 GB for
 * two threads over a 2.1 GB capture). No view of a window leaves this class (every accessor copies),
 * so nothing can touch an unmapped one. Where the JVM does not offer the call (it needs
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}, which the launcher, the jar's manifest
 * and the tests give, as the flow slab's Agrona buffers need it too), the window is only dropped, as
 * before. Not thread-safe: a window belongs to one reader, read and closed on one
 * thread (unmapping it under another thread's read would fault, not throw).
 *
 * <p>Multi-byte fields are read in the current {@linkplain #order(ByteOrder) byte order} (the pcap
 * header's or the pcapng section's).
 */
final class MappedWindow
{
    /** Bytes mapped at a time: large enough that remapping is rare, small next to the address space. */
    static final int DEFAULT_SIZE = 64 * 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final int size;
    private ByteOrder order = ByteOrder.BIG_ENDIAN;
    private MappedByteBuffer buffer;
    /** File offset of buffer index 0; start > end while nothing is mapped, so every cover maps. */
    private long start = Long.MAX_VALUE;
    private long end = Long.MIN_VALUE;

    /**
     * @param path     the file, for error messages
     * @param channel  open for reading
     * @param fileSize bytes in the file, fixed for the life of the reader
     * @param size     bytes to map at a time
     */
    MappedWindow(final Path path, final FileChannel channel, final long fileSize, final int size)
    {
        if (size < 1)
        {
            throw new IllegalArgumentException("window size must be positive: " + size);
        }
        this.path = path;
        this.channel = channel;
        this.fileSize = fileSize;
        this.size = size;
    }

    long fileSize()
    {
        return fileSize;
    }

    /** Bytes mapped at a time (a record larger than this gets a window of its own size). */
    int size()
    {
        return size;
    }

    ByteOrder order()
    {
        return order;
    }

    void order(final ByteOrder order)
    {
        this.order = order;
        if (buffer != null)
        {
            buffer.order(order);
        }
    }

    /**
     * Makes the bytes {@code [position, position + length)} readable; the caller has checked that
     * they lie inside the file.
     */
    void cover(final long position, final int length) throws CaptureFileException
    {
        if (position < start || position + length > end)
        {
            remap(position, length);
        }
    }

    private void remap(final long position, final int length) throws CaptureFileException
    {
        if (position < 0 || length < 0 || length > fileSize - position)
        {
            throw new IllegalStateException(
                "bytes " + position + "+" + length + " lie outside the file of " + fileSize + " bytes");
        }
        final long mapLength = Math.min(Math.max(size, length), fileSize - position);
        // Drop the old window first, so a failed map does not leave a stale range looking valid.
        release();
        final MappedByteBuffer mapped;
        try
        {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, position, mapLength);
        }
        catch (final IOException ex)
        {
            throw new CaptureFileException(
                path, position, "cannot map " + mapLength + " bytes at byte offset " + position + ": " + ex, ex);
        }
        mapped.order(order);
        buffer = mapped;
        start = position;
        end = position + mapLength;
    }

    int intAt(final long position)
    {
        return buffer.getInt((int)(position - start));
    }

    long unsignedIntAt(final long position)
    {
        return Integer.toUnsignedLong(buffer.getInt((int)(position - start)));
    }

    int unsignedShortAt(final long position)
    {
        return Short.toUnsignedInt(buffer.getShort((int)(position - start)));
    }

    int unsignedByteAt(final long position)
    {
        return Byte.toUnsignedInt(buffer.get((int)(position - start)));
    }

    long longAt(final long position)
    {
        return buffer.getLong((int)(position - start));
    }

    /** Copies {@code length} covered bytes at {@code position} into {@code destination[0, length)}. */
    void copy(final long position, final byte[] destination, final int length)
    {
        if (length > 0)
        {
            buffer.get((int)(position - start), destination, 0, length);
        }
    }

    /** Unmaps the window; the next {@link #cover(long, int)} maps again. */
    void release()
    {
        final MappedByteBuffer old = buffer;
        buffer = null;
        start = Long.MAX_VALUE;
        end = Long.MIN_VALUE;
        try
        {
            BufferUtil.free(old); // nothing for null
        }
        catch (final LinkageError ex)
        {
            // The JDK's Unsafe is not exported to us: the collector frees it later, as it always did.
        }
    }
}
