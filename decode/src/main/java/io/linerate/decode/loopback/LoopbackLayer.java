package io.linerate.decode.loopback;

import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;

/** BSD loopback (LINKTYPE_NULL, family in the capturing host's order) and OpenBSD's (LINKTYPE_LOOP). */
public final class LoopbackLayer implements LayerDecoder
{
    private final boolean capturingHostOrder;
    private final LoopbackHeaderFlyweight loopback = new LoopbackHeaderFlyweight();

    /** @param capturingHostOrder the address family is in the capturing host's byte order (NULL), else network order (LOOP) */
    public LoopbackLayer(final boolean capturingHostOrder)
    {
        this.capturingHostOrder = capturingHostOrder;
    }

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final int captured = cursor.captureEnd - offset;
        if (captured < LoopbackHeaderFlyweight.HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_LOOPBACK);
        }
        loopback.wrap(cursor.buffer, offset, captured);
        final int family = capturingHostOrder ? loopback.familyInCapturingHostOrder() : loopback.familyInNetworkOrder();
        cursor.next = offset + LoopbackHeaderFlyweight.HEADER_LENGTH;
        if (family == AddressFamily.INET)
        {
            return Layer.IPV4;
        }
        if (AddressFamily.isInet6(family))
        {
            return Layer.IPV6;
        }
        return cursor.nonIp();
    }
}
