package io.linerate.ops.pipeline;

import io.linerate.decode.DecodedFrame;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.os.Privileges;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code linerate capture} on the loopback device stops by itself at {@code -c} and at
 * {@code --duration}, keeps {@code -s} bytes a frame, and writes what it captured with {@code -w}.
 * Datagrams to 127.0.0.1 on a port of the test's own, filtered in the kernel.
 */
class CaptureLimitsTest
{
    @TempDir
    Path tmp;

    private int port;

    @BeforeEach
    void needsRoot() throws Exception
    {
        Assumptions.assumeTrue(Privileges.effectiveUid() == 0, "live capture needs root (or CAP_NET_RAW)");
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
    }

    @Test
    void countSnapLengthAndWrite() throws Exception
    {
        final Path pcap = tmp.resolve("cap.pcap");
        final Path flows = tmp.resolve("flows.jsonl");
        final CompletableFuture<MainTest.Run> run = CompletableFuture.supplyAsync(() -> MainTest.run(
            "capture", "-i", "lo", "-c", "10", "-s", "60", "-w", pcap.toString(), "--out", "jsonl:" + flows,
            "udp", "dst", "port", Integer.toString(port)));
        // Until the capture is open, datagrams are not seen: keep sending until it has stopped.
        try (DatagramSocket socket = new DatagramSocket())
        {
            final byte[] payload = new byte[200];
            final DatagramPacket packet = new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port);
            await("the capture to stop after 10 frames").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() ->
                {
                    socket.send(packet);
                    return run.isDone();
                });
        }
        final MainTest.Run r = run.get(1, TimeUnit.MINUTES);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("capture lo: 10 frames captured in "), r.err());
        final DecodedFrame slot = new DecodedFrame();
        int frames = 0;
        try (CaptureReader reader = CaptureFiles.open(pcap))
        {
            while (reader.next(slot))
            {
                frames++;
                assertEquals(60, slot.captureLength, "-s 60");
                assertEquals(14 + 20 + 8 + 200, slot.wireLength);
            }
        }
        assertEquals(10, frames);
        final String record = Files.readString(flows);
        assertTrue(record.contains("\"end_reason\":\"end_of_input\""), record);
        assertTrue(record.contains("\"packets\":10"), record);
    }

    @Test
    void durationStopsAQuietCapture()
    {
        final long start = System.nanoTime();
        final MainTest.Run r = MainTest.run("capture", "-i", "lo", "--duration", "1", "--out", "summary",
            "udp", "dst", "port", Integer.toString(port));
        final long took = System.nanoTime() - start;
        assertEquals(0, r.exit(), r.err());
        // At least the second asked for; the capture notices it at its next wake-up, later on a busy
        // machine, so the upper bound is only there to say it stopped by itself.
        assertTrue(took >= 1_000_000_000L && took < 60_000_000_000L, took / 1_000_000 + " ms");
        final Matcher reported = Pattern.compile("capture lo: 0 frames captured in ([0-9.]+) s").matcher(r.out());
        assertTrue(reported.find() && Double.parseDouble(reported.group(1)) >= 1.0, r.out());
        assertTrue(r.out().contains("drops: ring 0  kernel 0"), r.out());
    }
}
