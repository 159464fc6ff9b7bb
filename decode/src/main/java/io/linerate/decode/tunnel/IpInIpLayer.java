package io.linerate.decode.tunnel;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.ip.IpProtocol;

/**
 * IP in IP: IPv4 (protocol 4, RFC 2003) or IPv6 (protocol 41, RFC 4213 §3.5 for 6in4, RFC 2473 in
 * IPv6) carried as the payload of an IPv4 or IPv6 packet, whose addresses are the tunnel's endpoints.
 */
public final class IpInIpLayer implements LayerDecoder
{
    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final int protocol = cursor.slot.ipProtocol;
        if (cursor.length <= 0 || cursor.captureEnd <= offset)
        {
            // Nothing inside: the packet stays a packet of protocol 4 or 41.
            return cursor.otherIpProtocol(offset);
        }
        if (!cursor.enterTunnel(TunnelType.IP_IN_IP, -1, offset + cursor.length))
        {
            return Layer.END;
        }
        cursor.next = offset;
        return protocol == IpProtocol.IPV4 ? Layer.IPV4 : Layer.IPV6;
    }
}
