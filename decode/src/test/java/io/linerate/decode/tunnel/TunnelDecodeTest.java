package io.linerate.decode.tunnel;

import io.linerate.decode.Anomaly;
import io.linerate.decode.CarriedSegment;
import io.linerate.decode.Census;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FlowHash;
import io.linerate.decode.FrameBuilder;
import io.linerate.decode.LinkType;
import io.linerate.decode.PacketDecoder;
import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.mpls.MplsLabelFlyweight;
import io.linerate.decode.pppoe.PppoeSessionHeaderFlyweight;
import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.linerate.decode.CarriedSegment.CLIENT;
import static io.linerate.decode.CarriedSegment.CLIENT6;
import static io.linerate.decode.CarriedSegment.SERVER;
import static io.linerate.decode.CarriedSegment.SERVER6;
import static io.linerate.decode.FrameBuilder.ipv4;
import static io.linerate.decode.FrameBuilder.ipv6High;
import static io.linerate.decode.FrameBuilder.ipv6Low;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every encapsulation on exact frame bytes: the innermost TCP segment is decoded as it would be in
 * plain Ethernet (same fields, same flow hash), and each tunnel is kept outermost first with its
 * type, outer endpoints and identifier. Nested tunnels, a tunnel loop, a depth overflow and the
 * settings (no decapsulation, another VXLAN port) too.
 */
class TunnelDecodeTest
{
    private static final String VTEP_A = "10.0.0.1";
    private static final String VTEP_B = "10.0.0.2";
    private static final String VTEP6_A = "2001:db8:ffff::1";
    private static final String VTEP6_B = "2001:db8:ffff::2";
    /** Bytes of the inner IPv4 TCP segment, {@link CarriedSegment#overIpv4}. */
    private static final int TCP4 = CarriedSegment.IPV4_LENGTH;
    /** Bytes of the inner IPv6 TCP segment, {@link CarriedSegment#overIpv6}. */
    private static final int TCP6 = CarriedSegment.IPV6_LENGTH;
    private static final int ETHERNET = 14;

    private final PacketDecoder decoder = new PacketDecoder();

    // ---- VXLAN ------------------------------------------------------------------------------

    @Test
    void vxlanCarriesAnEthernetFrameWithTcp()
    {
        final DecodedFrame slot = vxlan(4789, 42).slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 8 + 8 + ETHERNET);
        assertEquals(1, slot.tunnelCount);
        assertTunnel(slot, 0, TunnelType.VXLAN, 42, VTEP_A, VTEP_B);
        assertEquals(plainTcp4Hash(), slot.flowHash);
        assertNotEquals(0, slot.tunnelKey);
        assertEquals(1, decoder.censusCounts()[Census.TUNNELLED]);
        assertEquals(2, decoder.censusCounts()[Census.IPV4]);
        assertEquals(1, decoder.censusCounts()[Census.UDP]);
        assertEquals(1, decoder.censusCounts()[Census.TCP]);
    }

    @Test
    void twoVnisAreTwoKeysAndBothDirectionsOfOneVniAreOne()
    {
        final DecodedFrame tenant42 = vxlan(4789, 42).slot(LinkType.ETHERNET);
        final DecodedFrame tenant43 = vxlan(4789, 43).slot(LinkType.ETHERNET);
        final DecodedFrame answer42 = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 8 + ETHERNET + TCP4, 2, 0, 64, IpProtocol.UDP, VTEP_B, VTEP_A)
            .udp(60000, 4789, 8 + 8 + ETHERNET + TCP4)
            .u32(0x0800_0000L).u32(42L << 8)
            .ethernet(EtherType.IPV4)
            .ipv4(TCP4, 7, 0x4000, 64, IpProtocol.TCP, SERVER, CLIENT)
            .tcp(443, 40000, 0x0A0B_0C0DL, 0x0102_0308L, 5, TcpFlags.ACK, 502)
            .hex("61626364")
            .slot(LinkType.ETHERNET);

        decoder.decode(tenant42);
        decoder.decode(tenant43);
        decoder.decode(answer42);

        assertEquals(tenant42.flowHash, tenant43.flowHash);
        assertNotEquals(tenant42.tunnelKey, tenant43.tunnelKey);
        assertEquals(tenant42.tunnelKey, answer42.tunnelKey);
        assertEquals(tenant42.flowHash, answer42.flowHash);
    }

    @Test
    void vxlanOnAConfiguredPort()
    {
        final DecodedFrame slot = vxlan(8472, 7).slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, new PacketDecoder(DecodeCursor.MAX_TUNNEL_DEPTH, 8472).decode(slot));
        assertTcp4(slot, ETHERNET + 20 + 8 + 8 + ETHERNET);
        assertTunnel(slot, 0, TunnelType.VXLAN, 7, VTEP_A, VTEP_B);

        final DecodedFrame elsewhere = vxlan(8472, 7).slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(elsewhere));
        assertEquals(IpProtocol.UDP, elsewhere.ipProtocol);
        assertEquals(8472, elsewhere.dstPort);
        assertEquals(0, elsewhere.tunnelCount);
    }

    @Test
    void vxlanWithoutItsIFlagStaysUdp()
    {
        final byte[] frame = vxlan(4789, 42).toBytes();
        frame[ETHERNET + 20 + 8] = 0;
        final DecodedFrame slot = FrameBuilder.fill(new DecodedFrame(), LinkType.ETHERNET, frame, frame.length,
            frame.length);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(ipv4(VTEP_A), slot.srcLo);
        assertEquals(IpProtocol.UDP, slot.ipProtocol);
        assertEquals(4789, slot.dstPort);
        assertEquals(8 + ETHERNET + TCP4, slot.payloadLength);
        assertEquals(0, slot.tunnelCount);
    }

    @Test
    void noDecapsulationLeavesEveryTunnelClosed()
    {
        final PacketDecoder closed = new PacketDecoder(0, 0);
        final DecodedFrame vxlan = vxlan(4789, 42).slot(LinkType.ETHERNET);
        final DecodedFrame gre = gre(0x0000, -1, -1, EtherType.IPV4).slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, closed.decode(vxlan));
        assertEquals(Anomaly.NONE, closed.decode(gre));

        assertEquals(ipv4(VTEP_A), vxlan.srcLo);
        assertEquals(4789, vxlan.dstPort);
        assertEquals(0, vxlan.tunnelCount);
        assertEquals(IpProtocol.GRE, gre.ipProtocol);
        assertEquals(ipv4(VTEP_A), gre.srcLo);
        assertEquals(0, gre.tunnelCount);
        assertEquals(1, closed.censusCounts()[Census.OTHER_IP_PROTOCOL]);
    }

    // ---- GRE and ERSPAN ---------------------------------------------------------------------

    @Test
    void greWithoutKeyOrSequence()
    {
        final DecodedFrame slot = gre(0x0000, -1, -1, EtherType.IPV4).slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 4);
        assertTunnel(slot, 0, TunnelType.GRE, -1, VTEP_A, VTEP_B);
        assertEquals(0, slot.tunnelKey);
    }

    @Test
    void greWithChecksumKeyAndSequence()
    {
        final DecodedFrame slot = gre(0xB000, 0x1234_5678L, 99, EtherType.IPV4).slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 16);
        assertTunnel(slot, 0, TunnelType.GRE, 0x1234_5678L, VTEP_A, VTEP_B);
        assertNotEquals(0, slot.tunnelKey);
    }

    @Test
    void greTransparentEthernetBridging()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + ETHERNET + TCP4, 1, 0, 64, IpProtocol.GRE, VTEP_A, VTEP_B)
            .u16(0x2000).u16(EtherType.TRANSPARENT_ETHERNET_BRIDGING).u32(5000)   // K, NVGRE-style key
            .ethernet(EtherType.IPV4)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 8 + ETHERNET);
        assertTunnel(slot, 0, TunnelType.GRE, 5000, VTEP_A, VTEP_B);
    }

    @Test
    void erspanTypeI()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 4 + ETHERNET + TCP4, 1, 0, 64, IpProtocol.GRE, VTEP_A, VTEP_B)
            .u16(0x0000).u16(EtherType.ERSPAN_TYPE_II)                         // no S bit: type I
            .ethernet(EtherType.IPV4)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 4 + ETHERNET);
        assertTunnel(slot, 0, TunnelType.ERSPAN, -1, VTEP_A, VTEP_B);
    }

    @Test
    void erspanTypeII()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 8 + ETHERNET + TCP4, 1, 0, 64, IpProtocol.GRE, VTEP_A, VTEP_B)
            .u16(0x1000).u16(EtherType.ERSPAN_TYPE_II).u32(1)                  // S, sequence 1
            .u16(0x1000 | 10).u16(0x0064).u32(0)                               // ver 1 VLAN 10, session 100
            .ethernet(EtherType.IPV4)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 8 + 8 + ETHERNET);
        assertTunnel(slot, 0, TunnelType.ERSPAN, 100, VTEP_A, VTEP_B);
        assertNotEquals(0, slot.tunnelKey);
    }

    @Test
    void erspanTypeIIIWithPlatformSubheader()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 12 + 8 + ETHERNET + TCP4, 1, 0, 64, IpProtocol.GRE, VTEP_A, VTEP_B)
            .u16(0x1000).u16(EtherType.ERSPAN_TYPE_III).u32(1)
            .u16(0x2000).u16(0x0065).u32(0x1234_5678L).u16(0).u16(0x0001)      // ver 2, session 101, O
            .u32(0).u32(0)                                                     // platform subheader
            .ethernet(EtherType.IPV4)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 8 + 20 + ETHERNET);
        assertTunnel(slot, 0, TunnelType.ERSPAN, 101, VTEP_A, VTEP_B);
    }

    // ---- IP in IP ---------------------------------------------------------------------------

    @Test
    void ipv4InIpv4()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + TCP4, 1, 0, 64, IpProtocol.IPV4, VTEP_A, VTEP_B)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20);
        assertTunnel(slot, 0, TunnelType.IP_IN_IP, -1, VTEP_A, VTEP_B);
        assertEquals(0, slot.tunnelSrcPort[0], "no UDP around it");
        assertEquals(0, slot.tunnelDstPort[0]);
        assertEquals(0, slot.tunnelKey);
    }

    @Test
    void ipv6InIpv4()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + TCP6, 1, 0, 64, IpProtocol.IPV6, VTEP_A, VTEP_B)
            .apply(CarriedSegment::overIpv6)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp6(slot, ETHERNET + 20);
        assertTunnel(slot, 0, TunnelType.IP_IN_IP, -1, VTEP_A, VTEP_B);
    }

    @Test
    void ipv4InIpv6()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV6)
            .ipv6(TCP4, IpProtocol.IPV4, 64, VTEP6_A, VTEP6_B)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 40);
        assertTunnel6(slot, 0, TunnelType.IP_IN_IP, VTEP6_A, VTEP6_B);
    }

    @Test
    void ipv6InIpv6()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV6)
            .ipv6(TCP6, IpProtocol.IPV6, 64, VTEP6_A, VTEP6_B)
            .apply(CarriedSegment::overIpv6)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp6(slot, ETHERNET + 40);
        assertTunnel6(slot, 0, TunnelType.IP_IN_IP, VTEP6_A, VTEP6_B);
    }

    // ---- Geneve, GTP-U, Teredo, AYIYA -------------------------------------------------------

    @Test
    void geneveWithAnOptionCarriesEthernet()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 16 + ETHERNET + TCP4, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(50000, 6081, 8 + 16 + ETHERNET + TCP4)
            .u8(0x02).u8(0x00).u16(EtherType.TRANSPARENT_ETHERNET_BRIDGING).u32(0x00_0A_BC_00L) // opt len 2, VNI 0xabc
            .u16(0x0102).u8(0x80).u8(0x01).u32(0xDEAD_BEEFL)                   // one 8-byte option
            .ethernet(EtherType.IPV4)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 8 + 16 + ETHERNET);
        assertTunnel(slot, 0, TunnelType.GENEVE, 0xABC, VTEP_A, VTEP_B);
    }

    @Test
    void gtpUserPlaneWithAnExtensionHeader()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 16 + TCP4, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(5906, 2152, 8 + 16 + TCP4)
            .u8(0x34).u8(0xFF).u16(8 + TCP4).u32(0x0000_BEEFL)                // E, G-PDU, TEID
            .u16(0).u8(0).u8(0x85)                                             // PDU session container next
            .u8(1).u8(0x00).u8(0x09).u8(0x00)                                  // 4 bytes, QFI 9, no next
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 8 + 16);
        assertTunnel(slot, 0, TunnelType.GTP_U, 0xBEEF, VTEP_A, VTEP_B);
        assertEquals(5906, slot.tunnelSrcPort[0], "the outer UDP ports name the tunnel to Zeek");
        assertEquals(2152, slot.tunnelDstPort[0]);
        assertEquals(0, slot.tunnelKey, "a TEID is per direction: not in the key");
    }

    @Test
    void gtpEchoStaysUdp()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 12, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(2152, 2152, 8 + 12)
            .u8(0x32).u8(0x01).u16(4).u32(0).u16(1).u8(0).u8(0)               // S, echo request
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(IpProtocol.UDP, slot.ipProtocol);
        assertEquals(ipv4(VTEP_A), slot.srcLo);
        assertEquals(0, slot.tunnelCount);
    }

    @Test
    void teredoWithOriginIndication()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 8 + TCP6, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(3544, 51000, 8 + 8 + TCP6)
            .u16(0x0000).u16(0xFFFF ^ 40000).u32(0xFFFF_FFFFL ^ 0xC000_0201L)  // origin indication
            .apply(CarriedSegment::overIpv6)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp6(slot, ETHERNET + 20 + 8 + 8);
        assertTunnel(slot, 0, TunnelType.TEREDO, -1, VTEP_A, VTEP_B);
    }

    @Test
    void teredoOnARelaysPortIsFoundByItsIpv6Packet()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + TCP6, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(51000, 40001, 8 + TCP6)
            .apply(CarriedSegment::overIpv6)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp6(slot, ETHERNET + 20 + 8);
        assertTunnel(slot, 0, TunnelType.TEREDO, -1, VTEP_A, VTEP_B);
    }

    @Test
    void aDatagramStartingLikeIpv6ButNotFillingItStaysUdp()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 48, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(5353, 5353, 8 + 48)
            .u32(0x6000_0000L).u16(4).u8(59).u8(64).zeros(32).u32(0).u32(0)    // payload length 4, not 8
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(IpProtocol.UDP, slot.ipProtocol);
        assertEquals(5353, slot.srcPort);
        assertEquals(0, slot.tunnelCount);
    }

    @Test
    void teredoPortWithoutAnIpv6PacketStaysUdp()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 48, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(3544, 51000, 8 + 48)
            .u32(0x6000_0000L).u16(100).u8(59).u8(64).zeros(32).u32(0).u32(0)  // IPv6 claiming 100 bytes
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(IpProtocol.UDP, slot.ipProtocol);
        assertEquals(0, slot.tunnelCount);
    }

    @Test
    void ayiyaForwardsIpv6()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 8 + 16 + 20 + TCP6, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(5072, 5072, 8 + 8 + 16 + 20 + TCP6)
            .u8(0x41).u8(0x52).u8(0x21).u8(IpProtocol.IPV6).u32(1_700_000_000L) // idlen 4, siglen 5, forward
            .address(CLIENT6)                                                  // identity
            .zeros(20)                                                         // SHA-1 signature
            .apply(CarriedSegment::overIpv6)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp6(slot, ETHERNET + 20 + 8 + 8 + 16 + 20);
        assertTunnel(slot, 0, TunnelType.AYIYA, -1, VTEP_A, VTEP_B);
    }

    // ---- below IP: MPLS, PPPoE, QinQ ----------------------------------------------------------

    @Test
    void mplsLabelsAreKeptOutermostFirst()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(MplsLabelFlyweight.ETHER_TYPE_UNICAST)
            .u32(0x0001_00FFL)                                                 // label 16
            .u32(0x0001_11FFL)                                                 // label 17, bottom
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 8);
        assertEquals(1, slot.tunnelCount);
        assertEquals(TunnelType.MPLS, slot.tunnelType[0]);
        assertEquals(0, slot.tunnelIpVersion[0]);
        assertEquals(2, TunnelType.labelCount(slot.tunnelId[0]));
        assertEquals(16, TunnelType.label(slot.tunnelId[0], 0));
        assertEquals(17, TunnelType.label(slot.tunnelId[0], 1));
        assertEquals(0, slot.tunnelKey, "labels are per direction: not in the key");
    }

    @Test
    void pppoeSessionIsKept()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION)
            .u8(0x11).u8(0x00).u16(0x1234).u16(2 + TCP4).u16(PppoeSessionHeaderFlyweight.PPP_IPV4)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 8);
        assertEquals(1, slot.tunnelCount);
        assertEquals(TunnelType.PPPOE, slot.tunnelType[0]);
        assertEquals(0x1234, slot.tunnelId[0]);
    }

    @Test
    void threeVlanTagsAreFollowed()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.QINQ)
            .u16(100).u16(EtherType.VLAN)
            .u16(200).u16(EtherType.VLAN)
            .u16(300).u16(EtherType.IPV4)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 12);
        assertEquals(3, slot.vlanCount);
        assertEquals(100, slot.vlans[0]);
        assertEquals(200, slot.vlans[1]);
        assertEquals(0, slot.tunnelCount);
    }

    // ---- nesting, loops, depth ----------------------------------------------------------------

    @Test
    void vxlanInsideGre()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 4 + 20 + 8 + 8 + ETHERNET + TCP4, 1, 0, 64, IpProtocol.GRE, "203.0.113.1", "203.0.113.2")
            .u16(0x0000).u16(EtherType.IPV4)
            .apply(b -> vxlanPacket(b, 4789, 42))
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 4 + 20 + 8 + 8 + ETHERNET);
        assertEquals(2, slot.tunnelCount);
        assertTunnel(slot, 0, TunnelType.GRE, -1, "203.0.113.1", "203.0.113.2");
        assertTunnel(slot, 1, TunnelType.VXLAN, 42, VTEP_A, VTEP_B);
    }

    @Test
    void vlanInsideVxlan()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 8 + ETHERNET + 4 + TCP4, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(50000, 4789, 8 + 8 + ETHERNET + 4 + TCP4)
            .u32(0x0800_0000L).u32(42L << 8)
            .ethernet(EtherType.VLAN).u16(77).u16(EtherType.IPV4)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 20 + 8 + 8 + ETHERNET + 4);
        assertEquals(1, slot.vlanCount);
        assertEquals(77, slot.vlans[0]);
        assertTunnel(slot, 0, TunnelType.VXLAN, 42, VTEP_A, VTEP_B);
    }

    @Test
    void mplsInsideVlan()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.VLAN).u16(10).u16(MplsLabelFlyweight.ETHER_TYPE_UNICAST)
            .u32(0x0006_41FFL)                                                 // label 100, bottom
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertTcp4(slot, ETHERNET + 4 + 4);
        assertEquals(10, slot.vlans[0]);
        assertEquals(TunnelType.MPLS, slot.tunnelType[0]);
        assertEquals(100, TunnelType.label(slot.tunnelId[0], 0));
    }

    @Test
    void aTunnelInsideItselfIsALoop()
    {
        // GRE from A to B with key 9, carrying GRE from A to B with key 9: the packet repeats itself.
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 20 + 8 + TCP4, 1, 0, 64, IpProtocol.GRE, VTEP_A, VTEP_B)
            .u16(0x2000).u16(EtherType.IPV4).u32(9)
            .ipv4(20 + 8 + TCP4, 1, 0, 64, IpProtocol.GRE, VTEP_A, VTEP_B)
            .u16(0x2000).u16(EtherType.IPV4).u32(9)
            .apply(CarriedSegment::overIpv4)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.TUNNEL_LOOP, decoder.decode(slot));

        assertEquals(Anomaly.TUNNEL_LOOP, slot.anomaly);
        assertEquals(1, slot.tunnelCount);
        assertEquals(1, decoder.anomalyCounts()[Anomaly.TUNNEL_LOOP]);
    }

    @Test
    void moreTunnelsThanTheDepthIsAnAnomaly()
    {
        // Nine IPv4-in-IPv4 headers, each between other addresses: one more than the default depth.
        final int depth = DecodedFrame.MAX_TUNNELS + 1;
        final FrameBuilder frame = new FrameBuilder().ethernet(EtherType.IPV4);
        for (int i = 0; i < depth; i++)
        {
            frame.ipv4(20 * (depth - i) + TCP4, 1, 0, 64, IpProtocol.IPV4, "10.0.1." + i, "10.0.2." + i);
        }
        final DecodedFrame slot = CarriedSegment.overIpv4(frame).slot(LinkType.ETHERNET);

        assertEquals(Anomaly.TUNNEL_TOO_DEEP, decoder.decode(slot));
        assertEquals(DecodedFrame.MAX_TUNNELS, slot.tunnelCount);

        final DecodedFrame two = vxlanInsideGreFrame().slot(LinkType.ETHERNET);
        final PacketDecoder shallow = new PacketDecoder(1, 0);
        assertEquals(Anomaly.TUNNEL_TOO_DEEP, shallow.decode(two));
        assertEquals(1, two.tunnelCount);
        assertEquals(1, shallow.anomalyCounts()[Anomaly.TUNNEL_TOO_DEEP]);
    }

    @Test
    void reusedSlotKeepsNoTunnelOfThePreviousFrame()
    {
        final DecodedFrame slot = vxlan(4789, 42).slot(LinkType.ETHERNET);
        decoder.decode(slot);
        final byte[] plain = CarriedSegment.overIpv4(new FrameBuilder().ethernet(EtherType.IPV4)).toBytes();
        FrameBuilder.fill(slot, LinkType.ETHERNET, plain, plain.length, plain.length);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(0, slot.tunnelCount);
        assertEquals(0, slot.tunnelKey);
        assertTcp4(slot, ETHERNET);
    }

    @Test
    void aPacketDecodedInsideTheTunnelsItCameInHasTheWholeFramesTunnelsAndKey()
    {
        // What a shard does with a datagram reassembled from fragments that came in GRE: the bytes
        // from the GRE payload on, decoded inside that tunnel (the first of the whole frame's).
        final DecodedFrame whole = vxlanInsideGreFrame().slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(whole));
        final byte[] frame = vxlanInsideGreFrame().toBytes();
        final byte[] packet = Arrays.copyOfRange(frame, ETHERNET + 20 + 4, frame.length);
        final DecodedFrame inside = FrameBuilder.fill(new DecodedFrame(), LinkType.RAW, packet, packet.length,
            packet.length);
        final TunnelStack tunnels = new TunnelStack();
        tunnels.copyFrom(whole);
        tunnels.copyTo(inside);

        assertEquals(Anomaly.NONE, decoder.decodeInside(inside, 1));

        assertEquals(2, inside.tunnelCount);
        assertTunnel(inside, 0, TunnelType.GRE, -1, "203.0.113.1", "203.0.113.2");
        assertTunnel(inside, 1, TunnelType.VXLAN, 42, VTEP_A, VTEP_B);
        assertEquals(55555, inside.tunnelSrcPort[1]);
        assertEquals(4789, inside.tunnelDstPort[1]);
        assertEquals(whole.tunnelKey, inside.tunnelKey);
        assertEquals(whole.flowHash, inside.flowHash);
        assertEquals(ipv4(CLIENT), inside.srcLo);
        assertEquals(ipv4(SERVER), inside.dstLo);
        assertEquals(40000, inside.srcPort);
        assertEquals(4, inside.payloadLength);

        // The tunnel it came in counts towards the depth, as in the whole frame.
        final PacketDecoder shallow = new PacketDecoder(1, 0);
        assertEquals(Anomaly.TUNNEL_TOO_DEEP, shallow.decode(vxlanInsideGreFrame().slot(LinkType.ETHERNET)));
        assertEquals(Anomaly.TUNNEL_TOO_DEEP, shallow.decodeInside(inside, 1));
        assertEquals(1, inside.tunnelCount);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * An Ethernet frame with a VXLAN packet from VTEP A to B on {@code port} carrying
     * {@link CarriedSegment#overIpv4}.
     */
    private static FrameBuilder vxlan(final int port, final long vni)
    {
        return vxlanPacket(new FrameBuilder().ethernet(EtherType.IPV4), port, vni);
    }

    private static FrameBuilder vxlanPacket(final FrameBuilder frame, final int port, final long vni)
    {
        return CarriedSegment.overIpv4(frame
            .ipv4(20 + 8 + 8 + ETHERNET + TCP4, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(55555, port, 8 + 8 + ETHERNET + TCP4)
            .u32(0x0800_0000L).u32(vni << 8)
            .ethernet(EtherType.IPV4));
    }

    private static FrameBuilder vxlanInsideGreFrame()
    {
        return vxlanPacket(new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 4 + 20 + 8 + 8 + ETHERNET + TCP4, 1, 0, 64, IpProtocol.GRE, "203.0.113.1", "203.0.113.2")
            .u16(0x0000).u16(EtherType.IPV4), 4789, 42);
    }

    /**
     * GRE (flags as given; key and sequence written when not -1) from VTEP A to B carrying
     * {@link CarriedSegment#overIpv4}.
     */
    private static FrameBuilder gre(final int flags, final long key, final long sequence, final int protocolType)
    {
        final int optional = ((flags & 0x8000) != 0 ? 4 : 0) + (key >= 0 ? 4 : 0) + (sequence >= 0 ? 4 : 0);
        final FrameBuilder b = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 4 + optional + TCP4, 1, 0, 64, IpProtocol.GRE, VTEP_A, VTEP_B)
            .u16(flags).u16(protocolType);
        if ((flags & 0x8000) != 0)
        {
            b.u32(0);
        }
        if (key >= 0)
        {
            b.u32(key);
        }
        if (sequence >= 0)
        {
            b.u32(sequence);
        }
        return CarriedSegment.overIpv4(b);
    }

    private static int plainTcp4Hash()
    {
        return FlowHash.hash(6, 0, ipv4(CLIENT), 40000, 0, ipv4(SERVER), 443);
    }

    private static void assertTcp4(final DecodedFrame slot, final int networkOffset)
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
        assertEquals(ipv4(CLIENT), slot.srcLo);
        assertEquals(ipv4(SERVER), slot.dstLo);
        assertEquals(40000, slot.srcPort);
        assertEquals(443, slot.dstPort);
        assertEquals(0x0102_0304L, slot.seq);
        assertEquals(TcpFlags.PSH | TcpFlags.ACK, slot.tcpFlags);
        assertEquals(plainTcp4Hash(), slot.flowHash);
    }

    private static void assertTcp6(final DecodedFrame slot, final int networkOffset)
    {
        assertEquals(Anomaly.NONE, slot.anomaly);
        assertEquals(6, slot.ipVersion);
        assertEquals(IpProtocol.TCP, slot.ipProtocol);
        assertTrue(slot.transportPresent);
        assertEquals(networkOffset, slot.networkOffset);
        assertEquals(networkOffset + 60, slot.payloadOffset);
        assertEquals(4, slot.payloadLength);
        assertEquals(ipv6High(CLIENT6), slot.srcHi);
        assertEquals(ipv6Low(CLIENT6), slot.srcLo);
        assertEquals(ipv6Low(SERVER6), slot.dstLo);
        assertEquals(40000, slot.srcPort);
        assertEquals(443, slot.dstPort);
        assertEquals(
            FlowHash.hash(6, ipv6High(CLIENT6), ipv6Low(CLIENT6), 40000, ipv6High(SERVER6), ipv6Low(SERVER6), 443),
            slot.flowHash);
    }

    private static void assertTunnel(
        final DecodedFrame slot, final int i, final int type, final long id, final String source, final String destination)
    {
        assertEquals(type, slot.tunnelType[i], "type of tunnel " + i);
        assertEquals(id, slot.tunnelId[i], "id of tunnel " + i);
        assertEquals(4, slot.tunnelIpVersion[i]);
        assertEquals(0, slot.tunnelSrcHi[i]);
        assertEquals(ipv4(source), slot.tunnelSrcLo[i]);
        assertEquals(ipv4(destination), slot.tunnelDstLo[i]);
    }

    private static void assertTunnel6(final DecodedFrame slot, final int i, final int type, final String source,
        final String destination)
    {
        assertEquals(type, slot.tunnelType[i]);
        assertEquals(-1, slot.tunnelId[i]);
        assertEquals(6, slot.tunnelIpVersion[i]);
        assertEquals(ipv6High(source), slot.tunnelSrcHi[i]);
        assertEquals(ipv6Low(source), slot.tunnelSrcLo[i]);
        assertEquals(ipv6High(destination), slot.tunnelDstHi[i]);
        assertEquals(ipv6Low(destination), slot.tunnelDstLo[i]);
    }
}
