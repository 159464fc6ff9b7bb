package io.linerate.ops.traffic;

import io.linerate.decode.DecodedFrame;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ops.LinerateProcess;
import io.linerate.ops.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tcpdump -i vc -U -w - | tee FILE | linerate replay -}: a live capture on a veth between two
 * namespaces of the test's own (three HTTP GETs and a refused connection), streamed into linerate
 * through real pipes. linerate takes the frames while the pipe is still open (its metrics count them
 * before tcpdump is stopped), ends by itself when tcpdump's end closes the pipe, and its records are
 * those of replaying the file tee kept.
 */
@Tag("slow")
class StreamedCaptureTest
{
    private static final String CLIENT_IP = "10.204.0.1";
    private static final String SERVER_IP = "10.204.0.2";
    private static final int METRICS_PORT = 9466;

    @TempDir
    Path tmp;

    @Test
    void aLiveCapturePipedIntoLinerateWorksUntilThePipeCloses() throws Exception
    {
        Assumptions.assumeTrue(TestNamespace.available(), "needs root and iproute2");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")), "needs tcpdump");
        final Path www = Files.createDirectories(tmp.resolve("www"));
        Files.write(www.resolve("big.bin"), new byte[200_000]);
        Files.writeString(www.resolve("index.html"), "<html>linerate</html>\n");
        final Path kept = tmp.resolve("kept.pcap");
        final Path streamed = tmp.resolve("streamed.jsonl");
        final Path tcpdumpLog = tmp.resolve("tcpdump.log");
        final Path linerateLog = tmp.resolve("linerate.log");
        try (TestNamespace server = TestNamespace.create("lr-ss"); TestNamespace client = TestNamespace.create("lr-sc"))
        {
            client.link("vc", server, "vs", CLIENT_IP + "/24", SERVER_IP + "/24");
            for (final TestNamespace ns : List.of(client, server))
            {
                ns.exec("sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6");
            }
            server.start(tmp.resolve("http.log"), "python3", "-m", "http.server", "8080", "--bind", SERVER_IP,
                "--directory", www.toString());
            final String url = "http://" + SERVER_IP + ":8080/";
            LoopbackTrafficTest.waitUntil(() -> client.execStatus("curl", "-s", "-o", "/dev/null", url) == 0,
                "http.server to answer");

            final List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder("ip", "netns", "exec", client.name(), "tcpdump", "--immediate-mode", "-Z", "root",
                    "-i", "vc", "-s", "2048", "-U", "-w", "-", "ip").redirectError(tcpdumpLog.toFile()),
                new ProcessBuilder("tee", kept.toString()).redirectError(ProcessBuilder.Redirect.DISCARD),
                new ProcessBuilder(LinerateProcess.command(List.of(), "replay", "-", "--sensor", "t",
                    "--out", "jsonl:" + streamed, "--metrics", "127.0.0.1:" + METRICS_PORT))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(linerateLog.toFile())));
            final Process tcpdump = pipeline.get(0);
            final Process linerate = pipeline.get(2);
            try
            {
                LoopbackTrafficTest.waitUntil(() -> Files.readString(tcpdumpLog).contains("listening on"),
                    "tcpdump to start");
                // And linerate to read the pipe (its endpoint serves once it has read tcpdump's file
                // header): tee writes the file after linerate's pipe, so a linerate still starting would
                // leave the file cut inside a record while the traffic has long stopped.
                await("linerate to start reading the pipe").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(StreamedCaptureTest::framesRead, n -> n >= 0);
                client.exec("curl", "-s", "-o", "/dev/null", url);
                client.exec("curl", "-s", "-o", "/dev/null", url + "big.bin");
                client.exec("curl", "-s", "-o", "/dev/null", url + "index.html");
                assertEquals(7, client.execStatus("curl", "-s", "-o", "/dev/null", "http://" + SERVER_IP + ":8081/"),
                    "curl to a closed port: connection refused");
                LoopbackTrafficTest.waitForQuiet(kept);
                // tee copies the pipe as it reads it, so on a busy machine the file can go quiet with
                // part of a record written: count once it holds whole records.
                final long written = await("whole records in " + kept).atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> framesIn(kept), n -> n > 0);
                // The pipe is still open: linerate has read what tcpdump wrote, as it came.
                await("linerate to read the " + written + " frames tcpdump wrote, the pipe still open")
                    .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(StreamedCaptureTest::framesRead, n -> n >= written);
                assertTrue(linerate.isAlive(), "linerate waits for more while the pipe is open");

                tcpdump.destroy();
                assertTrue(linerate.waitFor(2, TimeUnit.MINUTES), "linerate ends when the pipe closes");
                assertEquals(0, linerate.exitValue(), Files.readString(linerateLog));
            }
            finally
            {
                pipeline.forEach(Process::destroyForcibly);
            }
        }
        final Path replayed = tmp.resolve("replayed.jsonl");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(List.of("replay", kept.toString(), "--sensor", "t", "--out", "jsonl:" + replayed),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false), err.toString(StandardCharsets.UTF_8));
        final List<String> expected = Files.readAllLines(replayed).stream().sorted().toList();
        assertTrue(expected.stream().filter(r -> r.contains("\"transport\":\"tcp\"")).count() >= 4,
            "three served and one refused connection: " + expected);
        assertEquals(expected, Files.readAllLines(streamed).stream().sorted().toList());
    }

    private static long framesRead() throws IOException, InterruptedException
    {
        final HttpResponse<String> scraped = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + METRICS_PORT + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        final Matcher m = Pattern.compile("(?m)^linerate_frames_read_total (\\d+)").matcher(scraped.body());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

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
}
