package io.linerate.decode.hdlc;

import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FrameBuilder;
import io.linerate.decode.LinkType;
import io.linerate.decode.PacketDecoder;
import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

import static io.linerate.decode.FrameBuilder.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cisco HDLC (LINKTYPE_C_HDLC) and PPP (LINKTYPE_PPP) frames on exact bytes. */
class CiscoHdlcLayerTest
{
    private final PacketDecoder decoder = new PacketDecoder();

    @Test
    void ciscoHdlcCarriesIpv4()
    {
        final DecodedFrame slot = new FrameBuilder()
            .u8(0x0F).u8(0x00).u16(EtherType.IPV4)
            .ipv4(40, 1, 0x4000, 64, IpProtocol.TCP, "192.0.2.1", "198.51.100.2")
            .tcp(40000, 80, 1, 0, 5, TcpFlags.SYN, 64240)
            .slot(LinkType.C_HDLC);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(4, slot.networkOffset);
        assertEquals(ipv4("198.51.100.2"), slot.dstLo);
        assertTrue(slot.transportPresent);
    }

    @Test
    void ciscoHdlcKeepalivesAreNotIp()
    {
        // SLARP (0x8035) keepalive.
        final DecodedFrame slot = new FrameBuilder().u8(0x8F).u8(0x00).u16(0x8035).zeros(18).slot(LinkType.C_HDLC);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(0, slot.ipVersion);
        assertEquals(1, decoder.censusCounts()[Census.NON_IP]);
    }

    @Test
    void pppWithAndWithoutAddressAndControl()
    {
        final DecodedFrame framed = new FrameBuilder()
            .u8(0xFF).u8(0x03).u16(0x0021)
            .ipv4(40, 1, 0x4000, 64, IpProtocol.TCP, "192.0.2.1", "198.51.100.2")
            .tcp(40000, 80, 1, 0, 5, TcpFlags.SYN, 64240)
            .slot(LinkType.PPP);
        final DecodedFrame compressed = new FrameBuilder()
            .u8(0x21)                                                          // protocol field compressed
            .ipv4(40, 1, 0x4000, 64, IpProtocol.TCP, "192.0.2.1", "198.51.100.2")
            .tcp(40000, 80, 1, 0, 5, TcpFlags.SYN, 64240)
            .slot(LinkType.PPP);
        final DecodedFrame lcp = new FrameBuilder().u8(0xFF).u8(0x03).u16(0xC021).zeros(8).slot(LinkType.PPP);

        assertEquals(Anomaly.NONE, decoder.decode(framed));
        assertEquals(Anomaly.NONE, decoder.decode(compressed));
        assertEquals(Anomaly.NONE, decoder.decode(lcp));

        assertEquals(4, framed.networkOffset);
        assertTrue(framed.transportPresent);
        assertEquals(1, compressed.networkOffset);
        assertTrue(compressed.transportPresent);
        assertEquals(0, lcp.ipVersion);
    }
}
