package io.linerate.decode.ip;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over the first two bytes every IPv6 extension header shares (RFC 8200 §4, RFC 6564
 * §4): the next header and a length. Hop-by-Hop, Routing, Destination Options, Mobility, HIP and
 * Shim6 count the length in 8-octet units not including the first 8 octets; the Authentication
 * Header counts it in 4-octet units minus 2 (RFC 4302 §2.2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                                                               |
 * .                 header-specific data (options)                .
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6ExtensionHeaderFlyweight
{
    public static final int NEXT_HEADER_OFFSET = 0;
    public static final int LENGTH_OFFSET = 1;
    /** Bytes needed to read the next header and the length. */
    public static final int PREFIX_LENGTH = 2;

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
    public Ipv6ExtensionHeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
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

    public int nextHeader()
    {
        return NetworkOrder.uint8(buffer, offset + NEXT_HEADER_OFFSET);
    }

    /** Length in bytes of a header in the RFC 8200 §4 format: (Hdr Ext Len + 1) * 8. */
    public int headerLength()
    {
        return (NetworkOrder.uint8(buffer, offset + LENGTH_OFFSET) + 1) << 3;
    }

    /** Length in bytes of an Authentication Header: (Payload Len + 2) * 4 (RFC 4302 §2.2). */
    public int authenticationHeaderLength()
    {
        return (NetworkOrder.uint8(buffer, offset + LENGTH_OFFSET) + 2) << 2;
    }
}
