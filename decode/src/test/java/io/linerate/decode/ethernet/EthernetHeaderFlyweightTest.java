package io.linerate.decode.ethernet;

import io.linerate.decode.FrameBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EthernetHeaderFlyweightTest
{
    @Test
    void readsAddressesAndEtherType()
    {
        final byte[] bytes = new FrameBuilder().hex("ffffffffffff 02005e1000ff 86dd").toBytes();
        final EthernetHeaderFlyweight ethernet = new EthernetHeaderFlyweight().wrap(bytes, 0, bytes.length);

        assertEquals(0xFFFF_FFFF_FFFFL, ethernet.destination());
        assertEquals(0x0200_5E10_00FFL, ethernet.source());
        assertEquals(EtherType.IPV6, ethernet.etherType());
    }

    @Test
    void readsVlanTagControlInformation()
    {
        // PCP 7, DEI 1, VLAN 4094; IPv4 inside.
        final byte[] bytes = new FrameBuilder().hex("fffe 0800").toBytes();
        final VlanTagFlyweight tag = new VlanTagFlyweight().wrap(bytes, 0, bytes.length);

        assertEquals(4094, tag.vlanId());
        assertEquals(7, tag.priority());
        assertEquals(EtherType.IPV4, tag.encapsulatedEtherType());
    }

    @Test
    void vlanTagProtocolIdentifiers()
    {
        assertTrue(EtherType.isVlanTag(0x8100));
        assertTrue(EtherType.isVlanTag(0x88A8));
        assertTrue(EtherType.isVlanTag(0x9100));
        assertFalse(EtherType.isVlanTag(0x0800));
        assertFalse(EtherType.isVlanTag(0x86DD));
        assertFalse(EtherType.isVlanTag(0x88E7));
    }

    @Test
    void macInMacEtherTypes()
    {
        assertTrue(EtherType.isMacInMac(0x88E7));
        assertTrue(EtherType.isMacInMac(0x8903));
        assertFalse(EtherType.isMacInMac(0x8100));
        assertFalse(EtherType.isMacInMac(0x88A8));
        assertFalse(EtherType.isMacInMac(0x0800));
        assertEquals(4, EtherType.macInMacHeaderLength(EtherType.PBB_ITAG));
        assertEquals(2, EtherType.macInMacHeaderLength(EtherType.FABRICPATH));
    }
}
