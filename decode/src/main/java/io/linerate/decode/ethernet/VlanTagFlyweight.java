package io.linerate.decode.ethernet;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over the four bytes that follow a VLAN tag protocol identifier (IEEE 802.1Q-2018
 * §9.6): the tag control information and the EtherType of what the tag encapsulates. The TPID
 * itself (0x8100, 0x88A8, 0x9100) is the EtherType field before it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | PCP |D|        VLAN id        |    encapsulated EtherType     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VlanTagFlyweight
{
    public static final int TAG_CONTROL_OFFSET = 0;
    public static final int ENCAPSULATED_ETHER_TYPE_OFFSET = 2;
    public static final int LENGTH = 4;
    public static final int VLAN_ID_MASK = 0x0FFF;

    private byte[] buffer;
    private int offset;
    private int length;

    /**
     * Points this flyweight at a tag.
     *
     * @param buffer frame bytes
     * @param offset where the tag control information starts
     * @param length bytes captured from {@code offset}
     * @return this
     */
    public VlanTagFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    /** The 12-bit VLAN identifier. */
    public int vlanId()
    {
        return NetworkOrder.uint16(buffer, offset + TAG_CONTROL_OFFSET) & VLAN_ID_MASK;
    }

    /** The 3-bit priority code point. */
    public int priority()
    {
        return NetworkOrder.uint8(buffer, offset + TAG_CONTROL_OFFSET) >>> 5;
    }

    /** EtherType of the encapsulated payload (or the next tag's TPID). */
    public int encapsulatedEtherType()
    {
        return NetworkOrder.uint16(buffer, offset + ENCAPSULATED_ETHER_TYPE_OFFSET);
    }
}
