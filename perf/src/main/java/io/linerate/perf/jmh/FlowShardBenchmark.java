package io.linerate.perf.jmh;

import io.linerate.aggregate.FlowSettings;
import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.ShardHandler;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FlowHash;
import io.linerate.decode.PacketDecoder;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.perf.generate.FrameSink;
import io.linerate.perf.generate.GeneratorSettings;
import io.linerate.perf.generate.TrafficGenerator;
import io.linerate.sink.record.FlowRecordEncoder;
import io.linerate.sink.record.JsonBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The flow shard's per-frame work ({@link FlowShard#onFrame} then {@link FlowShard#advanceTime}, as
 * the shard handler calls them):
 * <ul>
 * <li>{@code ackOnEstablished}: pure ACKs of {@code flows} established connections (each seen both
 *     ways before the measurement) in random order, decoded beforehand: flow table lookup and TCP
 *     tracking only. With many flows the table no
 *     longer fits in the caches, as on a busy link.</li>
 * <li>{@code ackOnEstablishedInBatches}: the same frames through the shard's ring handler, 16 at a
 *     time as it takes them from the ring: their flows are warmed together, then analysed.</li>
 * <li>{@code decodeTrackEncode}: the frames of generated TCP connections (handshake, data, close,
 *     refused and unanswered ones) decoded and tracked, and each final record encoded as JSON:
 *     the whole per-frame path of {@code --decoders 0 --shards 1} on one thread.</li>
 * </ul>
 *
 * <pre>
 * java -jar perf/target/linerate-perf.jar FlowShardBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FlowShardBenchmark
{
    /** Established connections sending pure ACKs, in a precomputed random order. */
    @State(Scope.Thread)
    public static class Established
    {
        private static final int ORDER_LENGTH = 1 << 22;

        @Param({"1000", "100000", "1000000"})
        public int flows;

        FlowShard shard;
        ShardHandler handler;
        final DecodedFrame slot = new DecodedFrame();
        /** The batch's slots, each a copy of the decoded sample frame. */
        final DecodedFrame[] batch = new DecodedFrame[ShardHandler.BATCH];
        long nanos;
        long[] clientIp;
        int[] clientPort;
        int[] flowHash;
        /** Flow index times 2, plus 1 when the server sends. */
        int[] order;
        int next;
        long server;

        @Setup
        public void setUp()
        {
            shard = new FlowShard(FlowSettings.defaults(1), (flow, isFinal, reason) -> { });
            SampleFrames.load("tcp_ack_64", slot);
            new PacketDecoder().decode(slot);
            nanos = slot.timestampNanos;
            handler = new ShardHandler(0, 1, shard);
            for (int i = 0; i < batch.length; i++)
            {
                batch[i] = new DecodedFrame();
                SampleFrames.load("tcp_ack_64", batch[i]);
                new PacketDecoder().decode(batch[i]);
            }
            server = slot.dstLo;
            clientIp = new long[flows];
            clientPort = new int[flows];
            flowHash = new int[flows];
            final SplittableRandom rng = new SplittableRandom(1);
            for (int f = 0; f < flows; f++)
            {
                clientIp[f] = (10L << 24) | (f + 1);
                clientPort[f] = 1024 + rng.nextInt(60000);
                flowHash[f] = FlowHash.hash(IpProtocol.TCP, 0, clientIp[f], clientPort[f], 0, server, 443);
            }
            // Every connection is seen both ways before the measurement, then frames come in random order.
            for (int o = 0; o < 2 * flows; o++)
            {
                frame(this, o);
                shard.onFrame(slot);
                shard.advanceTime(slot.timestampNanos);
            }
            order = new int[ORDER_LENGTH];
            for (int i = 0; i < ORDER_LENGTH; i++)
            {
                order[i] = rng.nextInt(2 * flows);
            }
        }
    }

    @Benchmark
    public void ackOnEstablished(final Established s)
    {
        final DecodedFrame slot = frame(s, s.order[s.next]);
        s.next = (s.next + 1) & (Established.ORDER_LENGTH - 1);
        s.shard.onFrame(slot);
        s.shard.advanceTime(slot.timestampNanos);
    }

    /**
     * The same pure ACKs as the ring's shard handler takes them, {@link ShardHandler#BATCH} at a time
     * (the flows of a batch are looked up and read before any is analysed, so their cache misses
     * overlap): the time is per frame.
     */
    @Benchmark
    @OperationsPerInvocation(ShardHandler.BATCH)
    public void ackOnEstablishedInBatches(final Established s)
    {
        for (int i = 0; i < ShardHandler.BATCH; i++)
        {
            final DecodedFrame slot = frame(s, s.order[s.next], s.batch[i]);
            s.next = (s.next + 1) & (Established.ORDER_LENGTH - 1);
            s.handler.onEvent(slot, i, i == ShardHandler.BATCH - 1);
        }
    }

    /** Sets the slot to the pure ACK {@code o}: connection {@code o / 2}, from the server when odd. */
    private static DecodedFrame frame(final Established s, final int o)
    {
        return frame(s, o, s.slot);
    }

    private static DecodedFrame frame(final Established s, final int o, final DecodedFrame slot)
    {
        final int f = o >>> 1;
        final boolean fromServer = (o & 1) != 0;
        slot.srcLo = fromServer ? s.server : s.clientIp[f];
        slot.dstLo = fromServer ? s.clientIp[f] : s.server;
        slot.srcPort = fromServer ? 443 : s.clientPort[f];
        slot.dstPort = fromServer ? s.clientPort[f] : 443;
        slot.flowHash = s.flowHash[f];
        s.nanos += 1000;
        slot.timestampNanos = s.nanos;
        return slot;
    }

    /** The frames of generated connections, replayed over and over, each pass later in time. */
    @State(Scope.Thread)
    public static class Connections
    {
        /** Each pass starts this long after the previous one ended: every connection has ended by then. */
        private static final long PASS_GAP_NANOS = TimeUnit.HOURS.toNanos(2);

        FlowShard shard;
        final PacketDecoder decoder = new PacketDecoder();
        final JsonBuffer record = new JsonBuffer(2048);
        final FlowRecordEncoder encoder = new FlowRecordEncoder("bench");
        DecodedFrame[] frames;
        long[] baseNanos;
        long passOffset;
        long passLength;
        int next;
        long recordChars;

        @Setup
        public void setUp() throws IOException
        {
            shard = new FlowShard(FlowSettings.defaults(1), (flow, isFinal, reason) ->
            {
                encoder.encode(record.clear(), flow, isFinal, reason);
                recordChars += record.length();
            });
            final GeneratorSettings g = new GeneratorSettings()
                .mode(GeneratorSettings.Mode.TCP).connections(2000).refused(100).unanswered(100).rstClose(100)
                .retransmitted(100).synRetried(100).udpFlows(200).responseBytes(new GeneratorSettings.Range(200, 8000));
            final List<DecodedFrame> slots = new ArrayList<>();
            TrafficGenerator.generate(g, new FrameSink()
            {
                @Override
                public void frame(final long timestampMicros, final byte[] frame, final int length)
                {
                    final DecodedFrame slot = new DecodedFrame();
                    slot.ensureCapacity(length);
                    System.arraycopy(frame, 0, slot.data, 0, length);
                    slot.captureLength = length;
                    slot.wireLength = length;
                    slot.linkType = 1;
                    slot.timestampNanos = timestampMicros * 1000;
                    slot.frameNumber = slots.size() + 1;
                    slots.add(slot);
                }

                @Override
                public void close()
                {
                }
            }, null);
            frames = slots.toArray(new DecodedFrame[0]);
            baseNanos = new long[frames.length];
            for (int i = 0; i < frames.length; i++)
            {
                baseNanos[i] = frames[i].timestampNanos;
            }
            passLength = baseNanos[frames.length - 1] - baseNanos[0] + PASS_GAP_NANOS;
        }
    }

    @Benchmark
    public long decodeTrackEncode(final Connections s)
    {
        final int i = s.next;
        final DecodedFrame slot = s.frames[i];
        slot.timestampNanos = s.baseNanos[i] + s.passOffset;
        s.decoder.decode(slot);
        s.shard.onFrame(slot);
        s.shard.advanceTime(slot.timestampNanos);
        if (++s.next == s.frames.length)
        {
            s.next = 0;
            s.passOffset += s.passLength;
        }
        return s.recordChars;
    }
}
