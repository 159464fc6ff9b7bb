package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import static io.linerate.ingest.file.PcapngReader.BLOCK_HEADER_LENGTH;
import static io.linerate.ingest.file.PcapngReader.BLOCK_OVERHEAD;
import static io.linerate.ingest.file.PcapngReader.ENHANCED_PACKET_MIN_LENGTH;
import static io.linerate.ingest.file.PcapngReader.EPB_CAPTURED_LENGTH_OFFSET;
import static io.linerate.ingest.file.PcapngReader.EPB_DATA_OFFSET;
import static io.linerate.ingest.file.PcapngReader.EPB_INTERFACE_OFFSET;
import static io.linerate.ingest.file.PcapngReader.EPB_ORIGINAL_LENGTH_OFFSET;
import static io.linerate.ingest.file.PcapngReader.EPB_TIMESTAMP_HIGH_OFFSET;
import static io.linerate.ingest.file.PcapngReader.EPB_TIMESTAMP_LOW_OFFSET;
import static io.linerate.ingest.file.PcapngReader.IDB_LINKTYPE_OFFSET;
import static io.linerate.ingest.file.PcapngReader.IDB_OPTIONS_OFFSET;
import static io.linerate.ingest.file.PcapngReader.IDB_SNAPLEN_OFFSET;
import static io.linerate.ingest.file.PcapngReader.INTERFACE_DESCRIPTION_MIN_LENGTH;
import static io.linerate.ingest.file.PcapngReader.NANOS_PER_SECOND;
import static io.linerate.ingest.file.PcapngReader.OBSOLETE_PACKET_MIN_LENGTH;
import static io.linerate.ingest.file.PcapngReader.OPB_CAPTURED_LENGTH_OFFSET;
import static io.linerate.ingest.file.PcapngReader.OPB_DATA_OFFSET;
import static io.linerate.ingest.file.PcapngReader.OPB_INTERFACE_OFFSET;
import static io.linerate.ingest.file.PcapngReader.OPB_ORIGINAL_LENGTH_OFFSET;
import static io.linerate.ingest.file.PcapngReader.OPB_TIMESTAMP_HIGH_OFFSET;
import static io.linerate.ingest.file.PcapngReader.OPB_TIMESTAMP_LOW_OFFSET;
import static io.linerate.ingest.file.PcapngReader.SECTION_HEADER_MIN_LENGTH;
import static io.linerate.ingest.file.PcapngReader.SHB_BYTE_ORDER_MAGIC_OFFSET;
import static io.linerate.ingest.file.PcapngReader.SHB_MAJOR_OFFSET;
import static io.linerate.ingest.file.PcapngReader.SHB_MINOR_OFFSET;
import static io.linerate.ingest.file.PcapngReader.SIMPLE_PACKET_MIN_LENGTH;
import static io.linerate.ingest.file.PcapngReader.SPB_DATA_OFFSET;
import static io.linerate.ingest.file.PcapngReader.SPB_ORIGINAL_LENGTH_OFFSET;

/**
 * Reads a pcapng capture that arrives as a stream: the blocks, checks and messages of
 * {@link PcapngReader} (see its block diagrams), over a {@link StreamWindow} instead of a memory
 * mapping, so the mapped reader stays the unconditional fast path for files on disk.
 *
 * <p>A stream is read once, forwards. Interface description and packet blocks are held whole while
 * they are read, up to {@link #HOLD_LIMIT} bytes (a frame of the largest snapshot length any link
 * type has, and room for options); every other block, a section header's options included, is read
 * past without being kept, however long it is, counting its bytes so that a stream ending inside it
 * gets the same message as a file would. An interface description or packet block larger than the
 * limit is the one thing a file may hold that a stream reader refuses, with its own message.
 */
final class PcapngStreamReader implements CaptureReader
{
    /** The largest interface description or packet block held while it is read. */
    static final long HOLD_LIMIT = PcapReader.LARGEST_SNAPLEN + (1 << 20);

    private final Path path;
    private final StreamWindow window;
    private final String offsetsIn;
    private long position;
    private long frameCount;
    private boolean closed;

    private int interfaceCount;
    private int[] interfaceLinkTypes = new int[4];
    private long[] interfaceSnapLengths = new long[4];
    private long[] interfaceMaxCaptureLengths = new long[4];
    private long[] interfaceOffsetNanos = new long[4];
    private TimestampResolution[] interfaceResolutions = new TimestampResolution[4];

    /** Reads the first section header from {@code window}; takes ownership of it. */
    PcapngStreamReader(final Path path, final StreamWindow window) throws CaptureFileException
    {
        this.path = path;
        this.window = window;
        this.offsetsIn = window.offsetsIn();
        final int headerBytes = window.fill(0, BLOCK_HEADER_LENGTH);
        if (headerBytes < BLOCK_HEADER_LENGTH)
        {
            throw CaptureFileException.at(path, 0, offsetsIn, "truncated block header",
                BLOCK_HEADER_LENGTH + " bytes needed, " + headerBytes + " left");
        }
        final int firstBlockType = window.intAt(0);
        if (firstBlockType != PcapngReader.SECTION_HEADER_BLOCK)
        {
            throw new CaptureFileException(path, 0,
                String.format("not a pcapng file (magic 0x%08x at byte offset 0%s)", firstBlockType, offsetsIn));
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
        final StreamWindow window = this.window;
        while (true)
        {
            final long blockStart = position;
            final int headerBytes = window.fill(blockStart, BLOCK_HEADER_LENGTH);
            if (headerBytes == 0)
            {
                return false;
            }
            if (headerBytes < BLOCK_HEADER_LENGTH)
            {
                throw CaptureFileException.at(path, blockStart, offsetsIn, "truncated block header",
                    BLOCK_HEADER_LENGTH + " bytes needed, " + headerBytes + " left");
            }
            final int blockType = window.intAt(blockStart);
            if (blockType == PcapngReader.SECTION_HEADER_BLOCK)
            {
                position = readSectionHeader(blockStart);
                continue;
            }
            final boolean held = blockType == PcapngReader.ENHANCED_PACKET_BLOCK ||
                blockType == PcapngReader.SIMPLE_PACKET_BLOCK || blockType == PcapngReader.OBSOLETE_PACKET_BLOCK ||
                blockType == PcapngReader.INTERFACE_DESCRIPTION_BLOCK;
            final long blockLength = checkBlockLength(blockStart, blockType, held);
            switch (blockType)
            {
                case PcapngReader.ENHANCED_PACKET_BLOCK:
                    readEnhancedPacket(blockStart, blockLength, slot);
                    position = blockStart + blockLength;
                    return true;
                case PcapngReader.SIMPLE_PACKET_BLOCK:
                    readSimplePacket(blockStart, blockLength, slot);
                    position = blockStart + blockLength;
                    return true;
                case PcapngReader.OBSOLETE_PACKET_BLOCK:
                    readObsoletePacket(blockStart, blockLength, slot);
                    position = blockStart + blockLength;
                    return true;
                case PcapngReader.INTERFACE_DESCRIPTION_BLOCK:
                    readInterfaceDescription(blockStart, blockLength);
                    break;
                default:
                    break;
            }
            position = blockStart + blockLength;
        }
    }

    private long readSectionHeader(final long blockStart) throws CaptureFileException
    {
        final int available = window.fill(blockStart, BLOCK_OVERHEAD);
        if (available < BLOCK_OVERHEAD)
        {
            throw CaptureFileException.at(path, blockStart, offsetsIn, "truncated section header block",
                BLOCK_OVERHEAD + " bytes needed, " + available + " left");
        }
        final int magic = window.intAt(blockStart + SHB_BYTE_ORDER_MAGIC_OFFSET);
        if (magic != PcapngReader.BYTE_ORDER_MAGIC)
        {
            if (magic != Integer.reverseBytes(PcapngReader.BYTE_ORDER_MAGIC))
            {
                final int asWritten = window.order() == ByteOrder.BIG_ENDIAN ? magic : Integer.reverseBytes(magic);
                throw CaptureFileException.at(path, blockStart + SHB_BYTE_ORDER_MAGIC_OFFSET, offsetsIn,
                    String.format("bad byte-order magic 0x%08x", asWritten), null);
            }
            window.order(window.order() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        }
        // The version is read before the block is passed: its options are not kept.
        int major = -1;
        int minor = -1;
        if (window.fill(blockStart, SECTION_HEADER_MIN_LENGTH) == SECTION_HEADER_MIN_LENGTH)
        {
            major = window.unsignedShortAt(blockStart + SHB_MAJOR_OFFSET);
            minor = window.unsignedShortAt(blockStart + SHB_MINOR_OFFSET);
        }
        final long blockLength = checkBlockLength(blockStart, PcapngReader.SECTION_HEADER_BLOCK, false);
        if (major != 1 || (minor != 0 && minor != 2))
        {
            throw CaptureFileException.at(path, blockStart + SHB_MAJOR_OFFSET, offsetsIn,
                "unsupported pcapng version " + major + "." + minor, null);
        }
        interfaceCount = 0;
        return blockStart + blockLength;
    }

    /**
     * Checks the total length of the block at {@code blockStart} (its first 8 bytes held), as
     * {@link PcapngReader} does, and reads to its end: a {@code held} block is then held whole, any
     * other has been read past.
     */
    private long checkBlockLength(final long blockStart, final int blockType, final boolean held)
        throws CaptureFileException
    {
        final long blockLength = window.unsignedIntAt(blockStart + 4);
        if ((blockLength & 3) != 0)
        {
            throw CaptureFileException.at(path, blockStart, offsetsIn, "bad block length " + blockLength,
                "not a multiple of 4");
        }
        final int minimum = minimumLength(blockType);
        if (blockLength < minimum)
        {
            throw CaptureFileException.at(path, blockStart, offsetsIn, "bad block length " + blockLength,
                minimum == BLOCK_OVERHEAD ? "less than the " + BLOCK_OVERHEAD + "-byte minimum" :
                    blockName(blockType) + " needs at least " + minimum);
        }
        final long trailerPosition = blockStart + blockLength - 4;
        final long available;
        if (held && blockLength <= HOLD_LIMIT)
        {
            available = window.fill(blockStart, (int)blockLength);
        }
        else
        {
            final long reached = window.skipTo(blockStart, trailerPosition);
            available = reached - blockStart + (reached == trailerPosition ? window.fill(trailerPosition, 4) : 0);
        }
        if (blockLength > available)
        {
            throw CaptureFileException.at(path, blockStart, offsetsIn, "truncated block",
                "header says " + blockLength + " bytes, " + available + " left");
        }
        final long trailingLength = window.unsignedIntAt(trailerPosition);
        if (trailingLength != blockLength)
        {
            throw CaptureFileException.at(path, blockStart, offsetsIn, "bad block length " + blockLength,
                "the copy at the end of the block says " + trailingLength);
        }
        if (held && blockLength > HOLD_LIMIT)
        {
            throw CaptureFileException.at(path, blockStart, offsetsIn, blockName(blockType) + " of " + blockLength +
                " bytes", "more than the " + HOLD_LIMIT + " bytes read from a stream at a time " +
                "(decompress it to a file)");
        }
        return blockLength;
    }

    private static int minimumLength(final int blockType)
    {
        switch (blockType)
        {
            case PcapngReader.SECTION_HEADER_BLOCK:
                return SECTION_HEADER_MIN_LENGTH;
            case PcapngReader.INTERFACE_DESCRIPTION_BLOCK:
                return INTERFACE_DESCRIPTION_MIN_LENGTH;
            case PcapngReader.ENHANCED_PACKET_BLOCK:
                return ENHANCED_PACKET_MIN_LENGTH;
            case PcapngReader.OBSOLETE_PACKET_BLOCK:
                return OBSOLETE_PACKET_MIN_LENGTH;
            case PcapngReader.SIMPLE_PACKET_BLOCK:
                return SIMPLE_PACKET_MIN_LENGTH;
            default:
                return BLOCK_OVERHEAD;
        }
    }

    private static String blockName(final int blockType)
    {
        switch (blockType)
        {
            case PcapngReader.SECTION_HEADER_BLOCK:
                return "a section header block";
            case PcapngReader.INTERFACE_DESCRIPTION_BLOCK:
                return "an interface description block";
            case PcapngReader.ENHANCED_PACKET_BLOCK:
                return "an enhanced packet block";
            case PcapngReader.OBSOLETE_PACKET_BLOCK:
                return "an obsolete packet block";
            case PcapngReader.SIMPLE_PACKET_BLOCK:
                return "a simple packet block";
            default:
                return "a block of type " + blockType;
        }
    }

    private void readInterfaceDescription(final long blockStart, final long blockLength) throws CaptureFileException
    {
        final StreamWindow window = this.window;
        final int linkType = window.unsignedShortAt(blockStart + IDB_LINKTYPE_OFFSET);
        final long snapLength = window.unsignedIntAt(blockStart + IDB_SNAPLEN_OFFSET);

        TimestampResolution resolution = TimestampResolution.MICROSECONDS;
        boolean sawResolution = false;
        long offsetSeconds = 0;
        boolean sawOffset = false;
        final long optionsEnd = blockStart + blockLength - 4;
        long optionStart = blockStart + IDB_OPTIONS_OFFSET;
        while (optionStart < optionsEnd)
        {
            final int code = window.unsignedShortAt(optionStart);
            final int length = window.unsignedShortAt(optionStart + 2);
            if (code == PcapngReader.OPT_ENDOFOPT)
            {
                break;
            }
            final long valueStart = optionStart + 4;
            final long paddedLength = (length + 3) & ~3L;
            if (paddedLength > optionsEnd - valueStart)
            {
                throw CaptureFileException.at(path, optionStart, offsetsIn, "bad option length " + length,
                    "option " + code + " overruns the interface description block at byte offset " + blockStart);
            }
            if (code == PcapngReader.IF_TSRESOL)
            {
                checkTimestampOption(optionStart, "if_tsresol", length, 1, sawResolution);
                sawResolution = true;
                final int value = window.unsignedByteAt(valueStart);
                resolution = TimestampResolution.fromOption(value);
                if (resolution == null)
                {
                    throw CaptureFileException.at(path, optionStart, offsetsIn,
                        "unsupported if_tsresol " + TimestampResolution.describeOption(value),
                        "more units per second than 64 bits hold");
                }
            }
            else if (code == PcapngReader.IF_TSOFFSET)
            {
                checkTimestampOption(optionStart, "if_tsoffset", length, 8, sawOffset);
                sawOffset = true;
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
            throw CaptureFileException.at(path, blockStart, offsetsIn, "bad if_tsoffset " + offsetSeconds,
                "more seconds than nanosecond time stamps reach");
        }
        addInterface(linkType, snapLength, resolution, offsetNanos);
    }

    private void checkTimestampOption(
        final long optionStart, final String name, final int length, final int expectedLength, final boolean seenBefore)
        throws CaptureFileException
    {
        if (length != expectedLength)
        {
            throw CaptureFileException.at(path, optionStart, offsetsIn, "bad " + name + " option",
                "length " + length + ", expected " + expectedLength);
        }
        if (seenBefore)
        {
            throw CaptureFileException.at(path, optionStart, offsetsIn, "repeated " + name + " option", null);
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
        final StreamWindow window = this.window;
        final long interfaceId = window.unsignedIntAt(blockStart + EPB_INTERFACE_OFFSET);
        final long ticks = (window.unsignedIntAt(blockStart + EPB_TIMESTAMP_HIGH_OFFSET) << 32) |
            window.unsignedIntAt(blockStart + EPB_TIMESTAMP_LOW_OFFSET);
        final long capturedLength = window.unsignedIntAt(blockStart + EPB_CAPTURED_LENGTH_OFFSET);
        final long originalLength = window.unsignedIntAt(blockStart + EPB_ORIGINAL_LENGTH_OFFSET);
        readPacket(blockStart, blockLength - ENHANCED_PACKET_MIN_LENGTH, interfaceId, ticks, capturedLength,
            originalLength, EPB_DATA_OFFSET, slot);
    }

    private void readObsoletePacket(final long blockStart, final long blockLength, final FrameSlot slot)
        throws CaptureFileException
    {
        final StreamWindow window = this.window;
        final int interfaceId = window.unsignedShortAt(blockStart + OPB_INTERFACE_OFFSET);
        final long ticks = (window.unsignedIntAt(blockStart + OPB_TIMESTAMP_HIGH_OFFSET) << 32) |
            window.unsignedIntAt(blockStart + OPB_TIMESTAMP_LOW_OFFSET);
        final long capturedLength = window.unsignedIntAt(blockStart + OPB_CAPTURED_LENGTH_OFFSET);
        final long originalLength = window.unsignedIntAt(blockStart + OPB_ORIGINAL_LENGTH_OFFSET);
        readPacket(blockStart, blockLength - OBSOLETE_PACKET_MIN_LENGTH, interfaceId, ticks, capturedLength,
            originalLength, OPB_DATA_OFFSET, slot);
    }

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
            throw CaptureFileException.at(path, blockStart, offsetsIn, "bad captured length " + capturedLength,
                "the block has room for " + dataRoom);
        }
        checkCapturedLength(blockStart, id, capturedLength);
        final int captureLength = (int)capturedLength;

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
        final long originalLength = window.unsignedIntAt(blockStart + SPB_ORIGINAL_LENGTH_OFFSET);
        long capturedLength = Math.min(originalLength, blockLength - SIMPLE_PACKET_MIN_LENGTH);
        final long snapLength = interfaceSnapLengths[0];
        if (snapLength != 0)
        {
            capturedLength = Math.min(capturedLength, snapLength);
        }
        checkCapturedLength(blockStart, 0, capturedLength);
        final int captureLength = (int)capturedLength;

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
            throw CaptureFileException.at(path, blockStart, offsetsIn, "bad captured length " + capturedLength,
                "more than the snapshot length " + interfaceSnapLengths[interfaceId] + " of interface " + interfaceId +
                " and the " + PcapReader.MAXIMUM_SNAPLEN + "-byte maximum");
        }
    }

    private CaptureFileException unknownInterface(final long blockStart, final long interfaceId)
    {
        return CaptureFileException.at(path, blockStart, offsetsIn, "packet from unknown interface " + interfaceId,
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
        return PcapngReader.FORMAT;
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
