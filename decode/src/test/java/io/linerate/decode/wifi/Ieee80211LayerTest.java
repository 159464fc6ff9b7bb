package io.linerate.decode.wifi;

import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FlowHash;
import io.linerate.decode.FrameBuilder;
import io.linerate.decode.LinkType;
import io.linerate.decode.PacketDecoder;
import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static io.linerate.decode.FrameBuilder.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Wi-Fi captures on exact bytes (LINKTYPE_IEEE802_11_RADIOTAP and LINKTYPE_IEEE802_11): the TCP
 * segment of an unencrypted data frame is decoded through the radiotap header, the 802.11 header
 * of each data subtype and address form, and the LLC/SNAP header; frames holding no readable packet
 * are not IP; cut headers are anomalies.
 */
class Ieee80211LayerTest
{
    private static final String STATION = "192.168.1.20";
    private static final String SERVER = "93.184.216.34";
    /** LLC (AA AA 03) and SNAP (OUI 00 00 00, EtherType IPv4). */
    private static final String LLC_SNAP_IPV4 = "aaaa03 000000 0800";
    /** Frame control of a QoS data frame to the distribution system; duration; three addresses. */
    private static final String QOS_DATA_TO_DS = "8801 3a01 001122334455 66778899aabb 001122334455";

    private final PacketDecoder decoder = new PacketDecoder();

    /** An 8-byte radiotap header that says nothing but its length. */
    private static FrameBuilder bareRadiotap(final FrameBuilder frame)
    {
        return frame.hex("00 00 0800 00000000");
    }

    /** The station's SYN to the server, from the LLC/SNAP header on. */
    private static FrameBuilder syn(final FrameBuilder frame)
    {
        return frame.hex(LLC_SNAP_IPV4)
            .ipv4(40, 1, 0x4000, 64, IpProtocol.TCP, STATION, SERVER)
            .tcp(51000, 443, 1000, 0, 5, TcpFlags.SYN, 64240);
    }

    private DecodedFrame decoded(final FrameBuilder frame, final int linkType)
    {
        final DecodedFrame slot = frame.slot(linkType);
        decoder.decode(slot);
        return slot;
    }

    private void assertTheSyn(final DecodedFrame slot, final int networkOffset)
    {
        assertEquals(Anomaly.NONE, slot.anomaly);
        assertEquals(4, slot.ipVersion);
        assertEquals(networkOffset, slot.networkOffset);
        assertEquals(ipv4(STATION), slot.srcLo);
        assertEquals(ipv4(SERVER), slot.dstLo);
        assertEquals(51000, slot.srcPort);
        assertEquals(443, slot.dstPort);
        assertEquals(TcpFlags.SYN, slot.tcpFlags);
        assertEquals(FlowHash.hash(IpProtocol.TCP, 0, ipv4(STATION), 51000, 0, ipv4(SERVER), 443), slot.flowHash);
    }

    @Test
    void aQosDataFrameAfterABareRadiotapHeaderCarriesTheSegment()
    {
        final DecodedFrame slot = decoded(new FrameBuilder().apply(Ieee80211LayerTest::bareRadiotap)
            .hex(QOS_DATA_TO_DS).hex("1000").hex("0000").apply(Ieee80211LayerTest::syn), LinkType.IEEE802_11_RADIOTAP);
        // 8 radiotap + 24 header + 2 QoS control + 8 LLC/SNAP
        assertTheSyn(slot, 8 + 24 + 2 + 8);
    }

    @Test
    void aPlainDataFrameWithoutRadiotapCarriesTheSegment()
    {
        final DecodedFrame slot = decoded(new FrameBuilder()
            .hex("0802 2c00 66778899aabb 001122334455 001122334455 2000").apply(Ieee80211LayerTest::syn),
            LinkType.IEEE802_11);
        assertTheSyn(slot, 24 + 8);
    }

    @Test
    void aFourAddressQosDataFrameWithAnHtControlField()
    {
        // To DS and from DS (a mesh or WDS link): a fourth address; the order bit: 4 bytes of HT control.
        final DecodedFrame slot = decoded(new FrameBuilder().apply(Ieee80211LayerTest::bareRadiotap)
            .hex("8883 3a01 001122334455 66778899aabb 001122334455 3000 ccddeeff0011").hex("0000")
            .hex("0000c000").apply(Ieee80211LayerTest::syn), LinkType.IEEE802_11_RADIOTAP);
        assertTheSyn(slot, 8 + 24 + 6 + 2 + 4 + 8);
    }

    /**
     * Radiotap with two present words (bit 31 of the first), TSFT aligned to 8 from the header's
     * start (at 16, after the words end at 12), Flags with "FCS at end": the last four bytes are the
     * FCS, not the packet's. An IPv4 total length of 0 (an offload capture) takes the datagram's
     * length from the wire: without the FCS.
     */
    @Test
    void theFcsARadiotapFlagAnnouncesIsNotPartOfThePacket()
    {
        final UnaryOperator<FrameBuilder> radiotap = f -> f
            .hex("00 00 1a00").hex("03000080 00000000").zeros(4)  // version, pad, length 26; TSFT, Flags, ext
            .hex("0102030405060708").hex("10").hex("00");          // TSFT; Flags: FCS at end; pad
        final DecodedFrame slot = decoded(new FrameBuilder().apply(radiotap).hex(QOS_DATA_TO_DS).hex("1000").hex("0000")
            .hex(LLC_SNAP_IPV4)
            .ipv4(0, 1, 0x4000, 64, IpProtocol.TCP, STATION, SERVER)
            .tcp(51000, 443, 1000, 0, 5, TcpFlags.PSH | TcpFlags.ACK, 64240).hex("68656c6c6f")
            .hex("deadbeef"), LinkType.IEEE802_11_RADIOTAP);
        assertTheHelloSegment(slot);
        assertEquals(5, slot.payloadLength, "hello, without the FCS");
    }

    private void assertTheHelloSegment(final DecodedFrame slot)
    {
        assertEquals(Anomaly.NONE, slot.anomaly);
        assertEquals(26 + 24 + 2 + 8, slot.networkOffset);
        assertEquals(51000, slot.srcPort);
        assertEquals(TcpFlags.PSH | TcpFlags.ACK, slot.tcpFlags);
    }

    @Test
    void framesWithoutAReadablePacketAreNotIp()
    {
        final String[] notIp = {
            "8841 3a01 001122334455 66778899aabb 001122334455 1000 0000",  // protected (encrypted)
            "c801 3a01 001122334455 66778899aabb 001122334455 1000 0000",  // QoS null function
            "8000 0000 ffffffffffff 66778899aabb 66778899aabb 1000",       // beacon (management)
            "8805 3a01 001122334455 66778899aabb 001122334455 1000 0000",  // more fragments
            "8801 3a01 001122334455 66778899aabb 001122334455 1100 0000",  // fragment number 1
            "8801 3a01 001122334455 66778899aabb 001122334455 1000 8000",  // A-MSDU
        };
        for (final String header : notIp)
        {
            final DecodedFrame slot = decoded(new FrameBuilder().apply(Ieee80211LayerTest::bareRadiotap).hex(header)
                .apply(Ieee80211LayerTest::syn), LinkType.IEEE802_11_RADIOTAP);
            assertEquals(Anomaly.NONE, slot.anomaly, header);
            assertEquals(0, slot.ipVersion, header);
        }
        assertEquals(notIp.length, decoder.censusCounts()[Census.NON_IP]);
        // An LLC header that is not SNAP is not IP either.
        final DecodedFrame stp = decoded(new FrameBuilder().apply(Ieee80211LayerTest::bareRadiotap).hex(QOS_DATA_TO_DS)
            .hex("1000 0000").hex("424203 0000"), LinkType.IEEE802_11_RADIOTAP);
        assertEquals(0, stp.ipVersion);
    }

    @Test
    void cutHeadersAreAnomalies()
    {
        // A radiotap length past the frame; a header cut before its length; an 802.11 header cut.
        assertEquals(Anomaly.TRUNCATED_IEEE80211,
            decoded(new FrameBuilder().hex("00 00 4000 00000000").zeros(20), LinkType.IEEE802_11_RADIOTAP).anomaly);
        assertEquals(Anomaly.TRUNCATED_IEEE80211,
            decoded(new FrameBuilder().hex("00 00 08"), LinkType.IEEE802_11_RADIOTAP).anomaly);
        assertEquals(Anomaly.TRUNCATED_IEEE80211, decoded(new FrameBuilder().apply(Ieee80211LayerTest::bareRadiotap)
            .hex("8801 3a01 001122334455 66778899aabb 0011"), LinkType.IEEE802_11_RADIOTAP).anomaly);
        // Present words that never end within the header.
        assertEquals(Anomaly.TRUNCATED_IEEE80211,
            decoded(new FrameBuilder().hex("00 00 0c00 00000080 00000080").zeros(30), LinkType.IEEE802_11_RADIOTAP).anomaly);
    }

    @Test
    void anIpv6PacketAfterSnapIsDecodedToo()
    {
        final DecodedFrame slot = decoded(new FrameBuilder().apply(Ieee80211LayerTest::bareRadiotap).hex(QOS_DATA_TO_DS)
            .hex("1000 0000").hex("aaaa03 000000").u16(EtherType.IPV6)
            .ipv6(20, IpProtocol.TCP, 64, "2001:db8::20", "2001:db8::1").tcp(51000, 443, 1, 0, 5, TcpFlags.SYN, 9),
            LinkType.IEEE802_11_RADIOTAP);
        assertEquals(Anomaly.NONE, slot.anomaly);
        assertEquals(6, slot.ipVersion);
        assertEquals(51000, slot.srcPort);
    }
}
