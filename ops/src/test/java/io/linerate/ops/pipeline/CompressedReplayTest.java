package io.linerate.ops.pipeline;

import io.linerate.ops.CorpusSelection;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captures compressed by the command-line tools people use (gzip, zstd, lz4, xz, bzip2, installed
 * by {@code ops/setup.sh --test}) replay to the records of the plain capture: the sample and real
 * captures of the corpus, from files and from standard input, and gzip files of several members; a
 * compressed capture cut short keeps the records of what came before the cut and says where, in
 * the decompressed stream.
 */
class CompressedReplayTest
{
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");
    /** Each tool, and the name it gives its files. */
    private static final Map<String, String> TOOLS = Map.of("gzip", ".gz", "zstd", ".zst", "lz4", ".lz4",
        "xz", ".xz", "bzip2", ".bz2");

    @TempDir
    Path tmp;

    @Test
    void theSampleCompressedByEachToolGivesItsRecords() throws Exception
    {
        assertCompressedCopiesGiveTheRecords(SAMPLE);
    }

    @Tag("slow")
    @TestFactory
    Stream<DynamicTest> corpusCapturesCompressedByEachToolGiveTheirRecords() throws IOException
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Path capture : CorpusSelection.tcpCaptures(10))
        {
            tests.add(DynamicTest.dynamicTest(capture.toString(),
                () -> assertCompressedCopiesGiveTheRecords(capture)));
        }
        return tests.stream();
    }

    /** {@code cat a.gz b.gz}: gzip files of several members, as zcat reads them. */
    @Test
    void aGzipFileOfSeveralMembersIsOneCapture() throws Exception
    {
        final List<String> expected = StandardInputReplayTest.records(replay(SAMPLE, "plain"));
        final byte[] whole = Files.readAllBytes(SAMPLE);
        final Path head = Files.write(tmp.resolve("head.pcap"), Arrays.copyOf(whole, 2_000));
        final Path tail = Files.write(tmp.resolve("tail.pcap"), Arrays.copyOfRange(whole, 2_000, whole.length));
        final Path members = tmp.resolve("members.pcap.gz");
        Files.write(members, compressWithTool("gzip", head));
        Files.write(members, compressWithTool("gzip", tail), java.nio.file.StandardOpenOption.APPEND);

        assertEquals(expected, StandardInputReplayTest.records(replay(members, "members")));
    }

    /** A compressed capture cut in two: the records of the first part, and where the data ended. */
    @Test
    void aCompressedCaptureCutShortKeepsTheRecordsBeforeTheCutAndSaysWhere() throws Exception
    {
        final Path capture = tmp.resolve("many.pcap");
        ManyConnections.write(capture, 3_000);
        for (final String tool : TOOLS.keySet())
        {
            // bzip2 decodes whole blocks, 900 kB of capture by default: -1 makes them 100 kB.
            final byte[] compressed = tool.equals("bzip2") ? compressWithTool(tool, capture, "-1") :
                compressWithTool(tool, capture);
            final Path cut = Files.write(tmp.resolve("cut" + TOOLS.get(tool)),
                Arrays.copyOf(compressed, compressed.length / 2));
            final Path flows = tmp.resolve("cut-" + tool + ".jsonl");
            final MainTest.Run r = StandardInputReplayTest.run(InputStream.nullInputStream(), "replay",
                cut.toString(), "--out", "jsonl:" + flows);
            assertEquals(1, r.exit(), tool + ": " + r.err());
            final List<String> lines = r.err().lines().toList();
            assertEquals(1, lines.size(), tool + ": " + r.err());
            assertTrue(lines.get(0).startsWith("linerate: " + cut + ": "), lines.get(0));
            assertTrue(lines.get(0).matches(".* at byte offset \\d+ of the " + tool + "-decompressed stream.*"),
                lines.get(0));
            final long records = Files.readAllLines(flows).size();
            assertTrue(records > 3_000 / 4 && records < 3_000,
                tool + ": " + records + " records of what came before the cut: " + r.err());
        }
    }

    private void assertCompressedCopiesGiveTheRecords(final Path capture) throws Exception
    {
        Assumptions.assumeTrue(TOOLS.keySet().stream().allMatch(CompressedReplayTest::onPath),
            "needs gzip, zstd, lz4, xz and bzip2 (ops/setup.sh --test)");
        final List<String> expected = StandardInputReplayTest.records(replay(capture, "plain"));
        for (final Map.Entry<String, String> tool : TOOLS.entrySet())
        {
            final byte[] compressed = compressWithTool(tool.getKey(), capture);
            final Path file = Files.write(tmp.resolve(capture.getFileName() + tool.getValue()), compressed);
            assertEquals(expected, StandardInputReplayTest.records(replay(file, tool.getKey())),
                capture + tool.getValue());
            final Path flows = tmp.resolve(tool.getKey() + "-stdin.jsonl");
            final MainTest.Run r = StandardInputReplayTest.run(Files.newInputStream(file), "replay", "-",
                "--sensor", "t", "--out", "jsonl:" + flows);
            assertEquals(0, r.exit(), r.err());
            assertEquals(expected, StandardInputReplayTest.records(flows),
                capture + tool.getValue() + " on standard input");
        }
    }

    private Path replay(final Path capture, final String name)
    {
        final Path flows = tmp.resolve(name + ".jsonl");
        final MainTest.Run r = StandardInputReplayTest.run(InputStream.nullInputStream(), "replay",
            capture.toString(), "--sensor", "t", "--out", "jsonl:" + flows);
        assertEquals(0, r.exit(), capture + ": " + r.err());
        return flows;
    }

    /** {@code TOOL -c FILE}: the bytes the tool writes. */
    static byte[] compressWithTool(final String tool, final Path file, final String... options)
        throws IOException, InterruptedException
    {
        Assumptions.assumeTrue(onPath(tool), "needs " + tool + " (ops/setup.sh --test)");
        final List<String> command = new ArrayList<>(List.of(tool, "-c"));
        command.addAll(List.of(options));
        command.add(file.toString());
        final Process p = new ProcessBuilder(command).start();
        final byte[] out = p.getInputStream().readAllBytes();
        final String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), tool);
        assertEquals(0, p.exitValue(), tool + ": " + err);
        return out;
    }

    static boolean onPath(final String tool)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, tool)))
            {
                return true;
            }
        }
        return false;
    }
}
