package io.linerate.ingest.file;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * The compressions a capture is kept in, recognised by their magic numbers (never by the file name,
 * which a pipe does not have), each read as a stream of every member or frame it holds: {@code cat
 * a.gz b.gz} is one gzip input, as {@code zcat} reads it, and so are zstd frames, lz4 frames, xz
 * streams and bzip2 streams one after the other.
 *
 * <pre>
 * gzip   1f 8b                 RFC 1952 section 2.3.1
 * zstd   28 b5 2f fd           RFC 8878 section 3.1.1 (0xFD2FB528, little-endian)
 * lz4    04 22 4d 18           the LZ4 frame format (0x184D2204, little-endian); not the legacy format
 * xz     fd 37 7a 58 5a 00     the .xz file format, section 2.1.1.1
 * bzip2  42 5a 68 ('BZh')      followed by the block size '1'..'9'
 * </pre>
 */
public enum Compression
{
    NONE("none"),
    GZIP("gzip"),
    ZSTD("zstd"),
    LZ4("lz4"),
    XZ("xz"),
    BZIP2("bzip2");

    /** Bytes {@link #of(byte[], int)} needs to tell every compression apart (xz's magic is the longest). */
    public static final int MAGIC_BYTES = 6;

    /**
     * zstd's largest window (log2): a capture compressed with {@code zstd --long=31} needs 2 GiB of
     * window to decompress, and the decoder refuses more than 128 MiB unless told. The memory is
     * taken only when a frame asks for it.
     */
    private static final int ZSTD_WINDOW_LOG_MAX = 31;

    private final String label;

    Compression(final String label)
    {
        this.label = label;
    }

    /** The name users know it by: {@code gzip}, {@code zstd}, {@code lz4}, {@code xz}, {@code bzip2}. */
    public String label()
    {
        return label;
    }

    /** The compression whose magic starts {@code head[0, length)}; {@link #NONE} for anything else. */
    public static Compression of(final byte[] head, final int length)
    {
        if (startsWith(head, length, 0x1f, 0x8b))
        {
            return GZIP;
        }
        if (startsWith(head, length, 0x28, 0xb5, 0x2f, 0xfd))
        {
            return ZSTD;
        }
        if (startsWith(head, length, 0x04, 0x22, 0x4d, 0x18))
        {
            return LZ4;
        }
        if (startsWith(head, length, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00))
        {
            return XZ;
        }
        if (startsWith(head, length, 0x42, 0x5a, 0x68) && length > 3 && head[3] >= '1' && head[3] <= '9')
        {
            return BZIP2;
        }
        return NONE;
    }

    /**
     * The decompressed stream of {@code in} (positioned at the magic); reading it throws an
     * {@link IOException} where the compressed data is damaged or ends too early.
     */
    public InputStream decompress(final InputStream in) throws IOException
    {
        switch (this)
        {
            case GZIP:
                return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            case ZSTD:
                return new ZstdInputStreamNoFinalizer(in).setLongMax(ZSTD_WINDOW_LOG_MAX);
            case LZ4:
                return new FramedLZ4CompressorInputStream(in, true);
            case XZ:
                // XZInputStream (not SingleXZInputStream) reads concatenated streams, as xz -d does.
                return new XZInputStream(in);
            case BZIP2:
                return new BZip2CompressorInputStream(in, true);
            default:
                return in;
        }
    }

    private static boolean startsWith(final byte[] head, final int length, final int... magic)
    {
        if (length < magic.length)
        {
            return false;
        }
        for (int i = 0; i < magic.length; i++)
        {
            if ((head[i] & 0xff) != magic[i])
            {
                return false;
            }
        }
        return true;
    }
}
