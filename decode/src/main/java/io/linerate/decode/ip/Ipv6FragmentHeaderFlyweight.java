package io.linerate.decode.ip;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over an IPv6 Fragment header (RFC 8200 §4.5).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6FragmentHeaderFlyweight
{
    public static final int NEXT_HEADER_OFFSET = 0;
    public static final int OFFSET_FLAGS_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int HEADER_LENGTH = 8;
    /** The fragment offset field, already in bytes (8-octet units in the top 13 bits). */
    public static final int FRAGMENT_OFFSET_MASK = 0xFFF8;
    public static final int MORE_FRAGMENTS_FLAG = 0x0001;

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
    public Ipv6FragmentHeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    /** Header type of the fragmentable part; meaningful for the first fragment only. */
    public int nextHeader()
    {
        return NetworkOrder.uint8(buffer, offset + NEXT_HEADER_OFFSET);
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset()
    {
        return NetworkOrder.uint16(buffer, offset + OFFSET_FLAGS_OFFSET) & FRAGMENT_OFFSET_MASK;
    }

    public boolean moreFragments()
    {
        return (NetworkOrder.uint16(buffer, offset + OFFSET_FLAGS_OFFSET) & MORE_FRAGMENTS_FLAG) != 0;
    }

    /** Identification, unsigned 32-bit in a long. */
    public long identification()
    {
        return NetworkOrder.uint32(buffer, offset + IDENTIFICATION_OFFSET);
    }
}
