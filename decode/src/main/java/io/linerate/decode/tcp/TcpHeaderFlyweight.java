package io.linerate.decode.tcp;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over a TCP header (RFC 9293 §3.1) and its options.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |     |N|C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrv|S|W|C|R|C|S|S|Y|I|            Window             |
 * |       |     | |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (data offset > 5)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>A read-only view: it reads the bytes and writes nothing ({@link TcpLayer} copies what a shard
 * needs into the frame's slot). Accessors do not check the length given to {@link #wrap}: the
 * caller checks {@link #MIN_HEADER_LENGTH} before the fixed fields and {@link #headerLength()}
 * before walking the options.
 */
public final class TcpHeaderFlyweight
{
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_NUMBER_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_NUMBER_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    public static final int OPTIONS_OFFSET = 20;
    /** {@link #firstOption} and {@link #nextOption}: no option follows. */
    public static final int OPTIONS_END = -1;
    /** {@link #firstOption} and {@link #nextOption}: the next option is malformed, and the walk ends. */
    public static final int OPTIONS_MALFORMED = -2;
    /** Data offset 5: a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MIN_DATA_OFFSET = 5;

    private byte[] buffer;
    private int offset;
    private int length;
    /** Where the options end, set by {@link #firstOption} for the walk. */
    private int optionsEnd;

    /**
     * Points this flyweight at a header.
     *
     * @param buffer frame bytes
     * @param offset where the header starts
     * @param length bytes captured from {@code offset}
     * @return this
     */
    public TcpHeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public int offset()
    {
        return offset;
    }

    /** Bytes captured from {@link #offset()}, as given to {@link #wrap}. */
    public int length()
    {
        return length;
    }

    public int sourcePort()
    {
        return NetworkOrder.uint16(buffer, offset + SOURCE_PORT_OFFSET);
    }

    public int destinationPort()
    {
        return NetworkOrder.uint16(buffer, offset + DESTINATION_PORT_OFFSET);
    }

    /** Sequence number, unsigned 32-bit in a long. */
    public long sequenceNumber()
    {
        return NetworkOrder.uint32(buffer, offset + SEQUENCE_NUMBER_OFFSET);
    }

    /** Acknowledgment number, unsigned 32-bit in a long. */
    public long acknowledgmentNumber()
    {
        return NetworkOrder.uint32(buffer, offset + ACKNOWLEDGMENT_NUMBER_OFFSET);
    }

    /** Header length in 32-bit words. */
    public int dataOffset()
    {
        return NetworkOrder.uint8(buffer, offset + DATA_OFFSET_OFFSET) >>> 4;
    }

    /** Header length in bytes, options included. */
    public int headerLength()
    {
        return dataOffset() << 2;
    }

    /** The nine control bits, as {@link TcpFlags} values (NS as bit 8). */
    public int flags()
    {
        return NetworkOrder.uint16(buffer, offset + DATA_OFFSET_OFFSET) & TcpFlags.MASK;
    }

    /** The window field as sent, not scaled. */
    public int window()
    {
        return NetworkOrder.uint16(buffer, offset + WINDOW_OFFSET);
    }

    public int checksum()
    {
        return NetworkOrder.uint16(buffer, offset + CHECKSUM_OFFSET);
    }

    public int urgentPointer()
    {
        return NetworkOrder.uint16(buffer, offset + URGENT_POINTER_OFFSET);
    }

    /**
     * The first option: where it starts in the buffer, {@link #OPTIONS_END} when there is none.
     * With {@link #nextOption} this walks the options between byte 20 and {@link #headerLength()};
     * the caller has checked that the whole header is captured.
     */
    public int firstOption()
    {
        optionsEnd = offset + headerLength();
        return option(offset + OPTIONS_OFFSET);
    }

    /**
     * The option after the one at {@code at} (a position {@link #firstOption} or this gave):
     * {@link #OPTIONS_END} after the last (or at an End of Option List, after which the bytes are
     * padding), {@link #OPTIONS_MALFORMED} when the next one's length is below 2 or runs past the
     * header (nothing after it can be found, RFC 9293 section 3.2).
     */
    public int nextOption(final int at)
    {
        return option(NetworkOrder.uint8(buffer, at) == TcpOptionKind.NO_OPERATION ? at + 1 :
            at + NetworkOrder.uint8(buffer, at + 1));
    }

    /** The kind of the option at {@code at}. */
    public int optionKind(final int at)
    {
        return NetworkOrder.uint8(buffer, at);
    }

    /** The length field of the option at {@code at} (1 for a No-Operation, which has none). */
    public int optionLength(final int at)
    {
        return optionKind(at) == TcpOptionKind.NO_OPERATION ? 1 : NetworkOrder.uint8(buffer, at + 1);
    }

    /** The unsigned byte {@code index} bytes into the option at {@code at}. */
    public int optionUint8(final int at, final int index)
    {
        return NetworkOrder.uint8(buffer, at + index);
    }

    /** The unsigned 16-bit field {@code index} bytes into the option at {@code at}. */
    public int optionUint16(final int at, final int index)
    {
        return NetworkOrder.uint16(buffer, at + index);
    }

    /** The unsigned 32-bit field {@code index} bytes into the option at {@code at}. */
    public long optionUint32(final int at, final int index)
    {
        return NetworkOrder.uint32(buffer, at + index);
    }

    /** The option that starts at {@code at}, or the end of the walk, or a malformed option there. */
    private int option(final int at)
    {
        final int end = optionsEnd;
        if (at >= end)
        {
            return OPTIONS_END;
        }
        final int kind = NetworkOrder.uint8(buffer, at);
        if (kind == TcpOptionKind.END_OF_OPTION_LIST)
        {
            return OPTIONS_END;
        }
        if (kind == TcpOptionKind.NO_OPERATION)
        {
            return at;
        }
        if (at + 1 >= end)
        {
            return OPTIONS_MALFORMED;
        }
        final int optionLength = NetworkOrder.uint8(buffer, at + 1);
        return optionLength < 2 || at + optionLength > end ? OPTIONS_MALFORMED : at;
    }
}
