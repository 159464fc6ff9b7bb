package io.linerate.decode.mpls;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over one MPLS label stack entry (RFC 3032 section 2.1), EtherType 0x8847 (unicast) or
 * 0x8848 (multicast). Entries repeat until the bottom-of-stack bit; the payload has no type field,
 * so its IP version comes from its first nibble, as every MPLS decoder does.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Label                  | TC  |S|      TTL      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class MplsLabelFlyweight
{
    public static final int ETHER_TYPE_UNICAST = 0x8847;
    public static final int ETHER_TYPE_MULTICAST = 0x8848;
    public static final int LENGTH = 4;
    private static final int BOTTOM_OF_STACK_BIT = 0x100;

    private byte[] buffer;
    private int offset;

    public MplsLabelFlyweight wrap(final byte[] buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** The 20-bit label. */
    public int label()
    {
        return (int)(NetworkOrder.uint32(buffer, offset) >>> 12);
    }

    /** True on the last entry of the stack. */
    public boolean bottomOfStack()
    {
        return (NetworkOrder.uint32(buffer, offset) & BOTTOM_OF_STACK_BIT) != 0;
    }

    public int ttl()
    {
        return NetworkOrder.uint8(buffer, offset + 3);
    }
}
