package io.linerate.decode;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.icmp.Icmpv6Type;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

import static io.linerate.decode.FrameBuilder.ipv6High;
import static io.linerate.decode.FrameBuilder.ipv6Low;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPv6, its extension header chain and ICMPv6, on exact frame bytes. */
class PacketDecoderIpv6Test
{
    private static final String CLIENT = "2001:db8:1::1";
    private static final String SERVER = "2001:db8:2::2";

    private final PacketDecoder decoder = new PacketDecoder();

    @Test
    void rawIpv6WithHopByHopAndFirstFragment()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ipv6(8 + 8 + 20 + 8, IpProtocol.HOP_BY_HOP, 64, CLIENT, SERVER)
            .u8(IpProtocol.FRAGMENT).u8(0).hex("01 04 00000000")       // hop-by-hop: PadN 4
            .u8(IpProtocol.TCP).u8(0).u16(0x0001).u32(0xDEAD_BEEFL)   // fragment: offset 0, M
            .tcp(443, 60000, 100, 200, 5, TcpFlags.ACK, 1000)
            .hex("0102030405060708")
            .slot(LinkType.RAW);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(6, slot.ipVersion);
        assertEquals(64, slot.ttl);
        assertEquals(ipv6High(CLIENT), slot.srcHi);
        assertEquals(ipv6Low(CLIENT), slot.srcLo);
        assertEquals(0x2001_0db8_0001_0000L, slot.srcHi);
        assertEquals(1, slot.srcLo);
        assertEquals(0x2001_0db8_0002_0000L, slot.dstHi);
        assertEquals(2, slot.dstLo);
        assertTrue(slot.fragment);
        assertTrue(slot.transportPresent);
        assertEquals(IpProtocol.TCP, slot.ipProtocol);
        assertEquals(0, slot.networkOffset);
        assertEquals(56, slot.transportOffset);
        assertEquals(76, slot.payloadOffset);
        assertEquals(8, slot.payloadLength);
        assertEquals(443, slot.srcPort);
        assertEquals(60000, slot.dstPort);
        assertEquals(100, slot.seq);
        assertEquals(200, slot.ack);
        assertEquals(FlowHash.hash(6, slot.srcHi, slot.srcLo, 443, slot.dstHi, slot.dstLo, 60000), slot.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.IP_FRAGMENT]);
        assertEquals(0, decoder.censusCounts()[Census.NON_FIRST_FRAGMENT]);
    }

    @Test
    void rawIpv6NonFirstFragmentHasNoTransport()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ipv6(8 + 8 + 100, IpProtocol.HOP_BY_HOP, 64, CLIENT, SERVER)
            .u8(IpProtocol.FRAGMENT).u8(0).hex("01 04 00000000")
            .u8(IpProtocol.TCP).u8(0).u16(0x05A8).u32(0xDEAD_BEEFL)   // offset 1448, last fragment
            .zeros(100)
            .slot(LinkType.RAW);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertTrue(slot.fragment);
        assertFalse(slot.transportPresent);
        assertEquals(IpProtocol.TCP, slot.ipProtocol);
        assertEquals(-1, slot.transportOffset);
        assertEquals(56, slot.payloadOffset);
        assertEquals(100, slot.payloadLength);
        assertEquals(0, slot.srcPort);
        assertEquals(FlowHash.hash(6, slot.srcHi, slot.srcLo, 0, slot.dstHi, slot.dstLo, 0), slot.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.NON_FIRST_FRAGMENT]);
    }

    @Test
    void atomicFragmentIsNotAFragment()
    {
        // RFC 6946: offset 0 and M clear is a whole datagram with a fragment header.
        final DecodedFrame slot = new FrameBuilder()
            .ipv6(8 + 8, IpProtocol.FRAGMENT, 64, CLIENT, SERVER)
            .u8(IpProtocol.UDP).u8(0).u16(0).u32(7)
            .udp(4500, 4500, 8)
            .slot(LinkType.IPV6);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertFalse(slot.fragment);
        assertTrue(slot.transportPresent);
        assertEquals(4500, slot.dstPort);
    }

    @Test
    void walksRoutingDestinationOptionsAndAuthenticationHeaders()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV6)
            .ipv6(8 + 8 + 24 + 12, IpProtocol.ROUTING, 64, CLIENT, SERVER)
            .u8(IpProtocol.DESTINATION_OPTIONS).u8(0).u8(253).u8(0).zeros(4)      // routing, 8 bytes
            .u8(IpProtocol.AUTHENTICATION).u8(0).hex("01 04 00000000")          // destination options
            .u8(IpProtocol.UDP).u8(4).u16(0).u32(0x100).u32(1).zeros(12)          // AH: (4 + 2) * 4 = 24
            .udp(500, 500, 12)
            .hex("cafebabe")
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(IpProtocol.UDP, slot.ipProtocol);
        assertEquals(14 + 40 + 40, slot.transportOffset);
        assertEquals(14 + 40 + 48, slot.payloadOffset);
        assertEquals(4, slot.payloadLength);
        assertEquals(500, slot.srcPort);
    }

    @Test
    void espAndNoNextHeaderEndTheChain()
    {
        final DecodedFrame esp = new FrameBuilder()
            .ipv6(8 + 8, IpProtocol.DESTINATION_OPTIONS, 64, CLIENT, SERVER)
            .u8(IpProtocol.ESP).u8(0).hex("01 04 00000000")
            .u32(0x1000).u32(1)
            .slot(LinkType.RAW);

        assertEquals(Anomaly.NONE, decoder.decode(esp));
        assertEquals(IpProtocol.ESP, esp.ipProtocol);
        assertFalse(esp.transportPresent);
        assertEquals(48, esp.transportOffset);
        assertEquals(48, esp.payloadOffset);
        assertEquals(8, esp.payloadLength);
        assertEquals(1, decoder.censusCounts()[Census.OTHER_IP_PROTOCOL]);

        // No Next Header with payload length 0, padded to the Ethernet minimum: the padding is not payload.
        final DecodedFrame noNextHeader = new FrameBuilder()
            .ethernet(EtherType.IPV6)
            .ipv6(0, IpProtocol.NO_NEXT_HEADER, 64, CLIENT, SERVER)
            .zeros(6)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(noNextHeader));
        assertEquals(IpProtocol.NO_NEXT_HEADER, noNextHeader.ipProtocol);
        assertEquals(0, noNextHeader.payloadLength);
        assertEquals(0, decoder.censusCounts()[Census.IP_LENGTH_FROM_WIRE]);
    }

    @Test
    void truncatedAndOverlongExtensionHeaders()
    {
        final FrameBuilder hopByHop16 = new FrameBuilder()
            .ipv6(16 + 8, IpProtocol.HOP_BY_HOP, 64, CLIENT, SERVER)
            .u8(IpProtocol.UDP).u8(1).hex("01 0c 000000000000000000000000")   // 16 bytes, PadN 12
            .udp(1, 2, 8);
        final DecodedFrame cut = hopByHop16.slot(LinkType.RAW, 50, hopByHop16.length());
        assertEquals(Anomaly.TRUNCATED_IPV6_EXTENSION, decoder.decode(cut));
        assertEquals(6, cut.ipVersion);
        assertEquals(-1, cut.ipProtocol);
        assertFalse(cut.transportPresent);

        final DecodedFrame prefixCut = hopByHop16.slot(LinkType.RAW, 41, hopByHop16.length());
        assertEquals(Anomaly.TRUNCATED_IPV6_EXTENSION, decoder.decode(prefixCut));

        final DecodedFrame overlong = new FrameBuilder()
            .ipv6(8, IpProtocol.HOP_BY_HOP, 64, CLIENT, SERVER)
            .u8(IpProtocol.UDP).u8(1).hex("01 0c 000000000000000000000000")
            .slot(LinkType.RAW);
        assertEquals(Anomaly.BAD_IPV6_EXTENSION_LENGTH, decoder.decode(overlong));
    }

    @Test
    void truncatedHeaderAndBadPayloadLength()
    {
        assertEquals(Anomaly.TRUNCATED_IPV6_HEADER,
            decoder.decode(new FrameBuilder().ipv6(0, 59, 64, CLIENT, SERVER).slot(LinkType.RAW, 39, 40)));

        // A payload length past the frame is clamped to the frame, as Wireshark does.
        final DecodedFrame pastWire = new FrameBuilder()
            .ipv6(100, IpProtocol.UDP, 64, CLIENT, SERVER)
            .udp(1, 2, 20)
            .zeros(12)
            .slot(LinkType.RAW);
        assertEquals(Anomaly.NONE, decoder.decode(pastWire));
        assertEquals(6, pastWire.ipVersion);
        assertEquals(12, pastWire.payloadLength);
        assertEquals(1, decoder.censusCounts()[Census.IP_LENGTH_CLAMPED_TO_FRAME]);
    }

    @Test
    void payloadLengthPastTheFrameStillDecodesTcp()
    {
        // Payload length 1000 in a frame holding 20 + 4 bytes after the fixed header.
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV6)
            .ipv6(1000, IpProtocol.TCP, 64, CLIENT, SERVER)
            .tcp(40000, 443, 1, 2, 5, TcpFlags.ACK, 100)
            .hex("61626364")
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertTrue(slot.transportPresent);
        assertEquals(40000, slot.srcPort);
        assertEquals(74, slot.payloadOffset);
        assertEquals(4, slot.payloadLength);
        assertEquals(1, decoder.censusCounts()[Census.IP_LENGTH_CLAMPED_TO_FRAME]);
        assertEquals(0, decoder.censusCounts()[Census.IP_LENGTH_FROM_WIRE]);
    }

    @Test
    void zeroPayloadLengthTakesTheWireLength()
    {
        // A GSO super-packet captured on the sender, 128 bytes of 64014 captured.
        final FrameBuilder frame = new FrameBuilder()
            .ethernet(EtherType.IPV6)
            .ipv6(0, IpProtocol.TCP, 64, CLIENT, SERVER)
            .tcp(40000, 443, 1, 1, 5, TcpFlags.ACK, 100);
        frame.zeros(128 - frame.length());
        final DecodedFrame slot = frame.slot(LinkType.ETHERNET, 128, 64014);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(64014 - 14 - 40 - 20, slot.payloadLength);
        assertEquals(1, decoder.censusCounts()[Census.IP_LENGTH_FROM_WIRE]);
    }

    @Test
    void icmpv6UnreachableIsHashedOnTheQuotedFlow()
    {
        final DecodedFrame query = new FrameBuilder()
            .ethernet(EtherType.IPV6)
            .ipv6(8 + 4, IpProtocol.UDP, 64, CLIENT, SERVER)
            .udp(5000, 53, 12)
            .hex("abcd0100")
            .slot(LinkType.ETHERNET);
        final DecodedFrame unreachable = new FrameBuilder()
            .ethernet(EtherType.IPV6)
            .ipv6(8 + 40 + 12, IpProtocol.ICMPV6, 64, SERVER, CLIENT)
            .u8(Icmpv6Type.DESTINATION_UNREACHABLE).u8(Icmpv6Type.CODE_PORT_UNREACHABLE).u16(0).u32(0)
            .ipv6(8 + 4, IpProtocol.UDP, 63, CLIENT, SERVER)
            .udp(5000, 53, 12)
            .hex("abcd0100")
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(query));
        assertEquals(Anomaly.NONE, decoder.decode(unreachable));

        assertEquals(IpProtocol.ICMPV6, unreachable.ipProtocol);
        assertTrue(unreachable.transportPresent);
        assertEquals(1, unreachable.icmpType);
        assertEquals(4, unreachable.icmpCode);
        assertEquals(0, unreachable.srcPort);
        assertEquals(0, unreachable.dstPort);
        assertEquals(62, unreachable.payloadOffset);
        assertEquals(52, unreachable.payloadLength);

        assertTrue(unreachable.quotedPresent);
        assertEquals(IpProtocol.UDP, unreachable.quotedProtocol);
        assertEquals(ipv6High(CLIENT), unreachable.quotedSrcHi);
        assertEquals(ipv6Low(CLIENT), unreachable.quotedSrcLo);
        assertEquals(ipv6High(SERVER), unreachable.quotedDstHi);
        assertEquals(ipv6Low(SERVER), unreachable.quotedDstLo);
        assertEquals(5000, unreachable.quotedSrcPort);
        assertEquals(53, unreachable.quotedDstPort);
        assertEquals(0, unreachable.quotedSeq);
        assertEquals(query.flowHash, unreachable.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.ICMPV6]);
        assertEquals(1, decoder.censusCounts()[Census.ICMP_ERROR_QUOTE]);
    }

    @Test
    void icmpv6QuoteWithExtensionHeaders()
    {
        final DecodedFrame segment = new FrameBuilder()
            .ipv6(8 + 20, IpProtocol.DESTINATION_OPTIONS, 64, CLIENT, SERVER)
            .u8(IpProtocol.TCP).u8(0).hex("01 04 00000000")
            .tcp(33000, 443, 0x8000_0001L, 5, 5, TcpFlags.ACK, 100)
            .slot(LinkType.RAW);
        final DecodedFrame tooBig = new FrameBuilder()
            .ipv6(8 + 40 + 8 + 20, IpProtocol.ICMPV6, 64, "2001:db8:ff::1", CLIENT)
            .u8(Icmpv6Type.PACKET_TOO_BIG).u8(0).u16(0).u32(1280)
            .ipv6(8 + 20, IpProtocol.DESTINATION_OPTIONS, 63, CLIENT, SERVER)
            .u8(IpProtocol.TCP).u8(0).hex("01 04 00000000")
            .tcp(33000, 443, 0x8000_0001L, 5, 5, TcpFlags.ACK, 100)
            .slot(LinkType.RAW);

        assertEquals(Anomaly.NONE, decoder.decode(segment));
        assertEquals(Anomaly.NONE, decoder.decode(tooBig));
        assertTrue(tooBig.quotedPresent);
        assertEquals(IpProtocol.TCP, tooBig.quotedProtocol);
        assertEquals(33000, tooBig.quotedSrcPort);
        assertEquals(443, tooBig.quotedDstPort);
        assertEquals(0x8000_0001L, tooBig.quotedSeq);
        assertEquals(segment.flowHash, tooBig.flowHash);
    }

    @Test
    void icmpv6QuoteCutShort()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ipv6(8 + 30, IpProtocol.ICMPV6, 64, SERVER, CLIENT)
            .u8(Icmpv6Type.TIME_EXCEEDED).u8(0).u16(0).u32(0)
            .u32(0x6000_0000L).zeros(26)
            .slot(LinkType.RAW);

        assertEquals(Anomaly.TRUNCATED_ICMP_QUOTE, decoder.decode(slot));
        assertTrue(slot.transportPresent);
        assertEquals(3, slot.icmpType);
        assertFalse(slot.quotedPresent);
        assertEquals(FlowHash.hash(58, slot.srcHi, slot.srcLo, 0, slot.dstHi, slot.dstLo, 0), slot.flowHash);
    }

    @Test
    void icmpv6EchoIsKeyedByIdentifier()
    {
        final DecodedFrame request = new FrameBuilder()
            .ipv6(8 + 4, IpProtocol.ICMPV6, 64, CLIENT, SERVER)
            .u8(Icmpv6Type.ECHO_REQUEST).u8(0).u16(0).u16(0xBEEF).u16(1).hex("01020304")
            .slot(LinkType.RAW);
        final DecodedFrame reply = new FrameBuilder()
            .ipv6(8 + 4, IpProtocol.ICMPV6, 64, SERVER, CLIENT)
            .u8(Icmpv6Type.ECHO_REPLY).u8(0).u16(0).u16(0xBEEF).u16(1).hex("01020304")
            .slot(LinkType.RAW);
        final DecodedFrame neighborSolicitation = new FrameBuilder()
            .ipv6(24, IpProtocol.ICMPV6, 255, "fe80::1", "ff02::1:ff00:2")
            .u8(135).u8(0).u16(0).u32(0).address("fe80::2")
            .slot(LinkType.RAW);

        assertEquals(Anomaly.NONE, decoder.decode(request));
        assertEquals(Anomaly.NONE, decoder.decode(reply));
        assertEquals(Anomaly.NONE, decoder.decode(neighborSolicitation));
        assertEquals(0xBEEF, request.srcPort);
        assertEquals(0xBEEF, request.dstPort);
        assertEquals(0xBEEF, reply.srcPort);
        assertEquals(request.flowHash, reply.flowHash);
        assertEquals(135, neighborSolicitation.icmpType);
        assertEquals(0, neighborSolicitation.srcPort);
        assertEquals(16, neighborSolicitation.payloadLength);
    }

    @Test
    void icmpOverIpv6IsAnotherProtocol()
    {
        // Protocol 1 (ICMP for IPv4) inside IPv6 is not ICMPv6: counted as other, not decoded.
        final DecodedFrame slot = new FrameBuilder()
            .ipv6(8, IpProtocol.ICMP, 64, CLIENT, SERVER)
            .u8(8).u8(0).u16(0).u32(0)
            .slot(LinkType.RAW);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertFalse(slot.transportPresent);
        assertEquals(-1, slot.icmpType);
        assertEquals(1, decoder.censusCounts()[Census.OTHER_IP_PROTOCOL]);
    }

    @Test
    void udpJumbogramTakesItsLengthFromIp()
    {
        // RFC 2675 §4: UDP length 0 in a datagram above 65535 bytes.
        final FrameBuilder frame = new FrameBuilder()
            .ipv6(0, IpProtocol.UDP, 64, CLIENT, SERVER)
            .udp(7000, 7001, 0);
        final DecodedFrame slot = frame.slot(LinkType.RAW, frame.length(), 40 + 70000);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(70000 - 8, slot.payloadLength);
    }
}
