package io.linerate.perf.generate;

import io.linerate.ops.Main;
import io.linerate.perf.JsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * linerate, run in-process on generated captures, must report every connection exactly as the
 * generator wrote it: the same connections, packets, bytes and payload per direction, FIN and RST,
 * handshake status, SYN and SYN-ACK counts, handshake times to the microsecond, roles, first and last
 * packet times, and the end reason where it does not depend on timeouts.
 */
class GeneratedTruthAgreementTest
{
    /** Truth keys that are no record keys (yet): the generator's script, its retransmission count. */
    private static final Set<String> NOT_IN_RECORDS = Set.of("kind");
    /** Handshake times: present in a record exactly when the truth has them. */
    private static final List<String> HANDSHAKE_TIMES = List.of(
        "handshake.rtt_us", "handshake.syn_to_synack_us", "handshake.synack_to_ack_us");

    private static final int MAX_PROBLEMS_SHOWN = 40;

    @TempDir
    Path tmp;

    /** 200 connections of every kind (refused, unanswered, SYN retried, re-sent data, RST close) and 30 UDP flows. */
    static GeneratorSettings mixed()
    {
        return new GeneratorSettings()
            .mode(GeneratorSettings.Mode.TCP)
            .seed(7)
            .connections(200)
            .refused(20)
            .unanswered(20)
            .rstClose(20)
            .retransmitted(20)
            .synRetried(20)
            .udpFlows(30)
            .clients(50)
            .connectionRate(5000);
    }

    @Test
    void reSentDataIsCountedAsWiresharkWouldAndMakesAConnectionLossy() throws IOException
    {
        // One response segment re-sent 200 ms later, when the client has acknowledged it: a spurious
        // retransmission, and one of at most a few tens of data segments is above the 2% threshold.
        final List<String> truth = generate(new GeneratorSettings()
            .mode(GeneratorSettings.Mode.TCP)
            .seed(11)
            .connections(40)
            .retransmitted(15)
            .clients(10));
        assertEquals(15, truth.stream().filter(t -> t.contains("\"verdict\":\"lossy\"")).count());
        assertEquals(15, truth.stream().filter(t -> t.contains("\"spurious_retransmissions\":1")).count());
        assertAgreement(truth, replay());
    }

    @ParameterizedTest(name = "decoders/shards/wait {0}")
    @ValueSource(strings = {"0/1/yield", "1/2/block"})
    void everyConnectionIsReportedAsGenerated(final String threading) throws IOException
    {
        final List<String> truth = generate(mixed());
        assertEquals(230, truth.size());
        assertEquals(20, truth.stream().filter(t -> t.contains("\"status\":\"refused\"")).count());
        assertEquals(20, truth.stream().filter(t -> t.contains("\"status\":\"syn_sent\"")).count());
        assertEquals(20, truth.stream().filter(t -> t.contains("\"syn_count\":2,")).count());
        assertEquals(20, truth.stream().filter(t -> t.contains("\"syn_count\":4,")).count());
        // the scripted failures are all there, so each of their verdicts and counts is checked
        assertEquals(20, truth.stream().filter(t -> t.contains("\"verdict\":\"syn_unanswered\"")).count());
        assertEquals(20, truth.stream().filter(t -> t.contains("\"verdict\":\"refused\"")).count());
        assertTrue(truth.stream().anyMatch(t -> t.contains("\"verdict\":\"reset\"")));
        assertTrue(truth.stream().anyMatch(t -> t.contains("\"verdict\":\"ok\"")));
        assertEquals(20, truth.stream().filter(t -> t.contains("\"spurious_retransmissions\":1")).count());

        final String[] t = threading.split("/");
        assertAgreement(truth, replay("--decoders", t[0], "--shards", t[1], "--wait", t[2]));
    }

    @Test
    void minimumSizeFramesAreCountedPerConnection() throws IOException
    {
        final List<String> truth = generate(new GeneratorSettings()
            .mode(GeneratorSettings.Mode.MIN_FRAMES).seed(3).frames(20_000).flows(300).clients(100));
        assertEquals(300, truth.size());
        assertAgreement(truth, replay());
    }

    @Test
    void imixFramesAreCountedPerConnection() throws IOException
    {
        final List<String> truth = generate(new GeneratorSettings()
            .mode(GeneratorSettings.Mode.IMIX).seed(5).frames(24_000).flows(250).clients(100));
        assertEquals(250, truth.size());
        assertAgreement(truth, replay("--decoders", "1", "--shards", "2"));
    }

    private List<String> generate(final GeneratorSettings settings) throws IOException
    {
        final Path truthFile = tmp.resolve("truth.jsonl");
        TrafficGenerator.writeFiles(settings, tmp.resolve("capture.pcap"), truthFile);
        return Files.readAllLines(truthFile);
    }

    private List<String> replay(final String... threading) throws IOException
    {
        final Path records = tmp.resolve("records.jsonl");
        final List<String> args = new ArrayList<>(List.of(
            "replay", tmp.resolve("capture.pcap").toString(), "--sensor", "truth", "--out", "jsonl:" + records));
        args.addAll(List.of(threading));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        return Files.readAllLines(records);
    }

    /** Compares field by field and reports every disagreement at once. */
    private static void assertAgreement(final List<String> truthLines, final List<String> recordLines)
    {
        final Map<String, Map<String, Object>> records = new TreeMap<>();
        final List<String> problems = new ArrayList<>();
        for (final String line : recordLines)
        {
            final Map<String, Object> r = JsonReader.object(line);
            if (!"final".equals(r.get("record_type")))
            {
                problems.add("not a final record: " + line);
                continue;
            }
            if (records.put(key(r), r) != null)
            {
                problems.add("two final records for " + key(r));
            }
        }
        final Set<String> expected = new TreeSet<>();
        for (final String line : truthLines)
        {
            final Map<String, Object> truth = JsonReader.object(line);
            final String key = key(truth);
            expected.add(key);
            final Map<String, Object> record = records.get(key);
            if (record == null)
            {
                problems.add(key + ": no record");
                continue;
            }
            compare(key, "", truth, record, problems);
            for (final String time : HANDSHAKE_TIMES)
            {
                if (JsonReader.at(truth, time) == null && JsonReader.at(record, time) != null)
                {
                    problems.add(key + " " + time + ": absent in the truth, " + JsonReader.at(record, time) + " in the record");
                }
            }
            if (truth.get("handshake") == null && record.get("handshake") != null)
            {
                problems.add(key + ": a handshake object where none was generated");
            }
        }
        for (final String key : records.keySet())
        {
            if (!expected.contains(key))
            {
                problems.add(key + ": a record for a connection that was not generated");
            }
        }
        final int shown = Math.min(problems.size(), MAX_PROBLEMS_SHOWN);
        assertEquals(List.of(), problems.subList(0, shown), problems.size() + " disagreements with the generated truth"
            + (shown < problems.size() ? " (the first " + shown + " shown)" : ""));
        assertEquals(truthLines.size(), records.size());
    }

    @SuppressWarnings("unchecked")
    private static void compare(final String key, final String prefix, final Map<String, Object> truth,
        final Map<String, Object> record, final List<String> problems)
    {
        for (final Map.Entry<String, Object> e : truth.entrySet())
        {
            final String path = prefix + e.getKey();
            if (NOT_IN_RECORDS.contains(path))
            {
                continue;
            }
            if (e.getValue() instanceof Map)
            {
                compare(key, path + ".", (Map<String, Object>)e.getValue(), record, problems);
                continue;
            }
            final Object actual = JsonReader.at(record, path);
            if (!e.getValue().equals(actual))
            {
                problems.add(key + " " + path + ": expected " + e.getValue() + ", linerate " + actual);
            }
        }
    }

    private static String key(final Map<String, Object> o)
    {
        return JsonReader.at(o, "transport") + " " + JsonReader.at(o, "client.ip") + ":" + JsonReader.at(o, "client.port")
            + " > " + JsonReader.at(o, "server.ip") + ":" + JsonReader.at(o, "server.port");
    }
}
