package io.linerate.aggregate;

import io.linerate.aggregate.RecordingListener.Rec;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.decode.DecodedFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.linerate.aggregate.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shards sharing one input: each frame is one shard's business, or two shards' for an ICMP error. */
class ShardHandlerTest
{
    private static final int SHARDS = 2;
    private static final long HOST = ip(10, 0, 0, 1);
    private static final long RESOLVER = ip(10, 0, 0, 53);
    private static final long ROUTER = ip(10, 0, 0, 254);

    private final Frames frames = new Frames();

    /**
     * A router's port unreachables about two of a host's queries whose flows hash to different
     * shards: each query's flow is answered on its own shard (it ends in {@code icmp_error}), and
     * the router's ICMP flow to the host is one record of both messages, as on one shard: it is kept
     * on the shard of its own hash, not split between the shards of the connections it quotes.
     */
    @Test
    void anIcmpFlowIsOneRecordWhicheverShardsTheConnectionsItsErrorsQuoteAreOn()
    {
        final int[] ports = portsOnEachShard();
        final List<DecodedFrame> input = new ArrayList<>();
        long micros = 0;
        for (final int port : ports)
        {
            input.add(frames.udp(micros += 10, HOST, port, RESOLVER, 53, 40));
            input.add(frames.icmpQuoting(micros += 10, ROUTER, HOST, 3, 17, HOST, port, RESOLVER, 53, 0, 8));
        }
        assertNotEquals(input.get(1).flowHash % SHARDS, input.get(3).flowHash % SHARDS);

        final List<Rec> split = replay(input, SHARDS);
        final List<Rec> whole = replay(input, 1);

        assertEquals(3, whole.size());
        assertEquals(sorted(whole), sorted(split));
        final Rec icmp = split.stream().filter(r -> r.protocol() == 1).findFirst().orElseThrow();
        assertEquals(2, icmp.c2sPackets(), "both unreachables on one ICMP flow");
        assertEquals(2, split.stream().filter(r -> r.protocol() == 17 && r.reason() == EndReason.ICMP_ERROR).count());
    }

    /**
     * Told to, a handler passes only every Nth end of batch on to the outputs (a replay run to
     * completion ends a batch every 16 frames with more right behind); records are not held back from
     * the listener, and the end of the input always reaches it.
     */
    @Test
    void outputsHearOfEveryNthEndOfBatchAndOfTheEndOfTheInput()
    {
        final int[] ends = new int[1];
        final RecordingListener listener = new RecordingListener();
        final FlowRecordListener counting = new FlowRecordListener()
        {
            @Override
            public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
            {
                listener.onRecord(flow, isFinal, endReason);
            }

            @Override
            public void onEndOfBatch()
            {
                ends[0]++;
            }
        };
        final ShardHandler handler = new ShardHandler(0, 1, new FlowShard(FlowSettings.defaults(1), counting));
        handler.flushOutputsEvery(4);
        long sequence = 0;
        for (int batch = 0; batch < 10; batch++)
        {
            for (int i = 0; i < ShardHandler.BATCH; i++)
            {
                // A connection refused in one frame pair would need two; a datagram each is a flow.
                handler.onEvent(frames.udp(sequence + 1, HOST, 40_000 + (int)sequence, RESOLVER, 53, 40), sequence,
                    i == ShardHandler.BATCH - 1);
                sequence++;
            }
        }
        assertEquals(3, ends[0], "batch ends 1, 5 and 9 of 10");
        final DecodedFrame end = new DecodedFrame();
        end.endOfInput = true;
        handler.onEvent(end, sequence, true);
        assertEquals(160, listener.records.size(), "every datagram's record");
        assertEquals(4, ends[0], "and the end of the input, once its records are out");
        assertThrows(IllegalArgumentException.class, () -> handler.flushOutputsEvery(3));
    }

    /** A source port whose query hashes to shard 0, then one on shard 1. */
    private int[] portsOnEachShard()
    {
        final int[] ports = new int[SHARDS];
        int found = 0;
        for (int port = 40_000; found < SHARDS; port++)
        {
            final int shard = Integer.remainderUnsigned(frames.udp(0, HOST, port, RESOLVER, 53, 1).flowHash, SHARDS);
            if (shard == found)
            {
                ports[found++] = port;
            }
        }
        return ports;
    }

    /** Every frame to every shard, as the ring and the run-to-completion threads give them; the records. */
    private static List<Rec> replay(final List<DecodedFrame> input, final int shards)
    {
        final RecordingListener listener = new RecordingListener();
        final ShardHandler[] handlers = new ShardHandler[shards];
        for (int j = 0; j < shards; j++)
        {
            handlers[j] = new ShardHandler(j, shards, new FlowShard(FlowSettings.defaults(shards), listener));
        }
        long sequence = 0;
        for (final DecodedFrame slot : input)
        {
            for (final ShardHandler h : handlers)
            {
                h.onEvent(slot, sequence, true);
            }
            sequence++;
        }
        final DecodedFrame end = new DecodedFrame();
        end.endOfInput = true;
        for (final ShardHandler h : handlers)
        {
            h.onEvent(end, sequence, true);
        }
        return listener.records;
    }

    private static List<String> sorted(final List<Rec> records)
    {
        return records.stream().map(Rec::toString).sorted().toList();
    }
}
