package io.linerate.aggregate;

import io.linerate.aggregate.RecordingListener.Rec;
import io.linerate.aggregate.view.EndReason;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FlowHash;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tunnel.TunnelStack;
import io.linerate.decode.tunnel.TunnelType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.linerate.aggregate.FragmentFrames.VTEP_A;
import static io.linerate.aggregate.FragmentFrames.VTEP_B;
import static io.linerate.aggregate.FragmentFrames.tcpSegment;
import static io.linerate.aggregate.Frames.ACK;
import static io.linerate.aggregate.Frames.PSH;
import static io.linerate.aggregate.Frames.SYN;
import static io.linerate.aggregate.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fragmented datagrams on connections, as Wireshark counts them: one packet with the whole
 * payload, at the fragment that completes the datagram; never the fragments on their own, never an
 * incomplete datagram. Frames are real bytes through the real decoder ({@link FragmentFrames}).
 */
class FlowShardFragmentTest
{
    static final long C = ip(10, 0, 0, 1);
    static final long S = ip(10, 0, 0, 2);
    static final long R = ip(192, 168, 1, 1);
    static final int TCP = IpProtocol.TCP;

    final FragmentFrames frames = new FragmentFrames();
    final RecordingListener records = new RecordingListener();
    final FlowShard shard = new FlowShard(FlowSettings.defaults(1), records);

    void feed(final DecodedFrame... slots)
    {
        for (final DecodedFrame s : slots)
        {
            shard.onFrame(s);
            shard.advanceTime(s.timestampNanos);
        }
    }

    List<Rec> tcpRecords()
    {
        shard.flushAll(EndReason.END_OF_INPUT);
        return records.records.stream().filter(r -> r.protocol() == TCP).toList();
    }

    /** SYN, SYN-ACK, ACK of C:40000 → S:80, client ISN 100, server ISN 900, at 0, 100 and 200 us. */
    void handshake(final int clientPort)
    {
        feed(
            frames.ipv4(0, C, S, TCP, 1, tcpSegment(clientPort, 80, SYN, 100, 0, 0)),
            frames.ipv4(100, S, C, TCP, 2, tcpSegment(80, clientPort, SYN | ACK, 900, 101, 0)),
            frames.ipv4(200, C, S, TCP, 3, tcpSegment(clientPort, 80, ACK, 101, 901, 0)));
    }

    @Test
    void fragmentsInOrderAreOnePacketWithTheWholePayloadAtTheLastFragment()
    {
        handshake(40000);
        // 20 + 1000 bytes of TCP in fragments of 504, 504 and 12 bytes.
        final byte[] segment = tcpSegment(40000, 80, PSH | ACK, 101, 901, 1000);
        feed(
            frames.ipv4Fragment(1_000, C, S, TCP, 7, segment, 0, 504, true),
            frames.ipv4Fragment(1_001, C, S, TCP, 7, segment, 504, 504, true),
            frames.ipv4Fragment(1_002, C, S, TCP, 7, segment, 1008, 12, false));

        final List<Rec> out = tcpRecords();
        assertEquals(1, out.size());
        final Rec r = out.get(0);
        assertEquals(3, r.c2sPackets(), "SYN, ACK and the reassembled segment");
        assertEquals(1000, r.c2sPayload());
        assertEquals(1_002_000, r.lastNanos(), "the time of the fragment that completed the datagram");
        assertEquals(3, shard.fragmentsSeen());
        assertEquals(1, shard.datagramsReassembled());
        assertEquals(0, shard.pendingDatagrams());
    }

    @Test
    void theFragmentThatCompletesTheDatagramCarriesItWhateverItsOffset()
    {
        handshake(40000);
        final byte[] segment = tcpSegment(40000, 80, PSH | ACK, 101, 901, 1000);
        feed(
            frames.ipv4Fragment(1_000, C, S, TCP, 7, segment, 1008, 12, false),
            frames.ipv4Fragment(1_001, C, S, TCP, 7, segment, 504, 504, true));
        assertEquals(0, shard.datagramsReassembled(), "the fragments alone are no packets");
        assertEquals(1, shard.pendingDatagrams());
        feed(frames.ipv4Fragment(1_002, C, S, TCP, 7, segment, 0, 504, true));

        final Rec r = tcpRecords().get(0);
        assertEquals(3, r.c2sPackets());
        assertEquals(1000, r.c2sPayload());
        assertEquals(1_002_000, r.lastNanos(), "the last fragment in file order, here the first by offset");
    }

    @Test
    void aDuplicateFragmentDoesNotCompleteTheDatagramTwice()
    {
        handshake(40000);
        final byte[] segment = tcpSegment(40000, 80, PSH | ACK, 101, 901, 500);
        feed(
            frames.ipv4Fragment(1_000, C, S, TCP, 7, segment, 0, 264, true),
            frames.ipv4Fragment(1_001, C, S, TCP, 7, segment, 0, 264, true),
            frames.ipv4Fragment(1_002, C, S, TCP, 7, segment, 264, 256, false),
            // The tail again, after the datagram completed: alone, it completes nothing.
            frames.ipv4Fragment(1_003, C, S, TCP, 7, segment, 264, 256, false));

        final Rec r = tcpRecords().get(0);
        assertEquals(3, r.c2sPackets());
        assertEquals(500, r.c2sPayload());
        assertEquals(1, shard.overlappingFragments());
        assertEquals(1, shard.datagramsReassembled());
        assertEquals(1, shard.datagramsUnfinished(), "the lone repeated tail");
    }

    @Test
    void anIncompleteDatagramIsNeverAPacket()
    {
        final byte[] segment = tcpSegment(40000, 80, PSH | ACK, 101, 901, 1000);
        feed(
            frames.ipv4Fragment(1_000, C, S, TCP, 7, segment, 0, 504, true),
            frames.ipv4Fragment(1_002, C, S, TCP, 7, segment, 1008, 12, false));

        assertTrue(tcpRecords().isEmpty(), "not even a connection: its only packet never completed");
        assertEquals(0, shard.datagramsReassembled());
        assertEquals(1, shard.datagramsUnfinished());
        assertEquals(0, shard.pendingDatagrams());
    }

    @Test
    void aDatagramWhoseFragmentsDoNotComeWithinTheTimeoutIsGivenUp()
    {
        handshake(40000);
        final byte[] segment = tcpSegment(40000, 80, PSH | ACK, 101, 901, 1000);
        feed(
            frames.ipv4Fragment(1_000, C, S, TCP, 7, segment, 0, 504, true),
            frames.ipv4Fragment(1_001, C, S, TCP, 7, segment, 504, 504, true),
            // Other traffic moves the clock 30 s past the first fragment: the datagram is given up.
            frames.ipv4(31_000_000, R, S, TCP, 9, tcpSegment(1234, 80, ACK, 1, 1, 0)),
            frames.ipv4Fragment(31_000_100, C, S, TCP, 7, segment, 1008, 12, false));

        final Rec r = tcpRecords().stream().filter(x -> x.client() == C).findFirst().orElseThrow();
        assertEquals(2, r.c2sPackets(), "SYN and ACK only");
        assertEquals(0, r.c2sPayload());
        assertEquals(1, shard.datagramsTimedOut());
        assertEquals(1, shard.datagramsUnfinished(), "the late tail starts a datagram of its own");
    }

    @Test
    void aTransportHeaderSplitAcrossFragmentsIsReadFromTheReassembledDatagram()
    {
        // A SYN with 20 bytes of options (MSS 1460, SACK permitted, timestamps, NOP, window scale 7)
        // in fragments of 24 and 16 bytes, last one first: the shape of Zeek's fragmented-syn trace.
        final byte[] options = {
            2, 4, 0x05, (byte)0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
        final byte[] syn = tcpSegment(12345, 80, SYN, 1000, 0, options, 0);
        final DecodedFrame head = frames.ipv4Fragment(0, C, S, TCP, 1, syn, 0, 24, true);
        assertEquals(0, head.anomaly, "a tiny first fragment is no malformed TCP header");
        feed(head, frames.ipv4Fragment(65, C, S, TCP, 1, syn, 24, 16, false));

        final Rec r = tcpRecords().get(0);
        assertEquals(C, r.client());
        assertEquals(12345, r.clientPort());
        assertEquals(80, r.serverPort());
        assertEquals(1, r.syns());
        assertEquals(1, r.c2sPackets());
        assertEquals(0, r.c2sPayload());
        assertEquals(65_000, r.firstNanos());
    }

    @Test
    void theBytesAreAllTheFragmentsAndTheVlanTheFirstFragments()
    {
        final long[] bytes = new long[1];
        final int[] vlan = {-1};
        final FlowShard tagged = new FlowShard(FlowSettings.defaults(1), (f, isFinal, reason) ->
        {
            bytes[0] = f.c2s().bytes() + f.s2c().bytes();
            vlan[0] = f.vlanCount() == 1 ? f.vlan(0) : -1;
        });
        frames.vlan(42);
        final byte[] segment = tcpSegment(40000, 80, PSH | ACK, 101, 901, 100);
        tagged.onFrame(frames.ipv4Fragment(1_000, C, S, TCP, 7, segment, 64, 56, false));
        tagged.onFrame(frames.ipv4Fragment(1_001, C, S, TCP, 7, segment, 0, 64, true));
        tagged.flushAll(EndReason.END_OF_INPUT);

        assertEquals(1, tagged.datagramsReassembled());
        assertEquals(frames.ipv4WireLength(56) + frames.ipv4WireLength(64), bytes[0]);
        assertEquals(42, vlan[0]);
    }

    /** What {@link #twoTenantsFragmentedDatagramsInTwoVnisStayOnTheirTwoConnections} checks of a record. */
    record TunnelledRecord(long client, int clientPort, long packets, long payload, int tunnels, int type, long vni,
                           long outerSrc, long outerDst)
    {
    }

    @Test
    void twoTenantsFragmentedDatagramsInTwoVnisStayOnTheirTwoConnections()
    {
        // Two tenants' connections with the same inner 5-tuple, in VNIs 42 and 43, each with a segment
        // fragmented the same way (same identification too), the fragments interleaved.
        final List<TunnelledRecord> out = new ArrayList<>();
        final FlowShard tenants = new FlowShard(FlowSettings.defaults(1), (f, isFinal, reason) ->
        {
            final TunnelStack t = f.tunnels();
            final int n = t == null ? 0 : t.count();
            out.add(new TunnelledRecord(f.clientLo(), f.clientPort(), f.c2s().packets(), f.c2s().payloadBytes(), n,
                n > 0 ? t.type(0) : 0, n > 0 ? t.id(0) : -1, n > 0 ? t.srcLo(0) : 0, n > 0 ? t.dstLo(0) : 0));
        });
        final byte[] segment = tcpSegment(40000, 80, PSH | ACK, 101, 901, 1000);
        final DecodedFrame[] slots = {
            frames.vxlan(4789, 42).ipv4(0, C, S, TCP, 1, tcpSegment(40000, 80, SYN, 100, 0, 0)),
            frames.vxlan(4789, 43).ipv4(10, C, S, TCP, 1, tcpSegment(40000, 80, SYN, 100, 0, 0)),
            frames.vxlan(4789, 42).ipv4Fragment(1_000, C, S, TCP, 7, segment, 0, 504, true),
            frames.vxlan(4789, 43).ipv4Fragment(1_001, C, S, TCP, 7, segment, 0, 504, true),
            frames.vxlan(4789, 43).ipv4Fragment(1_002, C, S, TCP, 7, segment, 504, 516, false),
            frames.vxlan(4789, 42).ipv4Fragment(1_003, C, S, TCP, 7, segment, 504, 516, false),
        };
        for (final DecodedFrame s : slots)
        {
            tenants.onFrame(s);
            tenants.advanceTime(s.timestampNanos);
        }
        tenants.flushAll(EndReason.END_OF_INPUT);

        assertEquals(2, tenants.datagramsReassembled());
        assertEquals(0, tenants.overlappingFragments());
        assertEquals(2, out.size(), "one connection a tenant: " + out);
        out.sort((a, b) -> Long.compare(a.vni(), b.vni()));
        for (int i = 0; i < 2; i++)
        {
            assertEquals(new TunnelledRecord(C, 40000, 2, 1000, 1, TunnelType.VXLAN, 42 + i, VTEP_A, VTEP_B), out.get(i),
                "the SYN and the reassembled segment, in VNI " + (42 + i));
        }
    }

    @Test
    void ipv6FragmentsAreReassembledOnTheirIdentificationAlone()
    {
        final long hi = 0x2001_0db8_0000_0000L;
        final byte[] segment = tcpSegment(40000, 443, PSH | ACK, 101, 901, 2000);
        feed(
            frames.ipv6Fragment(1_000, hi, 1, hi, 2, TCP, 0xCAFE_F00DL, segment, 1232, 788, false),
            frames.ipv6Fragment(1_001, hi, 1, hi, 2, TCP, 0xCAFE_F00EL, segment, 0, 1232, true),
            frames.ipv6Fragment(1_002, hi, 1, hi, 2, TCP, 0xCAFE_F00DL, segment, 0, 1232, true));

        final List<Rec> out = tcpRecords();
        assertEquals(1, out.size());
        assertEquals(40000, out.get(0).clientPort());
        assertEquals(1, out.get(0).c2sPackets() + out.get(0).s2cPackets());
        assertEquals(2000, out.get(0).c2sPayload() + out.get(0).s2cPayload());
        assertEquals(1, shard.datagramsUnfinished(), "the head of another identification");
    }

    @Test
    void withTwoShardsTheDatagramGoesToTheShardOfItsConnectionOnly()
    {
        // A client port whose connection hashes to one shard while the fragments' own hash (no
        // ports: non-first fragments, and a first fragment cut inside its TCP header) falls on the other.
        final int fragmentHash = FlowHash.hash(TCP, 0, C, 0, 0, S, 0);
        int port = 40000;
        while (Integer.remainderUnsigned(FlowHash.hash(TCP, 0, C, port, 0, S, 80), 2) ==
            Integer.remainderUnsigned(fragmentHash, 2))
        {
            port++;
        }
        final int owner = Integer.remainderUnsigned(FlowHash.hash(TCP, 0, C, port, 0, S, 80), 2);

        final RecordingListener[] listeners = {new RecordingListener(), new RecordingListener()};
        final ShardHandler[] handlers = new ShardHandler[2];
        for (int j = 0; j < 2; j++)
        {
            handlers[j] = new ShardHandler(j, 2, new FlowShard(FlowSettings.defaults(2), listeners[j]));
        }
        final byte[] data = tcpSegment(port, 80, PSH | ACK, 101, 901, 1000);
        final byte[] tinyHead = tcpSegment(port, 80, PSH | ACK, 1101, 901, 100);
        final DecodedFrame[] slots = {
            frames.ipv4(0, C, S, TCP, 1, tcpSegment(port, 80, SYN, 100, 0, 0)),
            frames.ipv4(100, S, C, TCP, 2, tcpSegment(80, port, SYN | ACK, 900, 101, 0)),
            frames.ipv4(200, C, S, TCP, 3, tcpSegment(port, 80, ACK, 101, 901, 0)),
            frames.ipv4Fragment(1_000, C, S, TCP, 7, data, 504, 504, true),
            frames.ipv4Fragment(1_001, C, S, TCP, 7, data, 1008, 12, false),
            frames.ipv4Fragment(1_002, C, S, TCP, 7, data, 0, 504, true),
            frames.ipv4Fragment(2_000, C, S, TCP, 8, tinyHead, 0, 8, true),
            frames.ipv4Fragment(2_001, C, S, TCP, 8, tinyHead, 8, 112, false),
        };
        assertNotEquals(owner, Integer.remainderUnsigned(slots[3].flowHash, 2));
        assertNotEquals(owner, Integer.remainderUnsigned(slots[6].flowHash, 2));
        long sequence = 0;
        for (final DecodedFrame s : slots)
        {
            for (final ShardHandler h : handlers)
            {
                h.onEvent(s, sequence, true);
            }
            sequence++;
        }
        final DecodedFrame end = new DecodedFrame();
        end.endOfInput = true;
        for (final ShardHandler h : handlers)
        {
            h.onEvent(end, sequence, true);
        }

        final List<Rec> mine = listeners[owner].records;
        assertEquals(1, mine.size());
        assertEquals(4, mine.get(0).c2sPackets(), "SYN, ACK and two reassembled segments");
        assertEquals(1100, mine.get(0).c2sPayload());
        assertEquals(1, mine.get(0).s2cPackets());
        assertTrue(listeners[1 - owner].records.isEmpty(), "the other shard saw the fragments but took nothing");
        assertEquals(2, handlers[owner].shard().datagramsReassembled());
        assertEquals(0, handlers[1 - owner].shard().datagramsReassembled());
        assertEquals(5, handlers[1 - owner].shard().fragmentsSeen());
        assertEquals(0, handlers[1 - owner].shard().pendingDatagrams());
    }
}
