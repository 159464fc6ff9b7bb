package io.linerate.ingest.file;

import io.linerate.ingest.os.SystemErrors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The bytes of a capture that arrives as a stream (standard input, a pipe, a decompressor), held in
 * one growable buffer that moves forward as the reader goes: the stream counterpart of
 * {@link MappedWindow}, with the same stream offsets ({@code long}) and accessors, but read once and
 * never backwards.
 *
 * <p>A reader asks for a record to be {@linkplain #fill(long, int) filled}: the buffer then holds it
 * whole, however the stream's reads fell, or as much of it as the stream had before it ended (which
 * the reader reports as truncation, as it would at the end of a file). Bytes before the record being
 * filled are dropped, so memory follows the largest record, not the stream. The buffer grows only as
 * bytes actually arrive, so a damaged length field cannot make it allocate what the stream does not
 * hold.
 *
 * <p>A read error (a decompressor's report of damaged or cut-off data, an I/O error) is thrown as a
 * {@link CaptureFileException} at the record being filled, and again on every later call; the bytes
 * read before it stay readable, so every record before the damage is still returned.
 */
final class StreamWindow
{
    /** Starting size of the buffer; it grows (doubling) for larger records. */
    static final int INITIAL_SIZE = 1 << 20;

    private final Path path;
    private final InputStream in;
    private final Compression compression;
    /**
     * Bytes asked of the stream per read. A decompressor that meets damage throws away what it
     * decompressed in that call, so its reads are kept short: the records lost before damage are
     * at most this many bytes' worth.
     */
    private final int readSize;
    private byte[] bytes;
    private ByteBuffer buffer;
    private ByteOrder order = ByteOrder.BIG_ENDIAN;
    /** Stream offset of {@code bytes[0]}. */
    private long start;
    /** Valid bytes in {@link #bytes}. */
    private int limit;
    private boolean ended;
    private CaptureFileException failure;

    /**
     * @param path        names the stream in messages
     * @param in          the (decompressed) capture bytes, from the first
     * @param compression what {@code in} was decompressed from, {@link Compression#NONE} for none
     */
    StreamWindow(final Path path, final InputStream in, final Compression compression)
    {
        this(path, in, compression, INITIAL_SIZE);
    }

    StreamWindow(final Path path, final InputStream in, final Compression compression, final int initialSize)
    {
        this.path = path;
        this.in = in;
        this.compression = compression;
        this.readSize = compression == Compression.NONE ? 1 << 16 : 1 << 14;
        this.bytes = new byte[initialSize];
        this.buffer = ByteBuffer.wrap(bytes);
    }

    /** What the stream was decompressed from. */
    Compression compression()
    {
        return compression;
    }

    /**
     * Words for offsets in messages: {@code ""} for a plain stream, whose offsets are those of the
     * bytes as they came, else {@code " of the gzip-decompressed stream"}, since the offset is not
     * one in the file a user has.
     */
    String offsetsIn()
    {
        return compression == Compression.NONE ? "" : " of the " + compression.label() + "-decompressed stream";
    }

    ByteOrder order()
    {
        return order;
    }

    void order(final ByteOrder order)
    {
        this.order = order;
        buffer.order(order);
    }

    /**
     * Holds the bytes {@code [position, position + length)}, reading the stream as far as needed;
     * drops what lies before {@code position}, which must not be before an earlier fill's position.
     *
     * @return how many of those bytes the stream had: {@code length}, or fewer at its end
     * @throws CaptureFileException when the stream fails before the bytes arrive
     */
    int fill(final long position, final int length) throws CaptureFileException
    {
        if (position < start)
        {
            throw new IllegalStateException(
                "stream offset " + position + " was dropped already (window at " + start + ")");
        }
        if (position > start + limit)
        {
            if (skipTo(position, position) < position)
            {
                return 0;
            }
        }
        int offset = (int)(position - start);
        if (length <= limit - offset)
        {
            return length;
        }
        if (length > bytes.length - offset)
        {
            // Move the record to the front: what is before it is never read again.
            System.arraycopy(bytes, offset, bytes, 0, limit - offset);
            start = position;
            limit -= offset;
            offset = 0;
        }
        while (limit - offset < length && !ended)
        {
            if (limit == bytes.length)
            {
                grow();
            }
            read(position, Math.min(bytes.length - limit, readSize));
        }
        return Math.min(length, limit - offset);
    }

    /**
     * Reads on, dropping the bytes, to {@code position} (past a block that is not kept).
     *
     * @param recordStart the record being read, for the message of a read error
     * @return the stream offset reached: {@code position}, or less when the stream ended first
     */
    long skipTo(final long recordStart, final long position) throws CaptureFileException
    {
        if (position <= start + limit)
        {
            return position;
        }
        start += limit;
        limit = 0;
        while (start < position && !ended)
        {
            read(recordStart, (int)Math.min(bytes.length, position - start));
            start += limit;
            limit = 0;
        }
        return start;
    }

    /** One read of the stream into the free end of the buffer; sets {@link #ended} at its end. */
    private void read(final long recordStart, final int length) throws CaptureFileException
    {
        if (failure != null)
        {
            throw failure;
        }
        final int n;
        try
        {
            n = in.read(bytes, limit, length);
        }
        catch (final IOException ex)
        {
            failure = readFailure(recordStart, ex);
            throw failure;
        }
        if (n < 0)
        {
            ended = true;
        }
        else
        {
            limit += n;
        }
    }

    private CaptureFileException readFailure(final long recordStart, final IOException ex)
    {
        final long good = start + limit;
        if (compression == Compression.NONE)
        {
            return new CaptureFileException(path, recordStart,
                "cannot read on after byte offset " + good + " (in the record at byte offset " + recordStart + "): " +
                    SystemErrors.reason(ex), ex);
        }
        return new CaptureFileException(path, recordStart,
            compression.label() + " data cut short or damaged in the record at byte offset " + recordStart +
                offsetsIn() + " (" + good + " bytes decompressed): " + SystemErrors.reason(ex), ex);
    }

    /** Doubles the buffer (it is full, and the record being filled needs more). */
    private void grow()
    {
        final byte[] grown = new byte[Math.max(bytes.length, 1) * 2];
        System.arraycopy(bytes, 0, grown, 0, limit);
        bytes = grown;
        buffer = ByteBuffer.wrap(grown).order(order);
    }

    /** Stream offset just past the last byte read. */
    long end()
    {
        return start + limit;
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
        return Byte.toUnsignedInt(bytes[(int)(position - start)]);
    }

    long longAt(final long position)
    {
        return buffer.getLong((int)(position - start));
    }

    /** Copies {@code length} held bytes at {@code position} into {@code destination[0, length)}. */
    void copy(final long position, final byte[] destination, final int length)
    {
        if (length > 0)
        {
            System.arraycopy(bytes, (int)(position - start), destination, 0, length);
        }
    }

    /** Closes the stream (and the decompressor, and what it reads). */
    void close() throws IOException
    {
        in.close();
    }
}
