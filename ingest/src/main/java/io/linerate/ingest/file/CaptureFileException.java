package io.linerate.ingest.file;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A capture file that cannot be read on: missing, not a capture file, or damaged at some byte offset.
 *
 * <p>The message is one line that starts with the file name and says where and what, for example
 * {@code capture.pcap: truncated packet record at byte offset 123456: header says 1514 bytes, 200 left},
 * so the command line can print it as it is.
 */
public final class CaptureFileException extends IOException
{
    private static final long serialVersionUID = 1L;

    /** Paths are not serializable; a deserialized exception keeps only its message. */
    private final transient Path path;
    private final long offset;

    /**
     * @param path        the capture file
     * @param offset      byte offset of the damage, -1 when the problem is not at a place in the file
     * @param description what is wrong, in one line, without the file name (it is prefixed)
     */
    public CaptureFileException(final Path path, final long offset, final String description)
    {
        super(name(path) + ": " + description);
        this.path = path;
        this.offset = offset;
    }

    /**
     * @param path        the capture file
     * @param offset      byte offset of the damage, -1 when the problem is not at a place in the file
     * @param description what is wrong, in one line, without the file name (it is prefixed)
     * @param cause       the I/O error behind it
     */
    public CaptureFileException(final Path path, final long offset, final String description, final Throwable cause)
    {
        super(name(path) + ": " + description, cause);
        this.path = path;
        this.offset = offset;
    }

    /**
     * Damage at a byte offset: {@code "<problem> at byte offset <offset>[: <detail>]"}.
     *
     * @param detail the numbers behind the problem, or null
     */
    static CaptureFileException at(final Path path, final long offset, final String problem, final String detail)
    {
        return at(path, offset, "", problem, detail);
    }

    /**
     * Damage at a byte offset of a decompressed stream: {@code "<problem> at byte offset <offset><offsetsIn>[:
     * <detail>]"}, where {@code offsetsIn} says which bytes the offset counts (for example {@code " of the
     * gzip-decompressed stream"}: not the file's own bytes), or is empty.
     */
    static CaptureFileException at(
        final Path path, final long offset, final String offsetsIn, final String problem, final String detail)
    {
        final String where = problem + " at byte offset " + offset + offsetsIn;
        return new CaptureFileException(path, offset, detail == null ? where : where + ": " + detail);
    }

    /** How messages name an input: its path, or {@code standard input} for {@code -}. */
    static String name(final Path path)
    {
        return CaptureFiles.STANDARD_INPUT.equals(path) ? "standard input" : String.valueOf(path);
    }

    /** The capture file. */
    public Path path()
    {
        return path;
    }

    /** Byte offset of the damage in the file, or -1 when the problem is not at a place in the file. */
    public long offset()
    {
        return offset;
    }
}
