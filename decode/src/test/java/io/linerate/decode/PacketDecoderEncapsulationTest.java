package io.linerate.decode;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.mpls.MplsLabelFlyweight;
import io.linerate.decode.pppoe.PppoeSessionHeaderFlyweight;
import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.linerate.decode.CarriedSegment.CLIENT;
import static io.linerate.decode.CarriedSegment.CLIENT6;
import static io.linerate.decode.CarriedSegment.SERVER;
import static io.linerate.decode.CarriedSegment.SERVER6;
import static io.linerate.decode.FrameBuilder.ipv4;
import static io.linerate.decode.FrameBuilder.ipv6High;
import static io.linerate.decode.FrameBuilder.ipv6Low;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encapsulations between the link layer and IP, on exact frame bytes: PPPoE sessions, MPLS label
 * stacks, IEEE 802.3 with LLC/SNAP, and MAC-in-MAC (802.1ah PBB, Cisco FabricPath). Every
 * encapsulated TCP segment must hash like the same segment in plain Ethernet.
 */
class PacketDecoderEncapsulationTest
{
    private final PacketDecoder decoder = new PacketDecoder();

    // ---- PPPoE ------------------------------------------------------------------------------

    @Test
    void pppoeOverQinqCarriesIpv4Tcp()
    {
        final DecodedFrame slot = CarriedSegment.overIpv4(new FrameBuilder()
            .ethernet(EtherType.QINQ)
            .u16(0xA064).u16(EtherType.VLAN)                          // S-tag: PCP 5, VLAN 100
            .u16(0x00C8).u16(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION) // C-tag: VLAN 200
            .u8(0x11).u8(0x00).u16(0x1234).u16(2 + 44).u16(0x0021))     // ver 1 type 1, session, length, IPv4
            .slot(LinkType.ETHERNET);
        assertEquals(14 + 8 + 8 + 44, slot.captureLength);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(2, slot.vlanCount);
        assertEquals(100, slot.vlans[0]);
        assertEquals(200, slot.vlans[1]);
        assertTcpDatagram(slot, 30);
        assertEquals(plainEthernetTcpHash(), slot.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.VLAN_TAGGED]);
        assertEquals(1, decoder.censusCounts()[Census.IPV4]);
        assertEquals(1, decoder.censusCounts()[Census.TCP]);
        assertEquals(0, decoder.censusCounts()[Census.NON_IP]);
        assertEquals(0, decoder.censusCounts()[Census.IP_LENGTH_CLAMPED_TO_FRAME]);
    }

    @Test
    void pppoeLengthShorterThanIpTotalLengthClampsTheDatagram()
    {
        // PPPoE length 42 = PPP protocol (2) + 40 bytes of IP; the IP header claims 46. The 6 bytes
        // after the session payload are Ethernet padding, not TCP data.
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .u8(0x11).u8(0x00).u16(0x0001).u16(42).u16(PppoeSessionHeaderFlyweight.PPP_IPV4)
            .ipv4(46, 1, 0x4000, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(40000, 443, 1000, 0, 5, TcpFlags.SYN, 64240)
            .hex("aabbccddeeff")
            .slot(LinkType.ETHERNET);
        assertEquals(68, slot.captureLength);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(4, slot.ipVersion);
        assertEquals(22, slot.networkOffset);
        assertEquals(42, slot.transportOffset);
        assertTrue(slot.transportPresent);
        assertEquals(TcpFlags.SYN, slot.tcpFlags);
        assertEquals(40000, slot.srcPort);
        assertEquals(443, slot.dstPort);
        assertEquals(62, slot.payloadOffset);
        assertEquals(0, slot.payloadLength);
        assertEquals(1, decoder.censusCounts()[Census.IP_LENGTH_CLAMPED_TO_FRAME]);
        assertEquals(1, decoder.anomalyCounts()[Anomaly.NONE]);
    }

    @Test
    void pppoeLengthIgnoresTrailingEthernetPadding()
    {
        // IPv4 total length 0 (an offload super-packet) takes the datagram's length from the frame:
        // inside PPPoE the frame ends where the PPPoE length says, so the 6 padding bytes are left out.
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .u8(0x11).u8(0x00).u16(0x0001).u16(2 + 44).u16(PppoeSessionHeaderFlyweight.PPP_IPV4)
            .ipv4(0, 1, 0x4000, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(40000, 443, 0x0102_0304L, 0x0A0B_0C0DL, 5, TcpFlags.PSH | TcpFlags.ACK, 502)
            .hex("61626364")
            .zeros(6)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(62, slot.payloadOffset);
        assertEquals(4, slot.payloadLength);
        assertEquals(1, decoder.censusCounts()[Census.IP_LENGTH_FROM_WIRE]);
        assertEquals(0, decoder.censusCounts()[Census.IP_LENGTH_CLAMPED_TO_FRAME]);
    }

    @Test
    void pppoeBoundsDoNotLeakIntoTheNextFrame()
    {
        final DecodedFrame pppoe = new FrameBuilder()
            .ethernet(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .u8(0x11).u8(0x00).u16(0x0001).u16(42).u16(PppoeSessionHeaderFlyweight.PPP_IPV4)
            .ipv4(46, 1, 0x4000, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(40000, 443, 1000, 0, 5, TcpFlags.SYN, 64240)
            .zeros(6)
            .slot(LinkType.ETHERNET);
        // A plain frame whose IP length comes from the wire: 9014 bytes, 96 captured.
        final FrameBuilder plain = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(0, 1, 0x4000, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(40000, 443, 1, 2, 5, TcpFlags.ACK, 502)
            .zeros(42);
        final DecodedFrame afterPppoe = plain.slot(LinkType.ETHERNET, 96, 9014);

        assertEquals(Anomaly.NONE, decoder.decode(pppoe));
        assertEquals(Anomaly.NONE, decoder.decode(afterPppoe));

        assertTrue(afterPppoe.transportPresent);
        assertEquals(9014 - 14 - 20 - 20, afterPppoe.payloadLength);
    }

    @Test
    void pppoeCarriesIpv6()
    {
        final DecodedFrame slot = CarriedSegment.overIpv6(new FrameBuilder()
            .ethernet(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .u8(0x11).u8(0x00).u16(0x0002).u16(2 + 40 + 24).u16(PppoeSessionHeaderFlyweight.PPP_IPV6))
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(6, slot.ipVersion);
        assertEquals(IpProtocol.TCP, slot.ipProtocol);
        assertEquals(0, slot.vlanCount);
        assertEquals(22, slot.networkOffset);
        assertEquals(62, slot.transportOffset);
        assertEquals(82, slot.payloadOffset);
        assertEquals(4, slot.payloadLength);
        assertEquals(ipv6High(CLIENT6), slot.srcHi);
        assertEquals(ipv6Low(CLIENT6), slot.srcLo);
        assertEquals(ipv6High(SERVER6), slot.dstHi);
        assertEquals(ipv6Low(SERVER6), slot.dstLo);
        assertEquals(40000, slot.srcPort);
        assertEquals(443, slot.dstPort);
        assertEquals(TcpFlags.PSH | TcpFlags.ACK, slot.tcpFlags);
        assertEquals(plainEthernetTcp6Hash(), slot.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.IPV6]);
    }

    @Test
    void pppoeControlProtocolsAreNotIp()
    {
        // LCP echo request (0xC021): code 9, id 1, length 8, magic number; padded to 60 bytes.
        final DecodedFrame lcp = new FrameBuilder()
            .ethernet(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .u8(0x11).u8(0x00).u16(0x0003).u16(2 + 8).u16(0xC021)
            .hex("09 01 0008 1a2b3c4d")
            .zeros(30)
            .slot(LinkType.ETHERNET);
        // IPCP configure request (0x8021): IP address option 192.168.0.1.
        final DecodedFrame ipcp = new FrameBuilder()
            .ethernet(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .u8(0x11).u8(0x00).u16(0x0003).u16(2 + 10).u16(0x8021)
            .hex("01 01 000a 0306 c0a80001")
            .zeros(28)
            .slot(LinkType.ETHERNET);
        // PPPoE discovery (0x8863), PADI with an empty Service-Name tag.
        final DecodedFrame padi = new FrameBuilder()
            .hex("ffffffffffff 66778899aabb 8863")
            .hex("11 09 0000 0004 0101 0000")
            .zeros(36)
            .slot(LinkType.ETHERNET);

        for (final DecodedFrame slot : new DecodedFrame[] {lcp, ipcp, padi})
        {
            assertEquals(Anomaly.NONE, decoder.decode(slot));
            assertEquals(Anomaly.NONE, slot.anomaly);
            assertEquals(0, slot.ipVersion);
            assertEquals(-1, slot.networkOffset);
            assertFalse(slot.transportPresent);
            assertEquals(0, slot.flowHash);
        }
        assertEquals(3, decoder.censusCounts()[Census.NON_IP]);
        assertEquals(0, decoder.censusCounts()[Census.IPV4]);
    }

    @Test
    void truncatedPppoe()
    {
        // The PPP protocol field is cut after one byte, then after none.
        final DecodedFrame oneByteShort = new FrameBuilder()
            .ethernet(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .hex("11 00 0001 002e 00")
            .slot(LinkType.ETHERNET);
        final DecodedFrame noProtocol = new FrameBuilder()
            .ethernet(EtherType.VLAN)
            .u16(10).u16(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .hex("11 00 0001 002e")
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.TRUNCATED_PPPOE, decoder.decode(oneByteShort));
        assertEquals(Anomaly.TRUNCATED_PPPOE, oneByteShort.anomaly);
        assertEquals(0, oneByteShort.ipVersion);
        assertEquals(-1, oneByteShort.networkOffset);
        assertEquals(0, oneByteShort.flowHash);

        assertEquals(Anomaly.TRUNCATED_PPPOE, decoder.decode(noProtocol));
        assertEquals(1, noProtocol.vlanCount);
        assertEquals(10, noProtocol.vlans[0]);
        assertEquals(-1, noProtocol.networkOffset);

        assertEquals(2, decoder.anomalyCounts()[Anomaly.TRUNCATED_PPPOE]);
        assertEquals(0, decoder.censusCounts()[Census.NON_IP]);
    }

    @Test
    void pppoeLengthEndingInsideTheIpHeader()
    {
        // PPPoE length 12: 10 bytes of IP, although a whole TCP/IP header follows as padding.
        final DecodedFrame slot = CarriedSegment.overIpv4(new FrameBuilder()
            .ethernet(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .u8(0x11).u8(0x00).u16(0x0001).u16(12).u16(PppoeSessionHeaderFlyweight.PPP_IPV4))
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.TRUNCATED_IPV4_HEADER, decoder.decode(slot));
        assertEquals(22, slot.networkOffset);
        assertEquals(0, slot.ipVersion);
        assertEquals(0, slot.flowHash);
    }

    // ---- MPLS -------------------------------------------------------------------------------

    @Test
    void mplsTwoLabelsThenIpv4()
    {
        final DecodedFrame slot = CarriedSegment.overIpv4(new FrameBuilder()
            .ethernet(MplsLabelFlyweight.ETHER_TYPE_UNICAST)
            .u32(0x0001_0040L)                                        // label 16, TC 0, S 0, TTL 64
            .u32(0x0006_4140L))                                       // label 100, TC 0, S 1, TTL 64
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(0, slot.vlanCount);
        assertTcpDatagram(slot, 22);
        assertEquals(plainEthernetTcpHash(), slot.flowHash);
        assertEquals(0, decoder.censusCounts()[Census.NON_IP]);
    }

    @Test
    void mplsOneLabelThenIpv6()
    {
        final DecodedFrame slot = CarriedSegment.overIpv6(new FrameBuilder()
            .ethernet(MplsLabelFlyweight.ETHER_TYPE_MULTICAST)
            .u32(0x0000_21FFL))                                       // label 2 (IPv6 explicit null), S 1, TTL 255
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(6, slot.ipVersion);
        assertEquals(18, slot.networkOffset);
        assertEquals(58, slot.transportOffset);
        assertEquals(78, slot.payloadOffset);
        assertEquals(4, slot.payloadLength);
        assertEquals(64, slot.ttl);
        assertEquals(ipv6High(CLIENT6), slot.srcHi);
        assertEquals(ipv6Low(SERVER6), slot.dstLo);
        assertEquals(40000, slot.srcPort);
        assertEquals(443, slot.dstPort);
        assertEquals(plainEthernetTcp6Hash(), slot.flowHash);
    }

    @Test
    void mplsPseudowireControlWordIsNotIp()
    {
        // An Ethernet pseudowire (RFC 4448): label 17, a control word (first nibble 0), then a whole
        // Ethernet frame that carries IPv4; the decoder does not take the control word for IP.
        final DecodedFrame slot = CarriedSegment.overIpv4(new FrameBuilder()
            .ethernet(MplsLabelFlyweight.ETHER_TYPE_UNICAST)
            .u32(0x0001_11FFL)                                        // label 17, S 1, TTL 255
            .u32(0x0000_0001L)                                        // control word, sequence 1
            .hex("4a0000000001 4a0000000002 0800"))
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(Anomaly.NONE, slot.anomaly);
        assertEquals(0, slot.ipVersion);
        assertEquals(-1, slot.networkOffset);
        assertFalse(slot.transportPresent);
        assertEquals(0, slot.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.NON_IP]);
    }

    @Test
    void truncatedMpls()
    {
        final DecodedFrame partialLabel = new FrameBuilder()
            .ethernet(MplsLabelFlyweight.ETHER_TYPE_UNICAST)
            .hex("000101")
            .slot(LinkType.ETHERNET);
        final DecodedFrame noBottomOfStack = new FrameBuilder()
            .ethernet(MplsLabelFlyweight.ETHER_TYPE_UNICAST)
            .u32(0x0001_0040L)
            .slot(LinkType.ETHERNET);
        final DecodedFrame nothingAfterTheStack = new FrameBuilder()
            .ethernet(MplsLabelFlyweight.ETHER_TYPE_UNICAST)
            .u32(0x0001_0040L)
            .u32(0x0006_4140L)
            .slot(LinkType.ETHERNET);
        // The snap length cuts the second label of a full frame.
        final FrameBuilder full = CarriedSegment.overIpv4(new FrameBuilder()
            .ethernet(MplsLabelFlyweight.ETHER_TYPE_UNICAST)
            .u32(0x0001_0040L)
            .u32(0x0006_4140L));
        final DecodedFrame snapCut = full.slot(LinkType.ETHERNET, 20, full.length());

        for (final DecodedFrame slot : new DecodedFrame[] {partialLabel, noBottomOfStack, nothingAfterTheStack,
            snapCut})
        {
            assertEquals(Anomaly.TRUNCATED_MPLS, decoder.decode(slot));
            assertEquals(Anomaly.TRUNCATED_MPLS, slot.anomaly);
            assertEquals(0, slot.ipVersion);
            assertEquals(-1, slot.networkOffset);
            assertEquals(0, slot.flowHash);
        }
        assertEquals(4, decoder.anomalyCounts()[Anomaly.TRUNCATED_MPLS]);
    }

    // ---- IEEE 802.3 -------------------------------------------------------------------------

    @Test
    void ieee8023LlcSnapCarriesIpv4Tcp()
    {
        final DecodedFrame slot = CarriedSegment.overIpv4(new FrameBuilder()
            .hex("001122334455 66778899aabb")
            .u16(8 + 44)                                              // 802.3 length
            .hex("aa aa 03 000000 0800"))                             // LLC UI, SNAP OUI 0, IPv4
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcpDatagram(slot, 22);
        assertEquals(plainEthernetTcpHash(), slot.flowHash);
        assertEquals(0, decoder.censusCounts()[Census.NON_IP]);
    }

    @Test
    void ieee8023LlcOtherThanIpIsNotIp()
    {
        // Spanning tree configuration BPDU: LLC 42 42 03, then 35 bytes; padded to 60.
        final DecodedFrame stp = new FrameBuilder()
            .hex("0180c2000000 66778899aabb 0026")
            .hex("42 42 03")
            .hex("0000 00 00 00 8000001122334455 00000000 8000001122334455 8001 0000 1400 0200 0f00")
            .zeros(8)
            .slot(LinkType.ETHERNET);
        assertEquals(60, stp.captureLength);
        // Cisco CDP: SNAP with OUI 00000c, protocol 0x2000 (the IPv4 value would not make it IP).
        final DecodedFrame cdp = new FrameBuilder()
            .hex("01000ccccccc 66778899aabb 0030")
            .hex("aa aa 03 00000c 2000")
            .zeros(40)
            .slot(LinkType.ETHERNET);
        final DecodedFrame snapOtherOui = CarriedSegment.overIpv4(new FrameBuilder()
            .hex("001122334455 66778899aabb")
            .u16(8 + 44)
            .hex("aa aa 03 00000c 0800"))
            .slot(LinkType.ETHERNET);
        // SNAP with OUI 0 and ARP.
        final DecodedFrame snapArp = new FrameBuilder()
            .hex("ffffffffffff 66778899aabb 0024")
            .hex("aa aa 03 000000 0806")
            .hex("0001 0800 06 04 0001 66778899aabb 0a000002 000000000000 0a000003")
            .slot(LinkType.ETHERNET);
        // The SNAP header is cut before its EtherType.
        final DecodedFrame snapCut = new FrameBuilder()
            .hex("001122334455 66778899aabb 0034")
            .hex("aa aa 03 000000 08")
            .slot(LinkType.ETHERNET);

        for (final DecodedFrame slot : new DecodedFrame[] {stp, cdp, snapOtherOui, snapArp, snapCut})
        {
            assertEquals(Anomaly.NONE, decoder.decode(slot));
            assertEquals(0, slot.ipVersion);
            assertEquals(-1, slot.networkOffset);
            assertEquals(0, slot.flowHash);
        }
        assertEquals(5, decoder.censusCounts()[Census.NON_IP]);
    }

    // ---- MAC-in-MAC -------------------------------------------------------------------------

    @Test
    void providerBackboneBridgingCarriesIpv4()
    {
        final DecodedFrame slot = CarriedSegment.overIpv4(new FrameBuilder()
            .ethernet(EtherType.VLAN)                                 // B-DA, B-SA
            .u16(0x0064).u16(EtherType.PBB_ITAG)                      // B-tag: VLAN 100
            .u32(0x0001_E240L)                                        // I-TAG: PCP 0, DEI 0, I-SID 123456
            .hex("0a0000000001 0a0000000002")                         // C-DA, C-SA
            .u16(EtherType.VLAN).u16(0x00C8).u16(EtherType.IPV4))     // C-tag: VLAN 200
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(2, slot.vlanCount);
        assertEquals(100, slot.vlans[0]);
        assertEquals(200, slot.vlans[1]);
        assertTcpDatagram(slot, 40);
        assertEquals(plainEthernetTcpHash(), slot.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.VLAN_TAGGED]);
    }

    @Test
    void fabricPathCarriesIpv4()
    {
        final DecodedFrame slot = CarriedSegment.overIpv4(new FrameBuilder()
            .hex("02000a000001 02000a000002")                         // outer switch addresses
            .u16(EtherType.FABRICPATH)
            .u16(0x007F)                                              // FTag 1, TTL 63
            .hex("001122334455 66778899aabb")                         // the original frame
            .u16(EtherType.IPV4))
            .hex("c0ffee00")                                          // its FCS, which ends the frame
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(0, slot.vlanCount);
        assertTcpDatagram(slot, 30);
        assertEquals(plainEthernetTcpHash(), slot.flowHash);
        assertEquals(0, decoder.censusCounts()[Census.VLAN_TAGGED]);
    }

    @Test
    void truncatedMacInMac()
    {
        // The inner source address is cut short.
        final DecodedFrame pbb = new FrameBuilder()
            .ethernet(EtherType.PBB_ITAG)
            .u32(0x0001_E240L)
            .hex("0a0000000001 0a00000000")
            .slot(LinkType.ETHERNET);
        // The inner EtherType is cut after one byte.
        final DecodedFrame fabricPath = new FrameBuilder()
            .ethernet(EtherType.FABRICPATH)
            .u16(0x007F)
            .hex("001122334455 66778899aabb 08")
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.TRUNCATED_ETHERNET, decoder.decode(pbb));
        assertEquals(-1, pbb.networkOffset);
        assertEquals(Anomaly.TRUNCATED_ETHERNET, decoder.decode(fabricPath));
        assertEquals(-1, fabricPath.networkOffset);
        assertEquals(2, decoder.anomalyCounts()[Anomaly.TRUNCATED_ETHERNET]);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Flow hash of {@link CarriedSegment#overIpv4} in plain Ethernet, decoded by a decoder of its own. */
    private static int plainEthernetTcpHash()
    {
        final DecodedFrame plain =
            CarriedSegment.overIpv4(new FrameBuilder().ethernet(EtherType.IPV4)).slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, new PacketDecoder().decode(plain));
        assertEquals(FlowHash.hash(6, 0, ipv4(CLIENT), 40000, 0, ipv4(SERVER), 443), plain.flowHash);
        return plain.flowHash;
    }

    private static int plainEthernetTcp6Hash()
    {
        final DecodedFrame plain =
            CarriedSegment.overIpv6(new FrameBuilder().ethernet(EtherType.IPV6)).slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, new PacketDecoder().decode(plain));
        assertEquals(
            FlowHash.hash(6, ipv6High(CLIENT6), ipv6Low(CLIENT6), 40000, ipv6High(SERVER6), ipv6Low(SERVER6), 443),
            plain.flowHash);
        return plain.flowHash;
    }

    /** Every field of {@link CarriedSegment#overIpv4} decoded, its IPv4 header at {@code networkOffset}. */
    private static void assertTcpDatagram(final DecodedFrame slot, final int networkOffset)
    {
        assertEquals(Anomaly.NONE, slot.anomaly);
        assertEquals(4, slot.ipVersion);
        assertEquals(IpProtocol.TCP, slot.ipProtocol);
        assertFalse(slot.fragment);
        assertTrue(slot.transportPresent);
        assertEquals(networkOffset, slot.networkOffset);
        assertEquals(networkOffset + 20, slot.transportOffset);
        assertEquals(networkOffset + 40, slot.payloadOffset);
        assertEquals(4, slot.payloadLength);
        assertEquals("abcd", new String(slot.data, slot.payloadOffset, slot.payloadLength, StandardCharsets.US_ASCII));
        assertEquals(64, slot.ttl);
        assertEquals(ipv4(CLIENT), slot.srcLo);
        assertEquals(ipv4(SERVER), slot.dstLo);
        assertEquals(40000, slot.srcPort);
        assertEquals(443, slot.dstPort);
        assertEquals(0x0102_0304L, slot.seq);
        assertEquals(0x0A0B_0C0DL, slot.ack);
        assertEquals(TcpFlags.PSH | TcpFlags.ACK, slot.tcpFlags);
        assertEquals(502, slot.window);
    }
}
