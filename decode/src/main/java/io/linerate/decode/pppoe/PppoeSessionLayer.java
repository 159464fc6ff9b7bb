package io.linerate.decode.pppoe;

import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.tunnel.TunnelType;

/**
 * A PPPoE session (RFC 2516): IPv4 or IPv6 in PPP; control protocols (LCP, IPCP) are not IP. The
 * session payload ends where the PPPoE length says (what follows is Ethernet padding), and the
 * session is kept as a tunnel with its session id.
 */
public final class PppoeSessionLayer implements LayerDecoder
{
    private final PppoeSessionHeaderFlyweight pppoe = new PppoeSessionHeaderFlyweight();

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        if (cursor.captureEnd - offset < PppoeSessionHeaderFlyweight.LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_PPPOE);
        }
        pppoe.wrap(cursor.buffer, offset, cursor.captureEnd - offset);
        final int sessionEnd = offset + PppoeSessionHeaderFlyweight.PPP_PROTOCOL_OFFSET + pppoe.payloadLength();
        cursor.wireEnd = Math.min(cursor.wireEnd, sessionEnd);
        cursor.captureEnd = Math.min(cursor.captureEnd, sessionEnd);
        final int layer = PppLayer.byPppProtocol(pppoe.pppProtocol());
        if (layer == Layer.END)
        {
            return cursor.nonIp();
        }
        cursor.noteLinkEncapsulation(TunnelType.PPPOE, pppoe.sessionId());
        cursor.next = offset + PppoeSessionHeaderFlyweight.LENGTH;
        return layer;
    }
}
