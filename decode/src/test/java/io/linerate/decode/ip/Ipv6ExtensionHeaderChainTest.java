package io.linerate.decode.ip;

import io.linerate.decode.Anomaly;
import io.linerate.decode.FrameBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6ExtensionHeaderChainTest
{
    private final Ipv6ExtensionHeaderChain chain = new Ipv6ExtensionHeaderChain();

    @Test
    void noExtensionHeaders()
    {
        final byte[] bytes = new byte[8];
        assertEquals(Anomaly.NONE, chain.walk(bytes, 0, IpProtocol.TCP, 8, 8));
        assertEquals(IpProtocol.TCP, chain.protocol());
        assertEquals(0, chain.upperLayerOffset());
        assertFalse(chain.fragment());
        assertFalse(chain.nonFirstFragment());
    }

    @Test
    void mobilityAndAuthenticationLengths()
    {
        final byte[] bytes = new FrameBuilder()
            .u8(IpProtocol.AUTHENTICATION).u8(1).zeros(14)          // mobility, (1 + 1) * 8 = 16
            .u8(IpProtocol.UDP).u8(1).zeros(10)                     // AH, (1 + 2) * 4 = 12
            .toBytes();

        assertEquals(Anomaly.NONE, chain.walk(bytes, 0, IpProtocol.MOBILITY, bytes.length, bytes.length));
        assertEquals(IpProtocol.UDP, chain.protocol());
        assertEquals(28, chain.upperLayerOffset());
    }

    @Test
    void nonFirstFragmentEndsTheWalk()
    {
        final byte[] bytes = new FrameBuilder()
            .u8(IpProtocol.DESTINATION_OPTIONS).u8(0).u16(0x0009).u32(1)   // offset 8, M
            .zeros(16)
            .toBytes();

        assertEquals(Anomaly.NONE, chain.walk(bytes, 0, IpProtocol.FRAGMENT, bytes.length, bytes.length));
        assertTrue(chain.fragment());
        assertTrue(chain.nonFirstFragment());
        assertEquals(IpProtocol.DESTINATION_OPTIONS, chain.protocol());
        assertEquals(8, chain.upperLayerOffset());
    }

    @Test
    void resultsAreResetBetweenWalks()
    {
        final byte[] fragment = new FrameBuilder().u8(IpProtocol.TCP).u8(0).u16(0x0010).u32(1).toBytes();
        chain.walk(fragment, 0, IpProtocol.FRAGMENT, 8, 8);
        assertTrue(chain.nonFirstFragment());

        assertEquals(Anomaly.NONE, chain.walk(fragment, 0, IpProtocol.UDP, 8, 8));
        assertFalse(chain.fragment());
        assertFalse(chain.nonFirstFragment());
        assertEquals(IpProtocol.UDP, chain.protocol());
    }

    @Test
    void fragmentHeaderCutShort()
    {
        final byte[] bytes = new FrameBuilder().u8(IpProtocol.TCP).u8(0).u16(0x0001).toBytes();
        assertEquals(Anomaly.TRUNCATED_IPV6_EXTENSION, chain.walk(bytes, 0, IpProtocol.FRAGMENT, 4, 100));
        assertEquals(Anomaly.BAD_IPV6_EXTENSION_LENGTH, chain.walk(bytes, 0, IpProtocol.FRAGMENT, 4, 4));
        assertEquals(-1, chain.protocol());
    }
}
