package io.linerate.decode.tunnel;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;
import io.linerate.decode.ip.IpProtocol;

/**
 * AYIYA, Anything In Anything (SixXS; UDP 5072), as Zeek reads it: a forward message (opcode 1)
 * whose next header is IPv4 or IPv6 carries that packet after the header, the identity
 * (2^idlen bytes) and the signature (siglen 4-byte words). Anything else stays a UDP datagram.
 *
 * <pre>
 * | idlen | idtype | siglen | hshmeth | autmeth | opcode | next header |
 * |                      epoch time (4)                                 |
 * |                      identity, signature                            |
 * </pre>
 */
public final class AyiyaLayer implements LayerDecoder
{
    private static final int HEADER_LENGTH = 8;
    private static final int OPCODE_FORWARD = 1;
    private static final int NEXT_HEADER_OFFSET = 3;
    private static final int SIGNATURE_WORD = 4;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final int end = offset + cursor.length;
        final int limit = Math.min(cursor.captureEnd, end);
        if (limit - offset < HEADER_LENGTH)
        {
            return Layer.END;
        }
        final int identityLength = 1 << (NetworkOrder.uint8(buffer, offset) >>> 4);
        final int signatureLength = (NetworkOrder.uint8(buffer, offset + 1) >>> 4) * SIGNATURE_WORD;
        final int opcode = NetworkOrder.uint8(buffer, offset + 2) & 0x0F;
        final int nextHeader = NetworkOrder.uint8(buffer, offset + NEXT_HEADER_OFFSET);
        final int at = offset + HEADER_LENGTH + identityLength + signatureLength;
        if (opcode != OPCODE_FORWARD || (nextHeader != IpProtocol.IPV4 && nextHeader != IpProtocol.IPV6) ||
            limit - at < 1)
        {
            return Layer.END;
        }
        if (!cursor.enterTunnel(TunnelType.AYIYA, -1, end))
        {
            return Layer.END;
        }
        cursor.next = at;
        return nextHeader == IpProtocol.IPV4 ? Layer.IPV4 : Layer.IPV6;
    }
}
