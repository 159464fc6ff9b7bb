package io.linerate.ops.metrics;

import io.linerate.aggregate.FlowSettings;
import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.ShardHandler;
import io.linerate.aggregate.ip.FragmentReassembler;
import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.PacketDecoder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flow shards' anomalies as the metrics endpoint shows them: a cap reached in two shards that both
 * followed the same fragments counts once, and the pending datagrams are every shard's.
 */
class PipelineMetricsTest
{
    private static final int SHARDS = 2;

    @Test
    void aCapReachedIsScrapedUnderItsNameAndFragmentsCountOnceWhateverTheShards()
    {
        final RecordsEmitted[] emitted = new RecordsEmitted[SHARDS];
        final ShardHandler[] shards = new ShardHandler[SHARDS];
        for (int j = 0; j < SHARDS; j++)
        {
            emitted[j] = new RecordsEmitted();
            shards[j] = new ShardHandler(j, SHARDS, new FlowShard(FlowSettings.defaults(SHARDS), emitted[j]));
        }
        final MetricsRegistry registry = new MetricsRegistry();
        PipelineMetrics.register(registry, () -> 0, () -> 0, shards, List.of(new PacketDecoder()), emitted, () -> 0);

        // One more copy of the same first fragment than a datagram may have, then one more: every
        // shard is given every fragment, as the ring handlers do.
        final PacketDecoder decoder = new PacketDecoder();
        final int copies = FragmentReassembler.DEFAULT_MAX_FRAGMENTS_PER_DATAGRAM + 2;
        for (int i = 0; i < copies; i++)
        {
            final DecodedFrame fragment = firstFragment(decoder, i);
            for (int j = 0; j < SHARDS; j++)
            {
                shards[j].shard().onFragment(fragment);
            }
        }

        final StringBuilder text = new StringBuilder();
        registry.writeTo(text);
        final String scraped = text.toString();
        assertTrue(scraped.contains("\nlinerate_flow_anomalies_total{reason=\"excessive_fragments_per_datagram\"} 1\n"), scraped);
        assertTrue(scraped.contains("\nlinerate_flow_anomalies_total{reason=\"fragment_overlap\"} " +
            (FragmentReassembler.DEFAULT_MAX_FRAGMENTS_PER_DATAGRAM - 1) + "\n"), scraped);
        assertTrue(scraped.contains("\nlinerate_flow_anomalies_total{reason=\"excessive_pending_tls_hellos\"} 0\n"), scraped);
        // The last copy began the datagram again, in each shard.
        assertTrue(scraped.contains("\nlinerate_fragment_datagrams_pending " + SHARDS + "\n"), scraped);
        for (int code = 1; code <= ShardAnomaly.COUNT; code++)
        {
            assertTrue(scraped.contains("linerate_flow_anomalies_total{reason=\"" + ShardAnomaly.name(code) + "\"}"),
                ShardAnomaly.name(code));
        }
    }

    /** An Ethernet frame of the first 48 bytes of a UDP datagram from 10.0.0.1 (IPv4, id 7, More Fragments), decoded. */
    private static DecodedFrame firstFragment(final PacketDecoder decoder, final int n)
    {
        final byte[] frame = new byte[14 + 20 + 48];
        frame[12] = 0x08;
        final int ip = 14;
        frame[ip] = 0x45;
        frame[ip + 3] = (byte)(20 + 48);
        frame[ip + 5] = 7;
        frame[ip + 6] = 0x20;                                       // More Fragments, offset 0
        frame[ip + 8] = 64;
        frame[ip + 9] = 17;
        frame[ip + 12] = 10;
        frame[ip + 15] = 1;
        frame[ip + 16] = 10;
        frame[ip + 19] = 2;
        frame[ip + 20 + 1] = 53;                                     // UDP source port 53
        frame[ip + 20 + 3] = 53;
        frame[ip + 20 + 5] = 100;                                    // UDP length: longer than this fragment
        final DecodedFrame s = new DecodedFrame();
        s.ensureCapacity(frame.length);
        System.arraycopy(frame, 0, s.data, 0, frame.length);
        s.linkType = 1;
        s.captureLength = frame.length;
        s.wireLength = frame.length;
        s.timestampNanos = 1_000_000_000L + n * 1_000L;
        s.frameNumber = n + 1;
        decoder.decode(s);
        assertTrue(s.fragment, "decoded as a fragment");
        return s;
    }
}
