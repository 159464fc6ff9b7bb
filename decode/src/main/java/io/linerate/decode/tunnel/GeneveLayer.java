package io.linerate.decode.tunnel;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * Geneve (RFC 8926 §3.4): an 8-byte header, its options (Opt Len 4-byte words), then the payload
 * its protocol type names (an EtherType: 0x6558 for Ethernet, IPv4, IPv6). Version 0 only; another
 * version leaves the datagram a UDP datagram.
 *
 * <pre>
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 * |        Virtual Network Identifier (VNI)       |    Reserved   |
 * |                    Variable-Length Options                    |
 * </pre>
 */
public final class GeneveLayer implements LayerDecoder
{
    private static final int HEADER_LENGTH = 8;
    private static final int OPTIONS_LENGTH_MASK = 0x3F;
    private static final int OPTION_WORD = 4;
    private static final int PROTOCOL_TYPE_OFFSET = 2;
    private static final int VNI_OFFSET = 4;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final int end = offset + cursor.length;
        final int available = Math.min(cursor.captureEnd, end) - offset;
        if (available < HEADER_LENGTH)
        {
            return Layer.END;
        }
        final int first = NetworkOrder.uint8(buffer, offset);
        final int length = HEADER_LENGTH + (first & OPTIONS_LENGTH_MASK) * OPTION_WORD;
        if ((first >>> 6) != 0 || available < length)
        {
            return Layer.END;
        }
        final int protocolType = NetworkOrder.uint16(buffer, offset + PROTOCOL_TYPE_OFFSET);
        final long vni = NetworkOrder.uint32(buffer, offset + VNI_OFFSET) >>> 8;
        if (!cursor.enterTunnel(TunnelType.GENEVE, vni, end))
        {
            return Layer.END;
        }
        return cursor.byEtherType(protocolType, offset + length);
    }
}
