package io.linerate.decode.udp;

import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.ip.Ipv6HeaderFlyweight;
import io.linerate.decode.tcp.TcpLayer;

/**
 * A UDP header (RFC 768). A whole datagram to or from a tunnel's port (VXLAN, Geneve, GTP-U,
 * Teredo, AYIYA) goes on to that tunnel's layer, and one on another port that may be Teredo to the
 * Teredo layer, which checks it; the rest ends the chain. The same layer reads the
 * UDP header an ICMP error quotes ({@link #decodeQuoted}).
 */
public final class UdpLayer implements LayerDecoder
{
    /** Largest IPv6 payload without the Jumbo Payload option (RFC 2675). */
    private static final int MAX_IPV6_PAYLOAD_LENGTH = 0xFFFF;
    /** Bytes of a quoted UDP header that hold the ports. */
    private static final int QUOTED_PORTS_LENGTH = 4;

    private final UdpHeaderFlyweight udp = new UdpHeaderFlyweight();

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final DecodedFrame slot = cursor.slot;
        final int ipPayloadLength = cursor.length;
        final int captured = cursor.captureEnd - offset;
        if (slot.fragment && ipPayloadLength < UdpHeaderFlyweight.HEADER_LENGTH)
        {
            return TcpLayer.transportHeaderContinuesInNextFragment(slot, offset, ipPayloadLength);
        }
        if (ipPayloadLength < UdpHeaderFlyweight.HEADER_LENGTH || captured < UdpHeaderFlyweight.HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_UDP_HEADER);
        }
        final UdpHeaderFlyweight udp = this.udp.wrap(cursor.buffer, offset, captured);
        final int sourcePort = udp.sourcePort();
        final int destinationPort = udp.destinationPort();
        slot.srcPort = sourcePort;
        slot.dstPort = destinationPort;
        final int payloadOffset = offset + UdpHeaderFlyweight.HEADER_LENGTH;
        slot.payloadOffset = payloadOffset;
        slot.transportPresent = true;
        cursor.census[Census.UDP]++;

        int datagramLength = udp.datagramLength();
        if (datagramLength == 0 &&
            slot.ipVersion == Ipv6HeaderFlyweight.VERSION &&
            ipPayloadLength > MAX_IPV6_PAYLOAD_LENGTH)
        {
            // RFC 2675 §4: a UDP jumbogram's length field is 0; the IP payload length is its length.
            datagramLength = ipPayloadLength;
        }
        final int ipPayloadAfterHeader = ipPayloadLength - UdpHeaderFlyweight.HEADER_LENGTH;
        if (datagramLength < UdpHeaderFlyweight.HEADER_LENGTH)
        {
            slot.payloadLength = ipPayloadAfterHeader;
            return cursor.fail(Anomaly.BAD_UDP_LENGTH);
        }
        if (datagramLength > ipPayloadLength)
        {
            // A first fragment carries only the start of the datagram the length field describes.
            slot.payloadLength = ipPayloadAfterHeader;
            return slot.fragment ? Layer.END : cursor.fail(Anomaly.BAD_UDP_LENGTH);
        }
        // Bytes after the UDP length inside the IP payload are not UDP data (RFC 768).
        final int payloadLength = datagramLength - UdpHeaderFlyweight.HEADER_LENGTH;
        slot.payloadLength = payloadLength;
        if (slot.fragment)
        {
            return Layer.END;
        }
        int tunnel = cursor.byUdpPort(sourcePort, destinationPort);
        if (tunnel == Layer.END && cursor.mayBeTeredo(payloadOffset, payloadLength))
        {
            tunnel = Layer.TEREDO;
        }
        if (tunnel != Layer.END)
        {
            cursor.next = payloadOffset;
            cursor.length = payloadLength;
        }
        return tunnel;
    }

    /** The UDP header an ICMP error quotes: its ports. */
    public int decodeQuoted(final DecodeCursor cursor, final int offset)
    {
        final int available = cursor.quoteEnd - offset;
        if (available < QUOTED_PORTS_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_ICMP_QUOTE);
        }
        final UdpHeaderFlyweight quoted = udp.wrap(cursor.buffer, offset, available);
        return cursor.commitQuote(quoted.sourcePort(), quoted.destinationPort(), 0, 0, available);
    }
}
