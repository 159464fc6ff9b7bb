package io.linerate.ops;

import io.linerate.ops.cli.Setting;
import io.linerate.ops.cli.Settings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes, one-line errors, outputs. */
public class MainTest
{
    static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");
    static final Path GOLDEN = Path.of("src/test/resources/golden/loopback-http.jsonl");
    static final Path TLS_FIRST_BYTE = Path.of("src/test/resources/golden/tls-hello-first-byte.pcap");
    static final Path TLS_FIRST_BYTE_GOLDEN = Path.of("src/test/resources/golden/tls-hello-first-byte.jsonl");

    @TempDir
    Path tmp;

    /** What a run of the command line said. */
    public record Run(int exit, String out, String err)
    {
    }

    /** Runs the command line in this JVM, as the launcher would. */
    public static Run run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(Arrays.asList(args), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theShippedCaptureGivesItsGoldenRecords() throws Exception
    {
        final Path flows = tmp.resolve("flows.jsonl");
        final Run r = run("replay", SAMPLE.toString(), "--sensor", "golden", "--out", "jsonl:" + flows);
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        // Records of different shards may come in any order; the set is what is fixed.
        assertEquals(Files.readAllLines(GOLDEN).stream().sorted().toList(),
            Files.readAllLines(flows).stream().sorted().toList());
    }

    /**
     * The golden records are not only the program's output copied back: Wireshark agrees with them on
     * every field tshark-compare checks.
     */
    @Test
    void theGoldenRecordsAgreeWithTshark() throws Exception
    {
        Assumptions.assumeTrue(CorpusConformanceTest.tsharkAvailable(), "tshark or tshark-compare missing");
        final String report = CorpusConformanceTest.compare(SAMPLE, GOLDEN);
        assertTrue(report.startsWith("PASS"), report);
    }

    /**
     * A real TLS 1.3 connection (openssl s_server, a Python client; see tls-hello-first-byte.py) whose
     * ClientHello's first segment carries one byte, the record's content type, and the rest 200 ms
     * later: the hello is read across the two segments, SNI and ALPN included.
     */
    @Test
    void aClientHelloWhoseFirstSegmentIsOneByteGivesItsGoldenRecord() throws Exception
    {
        final Path flows = tmp.resolve("tls.jsonl");
        final Run r = run("replay", TLS_FIRST_BYTE.toString(), "--sensor", "golden", "--out", "jsonl:" + flows);
        assertEquals(0, r.exit(), r.err());
        final List<String> records = Files.readAllLines(flows);
        assertEquals(Files.readAllLines(TLS_FIRST_BYTE_GOLDEN), records);
        assertTrue(records.get(0).contains(
            "\"tls\":{\"client_version\":\"TLS1.3\",\"version\":\"TLS1.3\",\"sni\":\"one-byte.example\",\"alpn\":\"h2\"}"),
            records.get(0));
    }

    /** Wireshark reads the same hello (reassembled from the same two segments) and the same connection. */
    @Test
    void theTlsGoldenRecordAgreesWithTshark() throws Exception
    {
        Assumptions.assumeTrue(CorpusConformanceTest.tsharkAvailable(), "tshark or tshark-compare missing");
        final String report = CorpusConformanceTest.compare(TLS_FIRST_BYTE, TLS_FIRST_BYTE_GOLDEN);
        assertTrue(report.startsWith("PASS"), report);
        final Process p = new ProcessBuilder("tshark", "-r", TLS_FIRST_BYTE.toString(), "-d", "tcp.port==4433,tls",
            "-Y", "tls.handshake.type == 1", "-T", "fields", "-e", "frame.number", "-e",
            "tls.handshake.extensions_server_name", "-e", "tls.handshake.extensions_alpn_str").start();
        final String hello = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES));
        assertEquals("6\tone-byte.example\th2,http/1.1", hello, "the hello, whole in the 6th frame (the second segment)");
    }

    @Test
    void aReRunGivesTheSameRecordIdsWhateverTheThreading() throws Exception
    {
        final Path one = tmp.resolve("one.jsonl");
        final Path four = tmp.resolve("four.jsonl");
        assertEquals(0, run("replay", SAMPLE.toString(), "--sensor", "golden", "--decoders", "0", "--shards", "1",
            "--out", "jsonl:" + one).exit());
        assertEquals(0, run("replay", SAMPLE.toString(), "--sensor", "golden", "--decoders", "2", "--shards", "4",
            "--wait", "block", "--out", "jsonl:" + four).exit());
        assertEquals(Files.readAllLines(one).stream().sorted().toList(),
            Files.readAllLines(four).stream().sorted().toList());
        // The reader decodes for two shards.
        final Path two = tmp.resolve("two.jsonl");
        assertEquals(0, run("replay", SAMPLE.toString(), "--sensor", "golden", "--decoders", "0", "--shards", "2",
            "--out", "jsonl:" + two).exit());
        assertEquals(Files.readAllLines(one).stream().sorted().toList(),
            Files.readAllLines(two).stream().sorted().toList());
    }

    @Test
    void theSummaryShowsTheConnectionsAndTotals()
    {
        final Run r = run("replay", SAMPLE.toString(), "--out", "summary");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("frames 44"), r.out());
        assertTrue(r.out().contains("flows: tcp 4  udp 1  icmp 2"), r.out());
        assertTrue(r.out().contains("complete 3"), r.out());
        assertTrue(r.out().contains("refused 1"), r.out());
        assertTrue(r.out().contains("127.0.0.1:18081"), r.out());
        assertTrue(r.out().contains("verdicts: ok 5  refused 1  icmp_unreachable 1"), r.out());
        assertTrue(r.out().contains("rtt (data to ack, all connections): samples 9  min 0.003 ms  p50 0.007 ms"),
            r.out());
        assertTrue(r.out().contains(" refused\n"), "the table's verdict column: " + r.out());
    }

    @Test
    void aMissingFileIsOneLineAndExitOne()
    {
        final Run r = run("replay", tmp.resolve("nope.pcap").toString(), "--out", "summary");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("linerate: ") && r.err().contains("nope.pcap"), r.err());
    }

    @Test
    void aFileThatIsNoCaptureIsOneLineAndExitOne() throws Exception
    {
        final Path text = Files.writeString(tmp.resolve("notes.txt"), "this is not a capture\n");
        final Run r = run("replay", text.toString(), "--out", "summary");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("notes.txt"), r.err());
    }

    @Test
    void aTruncatedFileKeepsEveryRecordBeforeTheDamageAndSaysWhere() throws Exception
    {
        final byte[] whole = Files.readAllBytes(SAMPLE);
        final Path cut = Files.write(tmp.resolve("cut.pcap"), Arrays.copyOf(whole, whole.length - 30));
        final Path flows = tmp.resolve("cut.jsonl");
        final Run r = run("replay", cut.toString(), "--out", "jsonl:" + flows);
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("cut.pcap") && r.err().contains("byte offset"), r.err());
        // The last frame (an ICMP echo reply) is lost; all 7 flows are still there.
        assertEquals(7, Files.readAllLines(flows).size());
    }

    @Test
    void usageErrorsExitTwo()
    {
        assertEquals(2, run().exit());
        assertEquals(2, run("frobnicate").exit());
        assertEquals(2, run("replay").exit());
        assertEquals(2, run("replay", SAMPLE.toString(), "--bogus").exit());
        assertEquals(2, run("replay", SAMPLE.toString(), "--shards", "0").exit());
        assertEquals(2, run("replay", SAMPLE.toString(), "--ring-size", "1000").exit());
        assertEquals(2, run("replay", SAMPLE.toString(), "--out", "xml:foo").exit());
        assertEquals(2, run("replay", SAMPLE.toString(), "-c").exit());
    }

    @Test
    void theHelpListsEverySetting()
    {
        final Run r = run("--help");
        assertEquals(0, r.exit());
        for (final Setting<?> s : Settings.ALL)
        {
            for (final String flag : s.flags())
            {
                assertTrue(r.out().contains(flag), flag);
            }
        }
    }

    @Test
    void countStopsAfterThatManyFrames() throws Exception
    {
        final Path flows = tmp.resolve("c.jsonl");
        final Run r = run("replay", SAMPLE.toString(), "-c", "3", "--out", "jsonl:" + flows);
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        final List<String> lines = Files.readAllLines(flows);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("\"status\":\"complete\""), lines.get(0));
    }
}
