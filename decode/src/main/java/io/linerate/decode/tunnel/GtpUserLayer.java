package io.linerate.decode.tunnel;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * GTP-U, GTP version 1 user plane (3GPP TS 29.281 §5): a G-PDU (message type 255) carries an IPv4
 * or IPv6 packet after the header, its optional sequence number, N-PDU number and chain of extension
 * headers. Other messages (echo, error indication, end marker) and GTP version 2 stay UDP
 * datagrams. The TEID is the tunnel's identifier; it differs between the uplink and the downlink,
 * so it is kept in the record but not in the flow key.
 *
 * <pre>
 * |Ver=1|PT|*|E|S|PN| Message Type |            Length (after these 8 bytes)   |
 * |                Tunnel Endpoint Identifier (TEID)                            |
 * |       Sequence Number        | N-PDU Number |  Next Extension Header Type  |  when E, S or PN
 * </pre>
 */
public final class GtpUserLayer implements LayerDecoder
{
    private static final int HEADER_LENGTH = 8;
    private static final int OPTIONAL_LENGTH = 4;
    /** Version 1 (the top three bits) and protocol type 1 (GTP, not GTP'). */
    private static final int VERSION_AND_PT = 0x30;
    private static final int VERSION_AND_PT_MASK = 0xF0;
    private static final int FLAG_EXTENSION = 0x04;
    private static final int FLAGS_OPTIONAL = 0x07;
    private static final int G_PDU = 0xFF;
    private static final int LENGTH_OFFSET = 2;
    private static final int TEID_OFFSET = 4;
    private static final int EXTENSION_UNIT = 4;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final int udpEnd = offset + cursor.length;
        final int available = Math.min(cursor.captureEnd, udpEnd) - offset;
        if (available < HEADER_LENGTH)
        {
            return Layer.END;
        }
        final int flags = NetworkOrder.uint8(buffer, offset);
        if ((flags & VERSION_AND_PT_MASK) != VERSION_AND_PT || NetworkOrder.uint8(buffer, offset + 1) != G_PDU)
        {
            return Layer.END;
        }
        final int end = Math.min(udpEnd, offset + HEADER_LENGTH + NetworkOrder.uint16(buffer, offset + LENGTH_OFFSET));
        final int limit = Math.min(cursor.captureEnd, end);
        int at = offset + HEADER_LENGTH;
        if ((flags & FLAGS_OPTIONAL) != 0)
        {
            if (limit - at < OPTIONAL_LENGTH)
            {
                return Layer.END;
            }
            int nextType = (flags & FLAG_EXTENSION) != 0 ? NetworkOrder.uint8(buffer, at + OPTIONAL_LENGTH - 1) : 0;
            at += OPTIONAL_LENGTH;
            while (nextType != 0)
            {
                // TS 29.281 §5.2.1: length in 4-octet units, the last octet is the next type.
                if (limit - at < 1)
                {
                    return Layer.END;
                }
                final int extensionLength = NetworkOrder.uint8(buffer, at) * EXTENSION_UNIT;
                if (extensionLength == 0 || limit - at < extensionLength)
                {
                    return Layer.END;
                }
                nextType = NetworkOrder.uint8(buffer, at + extensionLength - 1);
                at += extensionLength;
            }
        }
        if (limit - at < 1)
        {
            return Layer.END;
        }
        final int version = cursor.versionAt(at);
        if (version != 4 && version != 6)
        {
            return Layer.END;
        }
        if (!cursor.enterTunnel(TunnelType.GTP_U, NetworkOrder.uint32(buffer, offset + TEID_OFFSET), end))
        {
            return Layer.END;
        }
        cursor.next = at;
        return version == 4 ? Layer.IPV4 : Layer.IPV6;
    }
}
