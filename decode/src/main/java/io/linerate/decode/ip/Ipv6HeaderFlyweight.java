package io.linerate.decode.ip;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over the IPv6 fixed header (RFC 8200 §3).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +                         Source Address                        +
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +                      Destination Address                      +
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Accessors do not check the length given to {@link #wrap}: the caller checks
 * {@link #HEADER_LENGTH} first.
 */
public final class Ipv6HeaderFlyweight
{
    public static final int VERSION_CLASS_LABEL_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_ADDRESS_OFFSET = 8;
    public static final int DESTINATION_ADDRESS_OFFSET = 24;
    public static final int HEADER_LENGTH = 40;
    public static final int VERSION = 6;

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
    public Ipv6HeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    public int version()
    {
        return NetworkOrder.uint8(buffer, offset + VERSION_CLASS_LABEL_OFFSET) >>> 4;
    }

    public int trafficClass()
    {
        return (NetworkOrder.uint16(buffer, offset + VERSION_CLASS_LABEL_OFFSET) >>> 4) & 0xFF;
    }

    public int flowLabel()
    {
        return NetworkOrder.int32(buffer, offset + VERSION_CLASS_LABEL_OFFSET) & 0x000F_FFFF;
    }

    /** Bytes after the fixed header, extension headers included (0 for jumbograms). */
    public int payloadLength()
    {
        return NetworkOrder.uint16(buffer, offset + PAYLOAD_LENGTH_OFFSET);
    }

    public int nextHeader()
    {
        return NetworkOrder.uint8(buffer, offset + NEXT_HEADER_OFFSET);
    }

    public int hopLimit()
    {
        return NetworkOrder.uint8(buffer, offset + HOP_LIMIT_OFFSET);
    }

    /** High 64 bits of the source address. */
    public long sourceAddressHigh()
    {
        return NetworkOrder.int64(buffer, offset + SOURCE_ADDRESS_OFFSET);
    }

    /** Low 64 bits of the source address. */
    public long sourceAddressLow()
    {
        return NetworkOrder.int64(buffer, offset + SOURCE_ADDRESS_OFFSET + 8);
    }

    /** High 64 bits of the destination address. */
    public long destinationAddressHigh()
    {
        return NetworkOrder.int64(buffer, offset + DESTINATION_ADDRESS_OFFSET);
    }

    /** Low 64 bits of the destination address. */
    public long destinationAddressLow()
    {
        return NetworkOrder.int64(buffer, offset + DESTINATION_ADDRESS_OFFSET + 8);
    }
}
