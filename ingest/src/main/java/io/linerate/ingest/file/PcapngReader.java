package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a pcapng file (draft-ietf-opsawg-pcapng): its sections, their interfaces and the three kinds
 * of packet block.
 *
 * <pre>
 * every block                  SHB 0x0A0D0D0A            IDB 1                    EPB 6
 *  0 block type                 8 byte-order magic        8 LinkType u16           8 interface id
 *  4 block total length           0x1A2B3C4D             10 reserved u16          12 timestamp (high)
 *    body, padded to 4 bytes   12 major (1) 14 minor     12 SnapLen               16 timestamp (low)
 *  n-4 block total length      16 section length i64     16 options               20 captured length
 *                              24 options                                         24 original length
 * SPB 3                        OPB 2 (obsolete)                                   28 data, options
 *  8 original length            8 interface id u16  10 drops count u16
 * 12 data                      12 timestamp (high)  16 timestamp (low)
 *                              20 captured length   24 original length  28 data, options
 * </pre>
 *
 * <p>A section header block starts a new section: it may switch the byte order, and it forgets the
 * interfaces of the section before. An interface's time stamps count units of {@code if_tsresol}
 * (option 9; microseconds by default) since the epoch plus {@code if_tsoffset} seconds (option 14);
 * see {@link TimestampResolution}. Packets are the enhanced, simple and obsolete packet blocks, as
 * capinfos counts them; every other block type is skipped by its length without being read, however
 * long it is. A simple packet block has no time stamp and gets 0, as in libpcap.
 *
 * <p>Every block's length is checked before it is used: a multiple of 4, at least 12 and at least the
 * fixed part of its type, inside the file, and equal to the copy at its end. A packet's captured length must fit its block and may exceed the
 * interface's snapshot length only up to libpcap's 262144-byte maximum. Interface options are checked
 * as libpcap checks them: a time stamp option of the wrong length, a repeated one, or a resolution
 * whose units per second do not fit 64 bits is damage.
 */
public final class PcapngReader implements CaptureReader
{
    /** {@link #format()} of every pcapng file. */
    public static final String FORMAT = "pcapng";

    static final int SECTION_HEADER_BLOCK = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION_BLOCK = 0x00000001;
    static final int OBSOLETE_PACKET_BLOCK = 0x00000002;
    static final int SIMPLE_PACKET_BLOCK = 0x00000003;
    static final int ENHANCED_PACKET_BLOCK = 0x00000006;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

    static final int OPT_ENDOFOPT = 0;
    static final int IF_TSRESOL = 9;
    static final int IF_TSOFFSET = 14;

    /** Block type and total length, before the body. */
    static final int BLOCK_HEADER_LENGTH = 8;
    /** The header and the trailing copy of the total length: the smallest block there is. */
    static final int BLOCK_OVERHEAD = 12;
    static final int SECTION_HEADER_MIN_LENGTH = 28;
    static final int INTERFACE_DESCRIPTION_MIN_LENGTH = 20;
    static final int ENHANCED_PACKET_MIN_LENGTH = 32;
    static final int OBSOLETE_PACKET_MIN_LENGTH = 32;
    static final int SIMPLE_PACKET_MIN_LENGTH = 16;

    static final int SHB_BYTE_ORDER_MAGIC_OFFSET = 8;
    static final int SHB_MAJOR_OFFSET = 12;
    static final int SHB_MINOR_OFFSET = 14;
    static final int IDB_LINKTYPE_OFFSET = 8;
    static final int IDB_SNAPLEN_OFFSET = 12;
    static final int IDB_OPTIONS_OFFSET = 16;
    static final int EPB_INTERFACE_OFFSET = 8;
    static final int EPB_TIMESTAMP_HIGH_OFFSET = 12;
    static final int EPB_TIMESTAMP_LOW_OFFSET = 16;
    static final int EPB_CAPTURED_LENGTH_OFFSET = 20;
    static final int EPB_ORIGINAL_LENGTH_OFFSET = 24;
    static final int EPB_DATA_OFFSET = 28;
    static final int OPB_INTERFACE_OFFSET = 8;
    static final int OPB_TIMESTAMP_HIGH_OFFSET = 12;
    static final int OPB_TIMESTAMP_LOW_OFFSET = 16;
    static final int OPB_CAPTURED_LENGTH_OFFSET = 20;
    static final int OPB_ORIGINAL_LENGTH_OFFSET = 24;
    static final int OPB_DATA_OFFSET = 28;
    static final int SPB_ORIGINAL_LENGTH_OFFSET = 8;
    static final int SPB_DATA_OFFSET = 12;

    static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Path path;
    private final FileChannel channel;
    private final MappedWindow window;
    private final long fileSize;
    private long position;
    private long frameCount;
    private boolean closed;

    // The current section's interfaces, indexed by interface id (parallel arrays, grown by doubling).
    private int interfaceCount;
    private int[] interfaceLinkTypes = new int[4];
    private long[] interfaceSnapLengths = new long[4];
    private long[] interfaceMaxCaptureLengths = new long[4];
    private long[] interfaceOffsetNanos = new long[4];
    private TimestampResolution[] interfaceResolutions = new TimestampResolution[4];

    /**
     * Opens a pcapng file and reads its first section header; takes ownership of the channel.
     *
     * @param windowSize bytes mapped at a time
     */
    PcapngReader(final Path path, final FileChannel channel, final long fileSize, final int windowSize)
        throws CaptureFileException
    {
        this.path = path;
        this.channel = channel;
        this.fileSize = fileSize;
        this.window = new MappedWindow(path, channel, fileSize, windowSize);
        if (fileSize < BLOCK_HEADER_LENGTH)
        {
            throw CaptureFileException.at(
                path, 0, "truncated block header", BLOCK_HEADER_LENGTH + " bytes needed, " + fileSize + " left");
        }
        window.cover(0, BLOCK_HEADER_LENGTH);
        final int firstBlockType = window.intAt(0);
        if (firstBlockType != SECTION_HEADER_BLOCK)
        {
            throw new CaptureFileException(
                path, 0, String.format("not a pcapng file (magic 0x%08x at byte offset 0)", firstBlockType));
        }
        position = readSectionHeader(0);
    }

    @Override
    public boolean next(final FrameSlot slot) throws CaptureFileException
    {
        if (closed)
        {
            throw new IllegalStateException("reader of " + path + " is closed");
        }
        final MappedWindow window = this.window;
        while (true)
        {
            final long blockStart = position;
            final long remaining = fileSize - blockStart;
            if (remaining == 0)
            {
                return false;
            }
            if (remaining < BLOCK_HEADER_LENGTH)
            {
                throw CaptureFileException.at(
                    path, blockStart, "truncated block header", BLOCK_HEADER_LENGTH + " bytes needed, " + remaining + " left");
            }
            window.cover(blockStart, BLOCK_HEADER_LENGTH);
            final int blockType = window.intAt(blockStart);
            if (blockType == SECTION_HEADER_BLOCK)
            {
                position = readSectionHeader(blockStart);
                continue;
            }
            final long blockLength = checkBlockLength(blockStart, blockType);
            switch (blockType)
            {
                case ENHANCED_PACKET_BLOCK:
                    readEnhancedPacket(blockStart, blockLength, slot);
                    position = blockStart + blockLength;
                    return true;
                case SIMPLE_PACKET_BLOCK:
                    readSimplePacket(blockStart, blockLength, slot);
                    position = blockStart + blockLength;
                    return true;
                case OBSOLETE_PACKET_BLOCK:
                    readObsoletePacket(blockStart, blockLength, slot);
                    position = blockStart + blockLength;
                    return true;
                case INTERFACE_DESCRIPTION_BLOCK:
                    readInterfaceDescription(blockStart, blockLength);
                    break;
                default:
                    // Statistics, name resolution, secrets, custom and future blocks carry no frames.
                    break;
            }
            position = blockStart + blockLength;
        }
    }

    /**
     * Validates the section header at {@code blockStart}, adopts its byte order and starts a section.
     *
     * @return the offset of the block after it
     */
    private long readSectionHeader(final long blockStart) throws CaptureFileException
    {
        final long remaining = fileSize - blockStart;
        if (remaining < BLOCK_OVERHEAD)
        {
            throw CaptureFileException.at(
                path, blockStart, "truncated section header block", BLOCK_OVERHEAD + " bytes needed, " + remaining + " left");
        }
        window.cover(blockStart, BLOCK_OVERHEAD);
        final int magic = window.intAt(blockStart + SHB_BYTE_ORDER_MAGIC_OFFSET);
        if (magic != BYTE_ORDER_MAGIC)
        {
            if (magic != Integer.reverseBytes(BYTE_ORDER_MAGIC))
            {
                final int asWritten = window.order() == ByteOrder.BIG_ENDIAN ? magic : Integer.reverseBytes(magic);
                throw CaptureFileException.at(
                    path, blockStart + SHB_BYTE_ORDER_MAGIC_OFFSET,
                    String.format("bad byte-order magic 0x%08x", asWritten), null);
            }
            window.order(window.order() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        }
        final long blockLength = checkBlockLength(blockStart, SECTION_HEADER_BLOCK);
        window.cover(blockStart, SECTION_HEADER_MIN_LENGTH);
        final int major = window.unsignedShortAt(blockStart + SHB_MAJOR_OFFSET);
        final int minor = window.unsignedShortAt(blockStart + SHB_MINOR_OFFSET);
        // 1.2 was written by some tools for 1.0 files with newer block types; libpcap accepts both.
        if (major != 1 || (minor != 0 && minor != 2))
        {
            throw CaptureFileException.at(
                path, blockStart + SHB_MAJOR_OFFSET, "unsupported pcapng version " + major + "." + minor, null);
        }
        interfaceCount = 0;
        return blockStart + blockLength;
    }

    /**
     * Checks the total length of the block at {@code blockStart} (its first 8 bytes covered): a
     * multiple of 4, at least the minimum of its type, inside the file and equal to its trailing
     * copy. Leaves the whole block covered when it fits a window.
     */
    private long checkBlockLength(final long blockStart, final int blockType) throws CaptureFileException
    {
        final long blockLength = window.unsignedIntAt(blockStart + 4);
        if ((blockLength & 3) != 0)
        {
            throw CaptureFileException.at(path, blockStart, "bad block length " + blockLength, "not a multiple of 4");
        }
        final int minimum = minimumLength(blockType);
        if (blockLength < minimum)
        {
            throw CaptureFileException.at(
                path, blockStart, "bad block length " + blockLength,
                minimum == BLOCK_OVERHEAD ? "less than the " + BLOCK_OVERHEAD + "-byte minimum" :
                    blockName(blockType) + " needs at least " + minimum);
        }
        final long remaining = fileSize - blockStart;
        if (blockLength > remaining)
        {
            throw CaptureFileException.at(
                path, blockStart, "truncated block", "header says " + blockLength + " bytes, " + remaining + " left");
        }
        if (blockLength <= window.size())
        {
            // One mapping for the whole block: the trailer and the body are then read without remapping.
            window.cover(blockStart, (int)blockLength);
        }
        final long trailerPosition = blockStart + blockLength - 4;
        window.cover(trailerPosition, 4);
        final long trailingLength = window.unsignedIntAt(trailerPosition);
        if (trailingLength != blockLength)
        {
            throw CaptureFileException.at(
                path, blockStart, "bad block length " + blockLength, "the copy at the end of the block says " + trailingLength);
        }
        return blockLength;
    }

    /** Bytes of the smallest valid block of a type: the overhead plus the type's fixed fields. */
    private static int minimumLength(final int blockType)
    {
        switch (blockType)
        {
            case SECTION_HEADER_BLOCK:
                return SECTION_HEADER_MIN_LENGTH;
            case INTERFACE_DESCRIPTION_BLOCK:
                return INTERFACE_DESCRIPTION_MIN_LENGTH;
            case ENHANCED_PACKET_BLOCK:
                return ENHANCED_PACKET_MIN_LENGTH;
            case OBSOLETE_PACKET_BLOCK:
                return OBSOLETE_PACKET_MIN_LENGTH;
            case SIMPLE_PACKET_BLOCK:
                return SIMPLE_PACKET_MIN_LENGTH;
            default:
                return BLOCK_OVERHEAD;
        }
    }

    private static String blockName(final int blockType)
    {
        switch (blockType)
        {
            case SECTION_HEADER_BLOCK:
                return "a section header block";
            case INTERFACE_DESCRIPTION_BLOCK:
                return "an interface description block";
            case ENHANCED_PACKET_BLOCK:
                return "an enhanced packet block";
            case OBSOLETE_PACKET_BLOCK:
                return "an obsolete packet block";
            case SIMPLE_PACKET_BLOCK:
                return "a simple packet block";
            default:
                return "a block of type " + blockType;
        }
    }

    private void readInterfaceDescription(final long blockStart, final long blockLength) throws CaptureFileException
    {
        final MappedWindow window = this.window;
        window.cover(blockStart, IDB_OPTIONS_OFFSET);
        final int linkType = window.unsignedShortAt(blockStart + IDB_LINKTYPE_OFFSET);
        final long snapLength = window.unsignedIntAt(blockStart + IDB_SNAPLEN_OFFSET);

        TimestampResolution resolution = TimestampResolution.MICROSECONDS;
        boolean sawResolution = false;
        long offsetSeconds = 0;
        boolean sawOffset = false;
        final long optionsEnd = blockStart + blockLength - 4;
        long optionStart = blockStart + IDB_OPTIONS_OFFSET;
        // The options area is a multiple of 4 bytes (the block length is), so a header always fits.
        while (optionStart < optionsEnd)
        {
            window.cover(optionStart, 4);
            final int code = window.unsignedShortAt(optionStart);
            final int length = window.unsignedShortAt(optionStart + 2);
            if (code == OPT_ENDOFOPT)
            {
                break;
            }
            final long valueStart = optionStart + 4;
            final long paddedLength = (length + 3) & ~3L;
            if (paddedLength > optionsEnd - valueStart)
            {
                throw CaptureFileException.at(
                    path, optionStart, "bad option length " + length,
                    "option " + code + " overruns the interface description block at byte offset " + blockStart);
            }
            if (code == IF_TSRESOL)
            {
                checkTimestampOption(optionStart, "if_tsresol", length, 1, sawResolution);
                sawResolution = true;
                window.cover(valueStart, 1);
                final int value = window.unsignedByteAt(valueStart);
                resolution = TimestampResolution.fromOption(value);
                if (resolution == null)
                {
                    throw CaptureFileException.at(
                        path, optionStart, "unsupported if_tsresol " + TimestampResolution.describeOption(value),
                        "more units per second than 64 bits hold");
                }
            }
            else if (code == IF_TSOFFSET)
            {
                checkTimestampOption(optionStart, "if_tsoffset", length, 8, sawOffset);
                sawOffset = true;
                window.cover(valueStart, 8);
                offsetSeconds = window.longAt(valueStart);
            }
            optionStart = valueStart + paddedLength;
        }

        final long offsetNanos;
        try
        {
            offsetNanos = Math.multiplyExact(offsetSeconds, NANOS_PER_SECOND);
        }
        catch (final ArithmeticException ex)
        {
            throw CaptureFileException.at(
                path, blockStart, "bad if_tsoffset " + offsetSeconds, "more seconds than nanosecond time stamps reach");
        }
        addInterface(linkType, snapLength, resolution, offsetNanos);
    }

    private void checkTimestampOption(
        final long optionStart, final String name, final int length, final int expectedLength, final boolean seenBefore)
        throws CaptureFileException
    {
        if (length != expectedLength)
        {
            throw CaptureFileException.at(
                path, optionStart, "bad " + name + " option", "length " + length + ", expected " + expectedLength);
        }
        if (seenBefore)
        {
            throw CaptureFileException.at(path, optionStart, "repeated " + name + " option", null);
        }
    }

    private void addInterface(
        final int linkType, final long snapLength, final TimestampResolution resolution, final long offsetNanos)
    {
        final int id = interfaceCount;
        if (id == interfaceLinkTypes.length)
        {
            final int capacity = id * 2;
            interfaceLinkTypes = Arrays.copyOf(interfaceLinkTypes, capacity);
            interfaceSnapLengths = Arrays.copyOf(interfaceSnapLengths, capacity);
            interfaceMaxCaptureLengths = Arrays.copyOf(interfaceMaxCaptureLengths, capacity);
            interfaceOffsetNanos = Arrays.copyOf(interfaceOffsetNanos, capacity);
            interfaceResolutions = Arrays.copyOf(interfaceResolutions, capacity);
        }
        interfaceLinkTypes[id] = linkType;
        interfaceSnapLengths[id] = snapLength;
        interfaceMaxCaptureLengths[id] =
            Math.max(PcapReader.MAXIMUM_SNAPLEN, Math.min(snapLength, PcapReader.LARGEST_SNAPLEN));
        interfaceOffsetNanos[id] = offsetNanos;
        interfaceResolutions[id] = resolution;
        interfaceCount = id + 1;
    }

    private void readEnhancedPacket(final long blockStart, final long blockLength, final FrameSlot slot)
        throws CaptureFileException
    {
        final MappedWindow window = this.window;
        window.cover(blockStart, EPB_DATA_OFFSET);
        final long interfaceId = window.unsignedIntAt(blockStart + EPB_INTERFACE_OFFSET);
        final long ticks = (window.unsignedIntAt(blockStart + EPB_TIMESTAMP_HIGH_OFFSET) << 32) |
            window.unsignedIntAt(blockStart + EPB_TIMESTAMP_LOW_OFFSET);
        final long capturedLength = window.unsignedIntAt(blockStart + EPB_CAPTURED_LENGTH_OFFSET);
        final long originalLength = window.unsignedIntAt(blockStart + EPB_ORIGINAL_LENGTH_OFFSET);
        readPacket(
            blockStart, blockLength - ENHANCED_PACKET_MIN_LENGTH, interfaceId, ticks, capturedLength, originalLength,
            EPB_DATA_OFFSET, slot);
    }

    private void readObsoletePacket(final long blockStart, final long blockLength, final FrameSlot slot)
        throws CaptureFileException
    {
        final MappedWindow window = this.window;
        window.cover(blockStart, OPB_DATA_OFFSET);
        final int interfaceId = window.unsignedShortAt(blockStart + OPB_INTERFACE_OFFSET);
        final long ticks = (window.unsignedIntAt(blockStart + OPB_TIMESTAMP_HIGH_OFFSET) << 32) |
            window.unsignedIntAt(blockStart + OPB_TIMESTAMP_LOW_OFFSET);
        final long capturedLength = window.unsignedIntAt(blockStart + OPB_CAPTURED_LENGTH_OFFSET);
        final long originalLength = window.unsignedIntAt(blockStart + OPB_ORIGINAL_LENGTH_OFFSET);
        readPacket(
            blockStart, blockLength - OBSOLETE_PACKET_MIN_LENGTH, interfaceId, ticks, capturedLength, originalLength,
            OPB_DATA_OFFSET, slot);
    }

    /** Fills the slot from an enhanced or obsolete packet block, whose headers differ only in width. */
    private void readPacket(
        final long blockStart,
        final long dataRoom,
        final long interfaceId,
        final long ticks,
        final long capturedLength,
        final long originalLength,
        final int dataOffset,
        final FrameSlot slot) throws CaptureFileException
    {
        if (interfaceId >= interfaceCount)
        {
            throw unknownInterface(blockStart, interfaceId);
        }
        final int id = (int)interfaceId;
        if (capturedLength > dataRoom)
        {
            throw CaptureFileException.at(
                path, blockStart, "bad captured length " + capturedLength, "the block has room for " + dataRoom);
        }
        checkCapturedLength(blockStart, id, capturedLength);
        final int captureLength = (int)capturedLength;
        window.cover(blockStart, dataOffset + captureLength);

        slot.timestampNanos = interfaceResolutions[id].toNanos(ticks) + interfaceOffsetNanos[id];
        slot.captureLength = captureLength;
        slot.wireLength = (int)Math.min(originalLength, Integer.MAX_VALUE);
        slot.linkType = interfaceLinkTypes[id];
        slot.interfaceId = id;
        slot.frameNumber = ++frameCount;
        slot.fileOffset = blockStart;
        slot.ensureCapacity(captureLength);
        window.copy(blockStart + dataOffset, slot.data, captureLength);
    }

    private void readSimplePacket(final long blockStart, final long blockLength, final FrameSlot slot)
        throws CaptureFileException
    {
        if (interfaceCount == 0)
        {
            throw unknownInterface(blockStart, 0);
        }
        final MappedWindow window = this.window;
        window.cover(blockStart, SPB_DATA_OFFSET);
        final long originalLength = window.unsignedIntAt(blockStart + SPB_ORIGINAL_LENGTH_OFFSET);
        // The block does not say how much was captured: the frame up to the snapshot length, and no
        // more than the block holds (the rest of the body is padding).
        long capturedLength = Math.min(originalLength, blockLength - SIMPLE_PACKET_MIN_LENGTH);
        final long snapLength = interfaceSnapLengths[0];
        if (snapLength != 0)
        {
            capturedLength = Math.min(capturedLength, snapLength);
        }
        checkCapturedLength(blockStart, 0, capturedLength);
        final int captureLength = (int)capturedLength;
        window.cover(blockStart, SPB_DATA_OFFSET + captureLength);

        slot.timestampNanos = 0;
        slot.captureLength = captureLength;
        slot.wireLength = (int)Math.min(originalLength, Integer.MAX_VALUE);
        slot.linkType = interfaceLinkTypes[0];
        slot.interfaceId = 0;
        slot.frameNumber = ++frameCount;
        slot.fileOffset = blockStart;
        slot.ensureCapacity(captureLength);
        window.copy(blockStart + SPB_DATA_OFFSET, slot.data, captureLength);
    }

    private void checkCapturedLength(final long blockStart, final int interfaceId, final long capturedLength)
        throws CaptureFileException
    {
        if (capturedLength > interfaceMaxCaptureLengths[interfaceId])
        {
            throw CaptureFileException.at(
                path, blockStart, "bad captured length " + capturedLength,
                "more than the snapshot length " + interfaceSnapLengths[interfaceId] + " of interface " + interfaceId +
                " and the " + PcapReader.MAXIMUM_SNAPLEN + "-byte maximum");
        }
    }

    private CaptureFileException unknownInterface(final long blockStart, final long interfaceId)
    {
        return CaptureFileException.at(
            path, blockStart, "packet from unknown interface " + interfaceId,
            interfaceCount == 0 ? "no interface description block before it in its section" :
                "its section describes " + interfaceCount + (interfaceCount == 1 ? " interface" : " interfaces"));
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
        return FORMAT;
    }

    @Override
    public void close() throws IOException
    {
        closed = true;
        window.release();
        channel.close();
    }
}
