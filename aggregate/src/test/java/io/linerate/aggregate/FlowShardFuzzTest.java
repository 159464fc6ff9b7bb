package io.linerate.aggregate;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.decode.DecodedFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Drives two flow shards through their ring handlers ({@link ShardHandler}, batches and all) with a
 * fuzzed sequence of frames, built as bytes and decoded by the real decoder: TCP segments with any
 * flags, sequence numbers near or far from the connection's, options and payload bytes; UDP
 * datagrams; ICMP errors quoting either; IPv4 fragments; and raw frames. A few hosts and ports are
 * used so that frames meet on the same connections; time moves forward by fuzzed steps (sometimes
 * past every timeout, sometimes back), the flow table is small enough to evict and the timeouts short.
 *
 * <p>Checked: no exception (the ring's exception handler would count it as a pipeline failure); every
 * record has a verdict and a detail sentence; after the end of input no flow is left, every flow
 * created got exactly one final record, and every pooled buffer (TLS hellos, fragments) is back.
 */
class FlowShardFuzzTest
{
    private static final long[] HOSTS = {Frames.ip(10, 0, 0, 1), Frames.ip(10, 0, 0, 2), Frames.ip(192, 168, 1, 9)};
    private static final int[] PORTS = {80, 443, 40000, 40001};
    private static final int SHARDS = 2;
    /** SYN, SYN-ACK, ACK, PSH-ACK, FIN-ACK, RST, RST-ACK. */
    private static final int[] USUAL_FLAGS = {0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14};

    @FuzzTest(maxDuration = "10s")
    void frames(final FuzzedDataProvider data)
    {
        final FlowSettings settings = new FlowSettings(
            data.consumeInt(1, 64),
            TimeUnit.SECONDS.toNanos(data.consumeInt(1, 300)),
            TimeUnit.SECONDS.toNanos(data.consumeInt(1, 30)),
            TimeUnit.SECONDS.toNanos(data.consumeInt(1, 30)),
            TimeUnit.SECONDS.toNanos(data.consumeInt(1, 60)),
            TimeUnit.SECONDS.toNanos(data.consumeInt(1, 60)),
            TimeUnit.SECONDS.toNanos(data.consumeInt(1, 60)),
            0.02);
        final Records records = new Records();
        final List<ShardHandler> handlers = new ArrayList<>();
        for (int ordinal = 0; ordinal < SHARDS; ordinal++)
        {
            handlers.add(new ShardHandler(ordinal, SHARDS, new FlowShard(settings, records)));
        }

        final WireFrames frames = new WireFrames();
        final FragmentFrames fragments = new FragmentFrames();
        long nanos = TimeUnit.SECONDS.toNanos(1_700_000_000L);
        long sequence = 0;
        final long[] seqs = {1000, 5000, 0xFFFF_FF00L, 77};
        while (data.remainingBytes() > 0)
        {
            nanos += timeStep(data);
            final DecodedFrame slot = frame(data, frames, fragments, nanos, seqs);
            final boolean endOfBatch = data.consumeBoolean();
            for (final ShardHandler handler : handlers)
            {
                handler.onEvent(slot, sequence, endOfBatch);
            }
            sequence++;
        }
        final DecodedFrame end = new DecodedFrame();
        end.endOfInput = true;
        for (final ShardHandler handler : handlers)
        {
            handler.onEvent(end, sequence, true);
        }

        long created = 0;
        for (final ShardHandler handler : handlers)
        {
            final FlowShard shard = handler.shard();
            assertEquals(0, shard.activeFlows(), "flows left after the end of input");
            assertEquals(0, shard.tlsHelloBuffersInUse(), "TLS hello buffers not given back");
            assertEquals(0, shard.pendingDatagrams(), "fragments still pending after the end of input");
            created += shard.flowsCreated();
        }
        assertEquals(created, records.finals, "one final record per flow created");
    }

    /** Mostly small steps, sometimes past every timeout, sometimes back in time (merged captures). */
    private static long timeStep(final FuzzedDataProvider data)
    {
        switch (data.consumeInt(0, 7))
        {
            case 0:
                return TimeUnit.SECONDS.toNanos(data.consumeInt(0, 400));
            case 1:
                return -TimeUnit.MILLISECONDS.toNanos(data.consumeInt(0, 5_000));
            default:
                return TimeUnit.MICROSECONDS.toNanos(data.consumeInt(0, 50_000));
        }
    }

    private static DecodedFrame frame(final FuzzedDataProvider data, final WireFrames frames,
        final FragmentFrames fragments, final long nanos, final long[] seqs)
    {
        final boolean ipv6 = data.consumeInt(0, 7) == 0;
        final long src = data.pickValue(HOSTS);
        final long dst = data.pickValue(HOSTS);
        final int srcPort = data.pickValue(PORTS);
        final int dstPort = data.pickValue(PORTS);
        final int snapLength = data.consumeInt(0, 15) == 0 ? data.consumeInt(0, 128) : Integer.MAX_VALUE;
        switch (data.consumeInt(0, 10))
        {
            case 0:
                return frames.udp(nanos, ipv6, src, srcPort, dst, dstPort, data.consumeBytes(64), snapLength);
            case 1:
            {
                // An error about a TCP segment or UDP datagram sent from dst to src's peer.
                final int quotedProtocol = data.consumeBoolean() ? 6 : 17;
                // The quoted header starts with the ports of a flow of the run, then anything.
                final byte[] rest = data.consumeBytes(data.consumeInt(0, 36));
                final byte[] quoted = new byte[4 + rest.length];
                quoted[0] = (byte)(srcPort >>> 8);
                quoted[1] = (byte)srcPort;
                quoted[2] = (byte)(dstPort >>> 8);
                quoted[3] = (byte)dstPort;
                System.arraycopy(rest, 0, quoted, 4, rest.length);
                return frames.unreachable(nanos, ipv6, data.pickValue(HOSTS), src, data.consumeInt(0, 15),
                    quotedProtocol, dst, quoted, snapLength);
            }
            case 2:
                return frames.raw(nanos, data.consumeBytes(data.consumeInt(0, 200)));
            case 3:
            {
                // A fragment of a TCP segment: its offset a multiple of 8, as RFC 791 has it.
                final byte[] datagram = FragmentFrames.tcpSegment(srcPort, dstPort, 0x18, seqs[0], seqs[1],
                    data.consumeInt(0, 3000));
                final int offset = data.consumeInt(0, datagram.length / 8) * 8;
                final int length = Math.min(datagram.length - offset, data.consumeInt(0, 1480));
                return fragments.ipv4Fragment(nanos / 1000, src, dst, 6, data.consumeInt(0, 3), datagram, offset,
                    length, data.consumeBoolean());
            }
            default:
            {
                // Sequence numbers near the few a connection would use, so segments meet its state.
                final int which = data.consumeInt(0, seqs.length - 1);
                final long seq = data.consumeBoolean() ? seqs[which] + data.consumeInt(-3000, 3000) :
                    data.consumeLong();
                final long ack = data.consumeBoolean() ? seqs[data.consumeInt(0, seqs.length - 1)] +
                    data.consumeInt(-3000, 3000) : data.consumeLong();
                final int flags = data.consumeBoolean() ? data.pickValue(USUAL_FLAGS) : data.consumeInt(0, 0xFF);
                final byte[] options = data.consumeInt(0, 3) == 0 ? data.consumeBytes(40) : new byte[0];
                final byte[] payload = data.consumeBytes(data.consumeInt(0, 600));
                seqs[which] = (seq + payload.length) & 0xFFFF_FFFFL;
                return frames.tcp(nanos, ipv6, src, srcPort, dst, dstPort, flags, seq & 0xFFFF_FFFFL,
                    ack & 0xFFFF_FFFFL, data.consumeInt(0, 0xFFFF), options, payload, snapLength);
            }
        }
    }

    /** Counts final records and checks each record as the encoder would read it. */
    private static final class Records implements FlowRecordListener
    {
        long finals;

        @Override
        public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
        {
            assertNotNull(flow.verdict(), "a record without a verdict");
            assertNotNull(flow.verdictDetail(), "a record without the verdict's sentence");
            if (isFinal)
            {
                assertNotNull(endReason, "a final record without an end reason");
                finals++;
            }
            // The strings the encoder writes are made from the packet's bytes.
            flow.tlsSni();
            flow.tlsAlpn();
        }
    }
}
