package io.linerate.decode.pppoe;

import io.linerate.decode.NetworkOrder;

/**
 * Flyweight over a PPPoE session-stage header (RFC 2516 section 4) and the PPP protocol field that
 * follows it (RFC 1661 section 2), EtherType 0x8864: the DSL access encapsulation of subscriber IP
 * traffic.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  VER  | TYPE  |      CODE     |          SESSION_ID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            LENGTH             |         PPP protocol          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class PppoeSessionHeaderFlyweight
{
    /** EtherType of PPPoE session-stage frames. */
    public static final int ETHER_TYPE_SESSION = 0x8864;
    public static final int VERSION_TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int SESSION_ID_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int PPP_PROTOCOL_OFFSET = 6;
    /** PPPoE header plus the two-byte PPP protocol field: where the IP header starts. */
    public static final int LENGTH = 8;
    /** PPP protocol numbers (IANA PPP DLL protocol numbers). */
    public static final int PPP_IPV4 = 0x0021;
    public static final int PPP_IPV6 = 0x0057;

    private byte[] buffer;
    private int offset;

    public PppoeSessionHeaderFlyweight wrap(final byte[] buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int offset()
    {
        return offset;
    }

    public int sessionId()
    {
        return NetworkOrder.uint16(buffer, offset + SESSION_ID_OFFSET);
    }

    /** Length of the PPPoE payload (the PPP protocol field included). */
    public int payloadLength()
    {
        return NetworkOrder.uint16(buffer, offset + LENGTH_OFFSET);
    }

    public int pppProtocol()
    {
        return NetworkOrder.uint16(buffer, offset + PPP_PROTOCOL_OFFSET);
    }
}
