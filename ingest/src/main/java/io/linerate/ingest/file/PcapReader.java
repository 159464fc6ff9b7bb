package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads a classic libpcap file: microsecond (magic {@code 0xa1b2c3d4}), nanosecond
 * ({@code 0xa1b23c4d}) and Alexey Kuznetzov's modified format ({@code 0xa1b2cd34}), written in either
 * byte order.
 *
 * <pre>
 * file header (24 bytes)                      record header (16 bytes; 24 in the modified format)
 *  0 magic                                     0 ts_sec    seconds since the epoch (unsigned)
 *  4 version_major (2)  6 version_minor (4)    4 ts_frac   microseconds, or nanoseconds
 *  8 thiszone (unused) 12 sigfigs (unused)     8 incl_len  bytes captured, following the header
 * 16 snaplen                                  12 orig_len  bytes on the wire
 * 20 linktype: bits 0-15 LINKTYPE_*,          16 ifindex u32, 20 protocol u16, 22 pkt_type u8,
 *    bits 16-25 reserved, bit 26 FCS length      23 pad u8 (modified format only)
 *    present, bits 28-31 FCS length in 16-bit words
 * </pre>
 *
 * <p>The link-type field carries more than the link type: when bit 26 says an FCS length is present,
 * every frame ends with that many 16-bit words of frame check sequence, which this reader strips, so
 * the slot holds the frame as the link layer delivered it. The FCS is at the end of the frame on the
 * wire, so it comes off the wire length when the frame is at least that long, and off the captured
 * length only where the capture reaches into it (a snapped frame keeps its captured bytes). Reserved
 * bits are masked off without complaint, as tcpdump writes files with them set.
 *
 * <p>A record whose {@code incl_len} exceeds both the header's snapshot length and libpcap's 262144-byte
 * maximum is reported as damage before anything is allocated for it (libpcap refuses such records
 * too); a snapshot length above 128 MiB counts as 128 MiB there, so a damaged header cannot make the
 * reader allocate gigabytes. Files of version 2.3 and older may have the two lengths swapped; they
 * are put back the way libpcap does, and so are DG/UX tcpdump's files (version 543.0).
 */
public final class PcapReader implements CaptureReader
{
    /** {@link #format()} of a microsecond file (also of the modified format). */
    public static final String FORMAT = "pcap";
    /** {@link #format()} of a nanosecond file. */
    public static final String FORMAT_NANOSECONDS = "pcap-ns";

    static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
    static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
    static final int MAGIC_MODIFIED = 0xa1b2cd34;

    static final int FILE_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;
    static final int MODIFIED_RECORD_HEADER_LENGTH = 24;

    static final int VERSION_MAJOR_OFFSET = 4;
    static final int VERSION_MINOR_OFFSET = 6;
    static final int SNAPLEN_OFFSET = 16;
    static final int LINKTYPE_OFFSET = 20;

    static final int TS_SECONDS_OFFSET = 0;
    static final int TS_FRACTION_OFFSET = 4;
    static final int INCL_LEN_OFFSET = 8;
    static final int ORIG_LEN_OFFSET = 12;

    static final int LINKTYPE_MASK = 0xFFFF;
    static final int FCS_LENGTH_PRESENT = 0x04000000;
    static final int FCS_LENGTH_SHIFT = 28;

    /** libpcap's MAXIMUM_SNAPLEN: no link type but D-Bus legitimately captures more per frame. */
    static final long MAXIMUM_SNAPLEN = 262_144;
    /**
     * libpcap's largest per-link-type snapshot length (LINKTYPE_DBUS, 128 MiB): a header snaplen above
     * it does not raise the limit further, so a damaged length cannot make the reader allocate gigabytes.
     */
    static final long LARGEST_SNAPLEN = 128L * 1024 * 1024;

    /** DG/UX tcpdump's version 543.0: a 2.4 file with the lengths in pre-2.3 order. */
    static final int DGUX_VERSION_MAJOR = 543;
    // Where libpcap 2.3 and older wrote orig_len before incl_len (sf-pcap.c, lengths_swapped).
    static final int LENGTHS_IN_ORDER = 0;
    static final int LENGTHS_SWAPPED = 1;
    static final int LENGTHS_MAYBE_SWAPPED = 2;

    static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Path path;
    private final FileChannel channel;
    private final MappedWindow window;
    private final long fileSize;
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

    /**
     * Opens a pcap file whose header {@code channel} reads; takes ownership of the channel.
     *
     * @param windowSize bytes mapped at a time
     */
    PcapReader(final Path path, final FileChannel channel, final long fileSize, final int windowSize)
        throws CaptureFileException
    {
        this.path = path;
        this.channel = channel;
        this.fileSize = fileSize;
        this.window = new MappedWindow(path, channel, fileSize, windowSize);

        if (fileSize < FILE_HEADER_LENGTH)
        {
            throw CaptureFileException.at(
                path, 0, "truncated pcap file header", FILE_HEADER_LENGTH + " bytes needed, " + fileSize + " left");
        }
        window.cover(0, FILE_HEADER_LENGTH);
        final int magic = window.intAt(0);
        final int magicInOrder;
        if (magic == MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS || magic == MAGIC_MODIFIED)
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
            case MAGIC_MICROSECONDS:
                format = FORMAT;
                recordHeaderLength = RECORD_HEADER_LENGTH;
                nanosPerFractionUnit = 1_000;
                break;
            case MAGIC_NANOSECONDS:
                format = FORMAT_NANOSECONDS;
                recordHeaderLength = RECORD_HEADER_LENGTH;
                nanosPerFractionUnit = 1;
                break;
            case MAGIC_MODIFIED:
                format = FORMAT;
                recordHeaderLength = MODIFIED_RECORD_HEADER_LENGTH;
                nanosPerFractionUnit = 1_000;
                break;
            default:
                throw new CaptureFileException(
                    path, 0, String.format("not a pcap file (magic 0x%08x at byte offset 0)", magic));
        }

        final int versionMajor = window.unsignedShortAt(VERSION_MAJOR_OFFSET);
        final int versionMinor = window.unsignedShortAt(VERSION_MINOR_OFFSET);
        if (versionMajor == 2)
        {
            // Minor versions above 4 were never defined, but Wireshark reads them as 2.4 (libpcap refuses).
            lengthsSwapped = versionMinor < 3 ? LENGTHS_SWAPPED : versionMinor == 3 ? LENGTHS_MAYBE_SWAPPED : LENGTHS_IN_ORDER;
        }
        else if (versionMajor == DGUX_VERSION_MAJOR && versionMinor == 0)
        {
            lengthsSwapped = LENGTHS_SWAPPED;
        }
        else
        {
            throw CaptureFileException.at(
                path, VERSION_MAJOR_OFFSET, "unsupported pcap version " + versionMajor + "." + versionMinor, null);
        }

        snapLength = window.unsignedIntAt(SNAPLEN_OFFSET);
        maxCaptureLength = Math.max(MAXIMUM_SNAPLEN, Math.min(snapLength, LARGEST_SNAPLEN));

        final int linkTypeField = window.intAt(LINKTYPE_OFFSET);
        linkType = linkTypeField & LINKTYPE_MASK;
        fcsLength = (linkTypeField & FCS_LENGTH_PRESENT) != 0 ? ((linkTypeField >>> FCS_LENGTH_SHIFT) & 0xF) * 2 : 0;

        position = FILE_HEADER_LENGTH;
    }

    @Override
    public boolean next(final FrameSlot slot) throws CaptureFileException
    {
        if (closed)
        {
            throw new IllegalStateException("reader of " + path + " is closed");
        }
        final long recordStart = position;
        final long remaining = fileSize - recordStart;
        if (remaining == 0)
        {
            return false;
        }
        final int headerLength = recordHeaderLength;
        if (remaining < headerLength)
        {
            throw CaptureFileException.at(
                path, recordStart, "truncated packet record header", headerLength + " bytes needed, " + remaining + " left");
        }
        final MappedWindow window = this.window;
        window.cover(recordStart, headerLength);
        long capturedLength = window.unsignedIntAt(recordStart + INCL_LEN_OFFSET);
        long originalLength = window.unsignedIntAt(recordStart + ORIG_LEN_OFFSET);
        if (lengthsSwapped != LENGTHS_IN_ORDER && (lengthsSwapped == LENGTHS_SWAPPED || capturedLength > originalLength))
        {
            final long swap = capturedLength;
            capturedLength = originalLength;
            originalLength = swap;
        }
        if (capturedLength > maxCaptureLength)
        {
            throw CaptureFileException.at(
                path, recordStart, "damaged packet record",
                "captured length " + capturedLength + " is more than the snapshot length " + snapLength +
                " and the " + MAXIMUM_SNAPLEN + "-byte maximum");
        }
        if (capturedLength > remaining - headerLength)
        {
            throw CaptureFileException.at(
                path, recordStart, "truncated packet record",
                "header says " + capturedLength + " bytes, " + (remaining - headerLength) + " left");
        }
        final int recordDataLength = (int)capturedLength;
        window.cover(recordStart, headerLength + recordDataLength);

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

    /** LINKTYPE_* of every frame (the header's link-type field, low 16 bits). */
    public int linkType()
    {
        return linkType;
    }

    /** The header's snapshot length. */
    public long snapLength()
    {
        return snapLength;
    }

    /** Bytes of FCS stripped from the end of each frame (0 unless the link-type field says so). */
    public int fcsLength()
    {
        return fcsLength;
    }

    @Override
    public void close() throws IOException
    {
        closed = true;
        window.release();
        channel.close();
    }
}
