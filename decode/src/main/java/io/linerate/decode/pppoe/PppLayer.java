package io.linerate.decode.pppoe;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * A PPP frame (RFC 1661) as PPTP's enhanced GRE carries it: an optional address and control field
 * (0xFF 0x03, RFC 1662), then the protocol field, one byte when compressed (RFC 1661 §6.5: an odd
 * first byte), else two.
 */
public final class PppLayer implements LayerDecoder
{
    /** PPP address and control fields of HDLC-like framing. */
    private static final int ADDRESS_AND_CONTROL = 0xFF03;
    /** MPLS unicast in PPP (RFC 3032 §4.3). */
    public static final int PPP_MPLS_UNICAST = 0x0281;

    /** The layer a PPP protocol number selects, {@link Layer#END} when it is not followed. */
    public static int byPppProtocol(final int protocol)
    {
        switch (protocol)
        {
            case PppoeSessionHeaderFlyweight.PPP_IPV4:
                return Layer.IPV4;
            case PppoeSessionHeaderFlyweight.PPP_IPV6:
                return Layer.IPV6;
            case PPP_MPLS_UNICAST:
                return Layer.MPLS;
            default:
                return Layer.END;
        }
    }

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        int at = offset;
        if (cursor.captureEnd - at >= 2 && NetworkOrder.uint16(buffer, at) == ADDRESS_AND_CONTROL)
        {
            at += 2;
        }
        if (cursor.captureEnd - at < 1)
        {
            return cursor.nonIp();
        }
        final int protocol;
        if ((NetworkOrder.uint8(buffer, at) & 1) == 1)
        {
            protocol = NetworkOrder.uint8(buffer, at);
            at += 1;
        }
        else
        {
            if (cursor.captureEnd - at < 2)
            {
                return cursor.nonIp();
            }
            protocol = NetworkOrder.uint16(buffer, at);
            at += 2;
        }
        final int layer = byPppProtocol(protocol);
        if (layer == Layer.END)
        {
            return cursor.nonIp();
        }
        cursor.next = at;
        return layer;
    }
}
