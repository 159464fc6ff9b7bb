package io.linerate.perf.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison's command line on a tiny capture (timings are printed, never asserted). */
class ReplayComparisonTest
{
    @TempDir
    Path tmp;

    @Test
    void generatesTimesEverySettingAndNamesTheFastest() throws Exception
    {
        final Path kept = tmp.resolve("kept.pcap");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = ReplayComparison.run(List.of("--generate", "64b", "--frames", "2000", "--flows", "50",
                "--keep", kept.toString(), "--runs", "2", "--warmup-frames", "100", "--peers", "none",
                "--configs", "0/1/yield,1/2/block"),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8) + text);
        assertTrue(text.contains("2,000 frames, 120,000 frame bytes (60.0 per frame)"), text);
        assertEquals(2, text.lines().filter(l -> l.contains("run 2  linerate")).count(), text);
        assertTrue(text.contains("fastest linerate setting: linerate --decoders "), text);
        assertTrue(Files.exists(kept));
    }

    @Test
    void badUsageIsExitTwo() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        final PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, ReplayComparison.run(List.of(), o, e));
        assertEquals(2, ReplayComparison.run(List.of("--peers", "wireshark", "x.pcap"), o, e));
        assertEquals(2, ReplayComparison.run(List.of("--generate", "64b", "x.pcap"), o, e));
        assertFalse(err.toString(StandardCharsets.UTF_8).isEmpty());
    }
}
