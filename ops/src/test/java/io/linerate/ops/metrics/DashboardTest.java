package io.linerate.ops.metrics;

import io.linerate.ingest.os.Privileges;
import io.linerate.ops.Json;
import io.linerate.ops.Main;
import io.linerate.ops.pipeline.StopRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard ({@code ops/grafana/linerate.json}): valid JSON, a panel for each thing a
 * sensor's operator watches, and every series its queries name served by the endpoint, as a live
 * scrape of a replay with {@code --metrics} shows (and of a capture, for a capture's own drop counters).
 * The series the dashboard added (verdicts, the RTT histogram, the ring) agree with the records.
 */
class DashboardTest
{
    private static final Path DASHBOARD = Path.of("grafana/linerate.json");
    private static final Path SAMPLE = Path.of("..", "samples", "loopback-http.pcap");
    private static final Pattern SERIES = Pattern.compile("\\blinerate_[a-zA-Z0-9_]+");

    @TempDir
    Path tmp;

    @Test
    void everyPanelsQueryNamesASeriesTheEndpointServes() throws Exception
    {
        final Map<String, Object> dashboard = Json.object(Files.readString(DASHBOARD));
        final List<Map<String, Object>> panels = list(dashboard.get("panels"));
        final Map<String, List<String>> queries = new HashMap<>();
        final Set<Object> ids = new TreeSet<>();
        for (final Map<String, Object> p : panels)
        {
            assertTrue(ids.add(p.get("id")), "panel ids are unique: " + p.get("id"));
            if ("row".equals(p.get("type")))
            {
                continue;
            }
            final List<String> exprs = new ArrayList<>();
            for (final Map<String, Object> t : list(p.get("targets")))
            {
                exprs.add((String)t.get("expr"));
            }
            assertTrue(!exprs.isEmpty(), "a panel without a query: " + p.get("title"));
            queries.put((String)p.get("title"), exprs);
        }
        for (final Map<String, Object> v : list(Json.at(dashboard, "templating.list")))
        {
            queries.put("variable " + v.get("name"), List.of((String)Json.at(v, "query.query")));
        }
        // What an operator of a sensor watches, each in a panel of its own kind.
        assertTrue(panels.stream().anyMatch(p -> "heatmap".equals(p.get("type")) &&
            p.toString().contains("linerate_rtt_seconds_bucket")), "an RTT heatmap from the histogram");
        for (final String needed : List.of("linerate_frames_read_total", "linerate_frame_bytes_read_total",
            "linerate_capture_kernel_drops_total", "linerate_ring_slots_in_use", "linerate_flows_active",
            "linerate_records_by_verdict_total", "linerate_kafka_backlog_records", "linerate_jvm_gc_collection_seconds_total",
            "linerate_jvm_gc_pause_seconds_max"))
        {
            assertTrue(queries.values().stream().flatMap(List::stream).anyMatch(q -> q.contains(needed)),
                "a panel over " + needed);
        }

        final Set<String> replay = replaySeries();
        final Set<String> capture = captureSeries();
        for (final Map.Entry<String, List<String>> panel : queries.entrySet())
        {
            for (final String expr : panel.getValue())
            {
                final Matcher m = SERIES.matcher(expr);
                assertTrue(m.find(), panel.getKey() + ": no linerate series in " + expr);
                m.reset();
                while (m.find())
                {
                    final String series = m.group();
                    // A capture's own counters are served on a capture only; every other on a replay too.
                    assertTrue(series.startsWith("linerate_capture_") ? capture.contains(series) : replay.contains(series),
                        panel.getKey() + ": " + series + " is not served (" + expr + ")");
                }
            }
        }
    }

    /**
     * The series of a replay of the sample with a Kafka output that waits for a broker that is not
     * there (so the endpoint still serves once every record is in), checked against its records.
     */
    private Set<String> replaySeries() throws Exception
    {
        final int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = s.getLocalPort();
        }
        final Path flows = tmp.resolve("flows.jsonl");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final StopRequest stop = new StopRequest();
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(List.of("replay",
            SAMPLE.toString(), "--out", "jsonl:" + flows, "--out", "kafka:127.0.0.1:" + closedPort + "/flows",
            "--spill", tmp.resolve("spill").toString(), "--kafka-drain-timeout", "600", "--pipeline", "ring",
            "--metrics", "127.0.0.1:0"), new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8), false, stop));
        final String url = MetricsScrape.waitForUrl(err, run);
        final Map<String, Long> last = MetricsScrape.scrapeOnceDrained(url, run, err, 7);
        stop.request();
        assertEquals(0, run.get(120, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));

        // The series added for the dashboard say what the records say.
        final Map<String, Long> verdicts = new HashMap<>();
        long rttSamples = 0;
        for (final String line : Files.readAllLines(flows))
        {
            final Map<String, Object> r = Json.object(line);
            verdicts.merge((String)r.get("verdict"), 1L, Long::sum);
            for (final String side : List.of("c2s", "s2c"))
            {
                if (Json.at(r, side + ".rtt_us.samples") != null)
                {
                    rttSamples += Json.num(r, side + ".rtt_us.samples");
                }
            }
        }
        for (final Map.Entry<String, Long> e : last.entrySet())
        {
            if (e.getKey().startsWith("linerate_records_by_verdict_total{"))
            {
                final String verdict = e.getKey().replaceAll(".*verdict=\"([^\"]+)\".*", "$1");
                assertEquals(verdicts.getOrDefault(verdict, 0L), e.getValue(), e.getKey());
            }
        }
        assertTrue(rttSamples > 0, "the sample's connections have RTT samples");
        assertEquals(rttSamples, last.get("linerate_rtt_seconds_count"), last.toString());
        assertEquals(rttSamples, last.get("linerate_rtt_seconds_bucket{le=\"+Inf\"}"));
        // Loopback RTTs are below 10 ms: every sample is in the 10 ms bucket.
        assertEquals(rttSamples, last.get("linerate_rtt_seconds_bucket{le=\"0.01\"}"));
        assertEquals(8192, last.get("linerate_ring_slots"), "--ring-size's default, on the ring");
        assertEquals(0, last.get("linerate_ring_slots_in_use"), "drained");
        return names(last);
    }

    /** The series of a capture on the loopback device (root only), stopped once its first scrape is in. */
    private Set<String> captureSeries() throws Exception
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(Privileges.effectiveUid() == 0, "live capture needs root");
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final StopRequest stop = new StopRequest();
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(List.of("capture", "-i", "lo",
            "--out", "jsonl:" + tmp.resolve("capture.jsonl"), "--metrics", "127.0.0.1:0", "udp", "dst", "port",
            Integer.toString(port)), new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8), false, stop));
        final String url = MetricsScrape.waitForUrl(err, run);
        Map<String, Long> m = Map.of();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (DatagramSocket socket = new DatagramSocket())
        {
            final byte[] payload = new byte[100];
            // Until the device is open nothing is captured: send until a frame is counted.
            while (m.getOrDefault("linerate_capture_frames_total", 0L) == 0)
            {
                assertTrue(System.nanoTime() - deadline < 0, "nothing captured within 120 s: " + m);
                assertTrue(!run.isDone(), "the capture ended: " + err);
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
                TimeUnit.MILLISECONDS.sleep(50);
                m = MetricsScrape.scrape(url);
            }
        }
        stop.request();
        assertEquals(0, run.get(120, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        assertEquals(8192, m.get("linerate_ring_slots"));
        return names(m);
    }

    private static Set<String> names(final Map<String, Long> scrape)
    {
        final Set<String> names = new TreeSet<>();
        for (final String key : scrape.keySet())
        {
            names.add(key.replaceAll("\\{.*", ""));
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(final Object value)
    {
        return (List<Map<String, Object>>)value;
    }
}
