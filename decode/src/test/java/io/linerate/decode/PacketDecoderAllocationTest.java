package io.linerate.decode;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.icmp.Icmpv6Type;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot path allocates nothing: 100,000 decodes of a mix of frames (every link layer branch,
 * encapsulations, options, quotes, anomalies) after warm-up, measured by the JVM's per-thread
 * allocation counter.
 */
class PacketDecoderAllocationTest
{
    private static final int WARM_UP_ROUNDS = 30_000;
    private static final int MEASURED_DECODES = 100_000;
    /** Slack for the measuring calls themselves; a single allocated object per decode would be 1.6 MB. */
    private static final long ALLOWED_BYTES = 1024;

    @Test
    void decodingDoesNotAllocate()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counter unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);

        final DecodedFrame[] slots = frames();
        final PacketDecoder decoder = new PacketDecoder();

        long checksum = 0;
        for (int round = 0; round < WARM_UP_ROUNDS; round++)
        {
            for (final DecodedFrame slot : slots)
            {
                checksum += decoder.decode(slot) + slot.flowHash;
            }
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        int decodes = 0;
        while (decodes < MEASURED_DECODES)
        {
            for (int i = 0; i < slots.length && decodes < MEASURED_DECODES; i++)
            {
                checksum += decoder.decode(slots[i]) + slots[i].flowHash;
                decodes++;
            }
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(checksum != 0);
        assertTrue(
            allocated < ALLOWED_BYTES,
            "decoding " + MEASURED_DECODES + " frames allocated " + allocated + " bytes");
        assertEquals(
            (long)WARM_UP_ROUNDS * slots.length + MEASURED_DECODES, decoder.censusCounts()[Census.FRAMES]);
    }

    private static DecodedFrame[] frames()
    {
        return new DecodedFrame[]
        {
            new FrameBuilder().hex(PacketDecoderTest.TCP_WITH_EVERY_OPTION).slot(LinkType.ETHERNET),
            new FrameBuilder()
                .ethernet(EtherType.QINQ).u16(100).u16(EtherType.VLAN).u16(200).u16(EtherType.IPV4)
                .ipv4(28 + 4, 7, 0, 63, IpProtocol.UDP, "172.16.0.1", "172.16.0.2")
                .udp(5353, 53, 12).hex("00010000")
                .slot(LinkType.ETHERNET),
            new FrameBuilder()
                .ethernet(EtherType.IPV4)
                .ipv4(20 + 8 + 28, 0x0303, 0, 255, IpProtocol.ICMP, "10.0.0.1", "192.168.1.10")
                .u8(3).u8(3).u16(0).u32(0)
                .ipv4(40, 0x0101, 0x4000, 63, IpProtocol.TCP, "192.168.1.10", "10.0.0.1")
                .u16(51234).u16(443).u32(0x1122_3344L)
                .slot(LinkType.ETHERNET),
            new FrameBuilder()
                .ipv6(8 + 8 + 20 + 8, IpProtocol.HOP_BY_HOP, 64, "2001:db8::1", "2001:db8::2")
                .u8(IpProtocol.FRAGMENT).u8(0).hex("01 04 00000000")
                .u8(IpProtocol.TCP).u8(0).u16(0x0001).u32(0xDEAD_BEEFL)
                .tcp(443, 60000, 100, 200, 5, TcpFlags.ACK, 1000)
                .zeros(8)
                .slot(LinkType.RAW),
            new FrameBuilder()
                .u16(EtherType.IPV6).u16(0).u32(3).u16(1).u8(0).u8(6).hex("66778899aabb0000")
                .ipv6(8 + 40 + 12, IpProtocol.ICMPV6, 64, "2001:db8::2", "2001:db8::1")
                .u8(Icmpv6Type.DESTINATION_UNREACHABLE).u8(4).u16(0).u32(0)
                .ipv6(12, IpProtocol.UDP, 63, "2001:db8::1", "2001:db8::2")
                .udp(5000, 53, 12).hex("abcd0100")
                .slot(LinkType.LINUX_SLL2),
            new FrameBuilder()
                .hex("02000000")
                .ipv4(40, 1, 0, 64, IpProtocol.TCP, "127.0.0.1", "127.0.0.1")
                .tcp(50000, 8080, 1, 0, 5, TcpFlags.SYN, 65535)
                .slot(LinkType.NULL),
            new FrameBuilder()
                .ethernet(EtherType.IPV4)
                .ipv4(40, 1, 0, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
                .tcp(40000, 80, 1, 2, 5, TcpFlags.ACK, 100)
                .slot(LinkType.ETHERNET, 44, 54),
            new FrameBuilder()
                .ethernet(EtherType.IPV4)
                .ipv4(20 + 28 + 3, 1, 0x4000, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
                .tcp(40000, 80, 1, 0, 7, TcpFlags.SYN, 1024)
                .hex("020405b4 0801 0000 616263")
                .slot(LinkType.ETHERNET),
            new FrameBuilder().ethernet(EtherType.ARP).zeros(28).slot(LinkType.ETHERNET),
            new FrameBuilder()
                .ethernet(0x8864).hex("1100 0001 002a 0021")
                .ipv4(46, 1, 0x4000, 64, IpProtocol.TCP, "10.0.0.2", "10.0.0.3")
                .tcp(40000, 80, 1, 0, 5, TcpFlags.SYN, 64240)
                .zeros(6)
                .slot(LinkType.ETHERNET),
            new FrameBuilder()
                .ethernet(0x8847).hex("00010040 00064140")
                .ipv4(28, 1, 0, 64, IpProtocol.UDP, "10.0.0.2", "10.0.0.3")
                .udp(1, 2, 8)
                .slot(LinkType.ETHERNET),
            new FrameBuilder()
                .hex("001122334455 66778899aabb 0024 aaaa03 000000 0800")
                .ipv4(28, 1, 0, 64, IpProtocol.UDP, "10.0.0.2", "10.0.0.3")
                .udp(1, 2, 8)
                .slot(LinkType.ETHERNET),
            new FrameBuilder()
                .ethernet(EtherType.PBB_ITAG).hex("0001e240 0a0000000001 0a0000000002 8100 00c8 0800")
                .ipv4(28, 1, 0, 64, IpProtocol.UDP, "10.0.0.2", "10.0.0.3")
                .udp(1, 2, 8)
                .slot(LinkType.ETHERNET),
            new FrameBuilder().zeros(64).slot(105),
        };
    }
}
