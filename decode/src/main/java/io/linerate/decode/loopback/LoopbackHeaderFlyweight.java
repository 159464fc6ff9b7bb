package io.linerate.decode.loopback;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over the 4-byte loopback header of LINKTYPE_NULL (0) and LINKTYPE_LOOP (108)
 * (https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Address family (AF_* value)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>LINKTYPE_NULL writes the family in the byte order of the machine that captured, which a file
 * does not record. AF values are small (below 2^16), so a big-endian value starts with two zero
 * bytes and a little-endian one does not: {@link #familyInCapturingHostOrder()} reads it that way,
 * as Wireshark does. LINKTYPE_LOOP always writes it in network byte order
 * ({@link #familyInNetworkOrder()}).
 */
public final class LoopbackHeaderFlyweight
{
    public static final int FAMILY_OFFSET = 0;
    public static final int HEADER_LENGTH = 4;

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
    public LoopbackHeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    /** The family of LINKTYPE_NULL, byte order detected from which end holds the zero bytes. */
    public int familyInCapturingHostOrder()
    {
        final int index = offset + FAMILY_OFFSET;
        if (buffer[index] == 0 && buffer[index + 1] == 0)
        {
            return NetworkOrder.int32(buffer, index);
        }
        return NetworkOrder.int32LittleEndian(buffer, index);
    }

    /** The family of LINKTYPE_LOOP, always big-endian. */
    public int familyInNetworkOrder()
    {
        return NetworkOrder.int32(buffer, offset + FAMILY_OFFSET);
    }
}
