package io.linerate.ops.pipeline;

import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --speed} on replay: paced as asked, with the rate achieved and whether it kept up. */
class ReplaySpeedTest
{
    static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");

    @Test
    void originalSpeedTakesTheCapturesDurationAndSaysWhetherItKeptUp()
    {
        // The sample spans 0.264 s of capture time.
        final long start = System.nanoTime();
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--out", "summary",
            "--speed", "original");
        final long took = System.nanoTime() - start;
        assertEquals(0, r.exit(), r.err());
        assertTrue(took >= 264_000_000L, took / 1_000_000 + " ms");
        // The time reported is the wall time of the replay: at least the capture's, and on a busy
        // machine the last frame can be released late, so no upper bound.
        final Matcher reported = Pattern.compile("speed original: 44 frames in ([0-9.]+) s").matcher(r.out());
        assertTrue(reported.find() && Double.parseDouble(reported.group(1)) >= 0.26, r.out());
        // Whether it kept up depends on the machine's load (ReplayPacerTest checks the rule itself).
        assertTrue(r.out().matches("(?s).*speed original: [^\\n]*; (kept up|fell behind).*"), r.out());
        assertTrue(r.out().contains("frames 44"), r.out());
    }

    @Test
    void aWireRateReportsTheRateAchieved()
    {
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--out", "summary",
            "--speed", "10mbit");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("speed 10mbit: 44 frames in "), r.out());
        assertTrue(r.out().contains("(target 0.010 Gbit/s)"), r.out());
    }

    @Test
    void aBadSpeedIsExitTwo()
    {
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--speed", "warp");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--speed takes max, original, Nx"), r.err());
        assertEquals(2, MainTest.run("capture", "-i", "lo", "--speed", "2x").exit(), "replay only");
    }
}
