package io.linerate.decode.nflog;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * Linux netfilter NFLOG (LINKTYPE_NFLOG, https://www.tcpdump.org/linktypes/LINKTYPE_NFLOG.html): a
 * 4-byte header (address family, version, resource id), then type-length-value attributes, each
 * padded to 4 bytes, whose length and type are in the capturing host's byte order. The packet is
 * the NFULA_PAYLOAD attribute: an IPv4 or IPv6 packet, told by its version nibble. A capture whose
 * host order cannot be told from the first attribute's length is read little-endian (x86, ARM).
 *
 * <pre>
 * | family | version | resource id (network order) |
 * | length (host order) | type (host order) | value ... padding to 4 |  ...
 * </pre>
 */
public final class NflogLayer implements LayerDecoder
{
    private static final int HEADER_LENGTH = 4;
    private static final int TLV_HEADER_LENGTH = 4;
    /** NFULA_PAYLOAD: the packet itself. */
    private static final int TYPE_PAYLOAD = 9;
    private static final int TYPE_MASK = 0x7FFF;
    private static final int ALIGNMENT = 4;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final int end = cursor.captureEnd;
        int at = offset + HEADER_LENGTH;
        if (end - at < TLV_HEADER_LENGTH)
        {
            return cursor.nonIp();
        }
        // The host's byte order: the first attribute's length must fit the frame read that way.
        final int littleLength = NetworkOrder.uint16LittleEndian(buffer, at);
        final boolean little = littleLength >= TLV_HEADER_LENGTH && littleLength <= end - at;
        while (end - at >= TLV_HEADER_LENGTH)
        {
            final int length = little ? NetworkOrder.uint16LittleEndian(buffer, at) : NetworkOrder.uint16(buffer, at);
            final int type = TYPE_MASK &
                (little ? NetworkOrder.uint16LittleEndian(buffer, at + 2) : NetworkOrder.uint16(buffer, at + 2));
            if (length < TLV_HEADER_LENGTH || length > end - at)
            {
                return cursor.nonIp();
            }
            if (type == TYPE_PAYLOAD)
            {
                final int payload = at + TLV_HEADER_LENGTH;
                final int payloadEnd = at + length;
                if (payloadEnd <= payload)
                {
                    return cursor.nonIp();
                }
                cursor.captureEnd = Math.min(cursor.captureEnd, payloadEnd);
                cursor.wireEnd = Math.min(cursor.wireEnd, payloadEnd);
                cursor.next = payload;
                return Layer.IP_BY_VERSION;
            }
            at += (length + ALIGNMENT - 1) & -ALIGNMENT;
        }
        return cursor.nonIp();
    }
}
