package io.linerate.decode.nflog;

import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FlowHash;
import io.linerate.decode.FrameBuilder;
import io.linerate.decode.LinkType;
import io.linerate.decode.PacketDecoder;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

import static io.linerate.decode.FrameBuilder.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NFLOG frames (LINKTYPE_NFLOG) on exact bytes: the packet is the NFULA_PAYLOAD attribute. */
class NflogLayerTest
{
    private final PacketDecoder decoder = new PacketDecoder();

    @Test
    void payloadAttributeAfterOthersCarriesIpv4Tcp()
    {
        // AF_INET, version 0, resource id 1; a prefix attribute "ab\0" (7 bytes, padded to 8), a
        // hardware protocol attribute (6 bytes, padded to 8), then the payload: lengths and types
        // little-endian, as an x86 host writes them.
        final DecodedFrame slot = new FrameBuilder()
            .u8(2).u8(0).u16(1)
            .hex("0700 0a00 616200 00")                                        // NFULA_PREFIX
            .hex("0600 0100 0800 0000")                                        // NFULA_PACKET_HDR
            .hex("2c00 0900")                                                  // NFULA_PAYLOAD, 4 + 40
            .ipv4(40, 1, 0x4000, 64, IpProtocol.TCP, "192.0.2.1", "198.51.100.2")
            .tcp(40000, 80, 1, 0, 5, TcpFlags.SYN, 64240)
            .slot(LinkType.NFLOG);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(4, slot.ipVersion);
        assertEquals(4 + 8 + 8 + 4, slot.networkOffset);
        assertTrue(slot.transportPresent);
        assertEquals(ipv4("192.0.2.1"), slot.srcLo);
        assertEquals(40000, slot.srcPort);
        assertEquals(FlowHash.hash(6, 0, ipv4("192.0.2.1"), 40000, 0, ipv4("198.51.100.2"), 80), slot.flowHash);
    }

    @Test
    void noPayloadAttributeIsNotIp()
    {
        final DecodedFrame slot = new FrameBuilder().u8(2).u8(0).u16(1).hex("0800 0a00 61626300").slot(LinkType.NFLOG);

        assertEquals(Anomaly.NONE, decoder.decode(slot));

        assertEquals(0, slot.ipVersion);
        assertEquals(0, slot.flowHash);
    }

    @Test
    void anAttributeRunningPastTheFrameIsNotIp()
    {
        final DecodedFrame slot = new FrameBuilder().u8(2).u8(0).u16(1).hex("ff00 0900 4500").slot(LinkType.NFLOG);

        assertEquals(Anomaly.NONE, decoder.decode(slot));
        assertEquals(0, slot.ipVersion);
    }
}
