package io.linerate.decode.mpls;

import io.linerate.decode.FrameBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MplsLabelFlyweightTest
{
    private final MplsLabelFlyweight mpls = new MplsLabelFlyweight();

    @Test
    void readsLabelBottomOfStackAndTtl()
    {
        // Label 16, TC 0, S 0, TTL 64; then label 100, TC 0, S 1, TTL 64.
        final byte[] bytes = new FrameBuilder().hex("00010040 00064140").toBytes();

        mpls.wrap(bytes, 0, bytes.length);
        assertEquals(16, mpls.label());
        assertFalse(mpls.bottomOfStack());
        assertEquals(64, mpls.ttl());

        mpls.wrap(bytes, 4, bytes.length - 4);
        assertEquals(100, mpls.label());
        assertTrue(mpls.bottomOfStack());
        assertEquals(64, mpls.ttl());
    }

    @Test
    void fieldsDoNotSpillIntoEachOther()
    {
        // Largest label, TC 7, S 0, TTL 255: neither the traffic class nor the TTL reads as S.
        final byte[] notBottom = new FrameBuilder().hex("fffffeff").toBytes();
        mpls.wrap(notBottom, 0, notBottom.length);
        assertEquals(0xFFFFF, mpls.label());
        assertFalse(mpls.bottomOfStack());
        assertEquals(255, mpls.ttl());

        final byte[] allOnes = new FrameBuilder().hex("ffffffff").toBytes();
        mpls.wrap(allOnes, 0, allOnes.length);
        assertEquals(0xFFFFF, mpls.label());
        assertTrue(mpls.bottomOfStack());
        assertEquals(255, mpls.ttl());

        // Label 0 (IPv4 explicit null), S 1, TTL 1.
        final byte[] explicitNull = new FrameBuilder().hex("00000101").toBytes();
        mpls.wrap(explicitNull, 0, explicitNull.length);
        assertEquals(0, mpls.label());
        assertTrue(mpls.bottomOfStack());
        assertEquals(1, mpls.ttl());
    }

    @Test
    void etherTypes()
    {
        assertEquals(0x8847, MplsLabelFlyweight.ETHER_TYPE_UNICAST);
        assertEquals(0x8848, MplsLabelFlyweight.ETHER_TYPE_MULTICAST);
        assertEquals(4, MplsLabelFlyweight.LENGTH);
    }
}
