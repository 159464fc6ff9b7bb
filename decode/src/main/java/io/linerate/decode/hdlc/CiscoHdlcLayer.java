package io.linerate.decode.hdlc;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * Cisco HDLC (LINKTYPE_C_HDLC): an address byte (0x0F unicast, 0x8F broadcast), a control byte,
 * then an EtherType, as Wireshark's chdlc dissector reads it.
 *
 * <pre>
 * | address | control |  protocol (EtherType)  |
 * </pre>
 */
public final class CiscoHdlcLayer implements LayerDecoder
{
    private static final int HEADER_LENGTH = 4;
    private static final int PROTOCOL_OFFSET = 2;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        if (cursor.captureEnd - offset < HEADER_LENGTH)
        {
            return cursor.nonIp();
        }
        return cursor.byEtherType(NetworkOrder.uint16(cursor.buffer, offset + PROTOCOL_OFFSET), offset + HEADER_LENGTH);
    }
}
