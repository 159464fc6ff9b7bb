package io.linerate.ops.metrics;

import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.ops.Json;
import io.linerate.ops.Main;
import io.linerate.ops.pipeline.StopRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code linerate replay --metrics}: the pipeline runs on a capture, the endpoint listens on a free
 * port, and a scrape while the Kafka output waits for a broker that is not there shows the
 * pipeline's counters and the sink's, each checked against what the capture and the records say.
 */
@Tag("slow")
class ReplayMetricsTest
{
    private static final Path SAMPLE = Path.of("..", "samples", "loopback-http.pcap");

    @TempDir
    Path tmp;

    @Test
    void aScrapeDuringTheRunShowsThePipelineAndSinkCounters() throws Exception
    {
        // The sample capture and one frame too short for an Ethernet header (truncated_ethernet).
        final Path capture = tmp.resolve("capture.pcap");
        final ByteBuffer extra = ByteBuffer.allocate(16 + 10).order(ByteOrder.LITTLE_ENDIAN);
        extra.putInt(1_700_000_000).putInt(0).putInt(10).putInt(10);
        Files.write(capture, concat(Files.readAllBytes(SAMPLE), extra.array()));
        final long[] framesAndBytes = countFrames(capture);

        final int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = s.getLocalPort(); // nothing listens there once closed: Kafka is "down"
        }
        final Path flows = tmp.resolve("flows.jsonl");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        // The run waits for Kafka far longer than the test needs; once the scrape has what it checks,
        // the test stops the run as a SIGINT would (the backlog stays in the spill).
        final StopRequest stop = new StopRequest();
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(List.of("replay",
            capture.toString(), "--out", "jsonl:" + flows, "--out", "kafka:127.0.0.1:" + closedPort + "/flows",
            "--spill", tmp.resolve("spill").toString(), "--sensor", "test", "--kafka-drain-timeout", "600",
            "--metrics", "127.0.0.1:0"), new PrintStream(new ByteArrayOutputStream()), errStream, false, stop));

        final String url = MetricsScrape.waitForUrl(err, run);
        // Scrape until the replay is over and the sender has failed once against the missing broker
        // (the admin client's first time-out comes 5-12 s after the start: a generous bound, not a window).
        Map<String, Long> m = Map.of();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!(m.getOrDefault("linerate_frames_read_total", -1L) == framesAndBytes[0] &&
            m.getOrDefault("linerate_flows_active", -1L) == 0 && m.getOrDefault("linerate_kafka_send_errors_total", 0L) >= 1))
        {
            assertTrue(System.nanoTime() - deadline < 0, "no send error counted within 180 s: " + m);
            assertTrue(!run.isDone(), "the run ended before the scrape saw its counters: " + err);
            TimeUnit.MILLISECONDS.sleep(100);
            m = MetricsScrape.scrape(url);
        }
        // Scraped again after the condition: the counters of a finished pipeline do not move.
        m = MetricsScrape.scrape(url);
        final List<String> records = Files.readAllLines(flows, StandardCharsets.UTF_8);
        long spillBytes = 0;
        final Set<String> flowIds = new HashSet<>();
        for (final String line : records)
        {
            final Map<String, Object> r = Json.object(line);
            assertEquals("final", r.get("record_type"));
            flowIds.add((String)r.get("flow_id"));
            spillBytes += sized((String)r.get("community_id")) + sized(line);
        }
        assertEquals(7, records.size(), "the sample's connections (the truncated frame has no flow)");

        assertEquals(framesAndBytes[0], m.get("linerate_frames_read_total"), m.toString());
        assertEquals(framesAndBytes[1], m.get("linerate_frame_bytes_read_total"));
        assertEquals(framesAndBytes[0], m.get("linerate_frames_decoded_total"));
        for (final Map.Entry<String, Long> e : m.entrySet())
        {
            if (e.getKey().startsWith("linerate_decode_anomalies_total{"))
            {
                assertEquals(e.getKey().equals("linerate_decode_anomalies_total{reason=\"truncated_ethernet\"}") ? 1 : 0,
                    e.getValue(), e.getKey());
            }
        }
        assertEquals(ShardAnomaly.COUNT, m.keySet().stream().filter(k -> k.startsWith("linerate_flow_anomalies_total{")).count());
        for (int code = 1; code <= ShardAnomaly.COUNT; code++)
        {
            assertEquals(0, m.get("linerate_flow_anomalies_total{reason=\"" + ShardAnomaly.name(code) + "\"}"),
                "nothing in the sample reaches a cap: " + ShardAnomaly.name(code));
        }
        assertEquals(0, m.get("linerate_fragment_datagrams_pending"));
        assertEquals(0, m.get("linerate_tls_hello_buffers_in_use"));
        assertEquals(0, m.get("linerate_flows_active"));
        assertEquals(flowIds.size(), m.get("linerate_flows_created_total"));
        assertEquals(records.size(), m.get("linerate_records_emitted_total{record_type=\"final\"}"));
        assertEquals(0, m.get("linerate_records_emitted_total{record_type=\"interim\"}"));
        assertEquals(records.size(), m.get("linerate_kafka_records_spilled_total"));
        assertEquals(spillBytes, m.get("linerate_kafka_spilled_bytes_total"));
        assertEquals(records.size(), m.get("linerate_kafka_backlog_records"));
        assertEquals(spillBytes, m.get("linerate_kafka_backlog_bytes"));
        assertEquals(0, m.get("linerate_kafka_records_acknowledged_total"));
        assertEquals(0, m.get("linerate_kafka_acknowledged_bytes_total"));
        assertTrue(m.get("linerate_kafka_send_errors_total") >= 1);
        assertEquals(0, m.get("linerate_kafka_spill_errors_total"));
        assertEquals(0, m.get("linerate_pipeline_failures_total"));

        stop.request();
        assertEquals(0, run.get(120, TimeUnit.SECONDS), err.toString());
        final String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("acknowledged 0, backlog " + records.size() + " (" + spillBytes + " bytes)"), log);
        assertTrue(log.contains("spill errors 0"), log);
    }

    /**
     * Scraped once the pipeline has drained (while the Kafka output still waits for its broker), the
     * endpoint's totals are the summary's, and the JVM's and GC's series are there beside them.
     */
    @Test
    void theFinalScrapeEqualsTheSummaryAndShowsTheJvm() throws Exception
    {
        final Path capture = tmp.resolve("capture.pcap");
        final ByteBuffer extra = ByteBuffer.allocate(16 + 10).order(ByteOrder.LITTLE_ENDIAN);
        extra.putInt(1_700_000_000).putInt(0).putInt(10).putInt(10);
        Files.write(capture, concat(Files.readAllBytes(SAMPLE), extra.array()));
        final int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = s.getLocalPort();
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final StopRequest stop = new StopRequest();
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(List.of("replay",
            capture.toString(), "--out", "summary", "--out", "jsonl:" + tmp.resolve("flows.jsonl"), "--out",
            "kafka:127.0.0.1:" + closedPort + "/flows", "--spill", tmp.resolve("spill").toString(),
            "--kafka-drain-timeout", "600", "--metrics", "127.0.0.1:0"),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
            false, stop));
        final String url = MetricsScrape.waitForUrl(err, run);
        final Map<String, Long> last = MetricsScrape.scrapeOnceDrained(url, run, err, 7);
        stop.request();
        assertEquals(0, run.get(120, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        final String summary = out.toString(StandardCharsets.UTF_8);

        final Matcher totals = Pattern.compile("frames ([\\d,]+)  bytes ([\\d,]+)  flows ([\\d,]+)").matcher(summary);
        assertTrue(totals.find(), summary);
        assertEquals(number(totals.group(1)), last.get("linerate_frames_read_total"), summary);
        assertEquals(number(totals.group(1)), last.get("linerate_frames_decoded_total"));
        assertEquals(number(totals.group(2)), last.get("linerate_frame_bytes_read_total"));
        assertEquals(number(totals.group(3)), last.get("linerate_records_emitted_total{record_type=\"final\"}"));
        assertEquals(number(totals.group(3)), last.get("linerate_flows_created_total"));
        final Matcher malformed = Pattern.compile("not analysed: ([\\d,]+)").matcher(summary);
        assertTrue(malformed.find(), summary);
        assertEquals(number(malformed.group(1)), last.entrySet().stream()
            .filter(e -> e.getKey().startsWith("linerate_decode_anomalies_total{")).mapToLong(Map.Entry::getValue).sum());
        assertEquals(number(totals.group(3)), last.get("linerate_kafka_records_spilled_total"));

        assertTrue(last.get("linerate_jvm_memory_used_bytes{area=\"heap\"}") > 0, last.toString());
        assertTrue(last.get("linerate_jvm_memory_max_bytes{area=\"heap\"}") > 0);
        assertTrue(last.keySet().stream().anyMatch(k -> k.startsWith("linerate_jvm_memory_pool_used_bytes{pool=")));
        assertTrue(last.keySet().stream().anyMatch(k -> k.startsWith("linerate_jvm_gc_collections_total{gc=")));
        assertTrue(last.keySet().stream().anyMatch(k -> k.startsWith("linerate_jvm_gc_collection_seconds_total{gc=")));
        assertTrue(last.containsKey("linerate_jvm_gc_pause_seconds_max"));
        assertTrue(last.containsKey("linerate_jvm_gc_pauses_total"));
        assertTrue(last.get("linerate_jvm_threads_live") > 1);
        assertTrue(last.get("linerate_process_cpu_seconds_total") > 0);
        assertTrue(last.get("linerate_process_open_fds") > 0);
    }

    private static long number(final String text)
    {
        return Long.parseLong(text.replace(",", ""));
    }

    /** Frames and their wire bytes in a little-endian microsecond pcap file, read record by record. */
    private static long[] countFrames(final Path pcap) throws Exception
    {
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(0));
        long frames = 0;
        long bytes = 0;
        for (int at = 24; at < b.limit(); at += 16 + b.getInt(at + 8))
        {
            frames++;
            bytes += b.getInt(at + 12);
        }
        return new long[] {frames, bytes};
    }

    /** A record's size in the spill: UTF-8 bytes after their length as a stop-bit number. */
    private static long sized(final String s)
    {
        final int utf8 = s.getBytes(StandardCharsets.UTF_8).length;
        int lengthBytes = 1;
        for (int rest = utf8 >>> 7; rest != 0; rest >>>= 7)
        {
            lengthBytes++;
        }
        return lengthBytes + utf8;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
