package io.linerate.ops.pipeline;

import io.linerate.ops.CorpusSelection;
import io.linerate.ops.LinerateProcess;
import io.linerate.ops.Main;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -} reads standard input, as {@code tcpdump -r -} does, streamed: {@code tcpdump -r F -w - |
 * linerate replay -} gives the records of {@code linerate replay F}, for the sample and for real
 * captures of the corpus, pcap and pcapng (tcpdump writes pcap; the pcapng files are also piped as
 * they are); a pipe that ends inside a record is reported as a truncated file is, after the records
 * of everything before it.
 */
class StandardInputReplayTest
{
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");

    @TempDir
    Path tmp;

    @Test
    void theSampleOnStandardInputGivesTheRecordsOfTheFile() throws Exception
    {
        final List<String> expected = records(replayFile(SAMPLE, "file"));
        final Path flows = tmp.resolve("stdin.jsonl");
        final MainTest.Run r =
            run(Files.newInputStream(SAMPLE), "replay", "-", "--sensor", "t", "--out", "jsonl:" + flows);
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertEquals(expected, records(flows));
    }

    @Test
    void dashRIsTcpdumpsSpelling() throws Exception
    {
        final List<String> expected = records(replayFile(SAMPLE, "file"));
        final Path fromFile = tmp.resolve("r.jsonl");
        assertEquals(0, run(InputStream.nullInputStream(), "replay", "-r", SAMPLE.toString(), "--sensor", "t",
            "--out", "jsonl:" + fromFile).exit());
        assertEquals(expected, records(fromFile));
        final Path fromStdin = tmp.resolve("r-.jsonl");
        assertEquals(0, run(Files.newInputStream(SAMPLE), "replay", "-r", "-", "--sensor", "t",
            "--out", "jsonl:" + fromStdin).exit());
        assertEquals(expected, records(fromStdin));
    }

    @Test
    void aPipeEndingInsideARecordIsATruncatedCaptureAndTheRecordsBeforeAreKept() throws Exception
    {
        final byte[] whole = Files.readAllBytes(SAMPLE);
        final Path flows = tmp.resolve("cut.jsonl");
        final MainTest.Run r = run(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 30)),
            "replay", "-", "--out", "jsonl:" + flows);
        assertEquals(1, r.exit());
        assertEquals(List.of("linerate: standard input: truncated packet record at byte offset 5277: " +
            "header says 55 bytes, 25 left"), r.err().lines().toList());
        // As with the file cut the same way: the last frame (an ICMP echo reply) is lost, all 7 flows stay.
        assertEquals(7, Files.readAllLines(flows).size());
    }

    @Test
    void anEmptyPipeIsOneLineAndNoSummary()
    {
        final MainTest.Run r = run(InputStream.nullInputStream(), "replay", "-", "--out", "summary");
        assertEquals(1, r.exit());
        assertEquals(List.of("linerate: standard input: empty file, not a pcap or pcapng file"),
            r.err().lines().toList());
        assertEquals("", r.out(), "no closing summary when nothing was read");
    }

    @Test
    void standardInputCanBeReadOnce()
    {
        assertEquals(2, run(InputStream.nullInputStream(), "replay", "-", "-r", "-").exit());
    }

    /** The acceptance: tcpdump's output piped into linerate, a process of its own reading its standard input. */
    @Tag("slow")
    @Test
    void tcpdumpPipedIntoLinerateGivesTheRecordsOfTheFile() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")), "needs tcpdump");
        final Path expected = replayFile(SAMPLE, "file");
        final Path piped = tmp.resolve("piped.jsonl");
        final String linerate = String.join(" ", LinerateProcess.command(List.of(), "replay", "-", "--sensor", "t",
            "--out", "jsonl:" + piped).stream().map(StandardInputReplayTest::quote).toList());
        final Process p = new ProcessBuilder("sh", "-c",
            "tcpdump -r " + quote(SAMPLE.toString()) + " -w - | " + linerate).redirectErrorStream(true).start();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), output);
        assertEquals(0, p.exitValue(), output);
        assertEquals(records(expected), records(piped));
    }

    /** The same for real captures: tcpdump's pcap (nanosecond time stamps kept), and pcapng piped as it is. */
    @Tag("slow")
    @TestFactory
    Stream<DynamicTest> corpusCapturesThroughAPipeGiveTheRecordsOfTheFile() throws IOException
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Path capture : CorpusSelection.tcpCaptures(10))
        {
            tests.add(DynamicTest.dynamicTest(capture.toString(), () ->
            {
                final List<String> expected = records(replayFile(capture, "file"));
                assertTrue(!expected.isEmpty(), capture + " has records");
                final Process tcpdump = new ProcessBuilder("tcpdump", "--time-stamp-precision=nano", "-r",
                    capture.toString(), "-w", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
                final Path fromTcpdump = tmp.resolve("tcpdump.jsonl");
                final MainTest.Run r = run(tcpdump.getInputStream(), "replay", "-", "--sensor", "t",
                    "--out", "jsonl:" + fromTcpdump);
                assertTrue(tcpdump.waitFor(1, TimeUnit.MINUTES));
                assertEquals(0, r.exit(), r.err());
                assertEquals(expected, records(fromTcpdump), capture + " through tcpdump -w -");

                final Path asItIs = tmp.resolve("cat.jsonl");
                final MainTest.Run c = run(Files.newInputStream(capture), "replay", "-", "--sensor", "t",
                    "--out", "jsonl:" + asItIs);
                assertEquals(0, c.exit(), c.err());
                assertEquals(expected, records(asItIs), capture + " piped as it is");
            }));
        }
        return tests.stream();
    }

    private Path replayFile(final Path capture, final String name)
    {
        final Path flows = tmp.resolve(name + ".jsonl");
        final MainTest.Run r = run(InputStream.nullInputStream(), "replay", capture.toString(), "--sensor", "t",
            "--out", "jsonl:" + flows);
        assertEquals(0, r.exit(), r.err());
        return flows;
    }

    /** The records, sorted: shards may write them in any order. */
    static List<String> records(final Path jsonl) throws IOException
    {
        return Files.readAllLines(jsonl).stream().sorted().toList();
    }

    static MainTest.Run run(final InputStream stdin, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of(args), stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false, new StopRequest());
        return new MainTest.Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String quote(final String word)
    {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
