package io.linerate.ops.pipeline;

import io.linerate.ops.CorpusSelection;
import io.linerate.ops.Json;
import io.linerate.ops.Main;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --pipeline run-to-completion}: each shard's thread reads the files itself and analyses the
 * frames that hash to it. The records (every field, ids included) and the summary's counts are the
 * ring's, whatever the number of shards, with a filter and a frame count too; damage is reported
 * once, with the records before it kept; and what it cannot read (standard input, a paced replay)
 * is refused by name.
 */
class RunToCompletionTest
{
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");

    @TempDir
    Path tmp;

    @Test
    void theSampleGivesTheRingsRecordsOnAnyNumberOfShards() throws Exception
    {
        assertSameAsTheRing(SAMPLE);
    }

    @Tag("slow")
    @Test
    void corpusCapturesGiveTheRingsRecords() throws Exception
    {
        for (final Path capture : CorpusSelection.tcpCaptures(6))
        {
            assertSameAsTheRing(capture);
        }
    }

    /**
     * Every capture of the corpus in one replay, malformed frames, tunnels, fragments and ICMP errors
     * included: the same records on the ring with one shard, two or three, and run to completion on
     * two or three (where the steering places the plain TCP frames without decoding them). An ICMP
     * error is two shards' business (its quoted connection's and its own flow's); the router's
     * messages of a traceroute used to be split into one record per shard.
     */
    @Tag("slow")
    @Test
    void theWholeCorpusGivesTheSameRecordsOnAnyNumberOfShards() throws Exception
    {
        final List<Path> captures = CorpusSelection.everyCapture();
        final Run one = replay(captures, "ring", "1");
        assertTrue(one.records.size() > 5_000, one.records.size() + " records");
        for (final String pipeline : List.of("ring", "run-to-completion"))
        {
            for (final String shards : List.of("2", "3"))
            {
                final Run many = replay(captures, pipeline, shards);
                assertEquals(one.exit, many.exit, many.err);
                assertEquals(one.records, many.records, pipeline + " on " + shards + " shards");
                assertEquals(one.counts, many.counts, pipeline + " on " + shards + " shards");
            }
        }
    }

    @Test
    void aFilterAndACountAreAppliedByEveryShardAlike() throws Exception
    {
        final String[] selection = {"--count", "25", "tcp"};
        final Run ring = replay(SAMPLE, "ring", "1", selection);
        final Run direct = replay(SAMPLE, "run-to-completion", "2", selection);
        assertEquals(ring.records, direct.records);
        assertEquals(ring.counts, direct.counts);
        assertTrue(ring.counts.contains("frames 25 "), ring.counts);
        assertFalse(ring.records.isEmpty());
    }

    /** A capture cut mid-frame: one message (not one a thread), the records before the cut kept, exit 1. */
    @Test
    void damageIsReportedOnceAndTheRecordsBeforeItAreKept() throws Exception
    {
        final byte[] whole = Files.readAllBytes(SAMPLE);
        final Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3 + 7));
        final Run ring = replay(cut, "ring", "1");
        final Run direct = replay(cut, "run-to-completion", "2");
        assertEquals(1, ring.exit);
        assertEquals(1, direct.exit);
        assertEquals(ring.records, direct.records);
        assertFalse(direct.records.isEmpty());
        assertEquals(1, direct.err.lines().filter(l -> l.contains("cut.pcap")).count(), direct.err);
        assertEquals(ring.err.lines().filter(l -> l.contains("cut.pcap")).toList(),
            direct.err.lines().filter(l -> l.contains("cut.pcap")).toList());
    }

    /** Several files are merged by each shard's thread: a damaged one is still said once. */
    @Test
    void aDamagedFileAmongSeveralIsReportedOnce() throws Exception
    {
        final Path empty = tmp.resolve("empty.pcap");
        Files.write(empty, new byte[0]);
        final Run ring = replay(SAMPLE, "ring", "1", "-r", empty.toString());
        final Run direct = replay(SAMPLE, "run-to-completion", "2", "-r", empty.toString());
        assertEquals(1, ring.exit);
        assertEquals(1, direct.exit);
        assertEquals(ring.records, direct.records);
        assertFalse(direct.records.isEmpty());
        assertEquals(List.of("linerate: " + empty + ": empty file, not a pcap or pcapng file"),
            direct.err.lines().filter(l -> l.contains("empty.pcap")).toList(), direct.err);
        assertEquals(ring.err.lines().filter(l -> l.contains("empty.pcap")).toList(),
            direct.err.lines().filter(l -> l.contains("empty.pcap")).toList());
    }

    /**
     * A stop (here requested before the first frame) ends every shard's thread at the same frame:
     * the frames the summary counts are the frames in the records, on one shard and on three.
     */
    @Test
    void aStopEndsEveryShardAtTheSameFrame() throws Exception
    {
        final Path capture = tmp.resolve("many.pcap");
        ManyConnections.write(capture, 2_000);
        for (final String shards : List.of("1", "3"))
        {
            final Path flows = tmp.resolve("stopped-" + shards + ".jsonl");
            final StopRequest stop = new StopRequest();
            stop.request();
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final int exit = Main.run(List.of("replay", capture.toString(), "--pipeline", "run-to-completion",
                "--shards", shards, "--out", "jsonl:" + flows, "--out", "summary"), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(OutputStream.nullOutputStream()),
                false, stop);
            assertEquals(0, exit);
            final Matcher counted = Pattern.compile("frames ([0-9,]+) ").matcher(out.toString(StandardCharsets.UTF_8));
            assertTrue(counted.find(), out.toString(StandardCharsets.UTF_8));
            final long frames = Long.parseLong(counted.group(1).replace(",", ""));
            long packets = 0;
            for (final String line : Files.readAllLines(flows))
            {
                final Map<String, Object> record = Json.object(line);
                packets += Json.num(record, "c2s.packets") + Json.num(record, "s2c.packets");
            }
            assertTrue(frames > 0 && frames < 12_000, "stopped early: " + frames);
            assertEquals(frames, packets, shards + " shards");
        }
    }

    @Test
    void whatItCannotReadIsRefusedByName()
    {
        final MainTest.Run stdin = StandardInputReplayTest.run(new ByteArrayInputStream(new byte[0]),
            "replay", "-", "--pipeline", "run-to-completion");
        assertEquals(2, stdin.exit());
        assertTrue(stdin.err().contains("standard input"), stdin.err());
        final MainTest.Run paced = MainTest.run("replay", SAMPLE.toString(), "--pipeline", "run-to-completion",
            "--speed", "2x");
        assertEquals(2, paced.exit());
        assertTrue(paced.err().contains("--speed"), paced.err());
        final MainTest.Run decoders = MainTest.run("replay", SAMPLE.toString(), "--pipeline", "run-to-completion",
            "--decoders", "1");
        assertEquals(2, decoders.exit());
        final MainTest.Run unknown = MainTest.run("replay", SAMPLE.toString(), "--pipeline", "fast");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("auto, ring or run-to-completion"), unknown.err());
    }

    private void assertSameAsTheRing(final Path capture) throws IOException
    {
        final Run ring = replay(capture, "ring", "1");
        assertEquals(0, ring.exit, ring.err);
        for (final String shards : List.of("1", "2", "3"))
        {
            final Run direct = replay(capture, "run-to-completion", shards);
            assertEquals(0, direct.exit, direct.err);
            assertEquals(ring.records, direct.records, capture + " on " + shards + " shards");
            assertEquals(ring.counts, direct.counts, capture + " on " + shards + " shards");
        }
    }

    private Run replay(final Path capture, final String pipeline, final String shards, final String... more)
        throws IOException
    {
        return replay(List.of(capture), pipeline, shards, more);
    }

    private Run replay(final List<Path> captures, final String pipeline, final String shards, final String... more)
        throws IOException
    {
        final Path flows = Files.createTempFile(tmp, pipeline, ".jsonl");
        final List<String> args = new ArrayList<>(List.of("replay"));
        captures.forEach(c -> args.add(c.toString()));
        args.addAll(List.of("--pipeline", pipeline,
            "--shards", shards, "--sensor", "t", "--out", "jsonl:" + flows, "--out", "summary"));
        args.addAll(List.of(more));
        final MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        return new Run(r.exit(), StandardInputReplayTest.records(flows), counts(r.out()), r.err());
    }

    /** The summary without its times (elapsed, frames a second), which differ from run to run. */
    private static String counts(final String summary)
    {
        return summary.replaceAll("elapsed [0-9.]+ s\\s+[0-9,]+ frames/s", "");
    }

    private record Run(int exit, List<String> records, String counts, String err)
    {
    }
}
