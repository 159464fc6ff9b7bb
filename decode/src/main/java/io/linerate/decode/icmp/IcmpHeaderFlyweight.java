package io.linerate.decode.icmp;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over the first 8 bytes of an ICMP (RFC 792) or ICMPv6 (RFC 4443 §2.1) message, which
 * share one layout. For echo messages the second word is an identifier and a sequence number; for
 * errors it is unused, an MTU, a pointer or a gateway, and the original datagram's IP header and at
 * least its first 8 transport bytes follow (the quote).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Identifier (echo) / unused / MTU / pointer / gateway address |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Echo sequence or data | errors: original IP header + 8 bytes...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Accessors do not check the length given to {@link #wrap}: the caller checks
 * {@link #HEADER_LENGTH} first.
 */
public final class IcmpHeaderFlyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_NUMBER_OFFSET = 6;
    /** Start of the quoted datagram in an error message. */
    public static final int QUOTE_OFFSET = 8;
    public static final int HEADER_LENGTH = 8;

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
    public IcmpHeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    public int type()
    {
        return NetworkOrder.uint8(buffer, offset + TYPE_OFFSET);
    }

    public int code()
    {
        return NetworkOrder.uint8(buffer, offset + CODE_OFFSET);
    }

    public int checksum()
    {
        return NetworkOrder.uint16(buffer, offset + CHECKSUM_OFFSET);
    }

    /** Echo identifier (echo request/reply only). */
    public int identifier()
    {
        return NetworkOrder.uint16(buffer, offset + IDENTIFIER_OFFSET);
    }

    /** Echo sequence number (echo request/reply only). */
    public int sequenceNumber()
    {
        return NetworkOrder.uint16(buffer, offset + SEQUENCE_NUMBER_OFFSET);
    }
}
