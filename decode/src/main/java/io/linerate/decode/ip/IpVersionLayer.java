package io.linerate.decode.ip;

import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;

/** Raw IP (LINKTYPE_RAW and its old values 12 and 14): the version nibble says IPv4 or IPv6. */
public final class IpVersionLayer implements LayerDecoder
{
    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        cursor.next = offset;
        final int version = cursor.captureEnd > offset ? cursor.versionAt(offset) : 0;
        if (version == Ipv4HeaderFlyweight.VERSION)
        {
            return Layer.IPV4;
        }
        if (version == Ipv6HeaderFlyweight.VERSION)
        {
            return Layer.IPV6;
        }
        cursor.slot.networkOffset = offset;
        return cursor.fail(Anomaly.BAD_IP_VERSION);
    }
}
