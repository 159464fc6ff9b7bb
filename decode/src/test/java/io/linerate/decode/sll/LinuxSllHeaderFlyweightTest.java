package io.linerate.decode.sll;

import io.linerate.decode.FrameBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinuxSllHeaderFlyweightTest
{
    @Test
    void readsVersion1Fields()
    {
        final byte[] bytes = new FrameBuilder().hex("0004 0001 0006 66778899aabb0000 0800").toBytes();
        final LinuxSllHeaderFlyweight sll = new LinuxSllHeaderFlyweight().wrap(bytes, 0, bytes.length);

        assertEquals(LinuxSllHeaderFlyweight.PACKET_TYPE_OUTGOING, sll.packetType());
        assertEquals(ArpHardwareType.ETHER, sll.arpHardwareType());
        assertEquals(6, sll.addressLength());
        assertEquals(0x0800, sll.protocol());
    }

    @Test
    void readsVersion2Fields()
    {
        final byte[] bytes = new FrameBuilder().hex("86dd 0000 00000007 fffe 00 00 0000000000000000").toBytes();
        final LinuxSll2HeaderFlyweight sll2 = new LinuxSll2HeaderFlyweight().wrap(bytes, 0, bytes.length);

        assertEquals(0x86DD, sll2.protocol());
        assertEquals(7, sll2.interfaceIndex());
        assertEquals(ArpHardwareType.NONE, sll2.arpHardwareType());
        assertEquals(LinuxSllHeaderFlyweight.PACKET_TYPE_HOST, sll2.packetType());
        assertEquals(0, sll2.addressLength());
    }
}
