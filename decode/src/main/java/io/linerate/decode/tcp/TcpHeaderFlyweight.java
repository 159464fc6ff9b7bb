package io.linerate.decode.tcp;

import io.linerate.decode.NetworkOrder;
import io.linerate.ingest.ring.FrameSlot;

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
 * <p>Accessors do not check the length given to {@link #wrap}: the caller checks
 * {@link #MIN_HEADER_LENGTH} before the fixed fields and {@link #headerLength()} before
 * {@link #decodeOptions(FrameSlot)}.
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
    /** Data offset 5: a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MIN_DATA_OFFSET = 5;

    private byte[] buffer;
    private int offset;
    private int length;

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
     * Walks the options (between byte 20 and {@link #headerLength()}) and writes the ones a shard
     * uses into the slot: MSS, window scale, SACK-permitted, SACK blocks, timestamps. The caller has
     * checked that the whole header is captured. Fields of options that are absent are left as
     * {@link FrameSlot#clearDecoded()} set them.
     *
     * <p>An option whose length is below 2 or runs past the header ends the walk (nothing after it
     * can be found, RFC 9293 §3.2); an option of a known kind with the wrong length is skipped by
     * its length field. Both make the options malformed; what was read before stays. The window
     * scale is stored as sent: clamping a shift above 14 (RFC 7323 §2.3) is the consumer's rule.
     *
     * @return true when every option was well formed
     */
    public boolean decodeOptions(final FrameSlot slot)
    {
        final byte[] buffer = this.buffer;
        final int end = offset + headerLength();
        boolean wellFormed = true;
        int at = offset + OPTIONS_OFFSET;
        while (at < end)
        {
            final int kind = NetworkOrder.uint8(buffer, at);
            if (kind == TcpOptionKind.END_OF_OPTION_LIST)
            {
                break;
            }
            if (kind == TcpOptionKind.NO_OPERATION)
            {
                at++;
                continue;
            }
            if (at + 1 >= end)
            {
                return false;
            }
            final int optionLength = NetworkOrder.uint8(buffer, at + 1);
            if (optionLength < 2 || at + optionLength > end)
            {
                return false;
            }

            switch (kind)
            {
                case TcpOptionKind.MAXIMUM_SEGMENT_SIZE:
                    if (optionLength == TcpOptionKind.MAXIMUM_SEGMENT_SIZE_LENGTH)
                    {
                        slot.mss = NetworkOrder.uint16(buffer, at + 2);
                    }
                    else
                    {
                        wellFormed = false;
                    }
                    break;

                case TcpOptionKind.WINDOW_SCALE:
                    if (optionLength == TcpOptionKind.WINDOW_SCALE_LENGTH)
                    {
                        slot.windowScale = NetworkOrder.uint8(buffer, at + 2);
                    }
                    else
                    {
                        wellFormed = false;
                    }
                    break;

                case TcpOptionKind.SACK_PERMITTED:
                    if (optionLength == TcpOptionKind.SACK_PERMITTED_LENGTH)
                    {
                        slot.sackPermitted = true;
                    }
                    else
                    {
                        wellFormed = false;
                    }
                    break;

                case TcpOptionKind.SACK:
                    wellFormed &= decodeSackBlocks(slot, at, optionLength);
                    break;

                case TcpOptionKind.TIMESTAMPS:
                    if (optionLength == TcpOptionKind.TIMESTAMPS_LENGTH)
                    {
                        slot.timestampsPresent = true;
                        slot.tsVal = NetworkOrder.uint32(buffer, at + 2);
                        slot.tsEcr = NetworkOrder.uint32(buffer, at + 6);
                    }
                    else
                    {
                        wellFormed = false;
                    }
                    break;

                default:
                    // Other kinds (TFO, MPTCP, MD5, ...) are stepped over by their length.
                    break;
            }
            at += optionLength;
        }
        return wellFormed;
    }

    private boolean decodeSackBlocks(final FrameSlot slot, final int at, final int optionLength)
    {
        // RFC 2018 §3: length 2 + 8n, n >= 1.
        final int blockBytes = optionLength - 2;
        if (blockBytes == 0 || blockBytes % TcpOptionKind.SACK_BLOCK_LENGTH != 0)
        {
            return false;
        }
        final int blocks = blockBytes / TcpOptionKind.SACK_BLOCK_LENGTH;
        int count = slot.sackBlockCount;
        for (int i = 0; i < blocks && count < FrameSlot.MAX_SACK_BLOCKS; i++)
        {
            final int edge = at + 2 + i * TcpOptionKind.SACK_BLOCK_LENGTH;
            slot.sackLeft[count] = NetworkOrder.uint32(buffer, edge);
            slot.sackRight[count] = NetworkOrder.uint32(buffer, edge + 4);
            count++;
        }
        slot.sackBlockCount = count;
        return true;
    }
}
