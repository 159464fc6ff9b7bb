package io.linerate.decode.ip;

import io.linerate.decode.FrameBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4HeaderFlyweightTest
{
    @Test
    void readsEveryField()
    {
        // From the tshark-checked frame in PacketDecoderTest, with MF and offset 0x0123 set instead of DF.
        final byte[] bytes = new FrameBuilder().hex("4600 0055 1c46 2123 4006 52aa c0a8010a 0a000001 94040000").toBytes();
        final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight().wrap(bytes, 0, bytes.length);

        assertEquals(4, ipv4.version());
        assertEquals(24, ipv4.headerLength());
        assertEquals(0, ipv4.typeOfService());
        assertEquals(85, ipv4.totalLength());
        assertEquals(0x1C46, ipv4.identification());
        assertFalse(ipv4.dontFragment());
        assertTrue(ipv4.moreFragments());
        assertEquals(0x0123 * 8, ipv4.fragmentOffset());
        assertEquals(64, ipv4.ttl());
        assertEquals(IpProtocol.TCP, ipv4.protocol());
        assertEquals(0x52AA, ipv4.checksum());
        assertEquals(0xC0A8_010AL, ipv4.sourceAddress());
        assertEquals(0x0A00_0001L, ipv4.destinationAddress());
    }

    @Test
    void readsIpv6FixedHeader()
    {
        final byte[] bytes = new FrameBuilder()
            .hex("6abcdef1 0010 3a 40")
            .address("2001:db8::1").address("ff02::1")
            .toBytes();
        final Ipv6HeaderFlyweight ipv6 = new Ipv6HeaderFlyweight().wrap(bytes, 0, bytes.length);

        assertEquals(6, ipv6.version());
        assertEquals(0xAB, ipv6.trafficClass());
        assertEquals(0xCDEF1, ipv6.flowLabel());
        assertEquals(16, ipv6.payloadLength());
        assertEquals(IpProtocol.ICMPV6, ipv6.nextHeader());
        assertEquals(64, ipv6.hopLimit());
        assertEquals(0x2001_0db8_0000_0000L, ipv6.sourceAddressHigh());
        assertEquals(1, ipv6.sourceAddressLow());
        assertEquals(0xFF02_0000_0000_0000L, ipv6.destinationAddressHigh());
        assertEquals(1, ipv6.destinationAddressLow());
    }
}
