package io.linerate.decode.tunnel;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;
import io.linerate.decode.ethernet.EtherType;

/**
 * Generic Routing Encapsulation (IP protocol 47). The payload's protocol type is an EtherType: IPv4,
 * IPv6, a bridged Ethernet frame (0x6558, as NVGRE uses it), MPLS, ERSPAN, PPP.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Checksum (optional)      |       Offset (optional)       |  C or R
 * |                         Key (optional)                        |  K
 * |                 Sequence Number (optional)                    |  S
 * |               Acknowledgment Number (optional)                |  A, version 1
 * </pre>
 * Version 0 is RFC 2784 with RFC 2890's key and sequence number; version 1 is PPTP's enhanced GRE
 * (RFC 2637 §4.1), whose key field holds the payload length and the call id (the tunnel's
 * identifier). Source routing (R, RFC 1701) is not followed: the packet stays an IP packet of
 * protocol 47, as do other versions and a GRE header with nothing after it.
 */
public final class GreLayer implements LayerDecoder
{
    private static final int FLAG_CHECKSUM = 0x8000;
    private static final int FLAG_ROUTING = 0x4000;
    private static final int FLAG_KEY = 0x2000;
    private static final int FLAG_SEQUENCE = 0x1000;
    private static final int FLAG_ACKNOWLEDGMENT = 0x0080;
    private static final int VERSION_MASK = 0x0007;
    private static final int VERSION_PPTP = 1;
    private static final int BASE_LENGTH = 4;
    private static final int FIELD_LENGTH = 4;
    private static final int PROTOCOL_TYPE_OFFSET = 2;
    private static final int CALL_ID_MASK = 0xFFFF;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final int end = offset + cursor.length;
        final int available = Math.min(cursor.captureEnd, end) - offset;
        if (available < BASE_LENGTH)
        {
            return cursor.otherIpProtocol(offset);
        }
        final int flags = NetworkOrder.uint16(buffer, offset);
        final int version = flags & VERSION_MASK;
        final int protocolType = NetworkOrder.uint16(buffer, offset + PROTOCOL_TYPE_OFFSET);
        int length = BASE_LENGTH;
        long id = -1;
        if (version == 0)
        {
            if ((flags & FLAG_ROUTING) != 0)
            {
                return cursor.otherIpProtocol(offset);
            }
            if ((flags & FLAG_CHECKSUM) != 0)
            {
                length += FIELD_LENGTH;
            }
            if ((flags & FLAG_KEY) != 0)
            {
                if (available < length + FIELD_LENGTH)
                {
                    return cursor.otherIpProtocol(offset);
                }
                id = NetworkOrder.uint32(buffer, offset + length);
                length += FIELD_LENGTH;
            }
        }
        else if (version == VERSION_PPTP && (flags & FLAG_KEY) != 0 && protocolType == EtherType.PPP)
        {
            if (available < length + FIELD_LENGTH)
            {
                return cursor.otherIpProtocol(offset);
            }
            id = NetworkOrder.uint32(buffer, offset + length) & CALL_ID_MASK;
            length += FIELD_LENGTH;
        }
        else
        {
            return cursor.otherIpProtocol(offset);
        }
        final boolean sequenced = (flags & FLAG_SEQUENCE) != 0;
        if (sequenced)
        {
            length += FIELD_LENGTH;
        }
        if (version == VERSION_PPTP && (flags & FLAG_ACKNOWLEDGMENT) != 0)
        {
            length += FIELD_LENGTH;
        }
        if (available <= length)
        {
            // Nothing inside (or the header cut short): the packet stays a GRE packet.
            return cursor.otherIpProtocol(offset);
        }
        if (!cursor.enterTunnel(TunnelType.GRE, id, end))
        {
            return Layer.END;
        }
        if (protocolType == EtherType.ERSPAN_TYPE_II && !sequenced)
        {
            // ERSPAN type I: no ERSPAN header and no sequence number, the mirrored frame at once.
            cursor.retypeInnermostTunnel(TunnelType.ERSPAN, -1);
            cursor.next = offset + length;
            return Layer.ETHERNET;
        }
        return cursor.byEtherType(protocolType, offset + length);
    }
}
