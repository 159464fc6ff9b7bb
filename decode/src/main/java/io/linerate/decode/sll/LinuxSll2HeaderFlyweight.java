package io.linerate.decode.sll;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over a Linux cooked capture header, version 2 (LINKTYPE_LINUX_SLL2, 276;
 * https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html). All fields are big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Protocol type (EtherType)   |        Reserved (MBZ)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Interface index                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          ARPHRD type          |  Packet type  | Addr. length  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +           Link-layer address (8 bytes, zero padded)           +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class LinuxSll2HeaderFlyweight
{
    public static final int PROTOCOL_OFFSET = 0;
    public static final int RESERVED_OFFSET = 2;
    public static final int INTERFACE_INDEX_OFFSET = 4;
    public static final int ARPHRD_TYPE_OFFSET = 8;
    public static final int PACKET_TYPE_OFFSET = 10;
    public static final int ADDRESS_LENGTH_OFFSET = 11;
    public static final int ADDRESS_OFFSET = 12;
    public static final int HEADER_LENGTH = 20;

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
    public LinuxSll2HeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    /** EtherType of the payload for most device types (a netlink family on netlink monitors). */
    public int protocol()
    {
        return NetworkOrder.uint16(buffer, offset + PROTOCOL_OFFSET);
    }

    /** Linux interface index of the capturing device. */
    public int interfaceIndex()
    {
        return NetworkOrder.int32(buffer, offset + INTERFACE_INDEX_OFFSET);
    }

    /** Linux ARPHRD_* type of the capturing device ({@link ArpHardwareType}). */
    public int arpHardwareType()
    {
        return NetworkOrder.uint16(buffer, offset + ARPHRD_TYPE_OFFSET);
    }

    /** Direction/class of the packet, as in {@link LinuxSllHeaderFlyweight#packetType()}. */
    public int packetType()
    {
        return NetworkOrder.uint8(buffer, offset + PACKET_TYPE_OFFSET);
    }

    public int addressLength()
    {
        return NetworkOrder.uint8(buffer, offset + ADDRESS_LENGTH_OFFSET);
    }
}
