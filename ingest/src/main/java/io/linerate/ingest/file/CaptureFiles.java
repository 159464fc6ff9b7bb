package io.linerate.ingest.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens capture files: recognises pcap and pcapng by their first four bytes, whatever the file is
 * called, and returns the reader for the format.
 */
public final class CaptureFiles
{
    private static final int GZIP_MAGIC = 0x1f8b0000;
    private static final int GZIP_MAGIC_MASK = 0xffff0000;
    private static final int ZSTD_MAGIC = 0x28b52ffd;

    private CaptureFiles()
    {
    }

    /**
     * Opens {@code path} as a pcap file (microsecond, nanosecond or modified, either byte order) or a
     * pcapng file, and reads its file header or first section header.
     *
     * @throws CaptureFileException when the file is missing, unreadable, not a capture file, or its
     *     header is damaged
     */
    public static CaptureReader open(final Path path) throws CaptureFileException
    {
        return open(path, MappedWindow.DEFAULT_SIZE);
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
        catch (final NoSuchFileException ex)
        {
            throw new CaptureFileException(path, -1, "no such file", ex);
        }
        catch (final AccessDeniedException ex)
        {
            throw new CaptureFileException(path, -1, "permission denied", ex);
        }
        catch (final IOException ex)
        {
            throw new CaptureFileException(path, -1, "cannot open: " + ex, ex);
        }

        boolean opened = false;
        try
        {
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
            else
            {
                throw new CaptureFileException(path, 0, notCaptureFile(magic));
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
            throw new CaptureFileException(path, -1, "cannot read: " + ex, ex);
        }
        finally
        {
            if (!opened)
            {
                closeQuietly(channel);
            }
        }
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

    private static String notCaptureFile(final int magic)
    {
        final String found = String.format("magic 0x%08x at byte offset 0", magic);
        if ((magic & GZIP_MAGIC_MASK) == GZIP_MAGIC)
        {
            return "not a pcap or pcapng file (" + found + ": gzip-compressed, decompress it first)";
        }
        if (magic == ZSTD_MAGIC)
        {
            return "not a pcap or pcapng file (" + found + ": zstd-compressed, decompress it first)";
        }
        return "not a pcap or pcapng file (" + found + ")";
    }

    private static void closeQuietly(final FileChannel channel)
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
