package io.linerate.decode.sll;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over a Linux cooked capture header, version 1 (LINKTYPE_LINUX_SLL, 113;
 * https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html). All fields are big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Packet type          |          ARPHRD type          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Link-layer address length   |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |         Link-layer address (8 bytes, zero padded)             |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |    Protocol type (EtherType)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class LinuxSllHeaderFlyweight
{
    public static final int PACKET_TYPE_OFFSET = 0;
    public static final int ARPHRD_TYPE_OFFSET = 2;
    public static final int ADDRESS_LENGTH_OFFSET = 4;
    public static final int ADDRESS_OFFSET = 6;
    public static final int PROTOCOL_OFFSET = 14;
    public static final int HEADER_LENGTH = 16;

    /** Packet type: sent by another host to this one. */
    public static final int PACKET_TYPE_HOST = 0;
    /** Packet type: sent by this host. */
    public static final int PACKET_TYPE_OUTGOING = 4;

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
    public LinuxSllHeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    /** Direction/class of the packet: 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 from us. */
    public int packetType()
    {
        return NetworkOrder.uint16(buffer, offset + PACKET_TYPE_OFFSET);
    }

    /** Linux ARPHRD_* type of the capturing device ({@link ArpHardwareType}). */
    public int arpHardwareType()
    {
        return NetworkOrder.uint16(buffer, offset + ARPHRD_TYPE_OFFSET);
    }

    public int addressLength()
    {
        return NetworkOrder.uint16(buffer, offset + ADDRESS_LENGTH_OFFSET);
    }

    /** EtherType of the payload for most device types (a netlink family on netlink monitors). */
    public int protocol()
    {
        return NetworkOrder.uint16(buffer, offset + PROTOCOL_OFFSET);
    }
}
