package io.linerate.decode.icmp;

import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;

/**
 * An ICMP (RFC 792) or ICMPv6 (RFC 4443) message. Echo request and reply put their identifier in
 * both ports, so a ping session is one flow; an error goes on to the datagram it quotes, which the
 * IP and transport layers read as {@code QUOTED_*} layers. The same layer reads an ICMP echo an ICMP
 * error quotes ({@link #decodeQuoted}).
 */
public final class IcmpLayer implements LayerDecoder
{
    private final boolean version6;
    private final IcmpHeaderFlyweight icmp = new IcmpHeaderFlyweight();

    /** @param version6 ICMPv6 (types of RFC 4443), else ICMP for IPv4 */
    public IcmpLayer(final boolean version6)
    {
        this.version6 = version6;
    }

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final DecodedFrame slot = cursor.slot;
        final int ipPayloadLength = cursor.length;
        final int captured = cursor.captureEnd - offset;
        if (ipPayloadLength < IcmpHeaderFlyweight.HEADER_LENGTH || captured < IcmpHeaderFlyweight.HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_ICMP);
        }
        final IcmpHeaderFlyweight icmp = this.icmp.wrap(cursor.buffer, offset, captured);
        final int type = icmp.type();
        slot.icmpType = type;
        slot.icmpCode = icmp.code();
        slot.payloadOffset = offset + IcmpHeaderFlyweight.HEADER_LENGTH;
        slot.payloadLength = ipPayloadLength - IcmpHeaderFlyweight.HEADER_LENGTH;
        slot.transportPresent = true;
        cursor.census[version6 ? Census.ICMPV6 : Census.ICMP]++;

        if (version6 ? Icmpv6Type.isEcho(type) : IcmpType.isEcho(type))
        {
            slot.srcPort = icmp.identifier();
            slot.dstPort = slot.srcPort;
            return Layer.END;
        }
        if (version6 ? Icmpv6Type.isError(type) : IcmpType.isError(type))
        {
            cursor.quoteEnd = Math.min(cursor.captureEnd, offset + ipPayloadLength);
            cursor.next = offset + IcmpHeaderFlyweight.QUOTE_OFFSET;
            return version6 ? Layer.QUOTED_IPV6 : Layer.QUOTED_IPV4;
        }
        return Layer.END;
    }

    /** The ICMP or ICMPv6 header an ICMP error quotes: the identifier of an echo, as its ports. */
    public int decodeQuoted(final DecodeCursor cursor, final int offset)
    {
        final int available = cursor.quoteEnd - offset;
        if (available < IcmpHeaderFlyweight.HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_ICMP_QUOTE);
        }
        icmp.wrap(cursor.buffer, offset, available);
        final int type = icmp.type();
        final boolean echo = cursor.quotedIpVersion == 6 ? Icmpv6Type.isEcho(type) : IcmpType.isEcho(type);
        final int identifier = echo ? icmp.identifier() : 0;
        return cursor.commitQuote(identifier, identifier, 0, 0, available);
    }
}
