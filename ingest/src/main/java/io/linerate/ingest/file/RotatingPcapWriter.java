package io.linerate.ingest.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes captured frames to pcap files (nanosecond time stamps, host byte order, as libpcap writes
 * them), rotating like {@code tcpdump -w FILE -C MB -W N}: before a frame is written, a file already
 * larger than {@code MB} million bytes is closed and the next one opened. Without {@code -W} the
 * files are {@code FILE}, {@code FILE1}, {@code FILE2}...; with {@code -W N} they are numbered from
 * 0 with as many digits as {@code N - 1} has ({@code FILE0}..{@code FILE9} for 10) and the eleventh
 * overwrites the first, a ring of files.
 *
 * <p>Frames go through one preallocated buffer; nothing is allocated per frame. Belongs to the
 * capture thread.
 */
public final class RotatingPcapWriter implements AutoCloseable
{
    private static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
    private static final int BUFFER_BYTES = 1 << 20;

    private final String base;
    private final long rotateBytes;
    private final int fileCount;
    private final int digits;
    private final int snaplen;
    private final int linkType;
    private final ByteBuffer buffer;
    private FileChannel channel;
    private long fileBytes;
    private int fileNumber;
    private long filesOpened;

    /**
     * @param rotateMegabytes rotate once a file is larger than this many million bytes; 0 never
     * @param fileCount       at most this many files, reused in turn; 0 no limit (needs rotation)
     */
    public RotatingPcapWriter(final Path file, final long rotateMegabytes, final int fileCount, final int snaplen,
        final int linkType) throws IOException
    {
        this.base = file.toString();
        this.rotateBytes = rotateMegabytes > 0 ? rotateMegabytes * 1_000_000L : Long.MAX_VALUE;
        this.fileCount = fileCount;
        this.digits = digitsOf(fileCount - 1);
        this.snaplen = snaplen;
        this.linkType = linkType;
        this.buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.nativeOrder());
        open();
    }

    /** The name of file number {@code n}: tcpdump's {@code MakeFilename}. */
    public String fileName(final int n)
    {
        if (n == 0 && digits == 0)
        {
            return base;
        }
        final String number = Integer.toString(n);
        return base + "0".repeat(Math.max(0, digits - number.length())) + number;
    }

    /** Files opened so far, the first included. */
    public long filesOpened()
    {
        return filesOpened;
    }

    /** Writes one frame ({@code caplen} bytes of {@code data}). */
    public void write(final long timestampNanos, final int caplen, final int wirelen, final byte[] data)
        throws IOException
    {
        if (fileBytes > rotateBytes)
        {
            rotate();
        }
        final int record = 16 + caplen;
        if (buffer.remaining() < record)
        {
            drain();
        }
        final long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        buffer.putInt((int)seconds).putInt((int)Math.floorMod(timestampNanos, 1_000_000_000L))
            .putInt(caplen).putInt(wirelen);
        if (record > buffer.capacity())
        {
            drain();
            channel.write(ByteBuffer.wrap(data, 0, caplen));
        }
        else
        {
            buffer.put(data, 0, caplen);
        }
        fileBytes += record;
    }

    /** Hands what is buffered to the file (the capture loop calls it when the link is quiet). */
    public void flush() throws IOException
    {
        drain();
    }

    @Override
    public void close() throws IOException
    {
        if (channel != null)
        {
            drain();
            channel.close();
            channel = null;
        }
    }

    private void rotate() throws IOException
    {
        close();
        fileNumber++;
        if (fileCount > 0 && fileNumber >= fileCount)
        {
            fileNumber = 0;
        }
        open();
    }

    private void open() throws IOException
    {
        channel = FileChannel.open(Path.of(fileName(fileNumber)), StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        filesOpened++;
        buffer.clear();
        buffer.putInt(MAGIC_NANOSECONDS).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
            .putInt(snaplen).putInt(linkType);
        fileBytes = 24;
    }

    private void drain() throws IOException
    {
        buffer.flip();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private static int digitsOf(final int x)
    {
        int c = 0;
        for (int v = x; v > 0; v /= 10)
        {
            c++;
        }
        return c;
    }
}
