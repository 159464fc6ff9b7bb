package io.linerate.decode;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ethernet.EthernetHeaderFlyweight;
import io.linerate.decode.ethernet.VlanTagFlyweight;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.ip.Ipv4HeaderFlyweight;
import io.linerate.decode.ip.Ipv6HeaderFlyweight;
import io.linerate.decode.tcp.TcpHeaderFlyweight;

/**
 * Receive-side scaling in software: a frame's flow hash read straight off its bytes, without
 * decoding it, for the frames most links carry. A run-to-completion shard's thread reads every
 * frame; with this it decodes only the frames of its own shard and those this cannot place, as a
 * NIC's RSS hands each queue its own flows.
 *
 * <p>The frames placed: Ethernet, up to {@link #MAX_VLAN_TAGS} VLAN tags, IPv4 (any header length)
 * or IPv6 without extension headers, not a fragment, carrying a TCP header that is whole in the
 * captured bytes and within the datagram's length. For those, {@link #flowHash} is exactly what
 * {@link PacketDecoder#decode} writes to {@code slot.flowHash}: the same fields, read under the same
 * length rules (a datagram length of 0 or past the wire is the wire's), so both directions of a
 * connection land on one shard whichever way a frame took. Every other frame, a malformed one
 * included, is {@link #UNPLACED}: the decoder places it.
 */
public final class Steering
{
    /** {@link #flowHash} of a frame this does not place. */
    public static final int UNPLACED = -1;
    /** VLAN tags walked before a frame is left to the decoder (QinQ is two). */
    public static final int MAX_VLAN_TAGS = 2;

    private Steering()
    {
    }

    /**
     * The flow hash {@link PacketDecoder#decode} would write for the frame in {@code slot}, or
     * {@link #UNPLACED}. Reads the capture fields only; writes nothing, counts nothing.
     */
    public static int flowHash(final DecodedFrame slot)
    {
        if (slot.linkType != LinkType.ETHERNET)
        {
            return UNPLACED;
        }
        final byte[] data = slot.data;
        final int captured = Math.min(slot.captureLength, data.length);
        final int wire = slot.wireLength;
        if (captured > wire || captured < EthernetHeaderFlyweight.HEADER_LENGTH)
        {
            return UNPLACED;
        }
        int offset = EthernetHeaderFlyweight.HEADER_LENGTH;
        int etherType = NetworkOrder.uint16(data, EthernetHeaderFlyweight.ETHER_TYPE_OFFSET);
        for (int tags = 0; EtherType.isVlanTag(etherType); tags++)
        {
            if (tags == MAX_VLAN_TAGS || captured - offset < VlanTagFlyweight.LENGTH)
            {
                return UNPLACED;
            }
            etherType = NetworkOrder.uint16(data, offset + VlanTagFlyweight.ENCAPSULATED_ETHER_TYPE_OFFSET);
            offset += VlanTagFlyweight.LENGTH;
        }
        if (etherType == EtherType.IPV4)
        {
            return ipv4(data, offset, captured, wire);
        }
        if (etherType == EtherType.IPV6)
        {
            return ipv6(data, offset, captured, wire);
        }
        return UNPLACED;
    }

    private static int ipv4(final byte[] data, final int offset, final int captured, final int wire)
    {
        if (captured - offset < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return UNPLACED;
        }
        final int versionAndLength = NetworkOrder.uint8(data, offset + Ipv4HeaderFlyweight.VERSION_IHL_OFFSET);
        final int headerLength = (versionAndLength & 0x0F) << 2;
        if (versionAndLength >>> 4 != Ipv4HeaderFlyweight.VERSION ||
            headerLength < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH ||
            NetworkOrder.uint8(data, offset + Ipv4HeaderFlyweight.PROTOCOL_OFFSET) != IpProtocol.TCP ||
            (NetworkOrder.uint16(data, offset + Ipv4HeaderFlyweight.FLAGS_FRAGMENT_OFFSET_OFFSET) &
                (Ipv4HeaderFlyweight.MORE_FRAGMENTS_FLAG | Ipv4HeaderFlyweight.FRAGMENT_OFFSET_MASK)) != 0)
        {
            return UNPLACED;
        }
        final int totalLength = datagramLength(
            NetworkOrder.uint16(data, offset + Ipv4HeaderFlyweight.TOTAL_LENGTH_OFFSET), wire - offset);
        final int tcp = offset + headerLength;
        if (!wholeTcpHeader(data, tcp, totalLength - headerLength, captured))
        {
            return UNPLACED;
        }
        return FlowHash.hash(IpProtocol.TCP,
            0, NetworkOrder.uint32(data, offset + Ipv4HeaderFlyweight.SOURCE_ADDRESS_OFFSET),
            NetworkOrder.uint16(data, tcp + TcpHeaderFlyweight.SOURCE_PORT_OFFSET),
            0, NetworkOrder.uint32(data, offset + Ipv4HeaderFlyweight.DESTINATION_ADDRESS_OFFSET),
            NetworkOrder.uint16(data, tcp + TcpHeaderFlyweight.DESTINATION_PORT_OFFSET));
    }

    private static int ipv6(final byte[] data, final int offset, final int captured, final int wire)
    {
        if (captured - offset < Ipv6HeaderFlyweight.HEADER_LENGTH ||
            NetworkOrder.uint8(data, offset + Ipv6HeaderFlyweight.VERSION_CLASS_LABEL_OFFSET) >>> 4 !=
                Ipv6HeaderFlyweight.VERSION ||
            NetworkOrder.uint8(data, offset + Ipv6HeaderFlyweight.NEXT_HEADER_OFFSET) != IpProtocol.TCP)
        {
            return UNPLACED;
        }
        // The payload length by the decoder's rule: 0 (a jumbogram or an offload super-packet) or
        // past the wire is the wire's.
        final int payloadLength = datagramLength(
            NetworkOrder.uint16(data, offset + Ipv6HeaderFlyweight.PAYLOAD_LENGTH_OFFSET),
            wire - offset - Ipv6HeaderFlyweight.HEADER_LENGTH);
        final int tcp = offset + Ipv6HeaderFlyweight.HEADER_LENGTH;
        if (!wholeTcpHeader(data, tcp, payloadLength, captured))
        {
            return UNPLACED;
        }
        final int source = offset + Ipv6HeaderFlyweight.SOURCE_ADDRESS_OFFSET;
        final int destination = offset + Ipv6HeaderFlyweight.DESTINATION_ADDRESS_OFFSET;
        return FlowHash.hash(IpProtocol.TCP,
            NetworkOrder.int64(data, source), NetworkOrder.int64(data, source + 8),
            NetworkOrder.uint16(data, tcp + TcpHeaderFlyweight.SOURCE_PORT_OFFSET),
            NetworkOrder.int64(data, destination), NetworkOrder.int64(data, destination + 8),
            NetworkOrder.uint16(data, tcp + TcpHeaderFlyweight.DESTINATION_PORT_OFFSET));
    }

    /** A length field as the decoder takes it: 0, or more than the wire holds, is the wire's. */
    private static int datagramLength(final int field, final int onWire)
    {
        return field == 0 || field > onWire ? onWire : field;
    }

    /** True when a TCP header at {@code tcp} is whole: in the captured bytes and in the datagram. */
    private static boolean wholeTcpHeader(final byte[] data, final int tcp, final int datagramPayload, final int captured)
    {
        if (captured - tcp < TcpHeaderFlyweight.MIN_HEADER_LENGTH || datagramPayload < TcpHeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return false;
        }
        final int dataOffset = NetworkOrder.uint8(data, tcp + TcpHeaderFlyweight.DATA_OFFSET_OFFSET) >>> 4;
        final int headerLength = dataOffset << 2;
        return dataOffset >= TcpHeaderFlyweight.MIN_DATA_OFFSET && headerLength <= datagramPayload &&
            headerLength <= captured - tcp;
    }
}
