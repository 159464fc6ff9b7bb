package io.linerate.decode.tunnel;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;
import io.linerate.decode.ethernet.EtherType;

/**
 * Cisco's Encapsulated Remote SPAN header after GRE (draft-foschiano-erspan): type II (GRE protocol
 * 0x88BE, 8 bytes) or type III (0x22EB, 12 bytes and an optional 8-byte platform subheader), then
 * the mirrored Ethernet frame. The GRE tunnel becomes an ERSPAN tunnel whose identifier is the
 * session id. (Type I, 0x88BE without a GRE sequence number, has no header: {@link GreLayer}.)
 *
 * <pre>
 * type II:  |Ver=1|    VLAN    | COS |En|T|  Session ID  |  Reserved  |        Index        |
 * type III: |Ver=2|    VLAN    | COS |BSO|T| Session ID  |           Timestamp              |
 *           |        SGT        |P|  FT  |  HW ID  |D|Gra|O|   (O: an 8-byte subheader follows)
 * </pre>
 */
public final class ErspanLayer implements LayerDecoder
{
    private static final int TYPE_II_LENGTH = 8;
    private static final int TYPE_III_LENGTH = 12;
    private static final int PLATFORM_SUBHEADER_LENGTH = 8;
    private static final int VERSION_TYPE_II = 1;
    private static final int VERSION_TYPE_III = 2;
    private static final int SESSION_ID_OFFSET = 2;
    private static final int SESSION_ID_MASK = 0x03FF;
    private static final int TYPE_III_FLAGS_OFFSET = 11;
    private static final int TYPE_III_OPTIONAL_SUBHEADER = 0x01;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final boolean typeIII = cursor.etherType == EtherType.ERSPAN_TYPE_III;
        int length = typeIII ? TYPE_III_LENGTH : TYPE_II_LENGTH;
        final int available = cursor.captureEnd - offset;
        if (available < length || cursor.versionAt(offset) != (typeIII ? VERSION_TYPE_III : VERSION_TYPE_II))
        {
            return cursor.nonIp();
        }
        if (typeIII && (NetworkOrder.uint8(buffer, offset + TYPE_III_FLAGS_OFFSET) & TYPE_III_OPTIONAL_SUBHEADER) != 0)
        {
            length += PLATFORM_SUBHEADER_LENGTH;
        }
        cursor.retypeInnermostTunnel(
            TunnelType.ERSPAN, NetworkOrder.uint16(buffer, offset + SESSION_ID_OFFSET) & SESSION_ID_MASK);
        cursor.next = offset + length;
        return Layer.ETHERNET;
    }
}
