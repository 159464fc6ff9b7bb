package io.linerate.perf.generate;

import io.linerate.ops.LinerateProcess;
import io.linerate.ops.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory bound under the two floods, at a scale a test can run: each capture is replayed by
 * linerate in a JVM of its own whose heap ({@value #HEAP}) could not hold the flood's state without
 * the caps, and must end normally with every cap counted (figures at full scale: perf/RESULTS.md).
 */
class FloodCapturesTest
{
    private static final String HEAP = "-Xmx64m";
    private static final int MAX_FLOWS = 10_000;

    @TempDir
    Path tmp;

    @Test
    void aSynFloodEndsInASmallHeapWithTheFlowTableAtItsCap() throws Exception
    {
        // 200,000 half-open connections are about 300 MB of flow state: five times the heap.
        final int syns = 200_000;
        final Path capture = tmp.resolve("syn.pcap");
        try (PcapFileWriter w = new PcapFileWriter(capture))
        {
            FloodCaptures.synFlood(w, syns, 1);
        }
        final String summary = replay(capture);
        assertTrue(summary.contains(String.format(Locale.ROOT, "flows: tcp %,d  udp 0  icmp 0  other 0;  evicted %,d",
            syns, syns - MAX_FLOWS)), summary);
        assertTrue(summary.contains(String.format(Locale.ROOT, "verdicts: syn_unanswered %,d", syns)), summary);
    }

    @Test
    void aFragmentFloodEndsInASmallHeapWithEveryCapCounted() throws Exception
    {
        final int datagrams = 32_000;
        final Path capture = tmp.resolve("fragments.pcap");
        final long fragments;
        try (PcapFileWriter w = new PcapFileWriter(capture))
        {
            fragments = FloodCaptures.fragmentFlood(w, datagrams, 1);
        }
        final String summary = replay(capture);
        final int teardrops = FloodCaptures.teardrops(datagrams);
        final int holes = FloodCaptures.holeDatagrams(datagrams);
        final int overlaps = FloodCaptures.overlapDatagrams(datagrams);
        // Left waiting: the first fragments alone, and the fragments after a datagram was given up
        // (the last copies of the overlapping one, the last of the one with holes) start new ones.
        final int leftWaiting = FloodCaptures.firstOnlyDatagrams(datagrams) + holes + overlaps;
        final int maxPending = io.linerate.aggregate.ip.FragmentReassembler.DEFAULT_MAX_PENDING;
        assertTrue(summary.contains(String.format(Locale.ROOT,
            "ip fragments: %,d  datagrams reassembled %,d  timed out 0  unfinished %,d", fragments, teardrops, maxPending)),
            summary);
        // Each copy of the overlapping fragment after the first up to the cap of 128 overlaps.
        final int perDatagramCap = io.linerate.aggregate.ip.FragmentReassembler.DEFAULT_MAX_FRAGMENTS_PER_DATAGRAM;
        assertTrue(summary.contains(String.format(Locale.ROOT,
            "anomalies and limits: fragment_overlap %,d, excessive_fragments_per_datagram %,d, " +
            "excessive_fragment_holes %,d, excessive_pending_datagrams %,d",
            teardrops + (long)overlaps * (perDatagramCap - 1), overlaps, holes, leftWaiting - maxPending)), summary);
        assertTrue(summary.contains(String.format(Locale.ROOT, "evicted %,d", teardrops - MAX_FLOWS)),
            "every teardrop is a UDP flow of its own source: " + summary);
    }

    /** Replays {@code capture} in a JVM of {@link #HEAP}; returns the summary of a run that ended with exit 0. */
    private String replay(final Path capture) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The module flags linerate needs (Agrona's flow slab, Chronicle), as this JVM was given them.
        command.addAll(LinerateProcess.jvmFlags());
        command.addAll(List.of(HEAP, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "replay", capture.toString(), "--max-flows", Integer.toString(MAX_FLOWS), "--out", "summary",
            "--summary-rows", "0"));
        final Path out = tmp.resolve("out.txt");
        final Path err = tmp.resolve("err.txt");
        final Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        final boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended)
        {
            p.destroyForcibly();
        }
        final String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(ended, "did not end within 5 minutes: " + stderr);
        assertEquals(0, p.exitValue(), "exit code; stderr: " + stderr);
        assertEquals("", stderr);
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
