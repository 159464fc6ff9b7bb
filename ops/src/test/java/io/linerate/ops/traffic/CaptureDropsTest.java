package io.linerate.ops.traffic;

import io.linerate.ops.Json;
import io.linerate.ops.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code linerate capture} with a 4-slot ring and a consumer that stops: the records go to a named
 * pipe nobody reads, so once the pipe's 64 KiB are full the flow shard waits on its write, and every
 * frame after that finds the ring full. The capture must go on taking every frame from the kernel,
 * count what it drops, and say so in the summary once the pipe is read and the pipeline drains.
 */
@Tag("slow")
class CaptureDropsTest
{
    private static final int DATAGRAMS = 20_000;

    @TempDir
    Path tmp;

    @Test
    void aStalledPipelineCostsCountedFramesNotTheCapture() throws Exception
    {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        final Path fifo = tmp.resolve("records.fifo");
        final Path records = tmp.resolve("records.jsonl");
        final Path log = tmp.resolve("linerate.log");
        try (TestNamespace ns = TestNamespace.create("lr-drop"))
        {
            ns.exec("mkfifo", fifo.toString());
            // Holds the pipe open for reading (and writing, so opening it never blocks) without reading it.
            final Process holder = ns.start(tmp.resolve("holder.log"), "sh", "-c", "exec 3<>" + fifo + "; exec sleep 300");
            final Process linerate = ns.start(log, linerate("capture", "-i", "lo", "--ring-size", "4", "--decoders", "0",
                "--shards", "1", "--max-flows", "1", "--out", "jsonl:" + fifo, "--out", "summary", "--metrics", "127.0.0.1:9464",
                "udp", "dst", "port", "9"));
            LoopbackTrafficTest.waitUntil(() -> Files.readString(log).contains("listening on"), "linerate to start");
            // A new socket a datagram: a new flow each, and with --max-flows 1 a record each (the one evicted).
            ns.exec("python3", "-c", "import socket\n" +
                "for i in range(" + DATAGRAMS + "):\n" +
                "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n" +
                "    s.sendto(b'linerate', ('127.0.0.1', 9))\n" +
                "    s.close()\n");
            // While the pipeline is stalled, the metrics endpoint shows the drops: wait until it has
            // counted every datagram (how long that takes depends on the machine's load, not the test).
            final String scraped = await("every datagram counted by the metrics endpoint").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ns.exec("curl", "-s", "http://127.0.0.1:9464/metrics"),
                    s -> s.contains("\nlinerate_capture_frames_total " + DATAGRAMS + "\n"));
            final Matcher scrapedDrops = Pattern.compile("(?m)^linerate_capture_ring_drops_total (\\d+)").matcher(scraped);
            assertTrue(scrapedDrops.find() && Long.parseLong(scrapedDrops.group(1)) > DATAGRAMS / 2, scraped);
            assertTrue(scraped.contains("\nlinerate_capture_kernel_drops_total 0\n"), scraped);
            // Now read the pipe: the shard's write goes through, the pipeline drains.
            final Process reader = ns.start(records, "cat", fifo.toString());
            ns.stop(linerate);
            assertEquals(0, linerate.exitValue(), Files.readString(log));
            ns.stop(holder);
            reader.waitFor();
        }
        final String report = Files.readString(log);
        final Matcher captured = Pattern.compile("([\\d,]+) frames captured in [\\d.]+ s, ([\\d,]+) analysed").matcher(report);
        final Matcher drops = Pattern.compile("drops: ring ([\\d,]+)  kernel ([\\d,]+)").matcher(report);
        assertTrue(captured.find() && drops.find(), report);
        final long frames = number(captured.group(1));
        final long analysed = number(captured.group(2));
        final long ringDrops = number(drops.group(1));
        final long kernelDrops = number(drops.group(2));
        // (On lo the kernel counts each frame twice, so its drop count is no count of datagrams.)
        assertEquals(0, kernelDrops, "the capture thread kept the kernel buffer drained: " + report);
        assertEquals(DATAGRAMS, frames, "every datagram was captured: " + report);
        assertTrue(ringDrops > DATAGRAMS / 2, "most frames found the ring full: " + report);
        assertEquals(frames, analysed + ringDrops, report);
        assertTrue(report.contains("frames " + String.format("%,d", analysed) + " "), "the summary counts what was analysed: " + report);
        // Every analysed datagram is in a record; each flow is evicted by the next one but the last.
        // (Two sockets can get the same ephemeral port: then one flow holds two datagrams.)
        final List<Map<String, Object>> finals = Files.readAllLines(records).stream().map(Json::object)
            .filter(r -> "final".equals(r.get("record_type"))).toList();
        assertEquals(analysed, finals.stream().mapToLong(r -> (Long)Json.at(r, "c2s.packets")).sum(),
            "every analysed frame in a record");
        assertEquals(finals.size() - 1, finals.stream().filter(r -> "evicted".equals(r.get("end_reason"))).count(),
            "a record for every analysed flow evicted by the next");
    }

    private static long number(final String s)
    {
        return Long.parseLong(s.replace(",", ""));
    }

    /** The command that runs linerate's Main in a JVM of its own. */
    private static String[] linerate(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle"))
            {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }
}
