package io.linerate.ops.pipeline;

import io.linerate.ops.Json;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A filter expression on replay: frames it rejects never reach the flow tables, so the records are
 * those of a capture that tcpdump filtered first; a bad expression is libpcap's message and exit 2.
 */
class ReplayFilterTest
{
    static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");

    @TempDir
    Path tmp;

    @Test
    void onlyTheRefusedConnectionPassesItsPort() throws Exception
    {
        final Path flows = tmp.resolve("flows.jsonl");
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--out", "jsonl:" + flows, "tcp", "port",
            "18081");
        assertEquals(0, r.exit(), r.err());
        final List<String> lines = Files.readAllLines(flows);
        assertEquals(1, lines.size(), lines.toString());
        final Map<String, Object> record = Json.object(lines.get(0));
        assertEquals(18081L, Json.num(record, "server.port"));
        assertEquals("refused", Json.at(record, "handshake.status"));
        assertTrue(r.err().contains("filter 'tcp port 18081': 2 frames kept, 42 filtered out"), r.err());
    }

    @Test
    void theSummaryCountsOnlyWhatPassed()
    {
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--out", "summary", "icmp or udp");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("flows: tcp 0  udp 1  icmp 2"), r.out());
        assertTrue(r.out().contains("filter 'icmp or udp': "), r.out());
    }

    @Test
    void recordsAreThoseOfTheCaptureTcpdumpFiltered() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")), "needs tcpdump");
        for (final String expression : List.of("tcp[tcpflags] & tcp-rst != 0 or port 8080", "not icmp", "udp or icmp"))
        {
            final Path filtered = tmp.resolve("filtered.pcap");
            final Process p = new ProcessBuilder("tcpdump", "-r", SAMPLE.toString(), "-w", filtered.toString(), expression)
                .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            final Path ours = tmp.resolve("ours.jsonl");
            final Path theirs = tmp.resolve("theirs.jsonl");
            assertEquals(0, MainTest.run("replay", SAMPLE.toString(), "--sensor", "t", "--out", "jsonl:" + ours,
                expression).exit());
            assertEquals(0, MainTest.run("replay", filtered.toString(), "--sensor", "t", "--out", "jsonl:" + theirs).exit());
            assertEquals(withoutIds(theirs), withoutIds(ours), expression);
        }
    }

    @Test
    void aBadExpressionIsLibpcapsMessageAndExitTwo()
    {
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "tcp", "port");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("linerate: ") && r.err().contains("syntax error"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    /** The records, sorted, without the ids made from frame numbers (the filtered file numbers them anew). */
    private static List<String> withoutIds(final Path jsonl) throws Exception
    {
        final List<String> out = new ArrayList<>();
        for (final String line : Files.readAllLines(jsonl))
        {
            out.add(line.replaceAll("\"(record_id|flow_id)\":\"[^\"]*\",", ""));
        }
        out.sort(null);
        return out;
    }
}
