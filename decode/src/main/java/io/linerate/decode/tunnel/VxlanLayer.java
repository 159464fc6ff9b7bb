package io.linerate.decode.tunnel;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * VXLAN (RFC 7348 §5): an 8-byte header whose I flag says the VNI is valid, then an Ethernet frame.
 * A datagram on the port without the I flag is left a UDP datagram.
 *
 * <pre>
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * </pre>
 */
public final class VxlanLayer implements LayerDecoder
{
    private static final int HEADER_LENGTH = 8;
    private static final int FLAG_VNI_VALID = 0x08;
    private static final int VNI_OFFSET = 4;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final int end = offset + cursor.length;
        if (Math.min(cursor.captureEnd, end) - offset < HEADER_LENGTH ||
            (NetworkOrder.uint8(buffer, offset) & FLAG_VNI_VALID) == 0)
        {
            return Layer.END;
        }
        final long vni = NetworkOrder.uint32(buffer, offset + VNI_OFFSET) >>> 8;
        if (!cursor.enterTunnel(TunnelType.VXLAN, vni, end))
        {
            return Layer.END;
        }
        cursor.next = offset + HEADER_LENGTH;
        return Layer.ETHERNET;
    }
}
