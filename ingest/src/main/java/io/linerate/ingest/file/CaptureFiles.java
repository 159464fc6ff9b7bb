package io.linerate.ingest.file;

import io.linerate.ingest.os.SystemErrors;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens captures: recognises pcap and pcapng by their first four bytes, whatever the file is called,
 * and returns the reader for the format. A plain file on disk is read through a memory mapping (the
 * fast path); a compressed file (gzip, zstd, lz4, xz, bzip2, by its magic), a pipe, a device and
 * standard input are read as streams.
 */
public final class CaptureFiles
{
    /** The name of standard input on the command line, as tcpdump's {@code -r -}. */
    public static final Path STANDARD_INPUT = Path.of("-");

    private CaptureFiles()
    {
    }

    /**
     * Opens {@code path} as a pcap file (microsecond, nanosecond or modified, either byte order) or a
     * pcapng file, compressed or not, and reads its file header or first section header.
     *
     * @throws CaptureFileException when the file is missing, unreadable, not a capture file, or its
     *     header is damaged; the message says the operating system's reason
     */
    public static CaptureReader open(final Path path) throws CaptureFileException
    {
        return open(path, MappedWindow.DEFAULT_SIZE);
    }

    /**
     * Opens a capture that arrives on {@code in} ({@code path} names it in messages; {@link
     * #STANDARD_INPUT} for standard input), compressed or not, and reads its header. Takes ownership
     * of the stream.
     */
    public static CaptureReader open(final Path path, final InputStream in) throws CaptureFileException
    {
        boolean opened = false;
        try
        {
            final CaptureReader reader = openStream(path, in instanceof BufferedInputStream ? in :
                new BufferedInputStream(in, STREAM_BUFFER_BYTES));
            opened = true;
            return reader;
        }
        finally
        {
            if (!opened)
            {
                closeQuietly(in);
            }
        }
    }

    /** As {@link #open(Path)}, mapping {@code windowSize} bytes at a time (tests use small windows). */
    static CaptureReader open(final Path path, final int windowSize) throws CaptureFileException
    {
        if (Files.isDirectory(path))
        {
            throw new CaptureFileException(path, -1, "is a directory, not a capture file");
        }
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        }
        catch (final IOException ex)
        {
            throw new CaptureFileException(path, -1, SystemErrors.reason(ex), ex);
        }

        boolean opened = false;
        try
        {
            if (!Files.isRegularFile(path))
            {
                // A named pipe, a device, /dev/stdin, bash's <(...): no size, nothing to map.
                final CaptureReader reader = open(path, new SequentialChannelStream(channel));
                opened = true;
                return reader;
            }
            final long fileSize = channel.size();
            final int magic = readMagic(path, channel, fileSize);
            final CaptureReader reader;
            if (magic == PcapngReader.SECTION_HEADER_BLOCK)
            {
                reader = new PcapngReader(path, channel, fileSize, windowSize);
            }
            else if (isPcapMagic(magic) || isPcapMagic(Integer.reverseBytes(magic)))
            {
                reader = new PcapReader(path, channel, fileSize, windowSize);
            }
            else if (compression(channel, fileSize) != Compression.NONE)
            {
                channel.position(0);
                reader = open(path, new SequentialChannelStream(channel));
            }
            else
            {
                throw new CaptureFileException(path, 0, notCaptureFile(magic, ""));
            }
            opened = true;
            return reader;
        }
        catch (final CaptureFileException ex)
        {
            throw ex;
        }
        catch (final IOException ex)
        {
            throw new CaptureFileException(path, -1, "cannot read: " + SystemErrors.reason(ex), ex);
        }
        finally
        {
            if (!opened)
            {
                closeQuietly(channel);
            }
        }
    }

    /** Bytes buffered between a stream and the decompressor or reader: a pipe's default capacity. */
    private static final int STREAM_BUFFER_BYTES = 1 << 16;

    private static CaptureReader openStream(final Path path, final InputStream buffered) throws CaptureFileException
    {
        final byte[] head = new byte[Compression.MAGIC_BYTES];
        final int headLength;
        final Compression compression;
        final InputStream capture;
        try
        {
            buffered.mark(head.length);
            headLength = buffered.readNBytes(head, 0, head.length);
            buffered.reset();
        }
        catch (final IOException ex)
        {
            throw new CaptureFileException(path, -1, "cannot read: " + SystemErrors.reason(ex), ex);
        }
        compression = Compression.of(head, headLength);
        try
        {
            // gzip, xz and bzip2 read their own header here.
            capture = compression.decompress(buffered);
        }
        catch (final IOException ex)
        {
            throw new CaptureFileException(path, 0, compression.label() + " data cut short or damaged at its start: " +
                SystemErrors.reason(ex), ex);
        }
        final StreamWindow window = new StreamWindow(path, capture, compression);
        final int available = window.fill(0, 4);
        final String offsetsIn = window.offsetsIn();
        if (available == 0)
        {
            throw new CaptureFileException(path, 0, compression == Compression.NONE ?
                "empty file, not a pcap or pcapng file" : "empty " + compression.label() + " stream, no capture in it");
        }
        if (available < 4)
        {
            throw new CaptureFileException(path, 0, "not a pcap or pcapng file (only " + available +
                (available == 1 ? " byte" : " bytes") + offsetsIn + ")");
        }
        final int magic = window.intAt(0);
        if (magic == PcapngReader.SECTION_HEADER_BLOCK)
        {
            return new PcapngStreamReader(path, window);
        }
        if (isPcapMagic(magic) || isPcapMagic(Integer.reverseBytes(magic)))
        {
            return new PcapStreamReader(path, window);
        }
        throw new CaptureFileException(path, 0, notCaptureFile(magic, offsetsIn));
    }

    /** The compression of a file whose first bytes are no capture's magic. */
    private static Compression compression(final FileChannel channel, final long fileSize) throws IOException
    {
        final ByteBuffer head = ByteBuffer.allocate((int)Math.min(Compression.MAGIC_BYTES, fileSize));
        while (head.hasRemaining())
        {
            if (channel.read(head, head.position()) < 0)
            {
                break;
            }
        }
        return Compression.of(head.array(), head.position());
    }

    private static int readMagic(final Path path, final FileChannel channel, final long fileSize) throws IOException
    {
        if (fileSize == 0)
        {
            throw new CaptureFileException(path, 0, "empty file, not a pcap or pcapng file");
        }
        if (fileSize < 4)
        {
            throw new CaptureFileException(
                path, 0, "not a pcap or pcapng file (only " + fileSize + (fileSize == 1 ? " byte)" : " bytes)"));
        }
        final ByteBuffer magic = ByteBuffer.allocate(4);
        while (magic.hasRemaining())
        {
            if (channel.read(magic, magic.position()) < 0)
            {
                throw new CaptureFileException(path, magic.position(), "file shrank while its header was read");
            }
        }
        return magic.getInt(0);
    }

    private static boolean isPcapMagic(final int magic)
    {
        return magic == PcapReader.MAGIC_MICROSECONDS || magic == PcapReader.MAGIC_NANOSECONDS ||
            magic == PcapReader.MAGIC_MODIFIED;
    }

    private static String notCaptureFile(final int magic, final String offsetsIn)
    {
        final String found = String.format("magic 0x%08x at byte offset 0", magic);
        return "not a pcap or pcapng file (" + found + offsetsIn + ")";
    }

    private static void closeQuietly(final Closeable channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // The open failed already; that failure is the one worth reporting.
        }
    }
}
