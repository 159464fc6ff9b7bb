package io.linerate.ops.traffic;

import io.linerate.decode.DecodedFrame;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ops.Json;
import io.linerate.ops.LinerateProcess;
import io.linerate.ops.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code linerate capture} on real traffic: two network namespaces of the test's own joined by a veth
 * pair, python3's http.server on one side, curl on the other (three GETs, one of 300 kB, and one
 * connection refused). tcpdump and linerate capture on the client's veth at the same time (and a
 * second linerate on {@code any}, Linux cooked frames, as user nobody after {@code -Z}); each
 * linerate's records must be those of replaying tcpdump's file: same connections, same packet and
 * byte counts, same handshake, state, history and close.
 */
@Tag("slow")
class VethCaptureTest
{
    private static final String CLIENT_IP = "10.203.0.1";
    private static final String SERVER_IP = "10.203.0.2";

    @TempDir
    Path tmp;

    @Test
    void liveRecordsAreThoseOfTheSameTrafficReplayed() throws Exception
    {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")), "needs tcpdump");
        // nobody must reach the output directory and the classes after -Z.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        final Path www = Files.createDirectories(tmp.resolve("www"));
        final byte[] body = new byte[300_000];
        new Random(11).nextBytes(body);
        Files.write(www.resolve("big.bin"), body);
        Files.writeString(www.resolve("index.html"), "<html>linerate</html>\n");
        final String classpath = LinerateProcess.readableClasspath(tmp);

        final Path pcap = tmp.resolve("veth.pcap");
        final Path live = tmp.resolve("live.jsonl");
        final Path any = tmp.resolve("any.jsonl");
        final Path liveLog = tmp.resolve("live.log");
        final Path anyLog = tmp.resolve("any.log");
        String tcpdumpReport;
        try (TestNamespace server = TestNamespace.create("lr-srv"); TestNamespace client = TestNamespace.create("lr-cli"))
        {
            client.exec("ip", "link", "add", "vc", "type", "veth", "peer", "name", "vs", "netns", server.name());
            for (final TestNamespace ns : List.of(client, server))
            {
                // No IPv6: its neighbour discovery chatter would come and go at random moments.
                // (/proc/sys/net is the namespace's own; no sysctl binary needed.)
                ns.exec("sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6");
            }
            client.exec("ip", "addr", "add", CLIENT_IP + "/24", "dev", "vc");
            client.exec("ip", "link", "set", "vc", "up");
            server.exec("ip", "addr", "add", SERVER_IP + "/24", "dev", "vs");
            server.exec("ip", "link", "set", "vs", "up");
            server.start(tmp.resolve("http.log"), "python3", "-m", "http.server", "8080", "--bind", SERVER_IP,
                "--directory", www.toString());
            final String url = "http://" + SERVER_IP + ":8080/";
            LoopbackTrafficTest.waitUntil(() -> client.execStatus("curl", "-s", "-o", "/dev/null", url) == 0,
                "http.server to answer");

            final Path tcpdumpLog = tmp.resolve("tcpdump.log");
            final Process tcpdump = client.start(tcpdumpLog, "tcpdump", "--immediate-mode", "-B", "16384", "-Z", "root",
                "-i", "vc", "-s", "0", "-U", "-w", pcap.toString(), "ip");
            // Each capture's metrics endpoint says how many frames it has taken, so the test can wait for
            // them to catch up with tcpdump before it stops them. The scrapes go over lo, which "any"
            // also sees: its filter leaves them out, so it counts and records only the test's traffic.
            final Process linerate = client.start(liveLog, linerate(classpath, "capture", "-i", "vc", "--cpu", "0", "--immediate-mode",
                "--sensor", "t", "--out", "jsonl:" + live, "--metrics", "127.0.0.1:9464", "ip"));
            final Process cooked = client.start(anyLog, linerate(classpath, "capture", "-i", "any", "-Z", "nobody",
                "--sensor", "t", "--out", "jsonl:" + any, "--out", "summary", "--metrics", "127.0.0.1:9465", "ip", "and", "not", "net", "127.0.0.0/8"));
            LoopbackTrafficTest.waitUntil(() -> Files.readString(tcpdumpLog).contains("listening on") &&
                Files.readString(liveLog).contains("listening on") && Files.readString(anyLog).contains("listening on"),
                "tcpdump and both linerate captures to start");
            assertTrue(Files.readString(anyLog).contains("link-type LINUX_SLL"), Files.readString(anyLog));
            // -Z gives root up for good: real, effective, saved and file-system ids are nobody's, and no
            // capability is left, permitted or effective (proc(5): the Uid/Gid lines and CapPrm/CapEff).
            assertEquals("65534 65534 65534 65534", LinerateProcess.status(cooked.pid(), "Uid"), "the -Z capture runs as nobody");
            assertEquals("65534 65534 65534 65534", LinerateProcess.status(cooked.pid(), "Gid"), "and in nobody's group");
            assertEquals("0000000000000000", LinerateProcess.status(cooked.pid(), "CapPrm"), "no capability permitted");
            assertEquals("0000000000000000", LinerateProcess.status(cooked.pid(), "CapEff"), "no capability in effect");

            client.exec("curl", "-s", "-o", "/dev/null", url);
            client.exec("curl", "-s", "-o", "/dev/null", url + "big.bin");
            client.exec("curl", "-s", "-o", "/dev/null", url + "index.html");
            assertEquals(7, client.execStatus("curl", "-s", "-o", "/dev/null", "http://" + SERVER_IP + ":8081/"),
                "curl to a closed port: connection refused");
            LoopbackTrafficTest.waitForQuiet(pcap);
            // Not a fixed pause: both captures have taken at least every frame tcpdump wrote (on "any"
            // the same frames, seen once each on vc) before SIGTERM ends them.
            final long written = framesIn(pcap);
            for (final int port : List.of(9464, 9465))
            {
                await("the capture behind port " + port + " to take the " + written + " frames tcpdump wrote")
                    .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> capturedFrames(client, port), n -> n >= written);
            }
            // SIGTERM: linerate stops, flushes every connection and prints its report.
            client.stop(linerate);
            client.stop(cooked);
            client.stop(tcpdump);
            assertEquals(0, linerate.exitValue(), Files.readString(liveLog));
            assertEquals(0, cooked.exitValue(), Files.readString(anyLog));
            tcpdumpReport = Files.readString(tcpdumpLog);
        }
        final String liveReport = Files.readString(liveLog);
        final String anyReport = Files.readString(anyLog);
        assertTrue(liveReport.contains("drops: ring 0  kernel 0"), liveReport);
        assertTrue(anyReport.contains("drops: ring 0  kernel 0"), anyReport);

        final Path replayed = tmp.resolve("replayed.jsonl");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(List.of("replay", pcap.toString(), "--sensor", "t", "--out", "jsonl:" + replayed),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false), err.toString(StandardCharsets.UTF_8));

        final Map<String, String> expected = connections(replayed, 0);
        final String context = " (tcpdump: " + tcpdumpReport.replace('\n', ' ') + "; linerate: " + liveReport + ")";
        assertEquals(4, expected.size(), "three served and one refused connection in tcpdump's file: " + expected);
        assertEquals(expected, connections(live, 0), "capture -i vc" + context);
        // On any, frames carry a 16-byte Linux cooked header instead of Ethernet's 14.
        assertEquals(expected, connections(any, 2), "capture -i any" + context);
        assertTrue(expected.values().stream().filter(c -> c.contains("handshake.status=refused")).count() == 1, expected.toString());
        assertTrue(anyReport.contains("refused 1"), anyReport);
    }

    /**
     * Each TCP connection's facts that the captures must agree on, keyed by its endpoints; frame
     * lengths less {@code extraLinkBytes} a frame, for a link header longer than Ethernet's.
     */
    private static Map<String, String> connections(final Path jsonl, final int extraLinkBytes) throws IOException
    {
        final Map<String, String> out = new TreeMap<>();
        for (final String line : Files.readAllLines(jsonl))
        {
            final Map<String, Object> r = Json.object(line);
            if (!"tcp".equals(r.get("transport")))
            {
                continue;
            }
            final StringBuilder facts = new StringBuilder();
            for (final String field : List.of("record_type", "end_reason", "state", "history", "handshake.status",
                "verdict", "c2s.packets", "c2s.bytes", "c2s.payload_bytes", "c2s.fin", "c2s.rst", "c2s.retransmissions",
                "s2c.packets", "s2c.bytes", "s2c.payload_bytes", "s2c.fin", "s2c.rst", "s2c.retransmissions"))
            {
                Object value = Json.at(r, field);
                if (field.endsWith(".bytes") && !field.contains("payload"))
                {
                    value = Json.num(r, field) - extraLinkBytes * Json.num(r, field.replace("bytes", "packets"));
                }
                facts.append(field).append('=').append(value).append(' ');
            }
            final String key = Json.at(r, "client.ip") + ":" + Json.at(r, "client.port") + " > " +
                Json.at(r, "server.ip") + ":" + Json.at(r, "server.port");
            out.merge(key, facts.toString().trim(), (a, b) -> a + " | " + b);
        }
        return out;
    }

    /** The command that runs linerate's Main in a JVM of its own. */
    private static String[] linerate(final String classpath, final String... args)
    {
        return LinerateProcess.commandWithClasspath(List.of(), classpath, args).toArray(String[]::new);
    }

    /** The frames in a capture file. */
    private static long framesIn(final Path file) throws IOException
    {
        long n = 0;
        final DecodedFrame slot = new DecodedFrame();
        try (CaptureReader reader = CaptureFiles.open(file))
        {
            while (reader.next(slot))
            {
                n++;
            }
        }
        return n;
    }

    /** linerate_capture_frames_total of the capture whose metrics endpoint is on {@code port}. */
    private static long capturedFrames(final TestNamespace ns, final int port) throws IOException
    {
        final String scraped = ns.exec("curl", "-s", "http://127.0.0.1:" + port + "/metrics");
        final Matcher m = Pattern.compile("(?m)^linerate_capture_frames_total (\\d+)").matcher(scraped);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
