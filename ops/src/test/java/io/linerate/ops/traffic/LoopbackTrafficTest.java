package io.linerate.ops.traffic;

import io.linerate.ops.CorpusConformanceTest;
import io.linerate.ops.Json;
import io.linerate.ops.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real traffic made by the test: python3's http.server and curl in a network namespace of the test's
 * own, captured by tcpdump, replayed through linerate, and checked against what the test did and
 * against tshark.
 */
@Tag("slow")
class LoopbackTrafficTest
{
    @TempDir
    Path tmp;

    @Test
    void httpGetsAndARefusedConnectionAgreeWithTshark() throws Exception
    {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")) ||
            Files.isExecutable(Path.of("/usr/sbin/tcpdump")), "needs tcpdump");
        // tshark is a need like the others, not an optional extra: without it the test would pass
        // having checked only linerate against itself (and CI fails on the skip).
        Assumptions.assumeTrue(CorpusConformanceTest.tsharkAvailable(), "needs tshark and tshark-compare");

        final Path www = Files.createDirectories(tmp.resolve("www"));
        final byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        Files.write(www.resolve("big.bin"), body);
        Files.writeString(www.resolve("index.html"), "<html>linerate</html>\n");
        // A capture on a loaded machine can come out short (tcpdump reports what the kernel gave it):
        // the traffic is made once more then, and the checks below hold the capture to everything.
        Path capture = null;
        List<Map<String, Object>> records = null;
        Path flows = null;
        String tcpdumpReport = "";
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            capture = tmp.resolve("lo-" + attempt + ".pcap");
            tcpdumpReport = makeTraffic(www, capture, attempt);
            flows = tmp.resolve("flows-" + attempt + ".jsonl");
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exit = Main.run(List.of("replay", capture.toString(), "--out", "jsonl:" + flows),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
            assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
            records = new ArrayList<>();
            for (final String line : Files.readAllLines(flows))
            {
                records.add(Json.object(line));
            }
            if (records.size() == 4 && records.stream().allMatch(r -> !"end_of_input".equals(r.get("end_reason"))))
            {
                break;
            }
        }
        final String context = " (tcpdump: " + tcpdumpReport.replace('\n', ' ') + ")";

        final List<Map<String, Object>> served = new ArrayList<>();
        final List<Map<String, Object>> refused = new ArrayList<>();
        for (final Map<String, Object> r : records)
        {
            assertEquals("linerate.flow/1", r.get("schema"));
            assertEquals("final", r.get("record_type"));
            final long port = Json.num(r, "server.port");
            (port == 8080 ? served : refused).add(r);
        }
        assertEquals(3, served.size(), "three served connections: " + served + context);
        for (final Map<String, Object> r : served)
        {
            assertEquals("complete", Json.at(r, "handshake.status"), r.toString());
            assertEquals(1L, Json.num(r, "c2s.fin"), r + context);
            assertEquals(1L, Json.num(r, "s2c.fin"), r + context);
            assertEquals("fin", r.get("end_reason"), r + context);
            assertTrue(Json.num(r, "handshake.rtt_us") >= 0);
        }
        assertTrue(served.stream().anyMatch(r -> Json.num(r, "s2c.payload_bytes") > body.length),
            "the 300 kB download is in one connection's server payload");
        assertEquals(1, refused.size(), "one refused connection: " + refused);
        assertEquals("refused", Json.at(refused.get(0), "handshake.status"));
        assertEquals(1L, Json.num(refused.get(0), "s2c.rst"));
        assertEquals("rst", refused.get(0).get("end_reason"));

        final String report = CorpusConformanceTest.compare(capture, flows);
        assertTrue(report.startsWith("PASS"), "tshark-compare on " + capture + ": " + report);
    }

    /**
     * Serves three GETs (one of 300 kB) and refuses one connection in a namespace of the test's own,
     * captured by tcpdump; returns tcpdump's closing report (packets captured, dropped).
     */
    private String makeTraffic(final Path www, final Path capture, final int attempt) throws Exception
    {
        try (TestNamespace ns = TestNamespace.create("lr-http"))
        {
            ns.start(tmp.resolve("http-" + attempt + ".log"), "python3", "-m", "http.server", "8080", "--bind",
                "127.0.0.1", "--directory", www.toString());
            // The server must listen before the capture starts: its start-up refusals are not the test's.
            waitUntil(() -> ns.execStatus("curl", "-s", "-o", "/dev/null", "http://127.0.0.1:8080/") == 0,
                "http.server to answer");
            final Path tcpdumpLog = tmp.resolve("tcpdump-" + attempt + ".log");
            final Process tcpdump = ns.start(tcpdumpLog, "tcpdump", "--immediate-mode", "-B", "16384", "-Z", "root",
                "-i", "lo", "-s", "0", "-U", "-w", capture.toString(), "tcp");
            waitUntil(() -> Files.readString(tcpdumpLog).contains("listening on"), "tcpdump to start");
            ns.exec("curl", "-s", "-o", "/dev/null", "http://127.0.0.1:8080/");
            ns.exec("curl", "-s", "-o", "/dev/null", "http://127.0.0.1:8080/big.bin");
            ns.exec("curl", "-s", "-o", "/dev/null", "http://127.0.0.1:8080/index.html");
            assertEquals(7, ns.execStatus("curl", "-s", "-o", "/dev/null", "http://127.0.0.1:8081/"),
                "curl to a closed port: connection refused");
            // Immediate mode hands each packet to tcpdump at once; stop once the file has stopped growing.
            waitForQuiet(capture);
            ns.stop(tcpdump);
            return Files.readString(tcpdumpLog);
        }
    }

    /** Waits until a file has not grown for 700 ms (at most 10 s). */
    static void waitForQuiet(final Path file) throws Exception
    {
        long size = -1;
        long quietSince = System.nanoTime();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final long now = Files.exists(file) ? Files.size(file) : -1;
            if (now != size)
            {
                size = now;
                quietSince = System.nanoTime();
            }
            else if (System.nanoTime() - quietSince > 700_000_000L)
            {
                return;
            }
            Thread.sleep(50);
        }
    }

    interface Condition
    {
        boolean holds() throws Exception;
    }

    static void waitUntil(final Condition c, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            if (c.holds())
            {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
