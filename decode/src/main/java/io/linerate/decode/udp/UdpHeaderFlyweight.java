package io.linerate.decode.udp;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over a UDP header (RFC 768).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Accessors do not check the length given to {@link #wrap}: the caller checks
 * {@link #HEADER_LENGTH} first.
 */
public final class UdpHeaderFlyweight
{
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
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
    public UdpHeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    /** The Length field: header plus data in bytes (0 in IPv6 jumbograms, RFC 2675 §4). */
    public int datagramLength()
    {
        return NetworkOrder.uint16(buffer, offset + LENGTH_OFFSET);
    }

    public int checksum()
    {
        return NetworkOrder.uint16(buffer, offset + CHECKSUM_OFFSET);
    }
}
