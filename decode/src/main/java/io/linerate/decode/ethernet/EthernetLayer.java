package io.linerate.decode.ethernet;

import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.LayerDecoder;

/** Ethernet II (and the inner frame of a bridged tunnel): the EtherType says the next layer. */
public final class EthernetLayer implements LayerDecoder
{
    private final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight();

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final int captured = cursor.captureEnd - offset;
        if (captured < EthernetHeaderFlyweight.HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_ETHERNET);
        }
        ethernet.wrap(cursor.buffer, offset, captured);
        return cursor.byEtherType(ethernet.etherType(), offset + EthernetHeaderFlyweight.HEADER_LENGTH);
    }
}
