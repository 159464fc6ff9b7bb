package io.linerate.decode.ethernet;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over an Ethernet II header (IEEE 802.3 clause 3.1.1, DIX framing).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination MAC address                    |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                      Source MAC address                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |  payload or first VLAN tag...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Accessors do not check the length given to {@link #wrap}: the caller checks
 * {@link #HEADER_LENGTH} first.
 */
public final class EthernetHeaderFlyweight
{
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;

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
    public EthernetHeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    /** EtherType (or 802.3 length when below {@link EtherType#MIN_ETHERTYPE}). */
    public int etherType()
    {
        return NetworkOrder.uint16(buffer, offset + ETHER_TYPE_OFFSET);
    }

    /** The 48-bit destination MAC address in the low bits of a long. */
    public long destination()
    {
        return mac(offset + DESTINATION_OFFSET);
    }

    /** The 48-bit source MAC address in the low bits of a long. */
    public long source()
    {
        return mac(offset + SOURCE_OFFSET);
    }

    private long mac(final int index)
    {
        return (long)NetworkOrder.uint16(buffer, index) << 32 | NetworkOrder.uint32(buffer, index + 2);
    }
}
