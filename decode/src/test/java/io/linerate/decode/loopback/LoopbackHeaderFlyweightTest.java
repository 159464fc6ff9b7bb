package io.linerate.decode.loopback;

import io.linerate.decode.FrameBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackHeaderFlyweightTest
{
    private final LoopbackHeaderFlyweight loopback = new LoopbackHeaderFlyweight();

    @Test
    void detectsTheCapturingHostsByteOrder()
    {
        assertEquals(AddressFamily.INET, family("02000000"));
        assertEquals(AddressFamily.INET, family("00000002"));
        assertEquals(AddressFamily.INET6_DARWIN, family("1e000000"));
        assertEquals(AddressFamily.INET6_FREEBSD, family("0000001c"));
        assertEquals(AddressFamily.INET6_BSD, family("18000000"));
        assertEquals(0, family("00000000"));
    }

    @Test
    void loopIsNetworkOrder()
    {
        final byte[] bytes = new FrameBuilder().hex("aa 00000018").toBytes();
        loopback.wrap(bytes, 1, 4);
        assertEquals(AddressFamily.INET6_BSD, loopback.familyInNetworkOrder());
        assertEquals(1, loopback.offset());
        assertEquals(4, loopback.length());
    }

    @Test
    void knowsEveryInet6()
    {
        assertTrue(AddressFamily.isInet6(24));
        assertTrue(AddressFamily.isInet6(28));
        assertTrue(AddressFamily.isInet6(30));
        assertFalse(AddressFamily.isInet6(2));
        assertFalse(AddressFamily.isInet6(10));
    }

    private int family(final String hex)
    {
        final byte[] bytes = new FrameBuilder().hex(hex).toBytes();
        return loopback.wrap(bytes, 0, bytes.length).familyInCapturingHostOrder();
    }
}
