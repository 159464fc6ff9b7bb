package io.linerate.ops.filter;

import io.linerate.ops.Json;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --where} on the command line: the records it keeps, every output, and a bad expression. */
class WhereCommandTest
{
    static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");

    @TempDir
    Path tmp;

    private List<Map<String, Object>> records(final String where) throws Exception
    {
        final Path flows = tmp.resolve("flows.jsonl");
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--out", "jsonl:" + flows, "--where", where);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().startsWith("where '" + where + "': "), r.err());
        return Files.readAllLines(flows).stream().map(Json::object).toList();
    }

    private static Set<String> values(final List<Map<String, Object>> records, final String path)
    {
        final Set<String> out = new TreeSet<>();
        records.forEach(r -> out.add(String.valueOf(Json.at(r, path))));
        return out;
    }

    @Test
    void recordFieldsByTheirJsonPaths() throws Exception
    {
        assertEquals(Set.of("refused"), values(records("verdict == \"refused\""), "verdict"));
        assertEquals(Set.of("tcp"), values(records("transport == tcp && c2s.packets >= 1"), "transport"));
        assertEquals(3, records("http.status >= 200 || http.method == \"GET\"").size());
        assertEquals(2, records("http.status == 404").size());
        assertEquals(Set.of("udp"), values(records("end_reason == \"icmp_error\" && !tcp"), "transport"));
        assertEquals(0, records("duration_us > 1h").size());
        assertEquals(records("tcp").size(), records("tcp && server.port == 18080 || tcp.flags.reset == 1").size());
    }

    @Test
    void wiresharkFieldsOfPacketsAndOfTheConnection() throws Exception
    {
        assertEquals(1, records("tcp.flags.reset == 1").size());
        assertEquals(2, records("http.response.code == 404").size());
        assertEquals(3, records("http.request.method == \"GET\"").size());
        // The ICMP port unreachable: its own flow, and the UDP datagram it quoted is no TCP connection.
        assertEquals(Set.of("icmp"), values(records("icmp.type == 3"), "transport"));
        assertEquals(2, records("icmp.type == 8").size() + records("icmp.type == 0 && !(icmp.type == 8)").size());
        assertEquals(0, records("ipv6").size());
        assertEquals(7, records("ip.addr == 127.0.0.0/8").size());
        // Some packet matches: the refused connection's SYN has no RST, so every TCP connection is kept,
        // as tshark -Y shows that SYN; "no packet with a RST" is a question for the record.
        assertEquals(records("tcp").size(), records("tcp && !(tcp.flags.reset == 1)").size());
        assertEquals(records("tcp").size() - 1, records("tcp && c2s.rst == 0 && s2c.rst == 0").size());
    }

    @Test
    void theSummaryCountsOnlyWhatIsKept() throws Exception
    {
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--out", "summary", "--where", "verdict == refused");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("refused"), r.out());
        assertTrue(r.out().contains("where 'verdict == refused': 1 records kept, 6 left out"), r.out());
    }

    @Test
    void aBadExpressionSaysWhereAndExitsWithTwo()
    {
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--where", "ip.addr == 10.0.0.0/8 and tcp.prot == 1");
        assertEquals(2, r.exit());
        assertEquals("linerate: --where: \"tcp.prot\" is neither a field nor a protocol name.\n" +
            "    ip.addr == 10.0.0.0/8 and tcp.prot == 1\n" +
            "                              ^~~~~~~~\n", r.err());
        assertEquals(2, MainTest.run("capture", "-i", "lo", "--where", "tcp.port ==").exit());
    }

    /** Every field a record has is a field --where knows by its JSON path (or by Wireshark's name). */
    @Test
    void everyRecordPathIsAField() throws Exception
    {
        final Path flows = tmp.resolve("all.jsonl");
        assertEquals(0, MainTest.run("replay", SAMPLE.toString(), "--out", "jsonl:" + flows).exit());
        final ConnectionFields fields = new ConnectionFields();
        for (final String line : Files.readAllLines(flows))
        {
            final Map<String, java.util.List<Object>> paths = new java.util.HashMap<>();
            RecordPaths.flatten(line, paths);
            for (final String path : paths.keySet())
            {
                final boolean known = fields.field(path) != null || path.equals("vlan");
                assertTrue(known, path + " is in a record but not a --where field");
            }
        }
        assertTrue(ConnectionFields.recordPaths().contains("c2s.rtt_us.p99"));
    }
}
