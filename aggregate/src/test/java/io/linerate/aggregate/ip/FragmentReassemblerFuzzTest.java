package io.linerate.aggregate.ip;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linerate.aggregate.FragmentFrames;
import io.linerate.aggregate.Frames;
import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.decode.DecodedFrame;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes IP fragment reassembly with fragments built as frames and decoded by the real decoder.
 *
 * <p>Chaos mode: IPv4 and IPv6 fragments of a few datagrams (a few addresses and identifications, so
 * they meet), at any offset (a multiple of 8), of any length, with or without More Fragments, cut by
 * the snap length now and then, duplicated and overlapping, past the 16-bit length (ping of death),
 * with time moving and the pending datagrams expiring, into a reassembler of 1 to 8 pending datagrams.
 * Checked: no exception; never more pending datagrams than the cap; every datagram handed back is an
 * unfragmented IP packet whose captured bytes lie in its slot and within its wire length; none left
 * after the end.
 *
 * <p>Clean mode: one TCP segment cut into fragments at fuzzed points and delivered once each in a
 * fuzzed order. Checked: nothing is handed back before the last fragment, and then exactly the
 * segment as decoded unfragmented (ports, sequence numbers, flags, payload length); or, for more
 * fragments than the per-datagram cap or more holes at once than are kept, nothing, and the cap counted.
 */
class FragmentReassemblerFuzzTest
{
    private static final long[] HOSTS = {Frames.ip(10, 0, 0, 1), Frames.ip(10, 0, 0, 2)};

    @FuzzTest(maxDuration = "10s")
    void fragments(final FuzzedDataProvider data)
    {
        if (data.consumeBoolean())
        {
            clean(data);
        }
        else
        {
            chaos(data);
        }
    }

    private static void chaos(final FuzzedDataProvider data)
    {
        final int maxPending = data.consumeInt(1, 8);
        final long timeoutNanos = data.consumeLong(1, 60_000_000_000L);
        final FragmentReassembler reassembler = new FragmentReassembler(maxPending, timeoutNanos);
        final FragmentFrames frames = new FragmentFrames();
        if (data.consumeBoolean())
        {
            frames.vlan(data.consumeInt(0, 4095));
        }
        final byte[] payload = data.consumeBytes(data.consumeInt(0, 70_000));
        long micros = 1_000_000;
        while (data.remainingBytes() > 0 && payload.length > 0)
        {
            micros += data.consumeInt(0, 10) == 0 ? data.consumeLong(0, 100_000_000) : data.consumeInt(0, 1000);
            frames.snapLength(data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 200) : Integer.MAX_VALUE);
            final int offset = data.consumeInt(0, (payload.length - 1) / 8) * 8;
            final int length = Math.min(payload.length - offset, data.consumeInt(0, 2000));
            final long src = data.pickValue(HOSTS);
            final long dst = data.pickValue(HOSTS);
            final int id = data.consumeInt(0, 3);
            final boolean more = data.consumeBoolean();
            final DecodedFrame fragment = data.consumeBoolean() ?
                frames.ipv4Fragment(micros, src, dst, data.pickValue(new int[] {6, 17, 1}), id, payload, offset, length,
                    more) :
                frames.ipv6Fragment(micros, 0, src, 0, dst, data.pickValue(new int[] {6, 17, 58}), id, payload,
                    offset, length, more);
            if (fragment.fragment)
            {
                final DecodedFrame datagram = reassembler.onFragment(fragment);
                if (datagram != null)
                {
                    checkDatagram(datagram);
                }
            }
            assertTrue(reassembler.pending() <= maxPending, "pending datagrams over the cap");
            if (data.consumeInt(0, 7) == 0)
            {
                reassembler.expire(micros * 1000);
            }
        }
        reassembler.clear();
        assertEquals(0, reassembler.pending(), "datagrams pending after clear");
    }

    private static void clean(final FuzzedDataProvider data)
    {
        final boolean ipv6 = data.consumeBoolean();
        final long seq = data.consumeLong(0, 0xFFFF_FFFFL);
        final byte[] segment = FragmentFrames.tcpSegment(40000, 80, Frames.ACK | Frames.PSH, seq, 77,
            data.consumeInt(0, 4000));
        // Cut points: multiples of 8, increasing; then the fragments in a fuzzed order.
        final List<int[]> pieces = new ArrayList<>();
        int at = 0;
        while (at < segment.length)
        {
            final int length = Math.min(segment.length - at, data.consumeInt(1, 200) * 8);
            pieces.add(new int[] {at, length});
            at += length;
        }
        final List<int[]> order = new ArrayList<>();
        for (final int[] piece : pieces)
        {
            order.add(data.consumeInt(0, order.size()), piece);
        }

        final FragmentReassembler reassembler = new FragmentReassembler();
        final FragmentFrames frames = new FragmentFrames();
        final DecodedFrame whole = ipv6 ?
            frames.ipv6Fragment(1, 0, HOSTS[0], 0, HOSTS[1], 6, 5, segment, 0, segment.length, false) :
            frames.ipv4(1, HOSTS[0], HOSTS[1], 6, 5, segment);
        DecodedFrame datagram = null;
        for (int i = 0; i < order.size(); i++)
        {
            final int[] piece = order.get(i);
            final boolean last = piece[0] + piece[1] == segment.length;
            final DecodedFrame fragment = ipv6 ?
                frames.ipv6Fragment(2 + i, 0, HOSTS[0], 0, HOSTS[1], 6, 5, segment, piece[0], piece[1], !last) :
                frames.ipv4Fragment(2 + i, HOSTS[0], HOSTS[1], 6, 5, segment, piece[0], piece[1], !last);
            if (!fragment.fragment)
            {
                // An IPv4 datagram in one piece is no fragment (an IPv6 one is an atomic fragment).
                assertEquals(1, pieces.size());
                datagram = fragment;
                break;
            }
            datagram = reassembler.onFragment(fragment);
            if (i < order.size() - 1)
            {
                assertNull(datagram, "a datagram handed back before its last fragment came");
            }
        }
        final long[] counts = new long[ShardAnomaly.COUNT + 1];
        reassembler.anomalyCounts(counts);
        final long givenUp = counts[ShardAnomaly.EXCESSIVE_FRAGMENTS_PER_DATAGRAM] + counts[ShardAnomaly.EXCESSIVE_FRAGMENT_HOLES];
        if (pieces.size() > FragmentReassembler.DEFAULT_MAX_FRAGMENTS_PER_DATAGRAM || givenUp > 0)
        {
            // More fragments than the cap, or more holes at once than are kept: given up and counted
            // (then the fragments after start a datagram whose given-up bytes never come again).
            assertTrue(givenUp >= 1, "a datagram of " + pieces.size() + " fragments given up without a count");
            assertNull(datagram, "a datagram of " + pieces.size() + " fragments reassembled although given up");
            return;
        }
        assertNotNull(datagram, "the datagram was not reassembled");
        checkDatagram(datagram);
        assertTrue(datagram.transportPresent, "no TCP header in the reassembled datagram");
        assertEquals(whole.srcPort, datagram.srcPort);
        assertEquals(whole.dstPort, datagram.dstPort);
        assertEquals(whole.seq, datagram.seq);
        assertEquals(whole.ack, datagram.ack);
        assertEquals(whole.tcpFlags, datagram.tcpFlags);
        assertEquals(whole.payloadLength, datagram.payloadLength);
        assertEquals(whole.flowHash, datagram.flowHash);
    }

    private static void checkDatagram(final DecodedFrame datagram)
    {
        assertTrue(datagram.ipVersion == 4 || datagram.ipVersion == 6, "not an IP datagram");
        assertTrue(!datagram.fragment, "a reassembled datagram is still a fragment");
        assertTrue(datagram.captureLength >= 0 && datagram.captureLength <= datagram.data.length,
            "captured bytes outside the slot");
        assertTrue(datagram.captureLength <= datagram.wireLength, "more captured than on the wire");
        assertTrue(datagram.payloadOffset <= datagram.captureLength, "payload offset past the captured bytes");
    }
}
