package io.linerate.decode.tunnel;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * Teredo (RFC 4380 §5.1.1): an IPv6 packet in a UDP datagram to or from port 3544, after an optional
 * authentication indicator and an optional origin indication. As Zeek does, the payload is taken
 * for Teredo only when it is an IPv6 packet whose payload length fills the rest of the datagram;
 * anything else stays a UDP datagram. Zeek looks for Teredo this way on any UDP port (a relay's
 * port is not 3544), and so does linerate ({@code DecodeCursor#mayBeTeredo}).
 *
 * <pre>
 * authentication: | 0x0001 | ID-len | AU-len | Client identifier | Authentication value | Nonce (8) | Confirmation |
 * origin:         | 0x0000 | Origin port (obfuscated) | Origin IPv4 address (obfuscated) |
 * </pre>
 */
public final class TeredoLayer implements LayerDecoder
{
    private static final int AUTHENTICATION_INDICATOR = 0x0001;
    private static final int ORIGIN_INDICATION = 0x0000;
    /** Indicator (2), the two lengths (2), nonce (8) and confirmation (1). */
    private static final int AUTHENTICATION_FIXED_LENGTH = 13;
    private static final int ORIGIN_INDICATION_LENGTH = 8;
    private static final int IPV6_HEADER_LENGTH = 40;
    private static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final int end = offset + cursor.length;
        final int limit = Math.min(cursor.captureEnd, end);
        int at = offset;
        if (limit - at >= 2 && NetworkOrder.uint16(buffer, at) == AUTHENTICATION_INDICATOR)
        {
            if (limit - at < AUTHENTICATION_FIXED_LENGTH)
            {
                return Layer.END;
            }
            at += AUTHENTICATION_FIXED_LENGTH + NetworkOrder.uint8(buffer, at + 2) + NetworkOrder.uint8(buffer, at + 3);
        }
        if (limit - at >= 2 && NetworkOrder.uint16(buffer, at) == ORIGIN_INDICATION)
        {
            at += ORIGIN_INDICATION_LENGTH;
        }
        if (limit - at < IPV6_HEADER_LENGTH || cursor.versionAt(at) != 6 ||
            IPV6_HEADER_LENGTH + NetworkOrder.uint16(buffer, at + IPV6_PAYLOAD_LENGTH_OFFSET) != end - at)
        {
            return Layer.END;
        }
        if (!cursor.enterTunnel(TunnelType.TEREDO, -1, end))
        {
            return Layer.END;
        }
        cursor.next = at;
        return Layer.IPV6;
    }
}
