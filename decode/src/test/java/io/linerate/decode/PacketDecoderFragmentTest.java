package io.linerate.decode;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fields the flow shards reassemble fragments from (RFC 791 §3.2, RFC 8200 §4.5): the
 * identification, the offset in bytes, the More Fragments flag and which bytes of the original
 * payload a fragment carries, on exact frame bytes.
 */
class PacketDecoderFragmentTest
{
    private static final String CLIENT = "2001:db8:1::1";
    private static final String SERVER = "2001:db8:2::2";

    /**
     * Zeek's {@code ipv4/fragmented-syn.pcap}, frame 1: the first fragment (id 1, MF, offset 0) of a
     * SYN whose 40-byte TCP header (20 bytes of options) continues in the next fragment.
     */
    static final String TINY_FIRST_FRAGMENT =
        "1e0b8b14f6f9 98eecbbd07fe 0800" +
        "4500 002c 0001 2000 4006 8eba c0a80164 0a000005" +
        "3039 0050 000003e8 00000000 a002 2000 c573 0000 020405b4";
    /** Frame 2 of the same capture: offset 3 (24 bytes), MF clear, the rest of the TCP options. */
    static final String TAIL_OF_THE_SYN =
        "1e0b8b14f6f9 98eecbbd07fe 0800" +
        "4500 0024 0001 0003 4006 aebf c0a80164 0a000005" +
        "0402 080a 00bc614e 00000000 0103 0307";

    private final PacketDecoder decoder = new PacketDecoder();

    @Test
    void anUnfragmentedIpv4DatagramHasItsIdentificationAndNoFragmentPayload()
    {
        final DecodedFrame slot = new FrameBuilder().hex(PacketDecoderTest.TCP_WITH_EVERY_OPTION).slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertFalse(slot.fragment);
        assertEquals(0x1C46, slot.ipId);
        assertEquals(0, slot.fragmentOffset);
        assertFalse(slot.moreFragments);
        assertEquals(-1, slot.fragmentPayloadOffset);
        assertEquals(0, slot.fragmentPayloadLength);
    }

    @Test
    void aFirstIpv4FragmentCarriesTheStartOfThePayload()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 20 + 16, 0xBEEF, 0x2000, 64, IpProtocol.TCP, "198.51.100.1", "198.51.100.2")
            .tcp(1234, 80, 5, 6, 5, TcpFlags.ACK | TcpFlags.PSH, 100)
            .zeros(16)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertTrue(slot.fragment);
        assertEquals(0xBEEF, slot.ipId);
        assertEquals(0, slot.fragmentOffset);
        assertTrue(slot.moreFragments);
        assertEquals(34, slot.fragmentPayloadOffset);
        assertEquals(36, slot.fragmentPayloadLength);
        assertTrue(slot.transportPresent);
        assertEquals(16, slot.payloadLength, "the part of the TCP payload in this fragment");
    }

    @Test
    void aNonFirstIpv4FragmentSaysItsOffsetInBytes()
    {
        // Offset field 185: 1480 bytes into the payload; MF clear: the last fragment.
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.VLAN).u16(7).u16(EtherType.IPV4)
            .ipv4(20 + 100, 0x4242, 185, 64, IpProtocol.UDP, "198.51.100.1", "198.51.100.2")
            .zeros(100)
            .slot(LinkType.ETHERNET);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertTrue(slot.fragment);
        assertEquals(0x4242, slot.ipId);
        assertEquals(1480, slot.fragmentOffset);
        assertFalse(slot.moreFragments);
        assertEquals(38, slot.fragmentPayloadOffset);
        assertEquals(100, slot.fragmentPayloadLength);
    }

    @Test
    void aFirstFragmentEndingInsideItsTcpHeaderIsNoAnomaly()
    {
        final DecodedFrame head = new FrameBuilder().hex(TINY_FIRST_FRAGMENT).slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(head));
        assertTrue(head.fragment);
        assertFalse(head.transportPresent, "the header is whole only after reassembly");
        assertEquals(IpProtocol.TCP, head.ipProtocol);
        assertEquals(1, head.ipId);
        assertEquals(0, head.fragmentOffset);
        assertTrue(head.moreFragments);
        assertEquals(34, head.fragmentPayloadOffset);
        assertEquals(24, head.fragmentPayloadLength);
        assertEquals(34, head.payloadOffset);
        assertEquals(24, head.payloadLength);

        final DecodedFrame tail = new FrameBuilder().hex(TAIL_OF_THE_SYN).slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(tail));
        assertEquals(1, tail.ipId);
        assertEquals(24, tail.fragmentOffset);
        assertFalse(tail.moreFragments);
        assertEquals(34, tail.fragmentPayloadOffset);
        assertEquals(16, tail.fragmentPayloadLength);
        assertEquals(0, decoder.anomalyCounts()[Anomaly.BAD_TCP_DATA_OFFSET]);
    }

    @Test
    void aFirstFragmentShorterThanAUdpHeaderIsNoAnomaly()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 4, 9, 0x2000, 64, IpProtocol.UDP, "198.51.100.1", "198.51.100.2")
            .u16(53).u16(53)
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertFalse(slot.transportPresent);
        assertEquals(4, slot.fragmentPayloadLength);
    }

    @Test
    void anUnfragmentedTcpHeaderLongerThanItsDatagramIsStillMalformed()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 24, 9, 0x4000, 64, IpProtocol.TCP, "198.51.100.1", "198.51.100.2")
            .tcp(1234, 80, 1, 0, 10, TcpFlags.SYN, 100)
            .hex("020405b4")
            .slot(LinkType.ETHERNET);
        assertEquals(Anomaly.BAD_TCP_DATA_OFFSET, decoder.decode(slot));
    }

    @Test
    void anIpv6FragmentCountsFromTheEndOfItsFragmentHeader()
    {
        // Hop-by-hop (unfragmentable), Fragment (id 0xDEADBEEF, offset 0, M), then a Destination
        // Options header and TCP in the Fragmentable Part.
        final DecodedFrame slot = new FrameBuilder()
            .ipv6(8 + 8 + 8 + 20 + 8, IpProtocol.HOP_BY_HOP, 64, CLIENT, SERVER)
            .u8(IpProtocol.FRAGMENT).u8(0).hex("01 04 00000000")
            .u8(IpProtocol.DESTINATION_OPTIONS).u8(0).u16(0x0001).u32(0xDEAD_BEEFL)
            .u8(IpProtocol.TCP).u8(0).hex("01 04 00000000")
            .tcp(443, 60000, 100, 200, 5, TcpFlags.ACK, 1000)
            .zeros(8)
            .slot(LinkType.RAW);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertTrue(slot.fragment);
        assertEquals(0xDEAD_BEEFL, slot.ipId);
        assertEquals(0, slot.fragmentOffset);
        assertTrue(slot.moreFragments);
        assertEquals(56, slot.fragmentPayloadOffset, "40 fixed + 8 hop-by-hop + 8 fragment");
        assertEquals(8 + 20 + 8, slot.fragmentPayloadLength);
        assertEquals(IpProtocol.TCP, slot.ipProtocol);
        assertEquals(64, slot.transportOffset);
    }

    @Test
    void aNonFirstIpv6FragmentHasItsOffsetAndA32BitIdentification()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ipv6(8 + 100, IpProtocol.FRAGMENT, 64, CLIENT, SERVER)
            .u8(IpProtocol.TCP).u8(0).u16(0x05A9).u32(0xFFFF_FFFEL)   // offset 1448, M
            .zeros(100)
            .slot(LinkType.RAW);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertTrue(slot.fragment);
        assertEquals(0xFFFF_FFFEL, slot.ipId);
        assertEquals(1448, slot.fragmentOffset);
        assertTrue(slot.moreFragments);
        assertEquals(48, slot.fragmentPayloadOffset);
        assertEquals(100, slot.fragmentPayloadLength);
    }

    @Test
    void anAtomicIpv6FragmentHasItsIdentificationButIsNoFragment()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ipv6(8 + 8, IpProtocol.FRAGMENT, 64, CLIENT, SERVER)
            .u8(IpProtocol.UDP).u8(0).u16(0).u32(7)
            .udp(4500, 4500, 8)
            .slot(LinkType.IPV6);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertFalse(slot.fragment);
        assertEquals(7, slot.ipId);
        assertEquals(-1, slot.fragmentPayloadOffset);
        assertEquals(0, slot.fragmentPayloadLength);
    }

    @Test
    void ipv6WithoutAFragmentHeaderHasNoIdentification()
    {
        final DecodedFrame slot = new FrameBuilder()
            .ipv6(8, IpProtocol.UDP, 64, CLIENT, SERVER)
            .udp(4500, 4500, 8)
            .slot(LinkType.IPV6);
        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(-1, slot.ipId);
    }

    @Test
    void theFieldsOfTheFrameBeforeDoNotLeakIntoTheNext()
    {
        final DecodedFrame slot = new FrameBuilder().hex(TAIL_OF_THE_SYN).slot(LinkType.ETHERNET);
        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(24, slot.fragmentOffset);

        final byte[] arp = new FrameBuilder().ethernet(EtherType.ARP).zeros(28).toBytes();
        FrameBuilder.fill(slot, LinkType.ETHERNET, arp, arp.length, arp.length);
        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertFalse(slot.fragment);
        assertEquals(-1, slot.ipId);
        assertEquals(0, slot.fragmentOffset);
        assertFalse(slot.moreFragments);
        assertEquals(-1, slot.fragmentPayloadOffset);
        assertEquals(0, slot.fragmentPayloadLength);
    }
}
