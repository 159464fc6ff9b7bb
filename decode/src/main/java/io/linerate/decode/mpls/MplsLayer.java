package io.linerate.decode.mpls;

import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.tunnel.TunnelType;

/**
 * An MPLS label stack (RFC 3032): labels are stepped over to the bottom of the stack, the first
 * {@link TunnelType#MAX_PACKED_LABELS} kept as the tunnel's identifier. The payload is IP when its
 * version nibble says 4 or 6 (RFC 4385 section 2: a pseudowire control word starts with 0, so it is
 * never taken for IP).
 */
public final class MplsLayer implements LayerDecoder
{
    private final MplsLabelFlyweight mpls = new MplsLabelFlyweight();

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final int captureEnd = cursor.captureEnd;
        long labels = 0;
        int at = offset;
        while (true)
        {
            if (captureEnd - at < MplsLabelFlyweight.LENGTH)
            {
                return cursor.fail(Anomaly.TRUNCATED_MPLS);
            }
            mpls.wrap(cursor.buffer, at, captureEnd - at);
            labels = TunnelType.packLabel(labels, mpls.label());
            at += MplsLabelFlyweight.LENGTH;
            if (mpls.bottomOfStack())
            {
                break;
            }
        }
        if (captureEnd - at < 1)
        {
            return cursor.fail(Anomaly.TRUNCATED_MPLS);
        }
        final int version = cursor.versionAt(at);
        if (version != 4 && version != 6)
        {
            return cursor.nonIp();
        }
        cursor.noteLinkEncapsulation(TunnelType.MPLS, labels);
        cursor.next = at;
        return version == 4 ? Layer.IPV4 : Layer.IPV6;
    }
}
