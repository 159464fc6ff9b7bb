package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -w} files: readable pcap, rotated and named as tcpdump's {@code -C}/{@code -W} do. */
class RotatingPcapWriterTest
{
    @TempDir
    Path tmp;

    private static byte[] frame(final int i, final int length)
    {
        final byte[] b = new byte[length];
        for (int j = 0; j < length; j++)
        {
            b[j] = (byte)(i * 31 + j);
        }
        return b;
    }

    @Test
    void framesComeBackAsWrittenWithNanosecondStamps() throws Exception
    {
        final Path file = tmp.resolve("out.pcap");
        try (RotatingPcapWriter w = new RotatingPcapWriter(file, 0, 0, 65535, 1))
        {
            for (int i = 0; i < 100; i++)
            {
                w.write(1_700_000_000_123_456_789L + i, 60 + i, 1000 + i, frame(i, 60 + i));
            }
        }
        final FrameSlot slot = new FrameSlot();
        try (CaptureReader r = CaptureFiles.open(file))
        {
            assertEquals("pcap-ns", r.format());
            for (int i = 0; i < 100; i++)
            {
                assertTrue(r.next(slot));
                assertEquals(1_700_000_000_123_456_789L + i, slot.timestampNanos);
                assertEquals(60 + i, slot.captureLength);
                assertEquals(1000 + i, slot.wireLength);
                assertEquals(1, slot.linkType);
                final byte[] got = java.util.Arrays.copyOf(slot.data, slot.captureLength);
                assertArrayEquals(frame(i, 60 + i), got);
            }
            assertFalse(r.next(slot));
        }
        if (Files.isExecutable(Path.of("/usr/bin/tcpdump")))
        {
            final Process p = new ProcessBuilder("tcpdump", "-r", file.toString(), "-n", "-q").redirectErrorStream(true).start();
            final long lines = new String(p.getInputStream().readAllBytes()).lines().filter(l -> !l.startsWith("reading")).count();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            assertEquals(100, lines, "tcpdump reads every frame");
        }
    }

    @Test
    void withoutACountFilesAreNumberedFromOneAfterTheFirst() throws Exception
    {
        final Path file = tmp.resolve("cap");
        try (RotatingPcapWriter w = new RotatingPcapWriter(file, 1, 0, 2000, 1))
        {
            // 1,500 frames of 1,016 bytes: 1.5 MB, so the first file closes once past 1,000,000 bytes.
            for (int i = 0; i < 1500; i++)
            {
                w.write(i, 1000, 1000, frame(i, 1000));
            }
            assertEquals(2, w.filesOpened());
        }
        assertTrue(Files.size(tmp.resolve("cap")) > 1_000_000 && Files.size(tmp.resolve("cap")) < 1_000_000 + 1016 + 1);
        assertTrue(Files.exists(tmp.resolve("cap1")));
        assertEquals(1500, frames(tmp.resolve("cap")) + frames(tmp.resolve("cap1")));
    }

    @Test
    void aCountMakesARingOfZeroPaddedFiles() throws Exception
    {
        final Path file = tmp.resolve("ring");
        try (RotatingPcapWriter w = new RotatingPcapWriter(file, 1, 11, 2000, 1))
        {
            assertEquals(tmp.resolve("ring00").toString(), w.fileName(0));
            assertEquals(tmp.resolve("ring10").toString(), w.fileName(10));
            // 13 files' worth: the ring of 11 wraps and the first two are overwritten.
            for (int i = 0; i < 13 * 985; i++)
            {
                w.write(i, 1000, 1000, frame(i, 1000));
            }
            assertEquals(13, w.filesOpened());
        }
        final List<String> names = new ArrayList<>();
        try (var s = Files.list(tmp))
        {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        assertEquals(List.of("ring00", "ring01", "ring02", "ring03", "ring04", "ring05", "ring06", "ring07", "ring08",
            "ring09", "ring10"), names);
        // ring01 was written last (the 13th file): it holds the last frames.
        final FrameSlot slot = new FrameSlot();
        long lastStamp = -1;
        try (CaptureReader r = CaptureFiles.open(tmp.resolve("ring01")))
        {
            while (r.next(slot))
            {
                lastStamp = slot.timestampNanos;
            }
        }
        assertEquals(13 * 985 - 1, lastStamp);
    }

    private static long frames(final Path file) throws Exception
    {
        final FrameSlot slot = new FrameSlot();
        long n = 0;
        try (CaptureReader r = CaptureFiles.open(file))
        {
            while (r.next(slot))
            {
                n++;
            }
        }
        return n;
    }
}
