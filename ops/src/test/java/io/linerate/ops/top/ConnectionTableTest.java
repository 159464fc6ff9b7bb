package io.linerate.ops.top;

import io.linerate.ops.Json;
import io.linerate.ops.MainTest;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.cli.Settings;
import io.linerate.ops.filter.ConnectionFields;
import io.linerate.ops.filter.DisplayFilter;
import io.linerate.ops.pipeline.Replay;
import io.linerate.ops.pipeline.StopRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table {@code linerate top} shows, fed by a real replay of the sample as top feeds it (the run's
 * record tap): one connection per final record, each with that record's JSON and columns; a filter
 * given afterwards keeps what {@code --where} keeps; the sort orders put what they promise first.
 */
class ConnectionTableTest
{
    private static final Path SAMPLE = Path.of("..", "samples", "loopback-http.pcap");

    @TempDir
    Path tmp;

    @Test
    void holdsTheLatestRecordOfEachConnectionAndFiltersThemAsWhereDoes() throws Exception
    {
        final Path flows = tmp.resolve("flows.jsonl");
        final MainTest.Run replay = MainTest.run("replay", SAMPLE.toString(), "--sensor", "t", "--out", "jsonl:" + flows);
        assertEquals(0, replay.exit(), replay.err());
        final Map<String, String> records = Files.readAllLines(flows).stream()
            .collect(Collectors.toMap(l -> (String)Json.object(l).get("flow_id"), l -> l));

        final ConnectionTable table = watch("replay", SAMPLE.toString(), "--sensor", "t");
        final List<Connection> all = table.connections();
        assertEquals(records.keySet(), all.stream().map(Connection::flowId).collect(Collectors.toSet()));
        for (final Connection c : all)
        {
            final Map<String, Object> r = Json.object(records.get(c.flowId()));
            assertEquals(records.get(c.flowId()), c.json(), "the record as the JSON output writes it");
            assertTrue(c.isFinal());
            assertEquals(r.get("verdict"), c.verdict());
            assertEquals(Json.num(r, "start_us"), c.startMicros());
            assertEquals(Json.num(r, "c2s.bytes") + Json.num(r, "s2c.bytes"), c.bytes());
            assertEquals(Json.at(r, "handshake.rtt_us") == null ? -1 : Json.num(r, "handshake.rtt_us"), c.rttMicros());
            assertEquals(Json.at(r, "c2s.retransmissions") == null ? -1 :
                Json.num(r, "c2s.retransmissions") + Json.num(r, "s2c.retransmissions"), c.retransmissions());
        }

        // A filter compiled after the records came keeps what --where keeps on the same run.
        for (final String expr : List.of("verdict != \"ok\"", "transport == \"tcp\" && handshake.rtt_us < 1ms",
            "server.port == 18080 or c2s.bytes > 100", "!tls"))
        {
            final Path kept = tmp.resolve("kept.jsonl");
            final MainTest.Run where = MainTest.run("replay", SAMPLE.toString(), "--sensor", "t", "--out", "jsonl:" + kept,
                "--where", expr);
            assertEquals(0, where.exit(), where.err());
            final DisplayFilter filter = DisplayFilter.compile(expr, new ConnectionFields());
            assertEquals(Files.readAllLines(kept).stream().map(l -> (String)Json.object(l).get("flow_id"))
                    .collect(Collectors.toSet()),
                all.stream().filter(c -> c.keptBy(filter)).map(Connection::flowId).collect(Collectors.toSet()), expr);
        }

        final List<Connection> byVerdict = new ArrayList<>(all);
        byVerdict.sort(SortKey.VERDICT.order(false));
        final long failed = all.stream().filter(c -> !"ok".equals(c.verdict())).count();
        assertTrue(failed > 0);
        assertTrue(byVerdict.subList(0, (int)failed).stream().noneMatch(c -> "ok".equals(c.verdict())), "failures first");
        final List<Connection> byBytes = new ArrayList<>(all);
        byBytes.sort(SortKey.BYTES.order(false));
        for (int i = 1; i < byBytes.size(); i++)
        {
            assertTrue(byBytes.get(i - 1).bytes() >= byBytes.get(i).bytes(), "most bytes first");
        }
        byBytes.sort(SortKey.BYTES.order(true));
        assertTrue(byBytes.get(0).bytes() <= byBytes.get(byBytes.size() - 1).bytes(), "reversed");
    }

    @Test
    void openConnectionsShowTheirInterimRecordUntilTheFinalOne() throws Exception
    {
        // A connection open across an active timeout: its row holds an interim record, then the final one.
        final Path stretched = tmp.resolve("stretched.pcap");
        TopCommandTest.stretch(SAMPLE, stretched, 50);
        final List<Boolean> seenFinal = new ArrayList<>();
        final ReplayOptions options = Settings.parseReplay(List.of(stretched.toString(), "--active-timeout", "1",
            "--sensor", "t"), false).watching(null);
        final ConnectionTable interim = new ConnectionTable("t");
        final int[] interimRecords = new int[1];
        run(options, (flow, isFinal, endReason) ->
        {
            interim.onRecord(flow, isFinal, endReason);
            if (!isFinal)
            {
                interimRecords[0]++;
                final Connection c = interim.connections().stream()
                    .max(java.util.Comparator.comparingLong(Connection::arrival)).orElseThrow();
                seenFinal.add(c.isFinal());
                assertTrue(c.json().contains("\"record_type\":\"interim\""), c.json());
            }
        });
        assertTrue(interimRecords[0] > 0, "the stretched sample has a connection open across a second");
        assertTrue(seenFinal.stream().noneMatch(f -> f), "an interim record shows as a live row");
        assertTrue(interim.connections().stream().allMatch(Connection::isFinal), "every row ends final");
    }

    @Test
    void keptPacketLinesAreThoseOfLineratePackets() throws Exception
    {
        // As top keeps them on a live capture (its packet listener on the run), here on a replay of a
        // capture with connections of each kind, and of a TLS one.
        for (final Path capture : List.of(SAMPLE, Path.of("src/test/resources/golden/tls-hello-first-byte.pcap")))
        {
            final ReplayOptions options = Settings.parseReplay(List.of(capture.toString()), false).watching(null);
            final ConnectionTable table = new ConnectionTable(options.sensor());
            run(options, table, table.keepPackets(java.time.ZoneId.systemDefault()));
            assertTrue(!table.connections().isEmpty());
            for (final Connection c : table.connections())
            {
                final MainTest.Run packets = MainTest.run("packets", capture.toString(), "--flow", c.flowId());
                assertEquals(0, packets.exit(), packets.err());
                final ConnectionTable.PacketLog log = table.packets(c.flowId());
                assertEquals(packets.out().lines().toList(), log.lines(), capture + " " + c.flowId());
                assertEquals(log.lines().size(), log.count());
            }
        }
    }

    private static ConnectionTable watch(final String... args) throws Exception
    {
        final List<String> rest = List.of(args).subList(1, args.length);
        final ReplayOptions options = Settings.parseReplay(rest, false).watching(null);
        final ConnectionTable table = new ConnectionTable(options.sensor());
        run(options, table);
        return table;
    }

    private static void run(final ReplayOptions options, final io.linerate.aggregate.view.FlowRecordListener listener)
        throws Exception
    {
        run(options, listener, null);
    }

    private static void run(final ReplayOptions options, final io.linerate.aggregate.view.FlowRecordListener listener,
        final io.linerate.aggregate.view.PacketListener packets) throws Exception
    {
        final ByteArrayOutputStream said = new ByteArrayOutputStream();
        final PrintStream streams = new PrintStream(said, true, StandardCharsets.UTF_8);
        final int exit = new Replay(options, InputStream.nullInputStream(), streams, streams, new StopRequest())
            .tap(listener, packets).run();
        assertEquals(0, exit, said.toString(StandardCharsets.UTF_8));
        assertEquals("", said.toString(StandardCharsets.UTF_8), "a tapped run says nothing on its streams");
    }
}
