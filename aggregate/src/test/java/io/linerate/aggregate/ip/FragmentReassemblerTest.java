package io.linerate.aggregate.ip;

import io.linerate.aggregate.FragmentFrames;
import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeSettings;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tunnel.TunnelType;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static io.linerate.aggregate.FragmentFrames.VTEP_A;
import static io.linerate.aggregate.FragmentFrames.VTEP_B;
import static io.linerate.aggregate.FragmentFrames.VXLAN_SOURCE_PORT;
import static io.linerate.aggregate.FragmentFrames.ipv4Packet;
import static io.linerate.aggregate.FragmentFrames.tcpSegment;
import static io.linerate.aggregate.FragmentFrames.udpDatagram;
import static io.linerate.aggregate.FragmentFrames.vxlanPayload;
import static io.linerate.aggregate.Frames.ACK;
import static io.linerate.aggregate.Frames.PSH;
import static io.linerate.aggregate.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reassembler alone: what a completed datagram decodes to, and its bounds. */
class FragmentReassemblerTest
{
    static final long C = ip(10, 0, 0, 1);
    static final long S = ip(10, 0, 0, 2);
    static final int TCP = IpProtocol.TCP;
    static final int UDP = IpProtocol.UDP;
    /** A VXLAN port other than IANA's 4789 (Linux's old default). */
    static final int OTHER_VXLAN_PORT = 8472;
    static final long SECOND = 1_000_000_000L;

    final FragmentFrames frames = new FragmentFrames();
    final byte[] segment = tcpSegment(40000, 80, PSH | ACK, 101, 901, 1000);

    @Test
    void theCompletedDatagramIsTheFirstFragmentsHeadersWithTheWholePayload()
    {
        final FragmentReassembler r = new FragmentReassembler();
        assertNull(r.onFragment(frames.ipv4Fragment(1_000, C, S, TCP, 7, segment, 504, 516, false)));
        final DecodedFrame first = frames.ipv4Fragment(1_001, C, S, TCP, 7, segment, 0, 504, true);
        final DecodedFrame d = r.onFragment(first);

        assertNotNull(d);
        assertEquals(0, d.anomaly);
        assertFalse(d.fragment);
        assertTrue(d.transportPresent);
        assertEquals(4, d.ipVersion);
        assertEquals(7, d.ipId);
        assertEquals(TCP, d.ipProtocol);
        assertEquals(C, d.srcLo);
        assertEquals(S, d.dstLo);
        assertEquals(40000, d.srcPort);
        assertEquals(80, d.dstPort);
        assertEquals(PSH | ACK, d.tcpFlags);
        assertEquals(101, d.seq);
        assertEquals(901, d.ack);
        assertEquals(65535, d.window);
        assertEquals(64, d.ttl);
        assertEquals(1000, d.payloadLength);
        assertEquals(first.flowHash, d.flowHash, "the first fragment held the whole TCP header");
        assertEquals(1_001_000, d.timestampNanos);
        assertEquals(2, d.frameNumber);
        assertEquals(frames.ipv4WireLength(516) + frames.ipv4WireLength(504), d.wireLength);
        assertEquals(1, r.datagramsCompleted());
        assertEquals(2, r.fragmentsSeen());
        assertEquals(0, r.pending());
    }

    @Test
    void ipv6KeepsTheUnfragmentablePartAndMakesTheFragmentHeaderAtomic()
    {
        final FragmentReassembler r = new FragmentReassembler();
        final long hi = 0x2001_0db8_0000_0000L;
        assertNull(r.onFragment(frames.ipv6Fragment(0, hi, 1, hi, 2, TCP, 5, segment, 0, 512, true)));
        final DecodedFrame d = r.onFragment(frames.ipv6Fragment(1, hi, 1, hi, 2, TCP, 5, segment, 512, 508, false));

        assertNotNull(d);
        assertEquals(0, d.anomaly);
        assertEquals(6, d.ipVersion);
        assertFalse(d.fragment);
        assertEquals(5, d.ipId);
        assertEquals(0, d.fragmentOffset);
        assertFalse(d.moreFragments);
        assertEquals(hi, d.srcHi);
        assertEquals(2, d.dstLo);
        assertEquals(40000, d.srcPort);
        assertEquals(1000, d.payloadLength);
    }

    @Test
    void theOldestDatagramIsEvictedWhenTheCapIsReached()
    {
        final FragmentReassembler r = new FragmentReassembler(2, 30 * SECOND);
        r.onFragment(frames.ipv4Fragment(0, C, S, TCP, 1, segment, 0, 504, true));
        r.onFragment(frames.ipv4Fragment(1, C, S, TCP, 2, segment, 0, 504, true));
        r.onFragment(frames.ipv4Fragment(2, C, S, TCP, 3, segment, 0, 504, true));
        assertEquals(1, r.datagramsEvicted());
        assertEquals(1, anomalies(r)[ShardAnomaly.EXCESSIVE_PENDING_DATAGRAMS]);
        assertEquals(2, r.pending());

        assertNull(r.onFragment(frames.ipv4Fragment(3, C, S, TCP, 1, segment, 504, 516, false)), "evicted");
        assertNotNull(r.onFragment(frames.ipv4Fragment(4, C, S, TCP, 3, segment, 504, 516, false)));
    }

    @Test
    void theTimeoutCountsFromTheFirstFragmentInPacketTime()
    {
        final FragmentReassembler r = new FragmentReassembler(16, 30 * SECOND);
        r.onFragment(frames.ipv4Fragment(1, C, S, TCP, 1, segment, 0, 504, true));
        r.expire(30 * SECOND + 1_000);
        assertEquals(1, r.pending(), "not past the timeout yet");
        r.expire(30 * SECOND + 1_001);
        assertEquals(0, r.pending());
        assertEquals(1, r.datagramsTimedOut());

        // A fragment without a timestamp (0) says nothing about time: its datagram waits to the end.
        r.onFragment(frames.ipv4Fragment(0, C, S, TCP, 2, segment, 0, 504, true));
        r.expire(Long.MAX_VALUE - 1);
        assertEquals(1, r.pending());
    }

    @Test
    void theFirstLastFragmentSaysTheLengthAndBytesPastItAreIgnored()
    {
        // As Wireshark: a second tail with another end is flagged there ("multiple tails") and
        // changes nothing; a fragment running past the end completes the datagram ("too long").
        final FragmentReassembler r = new FragmentReassembler();
        r.onFragment(frames.ipv4Fragment(1, C, S, TCP, 1, segment, 504, 516, false));
        assertNull(r.onFragment(frames.ipv4Fragment(2, C, S, TCP, 1, segment, 504, 256, false)));
        final DecodedFrame d = r.onFragment(frames.ipv4Fragment(3, C, S, TCP, 1, segment, 0, 504, true));
        assertNotNull(d);
        assertEquals(1000, d.payloadLength);

        r.onFragment(frames.ipv4Fragment(4, C, S, TCP, 2, segment, 504, 256, false));
        final DecodedFrame clipped = r.onFragment(frames.ipv4Fragment(5, C, S, TCP, 2, segment, 0, 1020, true));
        assertNotNull(clipped);
        assertEquals(760 - 20, clipped.payloadLength);
        assertEquals(0, r.datagramsDiscarded());
        assertEquals(2, r.overlappingFragments());
        final long[] counts = anomalies(r);
        assertEquals(2, counts[ShardAnomaly.FRAGMENT_OVERLAP]);
        assertEquals(2, counts[ShardAnomaly.FRAGMENT_SIZE_INCONSISTENCY], "a second tail, then a fragment past the end");
    }

    @Test
    void aFragmentCutByTheSnapLengthIsLeftOutAndAFirstOneIsAPacketAlone()
    {
        final FragmentReassembler r = new FragmentReassembler();
        r.onFragment(frames.ipv4Fragment(1, C, S, TCP, 1, segment, 504, 516, false));
        frames.snapLength(100);
        final DecodedFrame cutHead = frames.ipv4Fragment(2, C, S, TCP, 1, segment, 0, 504, true);
        final DecodedFrame alone = r.onFragment(cutHead);

        // Wireshark shows its TCP header, without a segment length, and cannot reassemble it.
        assertNotNull(alone);
        assertFalse(alone.fragment);
        assertTrue(alone.transportPresent);
        assertEquals(40000, alone.srcPort);
        assertEquals(PSH | ACK, alone.tcpFlags);
        assertEquals(0, alone.payloadLength);
        assertEquals(cutHead.flowHash, alone.flowHash);
        assertEquals(cutHead.wireLength, alone.wireLength);
        assertEquals(2, alone.frameNumber);
        assertEquals(1, r.pending(), "the tail still waits for a head it can reassemble");

        assertNull(r.onFragment(frames.ipv4Fragment(3, C, S, TCP, 2, segment, 504, 516, false)), "cut tail");
        frames.snapLength(Integer.MAX_VALUE);
        assertNull(r.onFragment(frames.ipv4Fragment(4, C, S, TCP, 2, segment, 0, 504, true)));
        assertEquals(2, r.fragmentsNotCaptured());
        assertEquals(2, anomalies(r)[ShardAnomaly.INCOMPLETELY_CAPTURED_FRAGMENT]);
        assertEquals(0, r.datagramsCompleted());
    }

    @Test
    void aFragmentWithoutBytesTakesNoPart()
    {
        final FragmentReassembler r = new FragmentReassembler();
        r.onFragment(frames.ipv4Fragment(1, C, S, TCP, 1, segment, 0, 504, true));
        assertNull(r.onFragment(frames.ipv4Fragment(2, C, S, TCP, 1, segment, 504, 0, false)));
        assertEquals(1, r.pending());
        assertNotNull(r.onFragment(frames.ipv4Fragment(3, C, S, TCP, 1, segment, 504, 516, false)));
    }

    @Test
    void ipv4FragmentsOnTwoVlansAreTwoDatagramsButIpv6OnesAreNot()
    {
        // Wireshark keys IPv4 reassembly on the VLAN too, IPv6 reassembly not.
        final FragmentReassembler r = new FragmentReassembler();
        r.onFragment(frames.vlan(10).ipv4Fragment(1, C, S, TCP, 1, segment, 0, 504, true));
        assertNull(r.onFragment(frames.vlan(20).ipv4Fragment(2, C, S, TCP, 1, segment, 504, 516, false)));
        assertNotNull(r.onFragment(frames.vlan(10).ipv4Fragment(3, C, S, TCP, 1, segment, 504, 516, false)));

        final long hi = 0x2001_0db8_0000_0000L;
        r.onFragment(frames.vlan(10).ipv6Fragment(4, hi, 1, hi, 2, TCP, 5, segment, 0, 512, true));
        final DecodedFrame d = r.onFragment(frames.vlan(20).ipv6Fragment(5, hi, 1, hi, 2, TCP, 5, segment, 512, 508,
            false));
        assertNotNull(d);
        assertEquals(10, d.vlans[0], "the first fragment's VLAN");
    }

    @Test
    void aDatagramLongerThanItsLengthFieldIsDiscarded()
    {
        final FragmentReassembler r = new FragmentReassembler();
        final byte[] big = new byte[65536];
        // Offset 65528 + 8 bytes = 65536: one more than an IP datagram's payload can hold.
        assertNull(r.onFragment(frames.ipv4Fragment(0, C, S, TCP, 1, big, 65528, 8, false)));
        assertEquals(1, r.datagramsDiscarded());
        assertEquals(1, anomalies(r)[ShardAnomaly.EXCESSIVELY_LARGE_FRAGMENT]);
        assertEquals(0, r.pending());
    }

    @Test
    void overlappingRangesMergeAndCountOnce()
    {
        final PendingDatagram d = new PendingDatagram(0);
        d.reset();
        assertEquals(PendingDatagram.COVERED_NEW_BYTES_ONLY, d.cover(48, 72));
        assertEquals(PendingDatagram.COVERED_NEW_BYTES_ONLY, d.cover(0, 24));
        assertEquals(PendingDatagram.COVERED_NEW_BYTES_ONLY, d.cover(72, 89));
        assertEquals(2, d.rangeCount, "0-24 and 48-89: 72 touches 48-72 and merges");
        assertEquals(PendingDatagram.COVERED_OVERLAPPING, d.cover(24, 72));
        assertEquals(1, d.rangeCount);
        assertEquals(0, d.rangeStart[0]);
        assertEquals(89, d.rangeEnd[0]);
    }

    @Test
    void tooManyHolesDiscardTheDatagram()
    {
        final FragmentReassembler r = new FragmentReassembler();
        final byte[] big = new byte[16 * (PendingDatagram.MAX_RANGES + 1)];
        for (int i = 0; i <= PendingDatagram.MAX_RANGES; i++)
        {
            // Every other 8-byte block: each one a range of its own.
            r.onFragment(frames.ipv4Fragment(i, C, S, TCP, 1, big, 16 * i + 8, 8, true));
        }
        assertEquals(1, r.datagramsDiscarded());
        assertEquals(1, anomalies(r)[ShardAnomaly.EXCESSIVE_FRAGMENT_HOLES]);
        assertEquals(0, r.pending());
    }

    @Test
    void aDatagramOfMoreFragmentsThanTheCapIsGivenUp()
    {
        // A teardrop-like flood: the same overlapping fragment again and again, never the last one.
        final FragmentReassembler r = new FragmentReassembler(16, 4, 30 * SECOND, DecodeSettings.DEFAULT);
        for (int i = 0; i < 4; i++)
        {
            assertNull(r.onFragment(frames.ipv4Fragment(i, C, S, TCP, 1, segment, 0, 504, true)));
        }
        assertEquals(1, r.pending());
        assertEquals(0, anomalies(r)[ShardAnomaly.EXCESSIVE_FRAGMENTS_PER_DATAGRAM], "4 fragments: at the cap, not past it");
        assertNull(r.onFragment(frames.ipv4Fragment(4, C, S, TCP, 1, segment, 504, 516, false)), "the fifth");
        assertEquals(0, r.pending(), "given up");
        assertEquals(1, r.datagramsDiscarded());
        final long[] counts = anomalies(r);
        assertEquals(1, counts[ShardAnomaly.EXCESSIVE_FRAGMENTS_PER_DATAGRAM]);
        assertEquals(3, counts[ShardAnomaly.FRAGMENT_OVERLAP]);

        // A datagram of as many fragments as the cap still completes.
        r.onFragment(frames.ipv4Fragment(5, C, S, TCP, 2, segment, 0, 256, true));
        r.onFragment(frames.ipv4Fragment(6, C, S, TCP, 2, segment, 256, 256, true));
        r.onFragment(frames.ipv4Fragment(7, C, S, TCP, 2, segment, 512, 256, true));
        assertNotNull(r.onFragment(frames.ipv4Fragment(8, C, S, TCP, 2, segment, 768, 252, false)));
    }

    @Test
    void aVxlanDatagramOnTheConfiguredPortIsDecapsulatedOnceReassembled()
    {
        // The outer UDP datagram is fragmented: its VXLAN is opened after reassembly, on the run's
        // port, as the first pass opens it in an unfragmented packet.
        final DecodeSettings decode = new DecodeSettings(DecodeSettings.DEFAULT.tunnelDepth(), OTHER_VXLAN_PORT, true);
        final FragmentFrames outer = new FragmentFrames(decode);
        final FragmentReassembler r = new FragmentReassembler(decode);
        final byte[] udp = udpDatagram(VXLAN_SOURCE_PORT, OTHER_VXLAN_PORT, vxlanPayload(42, ipv4Packet(C, S, TCP, 9, segment)));
        assertEquals(1070, udp.length);
        assertNull(r.onFragment(outer.ipv4Fragment(1_000, VTEP_A, VTEP_B, UDP, 7, udp, 0, 504, true)));
        final DecodedFrame d = r.onFragment(outer.ipv4Fragment(1_001, VTEP_A, VTEP_B, UDP, 7, udp, 504, 566, false));
        final DecodedFrame whole = new FragmentFrames(decode).vxlan(OTHER_VXLAN_PORT, 42).ipv4(1_002, C, S, TCP, 9,
            segment);

        assertNotNull(d);
        assertEquals(0, d.anomaly);
        assertEquals(1, d.tunnelCount);
        assertEquals(TunnelType.VXLAN, d.tunnelType[0]);
        assertEquals(42, d.tunnelId[0]);
        assertEquals(VTEP_A, d.tunnelSrcLo[0]);
        assertEquals(VTEP_B, d.tunnelDstLo[0]);
        assertEquals(VXLAN_SOURCE_PORT, d.tunnelSrcPort[0]);
        assertEquals(OTHER_VXLAN_PORT, d.tunnelDstPort[0]);
        assertEquals(TCP, d.ipProtocol);
        assertEquals(C, d.srcLo);
        assertEquals(S, d.dstLo);
        assertEquals(40000, d.srcPort);
        assertEquals(80, d.dstPort);
        assertEquals(1000, d.payloadLength);
        assertNotEquals(0, d.tunnelKey);
        assertEquals(whole.tunnelKey, d.tunnelKey, "the key of the connection's unfragmented packets");
        assertEquals(whole.flowHash, d.flowHash);
    }

    @Test
    void decapsulationSwitchedOffStaysOffAfterReassembly()
    {
        final DecodeSettings closed = new DecodeSettings(0, 0, true);
        final FragmentFrames outer = new FragmentFrames(closed);
        final FragmentReassembler r = new FragmentReassembler(closed);
        final byte[] udp = udpDatagram(VXLAN_SOURCE_PORT, 4789, vxlanPayload(42, ipv4Packet(C, S, TCP, 9, segment)));
        assertNull(r.onFragment(outer.ipv4Fragment(1_000, VTEP_A, VTEP_B, UDP, 7, udp, 504, 566, false)));
        final DecodedFrame d = r.onFragment(outer.ipv4Fragment(1_001, VTEP_A, VTEP_B, UDP, 7, udp, 0, 504, true));
        final DecodedFrame whole = new FragmentFrames(closed).ipv4(1_002, VTEP_A, VTEP_B, UDP, 7, udp);

        assertNotNull(d);
        assertEquals(0, d.anomaly);
        assertEquals(0, d.tunnelCount);
        assertEquals(0, d.tunnelKey);
        assertEquals(UDP, d.ipProtocol);
        assertEquals(VTEP_A, d.srcLo);
        assertEquals(VTEP_B, d.dstLo);
        assertEquals(VXLAN_SOURCE_PORT, d.srcPort);
        assertEquals(4789, d.dstPort);
        assertEquals(1062, d.payloadLength);
        assertEquals(whole.flowHash, d.flowHash, "the outer flow's, as the unfragmented packet's");
    }

    @Test
    void theDepthCapCountsTheTunnelsTheFragmentsCameIn()
    {
        // Depth 1: the fragments came in GRE, so the VXLAN inside the reassembled datagram is one
        // tunnel too many, as it is in the unfragmented packet.
        final DecodeSettings one = new DecodeSettings(1, 0, true);
        final FragmentFrames inGre = new FragmentFrames(one).gre(5);
        final FragmentReassembler r = new FragmentReassembler(one);
        final byte[] udp = udpDatagram(VXLAN_SOURCE_PORT, 4789, vxlanPayload(42, ipv4Packet(C, S, TCP, 9, segment)));
        final long tenantA = ip(192, 168, 0, 1);
        final long tenantB = ip(192, 168, 0, 2);
        assertNull(r.onFragment(inGre.ipv4Fragment(1_000, tenantA, tenantB, UDP, 7, udp, 0, 504, true)));
        final DecodedFrame d = r.onFragment(inGre.ipv4Fragment(1_001, tenantA, tenantB, UDP, 7, udp, 504, 566, false));
        final DecodedFrame whole = inGre.ipv4(1_002, tenantA, tenantB, UDP, 7, udp);

        assertEquals(Anomaly.TUNNEL_TOO_DEEP, whole.anomaly);
        assertNotNull(d);
        assertEquals(Anomaly.TUNNEL_TOO_DEEP, d.anomaly);
        assertEquals(1, d.tunnelCount);
        assertEquals(TunnelType.GRE, d.tunnelType[0]);
        assertEquals(5, d.tunnelId[0]);
        assertEquals(whole.tunnelKey, d.tunnelKey);
        assertEquals(UDP, d.ipProtocol);
        assertEquals(tenantA, d.srcLo);
        assertEquals(4789, d.dstPort);
        assertEquals(whole.flowHash, d.flowHash);
    }

    @Test
    void aDatagramInATunnelKeepsItsTunnels()
    {
        final FragmentReassembler r = new FragmentReassembler();
        frames.vxlan(4789, 42);
        assertNull(r.onFragment(frames.ipv4Fragment(1_000, C, S, TCP, 7, segment, 0, 504, true)));
        final DecodedFrame d = r.onFragment(frames.ipv4Fragment(1_001, C, S, TCP, 7, segment, 504, 516, false));
        final DecodedFrame whole = frames.ipv4(1_002, C, S, TCP, 8, segment);

        assertNotNull(d);
        assertEquals(0, d.anomaly);
        assertEquals(1, d.tunnelCount);
        assertEquals(TunnelType.VXLAN, d.tunnelType[0]);
        assertEquals(42, d.tunnelId[0]);
        assertEquals(4, d.tunnelIpVersion[0]);
        assertEquals(VTEP_A, d.tunnelSrcLo[0]);
        assertEquals(VTEP_B, d.tunnelDstLo[0]);
        assertEquals(VXLAN_SOURCE_PORT, d.tunnelSrcPort[0]);
        assertEquals(4789, d.tunnelDstPort[0]);
        assertNotEquals(0, d.tunnelKey);
        assertEquals(whole.tunnelKey, d.tunnelKey);
        assertEquals(C, d.srcLo);
        assertEquals(40000, d.srcPort);
        assertEquals(1000, d.payloadLength);
        assertEquals(frames.ipv4WireLength(504) + frames.ipv4WireLength(516), d.wireLength);
    }

    @Test
    void fragmentsInTwoVnisAreNeverPutTogether()
    {
        // Two tenants send the same inner datagram (addresses, identification): one each.
        final FragmentReassembler r = new FragmentReassembler();
        assertNull(r.onFragment(frames.vxlan(4789, 42).ipv4Fragment(1_000, C, S, TCP, 7, segment, 0, 504, true)));
        assertNull(r.onFragment(frames.vxlan(4789, 43).ipv4Fragment(1_001, C, S, TCP, 7, segment, 504, 516, false)),
            "the other tenant's tail completes nothing");
        assertEquals(2, r.pending());

        final DecodedFrame tenant42 = r.onFragment(frames.vxlan(4789, 42).ipv4Fragment(1_002, C, S, TCP, 7, segment,
            504, 516, false));
        assertNotNull(tenant42);
        assertEquals(42, tenant42.tunnelId[0]);
        final long key42 = tenant42.tunnelKey;
        final DecodedFrame tenant43 = r.onFragment(frames.vxlan(4789, 43).ipv4Fragment(1_003, C, S, TCP, 7, segment,
            0, 504, true));
        assertNotNull(tenant43);
        assertEquals(43, tenant43.tunnelId[0]);
        assertNotEquals(key42, tenant43.tunnelKey);
        assertEquals(0, r.overlappingFragments());
        assertEquals(2, r.datagramsCompleted());
    }

    @Test
    void aFirstFragmentCutByTheSnapLengthKeepsItsTunnels()
    {
        final FragmentReassembler r = new FragmentReassembler();
        frames.gre(0x0102_0304L).snapLength(150);
        final DecodedFrame alone = r.onFragment(frames.ipv4Fragment(1, C, S, TCP, 1, segment, 0, 504, true));

        assertNotNull(alone);
        assertEquals(40000, alone.srcPort);
        assertEquals(1, alone.tunnelCount);
        assertEquals(TunnelType.GRE, alone.tunnelType[0]);
        assertEquals(0x0102_0304L, alone.tunnelId[0]);
        assertEquals(VTEP_A, alone.tunnelSrcLo[0]);
        assertNotEquals(0, alone.tunnelKey);
    }

    /** The reassembler's counts by {@link ShardAnomaly} code. */
    static long[] anomalies(final FragmentReassembler r)
    {
        final long[] counts = new long[ShardAnomaly.COUNT + 1];
        r.anomalyCounts(counts);
        return counts;
    }

    @Test
    void reassemblingInASteadyStateAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        final FragmentReassembler r = new FragmentReassembler(64, 30 * SECOND);
        final DecodedFrame[] fragments = {
            frames.ipv4Fragment(0, C, S, TCP, 1, segment, 504, 516, false),
            frames.ipv4Fragment(1, C, S, TCP, 2, segment, 0, 504, true),
            frames.ipv4Fragment(2, C, S, TCP, 1, segment, 0, 504, true),
            frames.ipv4Fragment(3, C, S, TCP, 2, segment, 504, 516, false),
            frames.vxlan(4789, 42).ipv4Fragment(4, C, S, TCP, 1, segment, 0, 504, true),
            frames.ipv4Fragment(5, C, S, TCP, 1, segment, 504, 516, false),
        };
        long completed = 0;
        for (int i = 0; i < 20_000; i++)
        {
            for (final DecodedFrame f : fragments)
            {
                completed += r.onFragment(f) != null ? 1 : 0;
            }
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++)
        {
            for (final DecodedFrame f : fragments)
            {
                completed += r.onFragment(f) != null ? 1 : 0;
            }
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(90_000, completed);
        assertTrue(allocated < 1024, "60,000 fragments allocated " + allocated + " bytes");
    }
}
