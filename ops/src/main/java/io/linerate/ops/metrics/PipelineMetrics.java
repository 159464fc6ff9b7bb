package io.linerate.ops.metrics;

import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.aggregate.ShardHandler;
import io.linerate.aggregate.view.Verdict;
import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.PacketDecoder;
import io.linerate.sink.kafka.KafkaSinkCounters;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The metrics of the pipeline's stages and of the Kafka sink, registered under their stable names
 * (README, "Metrics"). Each reads counters the stages keep anyway; nothing is added to the hot path.
 */
public final class PipelineMetrics
{
    /** The RTT histogram's buckets: 100 µs (a LAN) to 10 s (a stalled path). */
    private static final double[] RTT_BOUNDS_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private PipelineMetrics()
    {
    }

    /**
     * Registers the reader's, decoders', shards' and outputs' counters.
     *
     * @param framesRead  frames the reader put on the ring
     * @param bytesRead   their length on the wire
     * @param shards      the flow shard handlers
     * @param decoders    every decoder of the pipeline (the reader's, or the decoder handlers')
     * @param emitted     one record counter per shard
     * @param failures    frames a ring handler failed on
     */
    public static void register(final MetricsRegistry registry, final LongSupplier framesRead,
        final LongSupplier bytesRead, final ShardHandler[] shards, final List<PacketDecoder> decoders,
        final RecordsEmitted[] emitted, final LongSupplier failures)
    {
        final List<PacketDecoder> packetDecoders = List.copyOf(decoders);
        final List<FlowShard> flowShards = new ArrayList<>();
        for (final ShardHandler s : shards)
        {
            flowShards.add(s.shard());
        }
        registry
            .counter("linerate_frames_read_total", "Frames read from the input and put on the ring", framesRead)
            .counter("linerate_frame_bytes_read_total", "Bytes of those frames as they were on the wire", bytesRead)
            .counter("linerate_frames_decoded_total", "Frames the decoders finished",
                () -> sum(packetDecoders, d -> d.censusCounts()[Census.FRAMES]))
            .counters("linerate_decode_anomalies_total", "Frames not analysed (malformed or undecodable), by reason",
                "reason", samples ->
                {
                    for (int code = 1; code <= Anomaly.COUNT; code++)
                    {
                        final int c = code;
                        samples.sample(Anomaly.name(code), sum(packetDecoders, d -> d.anomalyCounts()[c]));
                    }
                })
            .gauge("linerate_flows_active", "Flows in the flow tables now", () -> sum(flowShards, FlowShard::activeFlows))
            .counter("linerate_flows_created_total", "Flows (connections) begun", () -> sum(flowShards, FlowShard::flowsCreated))
            .counter("linerate_flows_evicted_total", "Flows ended early because the flow table was full (--max-flows)",
                () -> sum(flowShards, FlowShard::flowsEvicted))
            .counter("linerate_flows_timed_out_total", "Flows ended by an idle timeout",
                () -> sum(flowShards, FlowShard::flowsTimedOut))
            .counters("linerate_flow_anomalies_total",
                "What the flow shards noted beyond one frame: inconsistent fragments and every cap reached, by reason",
                "reason", samples ->
                {
                    final long[] counts = ShardAnomaly.countsOf(flowShards);
                    for (int code = 1; code <= ShardAnomaly.COUNT; code++)
                    {
                        samples.sample(ShardAnomaly.name(code), counts[code]);
                    }
                })
            .gauge("linerate_fragment_datagrams_pending", "Fragmented datagrams waiting for fragments now, all shards",
                () -> sum(flowShards, FlowShard::pendingDatagrams))
            .gauge("linerate_tls_hello_buffers_in_use", "TLS hello buffers (16 KiB each) lent to connections now",
                () -> sum(flowShards, FlowShard::tlsHelloBuffersInUse))
            .counters("linerate_records_emitted_total", "Flow records handed to the outputs, by record_type",
                "record_type", samples ->
                {
                    samples.sample("final", sum(List.of(emitted), RecordsEmitted::finalRecords));
                    samples.sample("interim", sum(List.of(emitted), RecordsEmitted::interimRecords));
                })
            .counter("linerate_pipeline_failures_total", "Frames a pipeline thread failed on (an internal error)", failures)
            .counters("linerate_records_by_verdict_total", "Final records (connections) by verdict", "verdict", samples ->
            {
                for (final Verdict v : Verdict.values())
                {
                    samples.sample(v.wireName(), sum(List.of(emitted), e -> e.finalRecords(v)));
                }
            })
            .histogram("linerate_rtt_seconds",
                "Data RTT samples (a data segment to the ACK that first covers it, both directions), all shards",
                RTT_BOUNDS_SECONDS, () -> rtt(flowShards));
    }

    /** Registers the ring's size and how many of its slots hold frames not yet analysed (0 when run to completion). */
    public static void registerRing(final MetricsRegistry registry, final LongSupplier slots, final LongSupplier inUse)
    {
        registry
            .gauge("linerate_ring_slots", "Frame slots in the ring (--ring-size; 0 when the shards read the files themselves)",
                slots)
            .gauge("linerate_ring_slots_in_use", "Ring slots holding frames the shards have not finished: the ring's occupancy",
                inUse);
    }

    /** Every shard's RTT histogram read into the endpoint's buckets (microseconds recorded, seconds served). */
    private static MetricsRegistry.HistogramSnapshot rtt(final List<FlowShard> shards)
    {
        final long[] cumulative = new long[RTT_BOUNDS_SECONDS.length];
        long count = 0;
        double sumMicros = 0;
        for (final FlowShard s : shards)
        {
            final Histogram h = s.rttMicros();
            final long n = h.getTotalCount();
            count += n;
            sumMicros += n == 0 ? 0 : h.getMean() * n;
            for (int i = 0; i < cumulative.length; i++)
            {
                cumulative[i] += h.getCountBetweenValues(0, Math.round(RTT_BOUNDS_SECONDS[i] * 1e6));
            }
        }
        return new MetricsRegistry.HistogramSnapshot(cumulative, count, sumMicros / 1e6);
    }

    /** Registers the Kafka output's counters ({@code --out kafka:}). */
    public static void registerKafka(final MetricsRegistry registry, final KafkaSinkCounters kafka)
    {
        registry
            .counter("linerate_kafka_records_spilled_total", "Records written to the spill by this process",
                kafka::spilled)
            .counter("linerate_kafka_spilled_bytes_total", "Bytes of the records written to the spill", kafka::spilledBytes)
            .counter("linerate_kafka_records_sent_total", "Records handed to the Kafka producer, re-sends included",
                kafka::sent)
            .counter("linerate_kafka_records_acknowledged_total", "Records Kafka acknowledged (and the spill committed)",
                kafka::acknowledged)
            .counter("linerate_kafka_acknowledged_bytes_total", "Bytes of the records Kafka acknowledged",
                kafka::acknowledgedBytes)
            .gauge("linerate_kafka_backlog_records", "Records in the spill not yet acknowledged, earlier runs' included",
                kafka::backlog)
            .gauge("linerate_kafka_backlog_bytes", "Bytes of the records in the spill not yet acknowledged",
                kafka::backlogBytes)
            .counter("linerate_kafka_send_errors_total",
                "Failed send attempts (broker away, timeout, topic missing); each is retried", kafka::sendErrors)
            .counter("linerate_kafka_spill_errors_total",
                "Records that could not be written to the spill (disk full): lost", kafka::spillErrors);
    }

    private static <T> long sum(final List<T> items, final ToLongFunction<T> value)
    {
        long total = 0;
        for (final T item : items)
        {
            total += value.applyAsLong(item);
        }
        return total;
    }
}
