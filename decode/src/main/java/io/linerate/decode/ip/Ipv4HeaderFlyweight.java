package io.linerate.decode.ip;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over an IPv4 header (RFC 791 §3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|     Fragment Offset     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   Flags: bit 0 reserved, bit 1 DF (don't fragment), bit 2 MF (more fragments)
 * </pre>
 *
 * <p>Accessors do not check the length given to {@link #wrap}: the caller checks
 * {@link #MIN_HEADER_LENGTH} (and {@link #headerLength()} before reading options).
 */
public final class Ipv4HeaderFlyweight
{
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TYPE_OF_SERVICE_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_ADDRESS_OFFSET = 12;
    public static final int DESTINATION_ADDRESS_OFFSET = 16;
    /** A header without options: IHL 5. */
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int VERSION = 4;

    public static final int DONT_FRAGMENT_FLAG = 0x4000;
    public static final int MORE_FRAGMENTS_FLAG = 0x2000;
    /** Fragment offset in 8-octet units. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

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
    public Ipv4HeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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
        return NetworkOrder.uint8(buffer, offset + VERSION_IHL_OFFSET) >>> 4;
    }

    /** Header length in bytes (IHL * 4). */
    public int headerLength()
    {
        return (NetworkOrder.uint8(buffer, offset + VERSION_IHL_OFFSET) & 0x0F) << 2;
    }

    public int typeOfService()
    {
        return NetworkOrder.uint8(buffer, offset + TYPE_OF_SERVICE_OFFSET);
    }

    /** Total length of the datagram in bytes, header included (0 in some offload captures). */
    public int totalLength()
    {
        return NetworkOrder.uint16(buffer, offset + TOTAL_LENGTH_OFFSET);
    }

    public int identification()
    {
        return NetworkOrder.uint16(buffer, offset + IDENTIFICATION_OFFSET);
    }

    public boolean dontFragment()
    {
        return (NetworkOrder.uint16(buffer, offset + FLAGS_FRAGMENT_OFFSET_OFFSET) & DONT_FRAGMENT_FLAG) != 0;
    }

    public boolean moreFragments()
    {
        return (NetworkOrder.uint16(buffer, offset + FLAGS_FRAGMENT_OFFSET_OFFSET) & MORE_FRAGMENTS_FLAG) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-octet units). */
    public int fragmentOffset()
    {
        return (NetworkOrder.uint16(buffer, offset + FLAGS_FRAGMENT_OFFSET_OFFSET) & FRAGMENT_OFFSET_MASK) << 3;
    }

    public int ttl()
    {
        return NetworkOrder.uint8(buffer, offset + TTL_OFFSET);
    }

    public int protocol()
    {
        return NetworkOrder.uint8(buffer, offset + PROTOCOL_OFFSET);
    }

    public int checksum()
    {
        return NetworkOrder.uint16(buffer, offset + CHECKSUM_OFFSET);
    }

    /** Source address, unsigned in the low 32 bits. */
    public long sourceAddress()
    {
        return NetworkOrder.uint32(buffer, offset + SOURCE_ADDRESS_OFFSET);
    }

    /** Destination address, unsigned in the low 32 bits. */
    public long destinationAddress()
    {
        return NetworkOrder.uint32(buffer, offset + DESTINATION_ADDRESS_OFFSET);
    }
}
