package io.linerate.decode.pppoe;

import io.linerate.decode.FrameBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PppoeSessionHeaderFlyweightTest
{
    private final PppoeSessionHeaderFlyweight pppoe = new PppoeSessionHeaderFlyweight();

    @Test
    void readsSessionHeaderAndPppProtocol()
    {
        // One byte before the header; ver 1 type 1, code 0 (session data), session 0xbeef, length 1492, IPv4.
        final byte[] bytes = new FrameBuilder().hex("ff 11 00 beef 05d4 0021").toBytes();
        pppoe.wrap(bytes, 1, bytes.length - 1);

        assertEquals(1, pppoe.offset());
        assertEquals(0xBEEF, pppoe.sessionId());
        assertEquals(1492, pppoe.payloadLength());
        assertEquals(PppoeSessionHeaderFlyweight.PPP_IPV4, pppoe.pppProtocol());
    }

    @Test
    void fieldsAreUnsigned()
    {
        final byte[] bytes = new FrameBuilder().hex("11 00 ffff ffff 0057").toBytes();
        pppoe.wrap(bytes, 0, bytes.length);

        assertEquals(0xFFFF, pppoe.sessionId());
        assertEquals(0xFFFF, pppoe.payloadLength());
        assertEquals(PppoeSessionHeaderFlyweight.PPP_IPV6, pppoe.pppProtocol());

        final byte[] lcp = new FrameBuilder().hex("11 00 0001 000a c021").toBytes();
        assertEquals(0xC021, pppoe.wrap(lcp, 0, lcp.length).pppProtocol());
    }

    @Test
    void layout()
    {
        assertEquals(0x8864, PppoeSessionHeaderFlyweight.ETHER_TYPE_SESSION);
        assertEquals(0x0021, PppoeSessionHeaderFlyweight.PPP_IPV4);
        assertEquals(0x0057, PppoeSessionHeaderFlyweight.PPP_IPV6);
        assertEquals(6, PppoeSessionHeaderFlyweight.PPP_PROTOCOL_OFFSET);
        assertEquals(8, PppoeSessionHeaderFlyweight.LENGTH);
    }
}
