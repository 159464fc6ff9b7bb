package io.linerate.ops.pipeline;

import io.linerate.ops.Json;
import io.linerate.ops.LinerateProcess;
import io.linerate.ops.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM (and SIGINT, the same handler) ends a replay as tcpdump's user expects: the input stops, every connection read so far gets
 * its final record, the outputs are closed, exit 0. The replay is paced ({@code --speed original})
 * over a capture whose second frame comes an hour after its first, so only the signal can end it soon.
 * (SIGTERM, because a process started in the background by a non-interactive shell, as CI may start
 * the tests, inherits SIGINT ignored.)
 */
@Tag("slow")
class StopSignalTest
{
    private static final Pattern URL = Pattern.compile("metrics at (http://\\S+)");
    private static final Pattern FRAMES_READ = Pattern.compile("(?m)^linerate_frames_read_total (\\d+)");

    @TempDir
    Path tmp;

    @Test
    void sigtermEndsAPacedReplayWithTheFinalRecordsOfWhatWasRead() throws Exception
    {
        final Path capture = tmp.resolve("hour.pcap");
        final ByteBuffer b = ByteBuffer.allocate(24 + 2 * (16 + 54)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1);
        syn(b, 1_700_000_000, 0x0A000001);
        syn(b, 1_700_003_600, 0x0A000002);
        Files.write(capture, b.array());
        final Path flows = tmp.resolve("flows.jsonl");
        final Path log = tmp.resolve("stderr.txt");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LinerateProcess.jvmFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "replay",
            capture.toString(), "--speed", "original", "--out", "jsonl:" + flows, "--metrics", "127.0.0.1:0"));
        final Process p = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(log.toFile())
            .start();
        try
        {
            final String url = await().atMost(2, TimeUnit.MINUTES).until(() ->
            {
                final Matcher m = URL.matcher(Files.readString(log, StandardCharsets.UTF_8));
                return m.find() ? m.group(1) : null;
            }, u -> u != null);
            // The first frame is in; the second is an hour of packet time away.
            await().atMost(2, TimeUnit.MINUTES).ignoreExceptions().until(() -> framesRead(url) >= 1);
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "still running after SIGTERM: " + Files.readString(log));
        }
        finally
        {
            p.destroyForcibly();
        }
        final String err = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("linerate: SIGTERM: stopping"), err);
        final List<String> records = Files.readAllLines(flows, StandardCharsets.UTF_8);
        assertEquals(1, records.size(), "the connection read before the signal, and only it: " + records);
        final Map<String, Object> r = Json.object(records.get(0));
        assertEquals("final", r.get("record_type"));
        assertEquals("end_of_input", r.get("end_reason"));
    }

    /**
     * The first SIGINT asks for a drain; when the drain cannot end (here the input has been read and
     * every record goes to a named pipe that is held open but never read, so the flow shard waits on
     * its write for good), a second
     * SIGINT ends the process at once, says so, and exits with 130. The process is started with SIGINT
     * at its default ({@code env --default-signal=INT}): a test JVM started in the background may have
     * inherited it ignored, and a JVM cannot take an ignored signal back.
     */
    @Test
    void aSecondSigintExitsAtOnceWhileTheFirstOneIsStillDraining() throws Exception
    {
        final Path capture = tmp.resolve("many.pcap");
        ManyConnections.write(capture, 5_000);
        final Path fifo = tmp.resolve("records.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        // Open for reading and writing, so linerate's open never blocks, and never read.
        final Process holder = new ProcessBuilder("sh", "-c", "exec 3<>'" + fifo + "'; exec sleep 600").start();
        final Path log = tmp.resolve("stderr.txt");
        final Process p = new ProcessBuilder(LinerateProcess.command(List.of("env", "--default-signal=INT"),
            "replay", capture.toString(), "--out", "jsonl:" + fifo, "--metrics", "127.0.0.1:0"))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(log.toFile())
            .start();
        try
        {
            // The signal handlers are in place before the run starts, and the run says where its metrics are.
            final String url = await().atMost(2, TimeUnit.MINUTES).until(() ->
            {
                final Matcher m = URL.matcher(Files.readString(log, StandardCharsets.UTF_8));
                return m.find() ? m.group(1) : null;
            }, u -> u != null);
            // Every frame read: closed connections linger 30 s of packet time, so no record was written
            // before the end of the input, and now all 5,000 wait on the pipe.
            // A scrape can fail while both cores are busy (the endpoint's connection closed early): poll on.
            await().atMost(2, TimeUnit.MINUTES).ignoreExceptions().until(() -> framesRead(url) == 6 * 5_000);
            kill("INT", p);
            await().atMost(2, TimeUnit.MINUTES).until(() ->
                Files.readString(log, StandardCharsets.UTF_8).contains("linerate: SIGINT: stopping (again to exit at once)"));
            // 5,000 records (about 5 MB) cannot pass a 64 KiB pipe nobody reads: the drain cannot end.
            assertTrue(p.isAlive(), "ended although its records cannot all be written: " + Files.readString(log));
            kill("INT", p);
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "still running after the second SIGINT: " + Files.readString(log));
        }
        finally
        {
            p.destroyForcibly();
            holder.destroyForcibly();
        }
        final String err = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(StopRequest.EXIT_INTERRUPTED_TWICE, p.exitValue(), err);
        assertTrue(err.strip().endsWith("linerate: SIGINT again: exiting now"), err);
    }

    private static void kill(final String signal, final Process p) throws Exception
    {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
    }

    private static long framesRead(final String url) throws Exception
    {
        final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        final Matcher m = FRAMES_READ.matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** A 54-byte SYN from {@code src}:40000 to 192.0.2.1:80 at {@code seconds}. */
    private static void syn(final ByteBuffer b, final int seconds, final int src)
    {
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(seconds).putInt(0).putInt(54).putInt(54);
        b.order(ByteOrder.BIG_ENDIAN);
        b.putShort((short)0x0200).putInt(1).putShort((short)0x0200).putInt(2).putShort((short)0x0800);
        b.put((byte)0x45).put((byte)0).putShort((short)40).putShort((short)1).putShort((short)0x4000)
            .put((byte)64).put((byte)6).putShort((short)0).putInt(src).putInt(0xC000_0201);
        b.putShort((short)40000).putShort((short)80).putInt(1000).putInt(0)
            .put((byte)0x50).put((byte)0x02).putShort((short)65535).putShort((short)0).putShort((short)0);
    }
}
