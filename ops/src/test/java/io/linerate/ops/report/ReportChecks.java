package io.linerate.ops.report;

import io.linerate.ops.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every report page must show: no console error, nothing loaded but the page, every chart drawn,
 * and every number of its tables equal to what the JSON records of the same run say.
 */
public final class ReportChecks
{
    private static final Set<String> HANDSHAKE_FAILURES =
        Set.of("syn_unanswered", "refused", "icmp_unreachable", "handshake_incomplete", "tls_alert");

    private ReportChecks()
    {
    }

    /** The final records of a JSON lines file. */
    public static List<Map<String, Object>> finals(final Path jsonl) throws IOException
    {
        final List<Map<String, Object>> finals = new ArrayList<>();
        for (final String line : Files.readAllLines(jsonl))
        {
            final Map<String, Object> r = Json.object(line);
            if ("final".equals(r.get("record_type")))
            {
                finals.add(r);
            }
        }
        return finals;
    }

    /** The page opened cleanly, loaded nothing else and drew every chart. */
    public static void assertShown(final ReportPage page)
    {
        assertEquals(List.of(), page.consoleProblems, "console errors");
        for (final String url : page.requests)
        {
            assertTrue(url.startsWith("file:"), "the page loaded " + url);
        }
        assertFalse(page.charts.isEmpty(), "no chart");
        for (final ReportPage.Chart c : page.charts)
        {
            assertTrue(c.width() > 100 && c.height() > 20, "chart not laid out: " + c);
            assertTrue(c.inkPixels() >= 50, "blank chart: " + c);
        }
    }

    /** Every table's numbers are the records'. */
    public static void assertAgrees(final ReportPage page, final List<Map<String, Object>> finals)
    {
        totals(page, finals);
        verdicts(page, finals);
        rtt(page, finals);
        timeline(page, finals);
        final Map<String, Map<String, Object>> byId = new HashMap<>();
        finals.forEach(r -> byId.put((String)r.get("flow_id"), r));
        top(page, "top-retransmissions", finals, byId, r -> retransmissions(r), r -> retransmissions(r) > 0);
        top(page, "top-rtt", finals, byId, r -> optional(r, "handshake.rtt_us"), r -> Json.at(r, "handshake.rtt_us") != null);
        top(page, "top-bytes", finals, byId, r -> Json.num(r, "c2s.bytes") + Json.num(r, "s2c.bytes"), r -> true);
        final long problems = finals.stream().filter(r -> !"ok".equals(r.get("verdict"))).count();
        final List<List<String>> problemRows = rows(page, "problems", problems > 0);
        assertEquals(Math.min(problems, ReportCollector.PROBLEMS), problemRows.size(), "problem rows");
        problemRows.forEach(row -> connection(row, byId));
        failures(page, finals);
        tls(page, finals);
        pictures(page, problemRows, byId);
    }

    /**
     * The first TCP connections with a problem are pictured, each with every packet its record counts
     * (the second pass found them all) and a ladder arrow for each of its first packets.
     */
    private static void pictures(final ReportPage page, final List<List<String>> problemRows,
        final Map<String, Map<String, Object>> byId)
    {
        final List<String> pictured = page.pictures.stream().map(p -> (String)p.get("id")).toList();
        final List<String> tcpProblems = problemRows.stream().filter(r -> r.get(3).equals("tcp")).map(r -> r.get(0))
            .limit(8).toList();
        assertEquals(tcpProblems, pictured.subList(0, Math.min(pictured.size(), tcpProblems.size())),
            "the first TCP connections with a problem are pictured first");
        assertTrue(pictured.size() <= HtmlReport.PICTURES, "at most " + HtmlReport.PICTURES + " pictures");
        for (final Map<String, Object> p : page.pictures)
        {
            final Map<String, Object> r = byId.get((String)p.get("id"));
            assertNotNull(r, "picture of an unknown connection " + p.get("id"));
            final long packets = Json.num(r, "c2s.packets") + Json.num(r, "s2c.packets");
            assertEquals(packets, Json.num(p, "packets"), "packets found again of " + p.get("id"));
            assertEquals(Math.min(packets, ConnectionPictures.LADDER_PACKETS), Json.num(p, "arrows"),
                "ladder arrows of " + p.get("id"));
        }
    }

    private static void totals(final ReportPage page, final List<Map<String, Object>> finals)
    {
        final Map<String, String> totals = new HashMap<>();
        rows(page, "totals", true).forEach(r -> totals.put(r.get(0).replace('\u00a0', ' ').strip(), r.get(1)));
        assertEquals(finals.size(), number(totals.get("connections and flows (final records)")));
        assertEquals(sum(finals, r -> Json.num(r, "c2s.packets") + Json.num(r, "s2c.packets")),
            number(totals.get("packets in the records")));
        assertEquals(sum(finals, r -> Json.num(r, "c2s.bytes") + Json.num(r, "s2c.bytes")),
            number(totals.get("bytes in the records")));
        final Map<String, Long> transports = count(finals, r -> (String)r.get("transport"));
        transports.forEach((t, n) -> assertEquals(n, number(totals.get(t)), "transport " + t));
    }

    private static void verdicts(final ReportPage page, final List<Map<String, Object>> finals)
    {
        final Map<String, Long> shown = new TreeMap<>();
        rows(page, "verdicts", true).forEach(r -> shown.put(r.get(0), number(r.get(1))));
        assertEquals(count(finals, r -> (String)r.get("verdict")), shown);
    }

    private static void rtt(final ReportPage page, final List<Map<String, Object>> finals)
    {
        final Map<String, List<String>> rows = new HashMap<>();
        rows(page, "rtt", true).forEach(r -> rows.put(r.get(0), r));
        final List<Long> handshakes = finals.stream().filter(r -> Json.at(r, "handshake.rtt_us") != null)
            .map(r -> Json.num(r, "handshake.rtt_us")).sorted().toList();
        final List<String> h = rows.get("handshake");
        assertEquals(handshakes.size(), number(h.get(1)), "handshake RTT samples");
        if (!handshakes.isEmpty())
        {
            near(handshakes.get(0), number(h.get(2)), "handshake RTT min");
            near(handshakes.get(handshakes.size() - 1), number(h.get(6)), "handshake RTT max");
        }
        long samples = 0;
        long min = Long.MAX_VALUE;
        long max = -1;
        for (final Map<String, Object> r : finals)
        {
            for (final String d : List.of("c2s", "s2c"))
            {
                if (Json.at(r, d + ".rtt_us") != null)
                {
                    samples += Json.num(r, d + ".rtt_us.samples");
                    min = Math.min(min, Json.num(r, d + ".rtt_us.min"));
                    max = Math.max(max, Json.num(r, d + ".rtt_us.max"));
                }
            }
        }
        final List<String> d = rows.get("data");
        assertEquals(samples, number(d.get(1)), "data RTT samples");
        if (samples > 0)
        {
            near(min, number(d.get(2)), "data RTT min");
            near(max, number(d.get(6)), "data RTT max");
        }
    }

    private static void timeline(final ReportPage page, final List<Map<String, Object>> finals)
    {
        final List<List<String>> rows = rows(page, "timeline", !finals.isEmpty());
        double packets = 0;
        double retransmitted = 0;
        for (final List<String> r : rows)
        {
            packets += Double.parseDouble(r.get(1).replace(",", ""));
            retransmitted += Double.parseDouble(r.get(4).replace(",", ""));
        }
        // Each bucket is rounded to a tenth.
        final double rounding = 0.05 * rows.size() + 1e-6;
        assertEquals(sum(finals, r -> Json.num(r, "c2s.packets") + Json.num(r, "s2c.packets")), packets, rounding,
            "packets over time");
        assertTrue(retransmitted <= sum(finals, ReportChecks::retransmissions) + rounding,
            "retransmitted data segments over time: " + retransmitted);
    }

    private static void top(final ReportPage page, final String id, final List<Map<String, Object>> finals,
        final Map<String, Map<String, Object>> byId, final ToLongFunction<Map<String, Object>> key,
        final java.util.function.Predicate<Map<String, Object>> eligible)
    {
        final List<Long> expected = finals.stream().filter(eligible).map(key::applyAsLong)
            .sorted(Comparator.reverseOrder()).limit(ReportCollector.TOP).toList();
        final List<List<String>> rows = rows(page, id, !expected.isEmpty());
        final List<Long> shown = new ArrayList<>();
        for (final List<String> row : rows)
        {
            shown.add(key.applyAsLong(connection(row, byId)));
        }
        assertEquals(expected, shown, id + ": the top connections, largest first");
    }

    /** A connection row against its record; returns the record. */
    private static Map<String, Object> connection(final List<String> row, final Map<String, Map<String, Object>> byId)
    {
        final Map<String, Object> r = byId.get(row.get(0));
        assertNotNull(r, "no final record with flow_id " + row.get(0));
        final String what = "row of " + row.get(0);
        assertEquals(endpoint(r, "client"), row.get(1), what);
        assertEquals(endpoint(r, "server"), row.get(2), what);
        assertEquals(r.get("transport"), row.get(3), what);
        assertEquals(r.get("verdict"), row.get(4), what);
        assertEquals(Json.num(r, "c2s.packets") + Json.num(r, "s2c.packets"), number(row.get(5)), what);
        assertEquals(Json.num(r, "c2s.bytes") + Json.num(r, "s2c.bytes"), number(row.get(6)), what);
        assertEquals(retransmissions(r), number(row.get(7)), what);
        final Object rate = r.get("retransmit_rate");
        assertEquals(rate == null ? "-" : String.format(Locale.ROOT, "%.6f", ((Number)rate).doubleValue()), row.get(8), what);
        assertEquals(optional(r, "handshake.rtt_us"), number(row.get(9)), what);
        assertEquals(optional(r, "c2s.rtt_us.p99"), number(row.get(10)), what);
        assertEquals(optional(r, "s2c.rtt_us.p99"), number(row.get(11)), what);
        assertEquals(displayFilter(r), row.get(12), what);
        return r;
    }

    private static void failures(final ReportPage page, final List<Map<String, Object>> finals)
    {
        final Map<String, Map<String, Long>> expected = new TreeMap<>();
        for (final Map<String, Object> r : finals)
        {
            final String verdict = (String)r.get("verdict");
            if (HANDSHAKE_FAILURES.contains(verdict))
            {
                expected.computeIfAbsent(endpoint(r, "server"), k -> new TreeMap<>()).merge(verdict, 1L, Long::sum);
            }
        }
        final List<List<String>> rows = rows(page, "handshake-failures", !expected.isEmpty());
        if (rows.isEmpty())
        {
            return;
        }
        final List<String> header = page.tables.get("handshake-failures").get(0);
        final Map<String, Map<String, Long>> shown = new TreeMap<>();
        for (final List<String> row : rows)
        {
            final Map<String, Long> counts = new TreeMap<>();
            long total = 0;
            for (int i = 2; i < row.size(); i++)
            {
                if (number(row.get(i)) > 0)
                {
                    counts.put(header.get(i), number(row.get(i)));
                    total += number(row.get(i));
                }
            }
            assertEquals(total, number(row.get(1)), "failures at " + row.get(0));
            shown.put(row.get(0), counts);
        }
        assertEquals(expected, shown, "handshake failures by server");
    }

    private static void tls(final ReportPage page, final List<Map<String, Object>> finals)
    {
        tlsTable(page, "tls-versions", count(finals, r -> (String)Json.at(r, "tls.version")));
        tlsTable(page, "tls-client-versions", count(finals, r -> (String)Json.at(r, "tls.client_version")));
        tlsTable(page, "tls-alerts", count(finals, r -> Json.at(r, "tls.alert") == null ? null :
            Json.at(r, "tls.alert.description") + " (" + Json.at(r, "tls.alert.level") + ", from " +
                Json.at(r, "tls.alert.from") + ")"));
    }

    private static void tlsTable(final ReportPage page, final String id, final Map<String, Long> expected)
    {
        final Map<String, Long> shown = new TreeMap<>();
        rows(page, id, !expected.isEmpty()).forEach(r -> shown.put(r.get(0), number(r.get(1))));
        assertEquals(expected, shown, id);
    }

    /** The body rows of a table, which must be there exactly when {@code present}. */
    private static List<List<String>> rows(final ReportPage page, final String id, final boolean present)
    {
        final List<List<String>> table = page.tables.get(id);
        assertEquals(present, table != null, "table " + id + (present ? " missing" : " shown for nothing"));
        return table == null ? List.of() : table.subList(1, table.size());
    }

    static String endpoint(final Map<String, Object> r, final String side)
    {
        final String ip = (String)Json.at(r, side + ".ip");
        final Object port = Json.at(r, side + ".port");
        if (port == null)
        {
            return ip;
        }
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** Wireshark's conversation filter, written from the record. */
    static String displayFilter(final Map<String, Object> r)
    {
        final String addr = ((Number)r.get("ip_version")).intValue() == 6 ? "ipv6.addr==" : "ip.addr==";
        final String c = (String)Json.at(r, "client.ip");
        final String s = (String)Json.at(r, "server.ip");
        final String transport = (String)r.get("transport");
        if (Json.at(r, "client.port") != null)
        {
            return addr + c + " && " + transport + ".port==" + Json.at(r, "client.port") + " && " + addr + s + " && " +
                transport + ".port==" + Json.at(r, "server.port");
        }
        return addr + c + " && " + addr + s + " && " + transport;
    }

    private static long retransmissions(final Map<String, Object> r)
    {
        return optional(r, "c2s.retransmissions") < 0 ? 0 :
            Json.num(r, "c2s.retransmissions") + Json.num(r, "s2c.retransmissions");
    }

    private static long optional(final Map<String, Object> r, final String path)
    {
        return Json.at(r, path) == null ? -1 : Json.num(r, path);
    }

    /** A table's number: thousands separators dropped, {@code -} for none (-1). */
    static long number(final String text)
    {
        assertNotNull(text, "no such cell");
        return "-".equals(text) ? -1 : Long.parseLong(text.replace(",", ""));
    }

    /** HdrHistogram keeps 3 significant digits. */
    private static void near(final long expected, final long shown, final String what)
    {
        assertTrue(Math.abs(expected - shown) <= Math.max(1, expected / 500), what + ": " + shown + ", records " + expected);
    }

    private static long sum(final List<Map<String, Object>> records, final ToLongFunction<Map<String, Object>> f)
    {
        return records.stream().mapToLong(f).sum();
    }

    private static Map<String, Long> count(final List<Map<String, Object>> records,
        final java.util.function.Function<Map<String, Object>, String> f)
    {
        final Map<String, Long> counts = new TreeMap<>();
        for (final Map<String, Object> r : records)
        {
            final String k = f.apply(r);
            if (k != null)
            {
                counts.merge(k, 1L, Long::sum);
            }
        }
        return counts;
    }
}
