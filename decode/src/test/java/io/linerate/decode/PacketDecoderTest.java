package io.linerate.decode;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.linerate.decode.FrameBuilder.ipv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Link layers, IPv4, TCP, UDP, ICMP and the decoder's contract, on exact frame bytes. */
class PacketDecoderTest
{
    /**
     * Ethernet, IPv4 (DF), TCP with 40 bytes of options and a 5-byte payload ("hello"), checksums
     * valid; tshark 4.x reads it as: 192.168.1.10:51234 -> 10.0.0.1:443, seq raw 4026531841, ack raw
     * 2147483648, header 60 bytes, flags 0x1d8 (PSH, ACK, ECE, CWR, AE), window 32769, MSS 1460,
     * WS 7, SACK permitted, TSval 3735928559 TSecr 1, SACK 0xf0001000-0xf0002000 0xf0003000-0xf0004000.
     */
    static final String TCP_WITH_EVERY_OPTION =
        "001122334455 66778899aabb 0800" +
        "4500 0055 1c46 4000 4006 52aa c0a8010a 0a000001" +
        "c822 01bb f0000001 80000000 f1d8 8001 28f4 0000" +
        "020405b4 01030307 0402 080a deadbeef 00000001 0101 0512 f0001000 f0002000 f0003000 f0004000" +
        "68656c6c6f";

    private final PacketDecoder decoder = new PacketDecoder();

    @Test
    void decodesEthernetIpv4TcpWithEveryOption()
    {
        final DecodedFrame slot = new FrameBuilder().hex(TCP_WITH_EVERY_OPTION).slot(LinkType.ETHERNET);
        assertEquals(99, slot.captureLength);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(Anomaly.NONE, slot.anomaly);
        assertEquals(0, slot.vlanCount);
        assertEquals(4, slot.ipVersion);
        assertEquals(IpProtocol.TCP, slot.ipProtocol);
        assertFalse(slot.fragment);
        assertTrue(slot.transportPresent);
        assertEquals(14, slot.networkOffset);
        assertEquals(34, slot.transportOffset);
        assertEquals(94, slot.payloadOffset);
        assertEquals(5, slot.payloadLength);
        assertEquals("hello", new String(slot.data, slot.payloadOffset, slot.payloadLength, StandardCharsets.US_ASCII));
        assertEquals(64, slot.ttl);
        assertEquals(0, slot.srcHi);
        assertEquals(0xC0A8_010AL, slot.srcLo);
        assertEquals(0, slot.dstHi);
        assertEquals(0x0A00_0001L, slot.dstLo);
        assertEquals(51234, slot.srcPort);
        assertEquals(443, slot.dstPort);
        assertEquals(4026531841L, slot.seq);
        assertEquals(2147483648L, slot.ack);
        assertEquals(TcpFlags.PSH | TcpFlags.ACK | TcpFlags.ECE | TcpFlags.CWR | TcpFlags.NS, slot.tcpFlags);
        assertEquals(0x1D8, slot.tcpFlags);
        assertEquals(32769, slot.window);
        assertEquals(1460, slot.mss);
        assertEquals(7, slot.windowScale);
        assertTrue(slot.sackPermitted);
        assertTrue(slot.timestampsPresent);
        assertEquals(3735928559L, slot.tsVal);
        assertEquals(1, slot.tsEcr);
        assertEquals(2, slot.sackBlockCount);
        assertEquals(0xF000_1000L, slot.sackLeft[0]);
        assertEquals(0xF000_2000L, slot.sackRight[0]);
        assertEquals(0xF000_3000L, slot.sackLeft[1]);
        assertEquals(0xF000_4000L, slot.sackRight[1]);
        assertEquals(-1, slot.icmpType);
        assertEquals(-1, slot.icmpCode);
        assertFalse(slot.quotedPresent);
        assertEquals(
            FlowHash.hash(6, 0, 0xC0A8_010AL, 51234, 0, 0x0A00_0001L, 443), slot.flowHash);
        assertTrue(slot.flowHash >= 0);

        assertEquals(1, decoder.anomalyCounts()[Anomaly.NONE]);
        assertEquals(1, decoder.censusCounts()[Census.FRAMES]);
        assertEquals(1, decoder.censusCounts()[Census.IPV4]);
        assertEquals(1, decoder.censusCounts()[Census.TCP]);
        assertEquals(0, decoder.censusCounts()[Census.NON_IP]);
    }

    @Test
    void ethernetPaddingIsNotPayload()
    {
        // A 54-byte SYN padded to the 60-byte Ethernet minimum.
        final FrameBuilder frame = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(40, 1, 0x4000, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
            .tcp(40000, 80, 1000, 0, 5, TcpFlags.SYN, 64240)
            .zeros(6);

        final DecodedFrame slot = frame.slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(TcpFlags.SYN, slot.tcpFlags);
        assertEquals(54, slot.payloadOffset);
        assertEquals(0, slot.payloadLength);
        assertEquals(-1, slot.mss);
        assertEquals(-1, slot.windowScale);
        assertFalse(slot.sackPermitted);
        assertFalse(slot.timestampsPresent);
    }

    @Test
    void decodesQinqDoubleTag()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.QINQ)
            .u16(0xA064).u16(EtherType.VLAN)     // PCP 5, DEI 0, VLAN 100; inner TPID
            .u16(0x30C8).u16(EtherType.IPV4)     // PCP 1, DEI 1, VLAN 200
            .ipv4(28, 7, 0, 63, IpProtocol.UDP, "172.16.0.1", "172.16.0.2")
            .udp(5353, 53, 8)
            .zeros(10)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(2, slot.vlanCount);
        assertEquals(100, slot.vlans[0]);
        assertEquals(200, slot.vlans[1]);
        assertEquals(22, slot.networkOffset);
        assertEquals(42, slot.transportOffset);
        assertEquals(IpProtocol.UDP, slot.ipProtocol);
        assertEquals(5353, slot.srcPort);
        assertEquals(53, slot.dstPort);
        assertEquals(0, slot.payloadLength);
        assertEquals(1, decoder.censusCounts()[Census.VLAN_TAGGED]);
    }

    @Test
    void countsTagsBeyondTheSlotsCapacity()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.QINQ_LEGACY)
            .u16(10).u16(EtherType.QINQ)
            .u16(20).u16(EtherType.VLAN)
            .u16(30).u16(EtherType.IPV4)
            .ipv4(28, 7, 0, 63, IpProtocol.UDP, "172.16.0.1", "172.16.0.2")
            .udp(1, 2, 8)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(3, slot.vlanCount);
        assertArrayEquals(new int[] {10, 20}, slot.vlans);
        assertEquals(26, slot.networkOffset);
        assertEquals(4, slot.ipVersion);
    }

    @Test
    void truncatedVlanTag()
    {
        final DecodedFrame slot = new FrameBuilder().ethernet(EtherType.VLAN).u16(100).slot(LinkType.ETHERNET);

        assertEquals(Anomaly.TRUNCATED_VLAN, decoder.decode(slot));
        assertEquals(Anomaly.TRUNCATED_VLAN, slot.anomaly);
        assertEquals(0, slot.ipVersion);
        assertEquals(0, slot.flowHash);
    }

    @Test
    void truncatedEthernet()
    {
        final DecodedFrame slot = new FrameBuilder().hex("001122334455 66778899aabb 08").slot(LinkType.ETHERNET);

        assertEquals(Anomaly.TRUNCATED_ETHERNET, decoder.decode(slot));
        assertEquals(-1, slot.networkOffset);
    }

    @Test
    void nonIpEthernetIsCountedNotAnomalous()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.ARP)
            .hex("0001 0800 06 04 0001 66778899aabb 0a000002 000000000000 0a000003")
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(0, slot.ipVersion);
        assertEquals(-1, slot.networkOffset);
        assertEquals(0, slot.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.NON_IP]);
    }

    @Test
    void decodesLinuxSll()
    {
        final DecodedFrame slot = new FrameBuilder()
            .u16(0)                    // packet type: to us
            .u16(1)                    // ARPHRD_ETHER
            .u16(6)                    // address length
            .hex("66778899aabb 0000")  // address, zero padded to 8
            .u16(EtherType.IPV4)
            .ipv4(40, 9, 0x4000, 64, IpProtocol.TCP, "10.1.1.1", "10.1.1.2")
            .tcp(22, 50000, 7, 8, 5, TcpFlags.ACK, 501)
            .slot(LinkType.LINUX_SLL);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(16, slot.networkOffset);
        assertEquals(36, slot.transportOffset);
        assertEquals(ipv4("10.1.1.1"), slot.srcLo);
        assertEquals(22, slot.srcPort);
        assertEquals(50000, slot.dstPort);
        assertEquals(TcpFlags.ACK, slot.tcpFlags);
        assertEquals(501, slot.window);
    }

    @Test
    void linuxSllNetlinkIsNotIp()
    {
        // ARPHRD_NETLINK (824): the protocol field is a netlink family, even if it reads 0x0800.
        final DecodedFrame slot = new FrameBuilder()
            .u16(4).u16(824).u16(0).zeros(8).u16(0x0800)
            .zeros(20)
            .slot(LinkType.LINUX_SLL);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(0, slot.ipVersion);
        assertEquals(1, decoder.censusCounts()[Census.NON_IP]);
    }

    @Test
    void truncatedLinuxSll()
    {
        assertEquals(Anomaly.TRUNCATED_LINUX_SLL, decoder.decode(new FrameBuilder().zeros(15).slot(LinkType.LINUX_SLL)));
        assertEquals(Anomaly.TRUNCATED_LINUX_SLL2, decoder.decode(new FrameBuilder().zeros(19).slot(LinkType.LINUX_SLL2)));
    }

    @Test
    void decodesLinuxSll2()
    {
        final DecodedFrame slot = new FrameBuilder()
            .u16(EtherType.IPV6)       // protocol
            .u16(0)                    // reserved
            .u32(3)                    // interface index
            .u16(1)                    // ARPHRD_ETHER
            .u8(4)                     // packet type: outgoing
            .u8(6)                     // address length
            .hex("66778899aabb 0000")
            .ipv6(8 + 4, IpProtocol.UDP, 255, "2001:db8::1", "2001:db8::2")
            .udp(546, 547, 12)
            .hex("01020304")
            .slot(LinkType.LINUX_SLL2);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(20, slot.networkOffset);
        assertEquals(6, slot.ipVersion);
        assertEquals(255, slot.ttl);
        assertEquals(FrameBuilder.ipv6High("2001:db8::1"), slot.srcHi);
        assertEquals(1, slot.srcLo);
        assertEquals(FrameBuilder.ipv6High("2001:db8::2"), slot.dstHi);
        assertEquals(2, slot.dstLo);
        assertEquals(60, slot.transportOffset);
        assertEquals(68, slot.payloadOffset);
        assertEquals(4, slot.payloadLength);
        assertEquals(546, slot.srcPort);
        assertEquals(547, slot.dstPort);
    }

    @Test
    void decodesNullLoopbackInBothByteOrders()
    {
        final DecodedFrame littleEndian = nullFrame("02000000");
        assertEquals(Anomaly.NONE, decoder.decode(littleEndian));
        assertEquals(4, littleEndian.ipVersion);
        assertEquals(4, littleEndian.networkOffset);
        assertEquals(8080, littleEndian.dstPort);

        final DecodedFrame bigEndian = nullFrame("00000002");
        assertEquals(Anomaly.NONE, decoder.decode(bigEndian));
        assertEquals(4, bigEndian.ipVersion);
        assertEquals(bigEndian.flowHash, littleEndian.flowHash);

        final DecodedFrame unknownFamily = nullFrame("07000000");
        assertEquals(Anomaly.NONE, decoder.decode(unknownFamily));
        assertEquals(0, unknownFamily.ipVersion);
    }

    @Test
    void nullLoopbackRecognisesEveryBsdInet6()
    {
        for (final String family : new String[] {"18000000", "1c000000", "1e000000", "00000018", "0000001c", "0000001e"})
        {
            final DecodedFrame slot = new FrameBuilder()
                .hex(family)
                .ipv6(8, IpProtocol.UDP, 64, "::1", "::1")
                .udp(1000, 2000, 8)
                .slot(LinkType.NULL);
            assertEquals(Anomaly.NONE, decoder.decode(slot), family);
            assertEquals(6, slot.ipVersion, family);
            assertEquals(2000, slot.dstPort, family);
        }
    }

    @Test
    void openBsdLoopIsAlwaysNetworkOrder()
    {
        final DecodedFrame inet6 = new FrameBuilder()
            .hex("00000018")
            .ipv6(8, IpProtocol.UDP, 64, "fe80::1", "fe80::2")
            .udp(1000, 2000, 8)
            .slot(LinkType.LOOP);
        assertEquals(Anomaly.NONE, decoder.decode(inet6));
        assertEquals(6, inet6.ipVersion);

        // 02 00 00 00 is 0x02000000 in network order: not a family LOOP knows.
        final DecodedFrame littleEndian = new FrameBuilder()
            .hex("02000000")
            .ipv4(28, 1, 0, 64, IpProtocol.UDP, "127.0.0.1", "127.0.0.1")
            .udp(1, 2, 8)
            .slot(LinkType.LOOP);
        assertEquals(Anomaly.NONE, decoder.decode(littleEndian));
        assertEquals(0, littleEndian.ipVersion);

        assertEquals(Anomaly.TRUNCATED_LOOPBACK, decoder.decode(new FrameBuilder().hex("000000").slot(LinkType.LOOP)));
    }

    @Test
    void decodesRawIpByVersionNibble()
    {
        final byte[] v4 = new FrameBuilder()
            .ipv4(28, 1, 0, 64, IpProtocol.UDP, "192.0.2.1", "192.0.2.2").udp(1, 2, 8).toBytes();
        final byte[] v6 = new FrameBuilder()
            .ipv6(8, IpProtocol.UDP, 64, "2001:db8::a", "2001:db8::b").udp(1, 2, 8).toBytes();

        for (final int linkType : new int[] {LinkType.RAW, LinkType.RAW_DLT_12, LinkType.RAW_DLT_14})
        {
            final DecodedFrame slot4 = FrameBuilder.fill(new DecodedFrame(), linkType, v4, v4.length, v4.length);
            assertEquals(Anomaly.NONE, decoder.decode(slot4));
            assertEquals(4, slot4.ipVersion);
            assertEquals(0, slot4.networkOffset);

            final DecodedFrame slot6 = FrameBuilder.fill(new DecodedFrame(), linkType, v6, v6.length, v6.length);
            assertEquals(Anomaly.NONE, decoder.decode(slot6));
            assertEquals(6, slot6.ipVersion);
        }

        final DecodedFrame ipv4Link = FrameBuilder.fill(new DecodedFrame(), LinkType.IPV4, v4, v4.length, v4.length);
        assertEquals(Anomaly.NONE, decoder.decode(ipv4Link));
        assertEquals(4, ipv4Link.ipVersion);
        final DecodedFrame ipv6Link = FrameBuilder.fill(new DecodedFrame(), LinkType.IPV6, v6, v6.length, v6.length);
        assertEquals(Anomaly.NONE, decoder.decode(ipv6Link));
        assertEquals(6, ipv6Link.ipVersion);

        // The link type promises one version and the packet is the other.
        assertEquals(Anomaly.BAD_IP_VERSION,
            decoder.decode(FrameBuilder.fill(new DecodedFrame(), LinkType.IPV4, v6, v6.length, v6.length)));
        assertEquals(Anomaly.BAD_IP_VERSION,
            decoder.decode(FrameBuilder.fill(new DecodedFrame(), LinkType.IPV6, v4, v4.length, v4.length)));

        final DecodedFrame version5 = new FrameBuilder().u8(0x55).zeros(39).slot(LinkType.RAW);
        assertEquals(Anomaly.BAD_IP_VERSION, decoder.decode(version5));
        assertEquals(0, version5.networkOffset);
        assertEquals(0, version5.ipVersion);
    }

    @Test
    void ethernetIpv4WithVersion6IsBadIpVersion()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv6(0, IpProtocol.NO_NEXT_HEADER, 64, "::1", "::2")
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.BAD_IP_VERSION, decoder.decode(slot));
    }

    @Test
    void nonFirstIpv4FragmentHasNoTransport()
    {
        // Offset 185 * 8 = 1480, MF clear: the tail of a UDP datagram.
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 100, 0x4242, 185, 64, IpProtocol.UDP, "198.51.100.1", "198.51.100.2")
            .zeros(100)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertTrue(slot.fragment);
        assertFalse(slot.transportPresent);
        assertEquals(4, slot.ipVersion);
        assertEquals(IpProtocol.UDP, slot.ipProtocol);
        assertEquals(-1, slot.transportOffset);
        assertEquals(34, slot.payloadOffset);
        assertEquals(100, slot.payloadLength);
        assertEquals(0, slot.srcPort);
        assertEquals(0, slot.dstPort);
        assertEquals(FlowHash.hash(17, 0, ipv4("198.51.100.1"), 0, 0, ipv4("198.51.100.2"), 0), slot.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.IP_FRAGMENT]);
        assertEquals(1, decoder.censusCounts()[Census.NON_FIRST_FRAGMENT]);
        assertEquals(0, decoder.censusCounts()[Census.UDP]);
    }

    @Test
    void firstIpv4FragmentDecodesTransport()
    {
        // MF set, offset 0: a 3000-byte UDP datagram, of which this fragment carries 1480 bytes.
        final DecodedFrame udpSlot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(1500, 0x4243, 0x2000, 64, IpProtocol.UDP, "198.51.100.1", "198.51.100.2")
            .udp(4789, 4789, 3000)
            .zeros(1472)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(udpSlot));
        assertTrue(udpSlot.fragment);
        assertTrue(udpSlot.transportPresent);
        assertEquals(4789, udpSlot.srcPort);
        assertEquals(1472, udpSlot.payloadLength);

        final DecodedFrame tcpSlot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 20 + 16, 0x4244, 0x2000, 64, IpProtocol.TCP, "198.51.100.1", "198.51.100.2")
            .tcp(1234, 80, 5, 6, 5, TcpFlags.ACK | TcpFlags.PSH, 100)
            .zeros(16)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(tcpSlot));
        assertTrue(tcpSlot.fragment);
        assertTrue(tcpSlot.transportPresent);
        assertEquals(TcpFlags.ACK | TcpFlags.PSH, tcpSlot.tcpFlags);
        assertEquals(16, tcpSlot.payloadLength);
        assertEquals(2, decoder.censusCounts()[Census.IP_FRAGMENT]);
        assertEquals(0, decoder.censusCounts()[Census.NON_FIRST_FRAGMENT]);
    }

    @Test
    void decodesUdpLengths()
    {
        // UDP length 12 inside a 20-byte IP payload: the rest is not UDP data.
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(40, 1, 0, 64, IpProtocol.UDP, "192.0.2.1", "192.0.2.2")
            .udp(123, 123, 12)
            .hex("aabbccdd").zeros(8)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(42, slot.payloadOffset);
        assertEquals(4, slot.payloadLength);
        assertEquals(123, slot.srcPort);

        final DecodedFrame tooShort = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(36, 1, 0, 64, IpProtocol.UDP, "192.0.2.1", "192.0.2.2")
            .udp(53, 1053, 7)
            .zeros(8)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.BAD_UDP_LENGTH, decoder.decode(tooShort));
        assertTrue(tooShort.transportPresent);
        assertEquals(53, tooShort.srcPort);
        assertEquals(8, tooShort.payloadLength);

        final DecodedFrame tooLong = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(36, 1, 0, 64, IpProtocol.UDP, "192.0.2.1", "192.0.2.2")
            .udp(53, 1053, 100)
            .zeros(8)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.BAD_UDP_LENGTH, decoder.decode(tooLong));
        assertEquals(8, tooLong.payloadLength);

        final DecodedFrame truncated = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(36, 1, 0, 64, IpProtocol.UDP, "192.0.2.1", "192.0.2.2")
            .udp(53, 1053, 16)
            .zeros(8)
            .slot(LinkType.ETHERNET, 14 + 20 + 6, 14 + 36);
        assertEquals(Anomaly.TRUNCATED_UDP_HEADER, decoder.decode(truncated));
        assertFalse(truncated.transportPresent);
        assertEquals(0, truncated.srcPort);
    }

    @Test
    void otherIpProtocolsAreNotAnomalies()
    {
        final DecodedFrame gre = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(24, 1, 0, 64, IpProtocol.GRE, "203.0.113.1", "203.0.113.2")
            .hex("00000800")
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(gre));
        assertEquals(IpProtocol.GRE, gre.ipProtocol);
        assertFalse(gre.transportPresent);
        assertEquals(34, gre.transportOffset);
        assertEquals(34, gre.payloadOffset);
        assertEquals(4, gre.payloadLength);
        assertEquals(FlowHash.hash(47, 0, ipv4("203.0.113.1"), 0, 0, ipv4("203.0.113.2"), 0), gre.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.OTHER_IP_PROTOCOL]);
    }

    @Test
    void icmpPortUnreachableIsHashedOnTheQuotedConnection()
    {
        // 192.168.1.10:51234 -> 10.0.0.1:443 SYN, and the router's port unreachable about it.
        final DecodedFrame syn = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(40, 0x0101, 0x4000, 64, IpProtocol.TCP, "192.168.1.10", "10.0.0.1")
            .tcp(51234, 443, 0x1122_3344L, 0, 5, TcpFlags.SYN, 64240)
            .slot(LinkType.ETHERNET);
        final DecodedFrame synAck = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(40, 0x0202, 0x4000, 64, IpProtocol.TCP, "10.0.0.1", "192.168.1.10")
            .tcp(443, 51234, 0x5566_7788L, 0x1122_3345L, 5, TcpFlags.SYN | TcpFlags.ACK, 65160)
            .slot(LinkType.ETHERNET);
        final DecodedFrame unreachable = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 28, 0x0303, 0, 255, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
            .u8(3).u8(3).u16(0).u32(0)                                    // type 3 code 3, unused
            .ipv4(40, 0x0101, 0x4000, 63, IpProtocol.TCP, "192.168.1.10", "10.0.0.1")
            .u16(51234).u16(443).u32(0x1122_3344L)                        // first 8 bytes of the TCP header
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(syn));
        assertEquals(Anomaly.NONE, decoder.decode(synAck));
        assertEquals(syn.flowHash, synAck.flowHash);
        assertEquals(Anomaly.NONE, decoder.decode(unreachable));

        assertEquals(IpProtocol.ICMP, unreachable.ipProtocol);
        assertTrue(unreachable.transportPresent);
        assertEquals(3, unreachable.icmpType);
        assertEquals(3, unreachable.icmpCode);
        assertEquals(0, unreachable.srcPort);
        assertEquals(0, unreachable.dstPort);
        assertEquals(255, unreachable.ttl);
        assertEquals(ipv4("10.0.0.1"), unreachable.srcLo);
        assertEquals(42, unreachable.payloadOffset);
        assertEquals(28, unreachable.payloadLength);

        assertTrue(unreachable.quotedPresent);
        assertEquals(IpProtocol.TCP, unreachable.quotedProtocol);
        assertEquals(0, unreachable.quotedSrcHi);
        assertEquals(ipv4("192.168.1.10"), unreachable.quotedSrcLo);
        assertEquals(0, unreachable.quotedDstHi);
        assertEquals(ipv4("10.0.0.1"), unreachable.quotedDstLo);
        assertEquals(51234, unreachable.quotedSrcPort);
        assertEquals(443, unreachable.quotedDstPort);
        assertEquals(0x1122_3344L, unreachable.quotedSeq);

        assertEquals(syn.flowHash, unreachable.flowHash);
        assertEquals(synAck.flowHash, unreachable.flowHash);
        assertNotEquals(
            FlowHash.hash(1, 0, ipv4("10.0.0.1"), 0, 0, ipv4("192.168.1.10"), 0), unreachable.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.ICMP_ERROR_QUOTE]);
    }

    @Test
    void icmpErrorQuotingEightBytesOfTcpHasNoFlags()
    {
        // RFC 792's quote: the IP header and 8 bytes (ports and sequence number); 4 trailing bytes
        // after the ICMP datagram are not part of the quote.
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 20 + 8, 0x0303, 0, 255, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
            .u8(3).u8(3).u16(0).u32(0)
            .ipv4(40, 0x0101, 0x4000, 63, IpProtocol.TCP, "192.168.1.10", "10.0.0.1")
            .u16(51234).u16(443).u32(0x1122_3344L)
            .hex("deadbeef")
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertTrue(slot.quotedPresent);
        assertEquals(IpProtocol.TCP, slot.quotedProtocol);
        assertEquals(51234, slot.quotedSrcPort);
        assertEquals(443, slot.quotedDstPort);
        assertEquals(0x1122_3344L, slot.quotedSeq);
        assertEquals(8, slot.quotedTransportLength);
        assertEquals(0, slot.quotedTcpFlags);
    }

    @Test
    void icmpErrorQuotingTwentyBytesOfTcpCarriesItsFlags()
    {
        // Linux and most routers quote more (RFC 1812 section 4.3.2.3): here the whole TCP header.
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 20 + 20, 0x0303, 0, 64, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
            .u8(3).u8(3).u16(0).u32(0)
            .ipv4(40, 0x0101, 0x4000, 64, IpProtocol.TCP, "192.168.1.10", "10.0.0.1")
            .tcp(51234, 443, 0x1122_3344L, 0, 5, TcpFlags.SYN, 64240)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertTrue(slot.quotedPresent);
        assertEquals(51234, slot.quotedSrcPort);
        assertEquals(443, slot.quotedDstPort);
        assertEquals(0x1122_3344L, slot.quotedSeq);
        assertEquals(20, slot.quotedTransportLength);
        assertEquals(TcpFlags.SYN, slot.quotedTcpFlags);
        assertEquals(FlowHash.hash(6, 0, ipv4("192.168.1.10"), 51234, 0, ipv4("10.0.0.1"), 443), slot.flowHash);
    }

    @Test
    void quotedTcpFlagsNeedFourteenBytes()
    {
        final DecodedFrame thirteen = tcpQuote(13);
        assertEquals(Anomaly.NONE, decoder.decode(thirteen));
        assertEquals(13, thirteen.quotedTransportLength);
        assertEquals(0, thirteen.quotedTcpFlags);

        final DecodedFrame fourteen = tcpQuote(14);
        assertEquals(Anomaly.NONE, decoder.decode(fourteen));
        assertEquals(14, fourteen.quotedTransportLength);
        assertEquals(TcpFlags.SYN | TcpFlags.ACK, fourteen.quotedTcpFlags);

        // Twenty bytes quoted, ten of them captured: the length counts what the capture holds.
        final DecodedFrame full = tcpQuote(20);
        final DecodedFrame snapCut = FrameBuilder.fill(
            new DecodedFrame(), LinkType.ETHERNET, Arrays.copyOf(full.data, full.captureLength),
            14 + 20 + 8 + 20 + 10, full.captureLength);
        assertEquals(Anomaly.NONE, decoder.decode(snapCut));
        assertTrue(snapCut.quotedPresent);
        assertEquals(10, snapCut.quotedTransportLength);
        assertEquals(0, snapCut.quotedTcpFlags);
        assertEquals(0x1122_3344L, snapCut.quotedSeq);

        // A quoted UDP header: its length, never TCP flags.
        final DecodedFrame udp = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 20 + 8, 1, 0, 64, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
            .u8(3).u8(3).u16(0).u32(0)
            .ipv4(36, 2, 0, 64, IpProtocol.UDP, "192.168.1.10", "10.0.0.1")
            .udp(5353, 53, 16)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(udp));
        assertEquals(8, udp.quotedTransportLength);
        assertEquals(0, udp.quotedTcpFlags);
    }

    @Test
    void icmpQuoteTooShortKeepsTheIcmpHeader()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 22, 1, 0, 255, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
            .u8(11).u8(0).u16(0).u32(0)
            .ipv4(40, 0x0101, 0, 1, IpProtocol.UDP, "192.168.1.10", "10.0.0.1")
            .u16(33434)                                                   // only half the ports
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.TRUNCATED_ICMP_QUOTE, decoder.decode(slot));
        assertTrue(slot.transportPresent);
        assertEquals(11, slot.icmpType);
        assertFalse(slot.quotedPresent);
        assertEquals(-1, slot.quotedProtocol);
        assertEquals(0, slot.quotedSrcLo);
        assertEquals(FlowHash.hash(1, 0, ipv4("10.0.0.1"), 0, 0, ipv4("192.168.1.10"), 0), slot.flowHash);

        final DecodedFrame notIpv4 = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 28, 1, 0, 255, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
            .u8(3).u8(1).u16(0).u32(0)
            .u8(0x65).zeros(27)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.BAD_ICMP_QUOTE, decoder.decode(notIpv4));
        assertFalse(notIpv4.quotedPresent);

        final DecodedFrame noRoom = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 4, 1, 0, 255, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
            .u8(3).u8(1).u16(0)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.TRUNCATED_ICMP, decoder.decode(noRoom));
        assertFalse(noRoom.transportPresent);
        assertEquals(-1, noRoom.icmpType);
    }

    @Test
    void icmpEchoIsKeyedByIdentifier()
    {
        final DecodedFrame request = echo(8, "192.0.2.10", "198.51.100.20", 0x1234, 1);
        final DecodedFrame reply = echo(0, "198.51.100.20", "192.0.2.10", 0x1234, 1);
        final DecodedFrame otherSession = echo(8, "192.0.2.10", "198.51.100.20", 0x1235, 1);

        assertEquals(Anomaly.NONE, decoder.decode(request));
        assertEquals(Anomaly.NONE, decoder.decode(reply));
        assertEquals(Anomaly.NONE, decoder.decode(otherSession));
        assertEquals(0x1234, request.srcPort);
        assertEquals(0x1234, request.dstPort);
        assertEquals(0x1234, reply.srcPort);
        assertEquals(request.flowHash, reply.flowHash);
        assertNotEquals(request.flowHash, otherSession.flowHash);

        // Time exceeded quoting the echo request (a traceroute hop): it joins the ping's flow.
        final DecodedFrame timeExceeded = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 28, 9, 0, 254, IpProtocol.ICMP, "203.0.113.254", "192.0.2.10")
            .u8(11).u8(0).u16(0).u32(0)
            .ipv4(84, 1, 0, 1, IpProtocol.ICMP, "192.0.2.10", "198.51.100.20")
            .u8(8).u8(0).u16(0).u16(0x1234).u16(1)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(timeExceeded));
        assertTrue(timeExceeded.quotedPresent);
        assertEquals(IpProtocol.ICMP, timeExceeded.quotedProtocol);
        assertEquals(0x1234, timeExceeded.quotedSrcPort);
        assertEquals(0x1234, timeExceeded.quotedDstPort);
        assertEquals(request.flowHash, timeExceeded.flowHash);
    }

    @Test
    void truncatedTcpHeader()
    {
        final FrameBuilder frame = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(40, 1, 0, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
            .tcp(40000, 80, 1, 2, 5, TcpFlags.ACK, 100);
        final DecodedFrame slot = frame.slot(LinkType.ETHERNET, 14 + 20 + 10, frame.length());

        assertEquals(Anomaly.TRUNCATED_TCP_HEADER, decoder.decode(slot));
        assertEquals(4, slot.ipVersion);
        assertEquals(IpProtocol.TCP, slot.ipProtocol);
        assertEquals(34, slot.transportOffset);
        assertFalse(slot.transportPresent);
        assertEquals(0, slot.srcPort);
        assertEquals(0, slot.tcpFlags);
        assertEquals(-1, slot.payloadOffset);
        assertEquals(FlowHash.hash(6, 0, ipv4("10.0.0.2"), 0, 0, ipv4("10.0.0.3"), 0), slot.flowHash);
        assertEquals(1, decoder.anomalyCounts()[Anomaly.TRUNCATED_TCP_HEADER]);
        assertEquals(0, decoder.censusCounts()[Census.TCP]);
    }

    @Test
    void tcpHeaderCutAfterItsWindowStillNamesItsConnection()
    {
        // The datagram ends 4 bytes into the checksum: ports, numbers, flags and window are there.
        final FrameBuilder frame = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(36, 1, 0, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
            .tcp(40000, 80, 7, 9, 5, TcpFlags.SYN, 8192);
        final DecodedFrame slot = frame.slot(LinkType.ETHERNET, 14 + 36, 14 + 36);

        assertEquals(Anomaly.TRUNCATED_TCP_HEADER, decoder.decode(slot));
        assertTrue(slot.transportPresent);
        assertTrue(slot.tcpHeaderCut);
        assertEquals(40000, slot.srcPort);
        assertEquals(80, slot.dstPort);
        assertEquals(7, slot.seq);
        assertEquals(9, slot.ack);
        assertEquals(TcpFlags.SYN, slot.tcpFlags);
        assertEquals(8192, slot.window);
        assertEquals(0, slot.payloadLength);
        assertEquals(1, decoder.anomalyCounts()[Anomaly.TRUNCATED_TCP_HEADER]);
    }

    @Test
    void tcpOptionsCutBySnapLengthAreATruncatedHeader()
    {
        final DecodedFrame full = new FrameBuilder().hex(TCP_WITH_EVERY_OPTION).slot(LinkType.ETHERNET);
        final DecodedFrame cut = FrameBuilder.fill(new DecodedFrame(), LinkType.ETHERNET, full.data, 14 + 20 + 40, 99);

        assertEquals(Anomaly.TRUNCATED_TCP_HEADER, decoder.decode(cut));
        assertFalse(cut.transportPresent);
    }

    @Test
    void datagramTooShortForTcp()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(30, 1, 0, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
            .tcp(40000, 80, 1, 2, 5, TcpFlags.ACK, 100)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.TRUNCATED_TCP_HEADER, decoder.decode(slot));
    }

    @Test
    void badTcpDataOffset()
    {
        final DecodedFrame belowFive = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(40, 1, 0, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
            .tcp(40000, 80, 1, 2, 4, TcpFlags.ACK, 100)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.BAD_TCP_DATA_OFFSET, decoder.decode(belowFive));
        assertFalse(belowFive.transportPresent);
        assertEquals(0, belowFive.srcPort);

        // Data offset 15 (60 bytes) in a datagram with 24 bytes of TCP.
        final DecodedFrame pastDatagram = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(44, 1, 0, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
            .tcp(40000, 80, 1, 2, 15, TcpFlags.ACK, 100)
            .hex("01010101")
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.BAD_TCP_DATA_OFFSET, decoder.decode(pastDatagram));
        assertEquals(2, decoder.anomalyCounts()[Anomaly.BAD_TCP_DATA_OFFSET]);
    }

    @Test
    void badTcpOptionKeepsTheHeader()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 28 + 3, 1, 0x4000, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
            .tcp(40000, 80, 0xFFFF_FFFFL, 0, 7, TcpFlags.SYN, 1024)
            .hex("020405b4")          // MSS 1460
            .hex("0801 0000")         // timestamps with length 1: the walk stops here
            .hex("616263")
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.BAD_TCP_OPTION, decoder.decode(slot));
        assertEquals(Anomaly.BAD_TCP_OPTION, slot.anomaly);
        assertTrue(slot.transportPresent);
        assertEquals(40000, slot.srcPort);
        assertEquals(80, slot.dstPort);
        assertEquals(0xFFFF_FFFFL, slot.seq);
        assertEquals(TcpFlags.SYN, slot.tcpFlags);
        assertEquals(1024, slot.window);
        assertEquals(1460, slot.mss);
        assertFalse(slot.timestampsPresent);
        assertEquals(62, slot.payloadOffset);
        assertEquals(3, slot.payloadLength);
        assertEquals(FlowHash.hash(6, 0, ipv4("10.0.0.2"), 40000, 0, ipv4("10.0.0.3"), 80), slot.flowHash);
    }

    @Test
    void badIpHeaderLength()
    {
        final DecodedFrame ihl4 = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .u8(0x44).u8(0).u16(40).u16(1).u16(0).u8(64).u8(6).u16(0)
            .address("10.0.0.2").address("10.0.0.3")
            .zeros(20)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.BAD_IP_HEADER_LENGTH, decoder.decode(ihl4));
        assertEquals(14, ihl4.networkOffset);
        assertEquals(0, ihl4.ipVersion);
        assertEquals(0, ihl4.srcLo);
        assertEquals(0, ihl4.flowHash);

        // IHL 15 (60 bytes) in a 64-byte datagram, captured up to 40 bytes of it.
        final DecodedFrame optionsCut = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .u8(0x4F).u8(0).u16(64).u16(1).u16(0).u8(64).u8(6).u16(0)
            .address("10.0.0.2").address("10.0.0.3")
            .zeros(44)
            .slot(LinkType.ETHERNET, 14 + 40, 14 + 64);
        assertEquals(Anomaly.TRUNCATED_IPV4_HEADER, decoder.decode(optionsCut));

        final DecodedFrame shortCapture = new FrameBuilder().ethernet(EtherType.IPV4).u8(0x45).zeros(18)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.TRUNCATED_IPV4_HEADER, decoder.decode(shortCapture));
    }

    @Test
    void ipv4OptionsAreSkipped()
    {
        // IHL 6: one word of options (router alert).
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .u8(0x46).u8(0).u16(24 + 8).u16(1).u16(0).u8(1).u8(IpProtocol.UDP).u16(0)
            .address("10.0.0.2").address("224.0.0.22")
            .hex("94040000")
            .udp(9, 9, 8)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(38, slot.transportOffset);
        assertEquals(9, slot.srcPort);
    }

    @Test
    void badIpTotalLength()
    {
        final DecodedFrame belowHeader = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(19, 1, 0, 64, IpProtocol.UDP, "10.0.0.2", "10.0.0.3")
            .udp(1, 2, 8)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.BAD_IP_TOTAL_LENGTH, decoder.decode(belowHeader));
        assertEquals(0, belowHeader.ipVersion);

    }

    @Test
    void ipTotalLengthPastTheFrameIsClampedToTheFrame()
    {
        // Wireshark takes such a datagram to end with the frame and still dissects its transport.
        final DecodedFrame pastWire = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(1500, 1, 0, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
            .tcp(40000, 80, 1, 2, 5, TcpFlags.ACK, 502)
            .zeros(10)
            .slot(LinkType.ETHERNET);
        final long clamped = decoder.censusCounts()[Census.IP_LENGTH_CLAMPED_TO_FRAME];
        assertEquals(Anomaly.NONE, decoder.decode(pastWire));
        assertEquals(4, pastWire.ipVersion);
        assertTrue(pastWire.transportPresent);
        assertEquals(10, pastWire.payloadLength);
        assertEquals(clamped + 1, decoder.censusCounts()[Census.IP_LENGTH_CLAMPED_TO_FRAME]);
    }

    @Test
    void ipTotalLengthPastTheWireIsClampedToTheWireNotTheCapture()
    {
        // Total length 1500 in a 142-byte frame of which 64 bytes were captured: the datagram ends
        // with the frame on the wire, so the UDP length (108) fits and the payload is 100 bytes.
        final FrameBuilder frame = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(1500, 1, 0, 64, IpProtocol.UDP, "10.0.0.2", "10.0.0.3")
            .udp(5004, 5004, 8 + 100)
            .zeros(100);
        assertEquals(142, frame.length());
        final DecodedFrame slot = frame.slot(LinkType.ETHERNET, 64, 142);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(4, slot.ipVersion);
        assertTrue(slot.transportPresent);
        assertEquals(5004, slot.srcPort);
        assertEquals(42, slot.payloadOffset);
        assertEquals(100, slot.payloadLength);
        assertEquals(FlowHash.hash(17, 0, ipv4("10.0.0.2"), 5004, 0, ipv4("10.0.0.3"), 5004), slot.flowHash);
        assertEquals(1, decoder.censusCounts()[Census.IP_LENGTH_CLAMPED_TO_FRAME]);
        assertEquals(0, decoder.censusCounts()[Census.IP_LENGTH_FROM_WIRE]);
        assertEquals(0, decoder.anomalyCounts()[Anomaly.BAD_IP_TOTAL_LENGTH]);
    }

    @Test
    void zeroTotalLengthTakesTheWireLength()
    {
        // A 9014-byte TSO super-packet captured on the sender with a 96-byte snap length.
        final FrameBuilder frame = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(0, 1, 0x4000, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
            .tcp(40000, 5201, 1, 2, 5, TcpFlags.ACK | TcpFlags.PSH, 502)
            .zeros(42);
        final DecodedFrame slot = frame.slot(LinkType.ETHERNET, 96, 9014);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(9014 - 14 - 20 - 20, slot.payloadLength);
        assertEquals(1, decoder.censusCounts()[Census.IP_LENGTH_FROM_WIRE]);
    }

    @Test
    void unsupportedLinkType()
    {
        for (final int linkType : new int[] {106, 192, 2, 275, 277, 9999, -1, Integer.MAX_VALUE})
        {
            final DecodedFrame slot = new FrameBuilder().hex(TCP_WITH_EVERY_OPTION).slot(linkType);
            assertEquals(Anomaly.UNSUPPORTED_LINK_TYPE, decoder.decode(slot), "link type " + linkType);
            assertEquals(Anomaly.UNSUPPORTED_LINK_TYPE, slot.anomaly);
            assertEquals(-1, slot.networkOffset);
            assertEquals(0, slot.ipVersion);
            assertEquals(0, slot.flowHash);
        }
        assertEquals(8, decoder.anomalyCounts()[Anomaly.UNSUPPORTED_LINK_TYPE]);
    }

    @Test
    void supportsLinkType()
    {
        for (final int linkType : new int[] {1, 113, 276, 0, 101, 228, 229, 108, 12, 14, 9, 104, 239, 105, 127})
        {
            assertTrue(PacketDecoder.supportsLinkType(linkType), "link type " + linkType);
        }
        final int[] unsupported = {106, 2, 192, 275, 277, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};
        for (final int linkType : unsupported)
        {
            assertFalse(PacketDecoder.supportsLinkType(linkType), "link type " + linkType);
        }
    }

    @Test
    void supportsLinkTypeAgreesWithDecode()
    {
        for (int linkType = -1; linkType <= 300; linkType++)
        {
            final DecodedFrame slot = new FrameBuilder().hex(TCP_WITH_EVERY_OPTION).slot(linkType);
            decoder.decode(slot);
            assertEquals(
                PacketDecoder.supportsLinkType(linkType),
                slot.anomaly != Anomaly.UNSUPPORTED_LINK_TYPE,
                "link type " + linkType);
        }
    }

    @Test
    void emptyFramesAndImpossibleLengths()
    {
        final DecodedFrame empty = new FrameBuilder().slot(LinkType.ETHERNET);
        assertEquals(Anomaly.EMPTY_FRAME, decoder.decode(empty));

        final DecodedFrame capturedMore = new FrameBuilder().hex(TCP_WITH_EVERY_OPTION).slot(LinkType.ETHERNET, 99, 98);
        assertEquals(Anomaly.CAPTURED_LENGTH_EXCEEDS_WIRE_LENGTH, decoder.decode(capturedMore));
        assertEquals(0, capturedMore.ipVersion);

        // A captureLength beyond the buffer (a broken reader) is clamped, never thrown on.
        final DecodedFrame beyondBuffer = new FrameBuilder().hex(TCP_WITH_EVERY_OPTION).slot(LinkType.ETHERNET);
        beyondBuffer.captureLength = beyondBuffer.data.length + 10;
        beyondBuffer.wireLength = beyondBuffer.captureLength;
        assertEquals(Anomaly.NONE, decoder.decode(beyondBuffer));
        assertTrue(beyondBuffer.transportPresent);
        assertEquals(5, beyondBuffer.payloadLength);
    }

    @Test
    void reusedSlotHoldsNothingFromThePreviousFrame() throws IllegalAccessException
    {
        final byte[][] frames =
        {
            new FrameBuilder().hex(TCP_WITH_EVERY_OPTION).toBytes(),
            new FrameBuilder()
                .ethernet(EtherType.QINQ).u16(100).u16(EtherType.VLAN).u16(200).u16(EtherType.ARP).zeros(28)
                .toBytes(),
            new FrameBuilder()
                .ethernet(EtherType.IPV4)
                .ipv4(20 + 8 + 28, 0x0303, 0, 255, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
                .u8(3).u8(3).u16(0).u32(0)
                .ipv4(40, 0x0101, 0x4000, 63, IpProtocol.TCP, "192.168.1.10", "10.0.0.1")
                .u16(51234).u16(443).u32(0x1122_3344L)
                .toBytes(),
            new FrameBuilder()
                .ethernet(EtherType.IPV4)
                .ipv4(20 + 100, 0x4242, 185, 64, IpProtocol.UDP, "198.51.100.1", "198.51.100.2")
                .zeros(100)
                .toBytes(),
            new FrameBuilder().hex("001122334455").toBytes(),
        };

        final DecodedFrame reused = new DecodedFrame();
        for (final byte[] previous : frames)
        {
            for (final byte[] current : frames)
            {
                FrameBuilder.fill(reused, LinkType.ETHERNET, previous, previous.length, previous.length);
                decoder.decode(reused);
                FrameBuilder.fill(reused, LinkType.ETHERNET, current, current.length, current.length);
                decoder.decode(reused);

                final DecodedFrame fresh = FrameBuilder.fill(
                    new DecodedFrame(), LinkType.ETHERNET, current, current.length, current.length);
                decoder.decode(fresh);
                assertSameDecodedFields(fresh, reused);
            }
        }
    }

    @Test
    void decodedFieldsOfAnUnsupportedFrameAreCleared() throws IllegalAccessException
    {
        final DecodedFrame slot = new FrameBuilder().hex(TCP_WITH_EVERY_OPTION).slot(LinkType.ETHERNET);
        decoder.decode(slot);
        assertTrue(slot.transportPresent);

        slot.linkType = 147;
        decoder.decode(slot);

        final DecodedFrame cleared = new DecodedFrame();
        cleared.clearDecoded();
        cleared.anomaly = Anomaly.UNSUPPORTED_LINK_TYPE;
        assertSameDecodedFields(cleared, slot);
    }

    /** Every decoded field equal; arrays compared over their valid entries. */
    static void assertSameDecodedFields(final DecodedFrame expected,
        final DecodedFrame actual) throws IllegalAccessException
    {
        for (final Field field : DecodedFrame.class.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) || isCaptureMetadata(field.getName()))
            {
                continue;
            }
            final Object want = field.get(expected);
            final Object got = field.get(actual);
            switch (field.getName())
            {
                case "vlans":
                    assertArrayEquals(
                        Arrays.copyOf((int[])want, Math.min(expected.vlanCount, DecodedFrame.MAX_VLANS)),
                        Arrays.copyOf((int[])got, Math.min(actual.vlanCount, DecodedFrame.MAX_VLANS)), field.getName());
                    break;
                case "sackLeft":
                case "sackRight":
                    assertArrayEquals(
                        Arrays.copyOf((long[])want, expected.sackBlockCount),
                        Arrays.copyOf((long[])got, actual.sackBlockCount), field.getName());
                    break;
                case "tunnelType":
                case "tunnelIpVersion":
                case "tunnelSrcPort":
                case "tunnelDstPort":
                    assertArrayEquals(
                        Arrays.copyOf((int[])want, Math.min(expected.tunnelCount, DecodedFrame.MAX_TUNNELS)),
                        Arrays.copyOf((int[])got, Math.min(actual.tunnelCount,
                            DecodedFrame.MAX_TUNNELS)), field.getName());
                    break;
                case "tunnelId":
                case "tunnelSrcHi":
                case "tunnelSrcLo":
                case "tunnelDstHi":
                case "tunnelDstLo":
                    assertArrayEquals(
                        Arrays.copyOf((long[])want, Math.min(expected.tunnelCount, DecodedFrame.MAX_TUNNELS)),
                        Arrays.copyOf((long[])got, Math.min(actual.tunnelCount,
                            DecodedFrame.MAX_TUNNELS)), field.getName());
                    break;
                default:
                    assertEquals(want, got, field.getName());
            }
        }
    }

    private static boolean isCaptureMetadata(final String name)
    {
        switch (name)
        {
            case "timestampNanos":
            case "captureLength":
            case "wireLength":
            case "linkType":
            case "interfaceId":
            case "frameNumber":
            case "fileOffset":
            case "data":
            case "endOfInput":
                return true;
            default:
                return false;
        }
    }

    private static DecodedFrame nullFrame(final String family)
    {
        return new FrameBuilder()
            .hex(family)
            .ipv4(40, 1, 0, 64, IpProtocol.TCP, "127.0.0.1", "127.0.0.1")
            .tcp(50000, 8080, 1, 0, 5, TcpFlags.SYN, 65535)
            .slot(LinkType.NULL);
    }

    /**
     * Port unreachable quoting a SYN-ACK's IP header and the first {@code quotedTcpBytes} of its TCP
     * header; the rest of that header follows the ICMP datagram as Ethernet trailer bytes, which the
     * quote must not read.
     */
    private static DecodedFrame tcpQuote(final int quotedTcpBytes)
    {
        final byte[] tcp = new FrameBuilder()
            .tcp(51234, 443, 0x1122_3344L, 0x5566_7788L, 5, TcpFlags.SYN | TcpFlags.ACK, 64240)
            .toBytes();
        final FrameBuilder frame = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 20 + quotedTcpBytes, 1, 0, 64, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
            .u8(3).u8(3).u16(0).u32(0)
            .ipv4(40, 2, 0x4000, 64, IpProtocol.TCP, "192.168.1.10", "10.0.0.1");
        for (final byte b : tcp)
        {
            frame.u8(b);
        }
        return frame.slot(LinkType.ETHERNET);
    }

    private static DecodedFrame echo(
        final int type, final String source, final String destination, final int identifier, final int sequence)
    {
        return new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 4, 1, 0, 64, IpProtocol.ICMP, source, destination)
            .u8(type).u8(0).u16(0).u16(identifier).u16(sequence)
            .hex("70696e67")
            .slot(LinkType.ETHERNET);
    }
}
