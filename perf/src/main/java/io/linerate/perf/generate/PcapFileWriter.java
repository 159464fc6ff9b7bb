package io.linerate.perf.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams frames to a classic pcap file: little-endian, microsecond time stamps, LINKTYPE_ETHERNET,
 * version 2.4, snap length 65535. Nothing is held in memory beyond the output buffer, so files of any
 * size can be written.
 *
 * <pre>
 * global header (24 bytes): magic a1b2c3d4 | version 2.4 | thiszone 0 | sigfigs 0 | snaplen | linktype
 * record header (16 bytes): ts_sec | ts_usec | incl_len | orig_len, then incl_len frame bytes
 * </pre>
 */
public final class PcapFileWriter implements FrameSink
{
    /** The classic pcap magic number with microsecond time stamps. */
    public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    public static final int GLOBAL_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int SNAP_LENGTH = 65535;

    private static final int BUFFER_SIZE = 1 << 20;

    private final OutputStream out;
    private final byte[] header = new byte[RECORD_HEADER_LENGTH];
    private long lastTimestampMicros = Long.MIN_VALUE;
    private long frames;
    private long bytesWritten;

    /** Creates (or truncates) {@code path} and writes the global header. */
    public PcapFileWriter(final Path path) throws IOException
    {
        this(Files.newOutputStream(path));
    }

    /** Writes the global header to {@code stream}, which this writer buffers and closes. */
    public PcapFileWriter(final OutputStream stream) throws IOException
    {
        this.out = new BufferedOutputStream(stream, BUFFER_SIZE);
        final byte[] global = new byte[GLOBAL_HEADER_LENGTH];
        putIntLe(global, 0, MAGIC_MICROSECONDS);
        putShortLe(global, 4, 2);
        putShortLe(global, 6, 4);
        putIntLe(global, 8, 0);
        putIntLe(global, 12, 0);
        putIntLe(global, 16, SNAP_LENGTH);
        putIntLe(global, 20, LINKTYPE_ETHERNET);
        out.write(global);
        bytesWritten = GLOBAL_HEADER_LENGTH;
    }

    @Override
    public void frame(final long timestampMicros, final byte[] frame, final int length) throws IOException
    {
        if (timestampMicros < lastTimestampMicros)
        {
            throw new IllegalStateException("time stamps must not go back: " + timestampMicros + " after " + lastTimestampMicros);
        }
        lastTimestampMicros = timestampMicros;
        putIntLe(header, 0, (int)(timestampMicros / 1_000_000L));
        putIntLe(header, 4, (int)(timestampMicros % 1_000_000L));
        putIntLe(header, 8, length);
        putIntLe(header, 12, length);
        out.write(header);
        out.write(frame, 0, length);
        frames++;
        bytesWritten += RECORD_HEADER_LENGTH + length;
    }

    /** Frames written so far. */
    public long frames()
    {
        return frames;
    }

    /** File size so far, headers included. */
    public long bytesWritten()
    {
        return bytesWritten;
    }

    @Override
    public void close() throws IOException
    {
        out.close();
    }

    private static void putIntLe(final byte[] b, final int offset, final int value)
    {
        b[offset] = (byte)value;
        b[offset + 1] = (byte)(value >>> 8);
        b[offset + 2] = (byte)(value >>> 16);
        b[offset + 3] = (byte)(value >>> 24);
    }

    private static void putShortLe(final byte[] b, final int offset, final int value)
    {
        b[offset] = (byte)value;
        b[offset + 1] = (byte)(value >>> 8);
    }
}
