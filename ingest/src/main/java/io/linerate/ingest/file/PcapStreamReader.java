package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static io.linerate.ingest.file.PcapReader.DGUX_VERSION_MAJOR;
import static io.linerate.ingest.file.PcapReader.FCS_LENGTH_PRESENT;
import static io.linerate.ingest.file.PcapReader.FCS_LENGTH_SHIFT;
import static io.linerate.ingest.file.PcapReader.INCL_LEN_OFFSET;
import static io.linerate.ingest.file.PcapReader.LENGTHS_IN_ORDER;
import static io.linerate.ingest.file.PcapReader.LENGTHS_MAYBE_SWAPPED;
import static io.linerate.ingest.file.PcapReader.LENGTHS_SWAPPED;
import static io.linerate.ingest.file.PcapReader.LINKTYPE_MASK;
import static io.linerate.ingest.file.PcapReader.LINKTYPE_OFFSET;
import static io.linerate.ingest.file.PcapReader.NANOS_PER_SECOND;
import static io.linerate.ingest.file.PcapReader.ORIG_LEN_OFFSET;
import static io.linerate.ingest.file.PcapReader.SNAPLEN_OFFSET;
import static io.linerate.ingest.file.PcapReader.TS_FRACTION_OFFSET;
import static io.linerate.ingest.file.PcapReader.TS_SECONDS_OFFSET;
import static io.linerate.ingest.file.PcapReader.VERSION_MAJOR_OFFSET;
import static io.linerate.ingest.file.PcapReader.VERSION_MINOR_OFFSET;

/**
 * Reads a classic pcap capture that arrives as a stream (standard input, a pipe, a decompressed
 * file): the formats, checks and messages of {@link PcapReader}, which reads files through a memory
 * mapping, over a {@link StreamWindow} instead. A stream that ends inside a record is reported as a
 * truncated file is, with the record's byte offset in the stream (and, for a decompressed stream, a
 * word saying that the offset counts decompressed bytes), after every record before it.
 *
 * <p>The two readers are kept apart so the mapped one, the fast path for files on disk, carries no
 * test of where its bytes come from; {@code StreamReaderEquivalenceTest} holds them to the same frames
 * and the same messages on every capture of the corpus.
 */
final class PcapStreamReader implements CaptureReader
{
    private final Path path;
    private final StreamWindow window;
    private final String offsetsIn;
    private final String format;
    private final int recordHeaderLength;
    private final long nanosPerFractionUnit;
    private final int linkType;
    private final int fcsLength;
    private final long snapLength;
    private final long maxCaptureLength;
    private final int lengthsSwapped;
    private long position;
    private long frameCount;
    private boolean closed;

    /** Reads the file header from {@code window}; takes ownership of it. */
    PcapStreamReader(final Path path, final StreamWindow window) throws CaptureFileException
    {
        this.path = path;
        this.window = window;
        this.offsetsIn = window.offsetsIn();

        final int headerBytes = window.fill(0, PcapReader.FILE_HEADER_LENGTH);
        if (headerBytes < PcapReader.FILE_HEADER_LENGTH)
        {
            throw CaptureFileException.at(path, 0, offsetsIn, "truncated pcap file header",
                PcapReader.FILE_HEADER_LENGTH + " bytes needed, " + headerBytes + " left");
        }
        final int magic = window.intAt(0);
        final int magicInOrder;
        if (magic == PcapReader.MAGIC_MICROSECONDS || magic == PcapReader.MAGIC_NANOSECONDS ||
            magic == PcapReader.MAGIC_MODIFIED)
        {
            magicInOrder = magic;
        }
        else
        {
            window.order(ByteOrder.LITTLE_ENDIAN);
            magicInOrder = Integer.reverseBytes(magic);
        }
        switch (magicInOrder)
        {
            case PcapReader.MAGIC_MICROSECONDS:
                format = PcapReader.FORMAT;
                recordHeaderLength = PcapReader.RECORD_HEADER_LENGTH;
                nanosPerFractionUnit = 1_000;
                break;
            case PcapReader.MAGIC_NANOSECONDS:
                format = PcapReader.FORMAT_NANOSECONDS;
                recordHeaderLength = PcapReader.RECORD_HEADER_LENGTH;
                nanosPerFractionUnit = 1;
                break;
            case PcapReader.MAGIC_MODIFIED:
                format = PcapReader.FORMAT;
                recordHeaderLength = PcapReader.MODIFIED_RECORD_HEADER_LENGTH;
                nanosPerFractionUnit = 1_000;
                break;
            default:
                throw new CaptureFileException(
                    path, 0, String.format("not a pcap file (magic 0x%08x at byte offset 0%s)", magic, offsetsIn));
        }

        final int versionMajor = window.unsignedShortAt(VERSION_MAJOR_OFFSET);
        final int versionMinor = window.unsignedShortAt(VERSION_MINOR_OFFSET);
        if (versionMajor == 2)
        {
            lengthsSwapped = versionMinor < 3 ? LENGTHS_SWAPPED :
                versionMinor == 3 ? LENGTHS_MAYBE_SWAPPED : LENGTHS_IN_ORDER;
        }
        else if (versionMajor == DGUX_VERSION_MAJOR && versionMinor == 0)
        {
            lengthsSwapped = LENGTHS_SWAPPED;
        }
        else
        {
            throw CaptureFileException.at(path, VERSION_MAJOR_OFFSET, offsetsIn,
                "unsupported pcap version " + versionMajor + "." + versionMinor, null);
        }

        snapLength = window.unsignedIntAt(SNAPLEN_OFFSET);
        maxCaptureLength = Math.max(PcapReader.MAXIMUM_SNAPLEN, Math.min(snapLength, PcapReader.LARGEST_SNAPLEN));

        final int linkTypeField = window.intAt(LINKTYPE_OFFSET);
        linkType = linkTypeField & LINKTYPE_MASK;
        fcsLength = (linkTypeField & FCS_LENGTH_PRESENT) != 0 ? ((linkTypeField >>> FCS_LENGTH_SHIFT) & 0xF) * 2 : 0;

        position = PcapReader.FILE_HEADER_LENGTH;
    }

    @Override
    public boolean next(final FrameSlot slot) throws CaptureFileException
    {
        if (closed)
        {
            throw new IllegalStateException("reader of " + path + " is closed");
        }
        final long recordStart = position;
        final int headerLength = recordHeaderLength;
        final StreamWindow window = this.window;
        final int headerBytes = window.fill(recordStart, headerLength);
        if (headerBytes == 0)
        {
            return false;
        }
        if (headerBytes < headerLength)
        {
            throw CaptureFileException.at(path, recordStart, offsetsIn, "truncated packet record header",
                headerLength + " bytes needed, " + headerBytes + " left");
        }
        long capturedLength = window.unsignedIntAt(recordStart + INCL_LEN_OFFSET);
        long originalLength = window.unsignedIntAt(recordStart + ORIG_LEN_OFFSET);
        if (lengthsSwapped != LENGTHS_IN_ORDER &&
            (lengthsSwapped == LENGTHS_SWAPPED || capturedLength > originalLength))
        {
            final long swap = capturedLength;
            capturedLength = originalLength;
            originalLength = swap;
        }
        if (capturedLength > maxCaptureLength)
        {
            throw CaptureFileException.at(
                path, recordStart, offsetsIn, "damaged packet record",
                "captured length " + capturedLength + " is more than the snapshot length " + snapLength +
                " and the " + PcapReader.MAXIMUM_SNAPLEN + "-byte maximum");
        }
        final int recordDataLength = (int)capturedLength;
        final int recordBytes = window.fill(recordStart, headerLength + recordDataLength);
        if (recordBytes < headerLength + recordDataLength)
        {
            throw CaptureFileException.at(path, recordStart, offsetsIn, "truncated packet record",
                "header says " + capturedLength + " bytes, " + (recordBytes - headerLength) + " left");
        }

        final long seconds = window.unsignedIntAt(recordStart + TS_SECONDS_OFFSET);
        final long fraction = window.unsignedIntAt(recordStart + TS_FRACTION_OFFSET);
        int captureLength = recordDataLength;
        int wireLength = (int)Math.min(originalLength, Integer.MAX_VALUE);
        if (fcsLength != 0 && wireLength >= fcsLength)
        {
            wireLength -= fcsLength;
            captureLength = Math.min(captureLength, wireLength);
        }

        slot.timestampNanos = seconds * NANOS_PER_SECOND + fraction * nanosPerFractionUnit;
        slot.captureLength = captureLength;
        slot.wireLength = wireLength;
        slot.linkType = linkType;
        slot.interfaceId = 0;
        slot.frameNumber = ++frameCount;
        slot.fileOffset = recordStart;
        slot.ensureCapacity(captureLength);
        window.copy(recordStart + headerLength, slot.data, captureLength);

        position = recordStart + headerLength + recordDataLength;
        return true;
    }

    @Override
    public long position()
    {
        return position;
    }

    @Override
    public Path path()
    {
        return path;
    }

    @Override
    public String format()
    {
        return format;
    }

    @Override
    public void close() throws IOException
    {
        if (!closed)
        {
            closed = true;
            window.close();
        }
    }
}
