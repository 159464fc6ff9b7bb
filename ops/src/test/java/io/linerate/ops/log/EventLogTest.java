package io.linerate.ops.log;

import io.linerate.ops.Json;
import io.linerate.ops.LinerateProcess;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event log on stderr, from a process of its own: off by default; with {@code --log-level info} a
 * line for the start (with the effective settings) and one for the end (with the run's totals), in
 * plain text or as JSON lines.
 */
class EventLogTest
{
    private static final String SAMPLE = Path.of("../samples/loopback-http.pcap").toString();

    @TempDir
    Path tmp;

    @Test
    void offByDefault() throws Exception
    {
        final MainTest.Run r = LinerateProcess.run(tmp, null, List.of(), "replay", SAMPLE, "--out",
            "jsonl:" + tmp.resolve("a.jsonl"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void jsonLinesOneObjectAnEvent() throws Exception
    {
        final MainTest.Run r = LinerateProcess.run(tmp, null, List.of(), "replay", SAMPLE, "--out",
            "jsonl:" + tmp.resolve("b.jsonl"), "--log-level", "info", "--log-format", "json", "--sensor", "s1");
        assertEquals(0, r.exit(), r.err());
        final List<Map<String, Object>> events = new ArrayList<>();
        for (final String line : r.err().split("\n"))
        {
            events.add(Json.object(line));
        }
        assertEquals(2, events.size(), r.err());
        assertEquals("INFO", events.get(0).get("level"));
        assertEquals("io.linerate.ops.pipeline.Replay", events.get(0).get("loggerName"));
        final String start = (String)events.get(0).get("formattedMessage");
        assertTrue(start.startsWith("start replay of [") && start.contains("sensor s1") &&
            start.contains("outputs [jsonl:"), start);
        assertEquals("end: 44 frames, 4620 bytes, 7 flows, 0 malformed, in " +
            ((String)events.get(1).get("formattedMessage")).replaceAll(".* in ([0-9.]+) s.*", "$1") + " s; exit code 0",
            events.get(1).get("formattedMessage"));
        assertTrue(events.get(0).get("timestamp") instanceof Number, events.get(0).toString());
    }

    @Test
    void plainTextByDefault() throws Exception
    {
        final MainTest.Run r = LinerateProcess.run(tmp, null, List.of(), "replay", SAMPLE, "--out",
            "jsonl:" + tmp.resolve("c.jsonl"), "--log-level", "info");
        assertEquals(0, r.exit(), r.err());
        final String[] lines = r.err().split("\n");
        assertEquals(2, lines.length, r.err());
        assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  Replay: start replay of .*"),
            lines[0]);
        assertTrue(lines[1].matches(".*Z INFO  Replay: end: 44 frames, 4620 bytes, 7 flows, 0 malformed, in [0-9.]+ s; " +
            "exit code 0"), lines[1]);
    }

    @Test
    void aBadLevelIsAUsageError()
    {
        final MainTest.Run r = MainTest.run("replay", SAMPLE, "--log-level", "loud");
        assertEquals(2, r.exit());
        assertEquals("linerate: --log-level must be one of off, error, warn, info, debug: loud\n", r.err());
    }
}
