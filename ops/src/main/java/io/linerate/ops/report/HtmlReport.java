package io.linerate.ops.report;

import io.linerate.aggregate.view.Verdict;
import io.linerate.decode.ip.IpProtocol;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --report FILE.html}: one self-contained page (styles inline, charts as SVG written here,
 * no script, nothing loaded from elsewhere) with each chart beside a table of the same numbers:
 * totals, connections by verdict, handshake and data RTT distributions, packets/s and retransmit
 * rate over packet time, the top connections by retransmissions, RTT and bytes (each row with the
 * Wireshark display filter that isolates it), handshake failures by server, TLS versions and
 * alerts, malformed frames by reason and drops.
 */
public final class HtmlReport
{
    /** Points drawn on the timeline (buckets are merged down to this many). */
    static final int TIMELINE_POINTS = 300;
    /** Servers listed in the handshake failure table (and drawn: the first 20). */
    static final int SERVER_ROWS = 200;
    private static final int SERVER_BARS = 20;

    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NOW =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] VERDICT_COLORS = {
        "#2e7d32", "#c62828", "#ad1457", "#6a1b9a", "#4527a0", "#e65100", "#d84315", "#1565c0", "#f9a825",
        "#6d4c41"};

    private final RunFacts run;
    private final ReportCollector all = new ReportCollector();
    private final Timeline timeline = new Timeline();
    private final TopConnections byRetransmissions = new TopConnections(ReportCollector.TOP);
    private final TopConnections byRtt = new TopConnections(ReportCollector.TOP);
    private final TopConnections byBytes = new TopConnections(ReportCollector.TOP);
    private final TopConnections problems = new TopConnections(ReportCollector.PROBLEMS);
    private final Map<String, long[]> failuresByServer = new TreeMap<>();
    private final StringBuilder html = new StringBuilder(1 << 16);
    /** The pictured connections' packets; null where there was no second pass (a capture, standard input). */
    private final List<PacketTrace> traces;

    /** Connections pictured: problem connections first, then the top by retransmissions. */
    public static final int PICTURES = 12;
    private static final int PICTURED_PROBLEMS = 8;

    private HtmlReport(final RunFacts run, final List<ReportCollector> parts, final List<PacketTrace> traces)
    {
        this.run = run;
        this.traces = traces;
        for (final ReportCollector p : parts)
        {
            all.finals += p.finals;
            all.interims += p.interims;
            all.packets += p.packets;
            all.bytes += p.bytes;
            all.firstNanos = Math.min(all.firstNanos, p.firstNanos);
            all.lastNanos = Math.max(all.lastNanos, p.lastNanos);
            all.problemCount += p.problemCount;
            add(all.verdicts, p.verdicts);
            add(all.failuresElsewhere, p.failuresElsewhere);
            p.transports.forEach((k, v) -> all.transports.merge(k, v, Long::sum));
            p.tlsVersions.forEach((k, v) -> all.tlsVersions.merge(k, v, Long::sum));
            p.tlsClientVersions.forEach((k, v) -> all.tlsClientVersions.merge(k, v, Long::sum));
            p.tlsAlerts.forEach((k, v) -> all.tlsAlerts.merge(k, v, Long::sum));
            all.handshakeRttMicros.add(p.handshakeRttMicros);
            timeline.addAll(p.timeline);
            byRetransmissions.addAll(p.byRetransmissions);
            byRtt.addAll(p.byRtt);
            byBytes.addAll(p.byBytes);
            problems.addAll(p.problems);
            p.failuresByServer.forEach((k, v) -> add(failuresByServer.computeIfAbsent(k,
                x -> new long[Verdict.values().length]), v));
        }
    }

    /**
     * The TCP connections to draw (at most {@link #PICTURES}): the first with a verdict other than ok,
     * then the top by retransmissions.
     */
    public static List<ConnectionRow> toPicture(final List<ReportCollector> parts)
    {
        final HtmlReport merged = new HtmlReport(null, parts, null);
        final List<ConnectionRow> chosen = new ArrayList<>();
        for (final ConnectionRow r : merged.problems.rows())
        {
            if (r.protocol() == IpProtocol.TCP && chosen.size() < PICTURED_PROBLEMS)
            {
                chosen.add(r);
            }
        }
        for (final ConnectionRow r : merged.byRetransmissions.rows())
        {
            if (chosen.size() < PICTURES && chosen.stream().noneMatch(c -> c.flowId().equals(r.flowId())))
            {
                chosen.add(r);
            }
        }
        return chosen;
    }

    /**
     * Writes the report of a run whose shards kept {@code parts}; {@code traces} are the packets of the
     * connections {@link #toPicture} chose, null when they could not be read again.
     */
    public static void write(final Path file, final RunFacts run, final List<ReportCollector> parts,
        final List<PacketTrace> traces) throws IOException
    {
        final HtmlReport report = new HtmlReport(run, parts, traces);
        report.page();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            w.write(report.html.toString());
        }
    }

    private void page()
    {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .append("<meta name=\"viewport\" content=\"width=device-width\">")
            .append("<title>linerate report: ").append(escape(run.source())).append("</title>\n<style>")
            .append("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}")
            .append("h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .4em;border-bottom:1px solid #ccc}")
            .append(".pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}")
            .append("table{border-collapse:collapse;font-size:13px}th,td{padding:2px 8px;border-bottom:1px solid #e4e4e4;")
            .append("text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}")
            .append("code.filter{user-select:all;white-space:nowrap;font-size:12px;background:#f3f3f3;padding:1px 3px}")
            .append("h3{font-size:1em;margin:1.2em 0 .2em}.scroll{max-height:22em;overflow-y:auto}.note{color:#555;font-size:13px;max-width:70em}")
            .append("svg.chart text{font-size:11px;fill:#333}svg.chart{background:#fcfcfc;border:1px solid #eee}")
            .append("</style></head>\n<body>\n");
        html.append("<h1>linerate report</h1><p class=\"note\">").append(escape(run.source())).append(" &middot; sensor ")
            .append(escape(run.sensor())).append(" &middot; written ").append(NOW.format(Instant.now()))
            .append("</p>\n");
        totals();
        verdicts();
        rtt();
        timeline();
        connections("top-retransmissions", "Top connections by retransmissions", byRetransmissions.rows(),
            "No connection retransmitted.");
        connections("top-rtt", "Top connections by handshake RTT", byRtt.rows(), "No handshake RTT measured.");
        connections("top-bytes", "Top connections by bytes", byBytes.rows(), "No connections.");
        connections("problems", "Connections with a problem (verdict other than ok, the first " +
            ReportCollector.PROBLEMS + ")", problems.rows(), "Every connection's verdict is ok.");
        if (all.problemCount > ReportCollector.PROBLEMS)
        {
            html.append(String.format(Locale.ROOT, "<p class=\"note\">%,d more connections with a problem: the JSON " +
                "records have them all.</p>", all.problemCount - ReportCollector.PROBLEMS));
        }
        pictures();
        failures();
        tls();
        malformed();
        drops();
        html.append("</body></html>\n");
    }

    private void totals()
    {
        section("totals", "Totals");
        table("totals", "", "what", "n:count");
        row("frames analysed", count(run.frames()));
        row("bytes on the wire", count(run.wireBytes()));
        row("connections and flows (final records)", count(all.finals));
        for (final Map.Entry<String, Long> e : all.transports.entrySet())
        {
            row("&nbsp;&nbsp;" + escape(e.getKey()), count(e.getValue()));
        }
        row("interim records", count(all.interims));
        row("packets in the records", count(all.packets));
        row("bytes in the records", count(all.bytes));
        row("malformed frames (not analysed)", count(run.malformed().values().stream().mapToLong(Long::longValue).sum()));
        row("dropped frames", count(run.drops().values().stream().mapToLong(Long::longValue).sum()));
        if (all.finals > 0)
        {
            html.append("<tr><td>first packet</td><td class=\"n\">").append(time(all.firstNanos)).append("</td></tr>");
            html.append("<tr><td>last packet</td><td class=\"n\">").append(time(all.lastNanos)).append("</td></tr>");
        }
        final double seconds = run.elapsedNanos() / 1e9;
        html.append(String.format(Locale.ROOT, "<tr><td>run time</td><td class=\"n\">%.3f s</td></tr>", seconds));
        html.append(String.format(Locale.ROOT, "<tr><td>frames/s</td><td class=\"n\">%,.0f</td></tr>",
            seconds > 0 ? run.frames() / seconds : 0.0));
        html.append("</table></div>\n");
    }

    private void verdicts()
    {
        section("verdicts", "Connections by verdict");
        final List<String> labels = new ArrayList<>();
        final List<Long> values = new ArrayList<>();
        final List<String> colors = new ArrayList<>();
        for (final Verdict v : Verdict.values())
        {
            if (all.verdicts[v.ordinal()] > 0)
            {
                labels.add(v.wireName());
                values.add(all.verdicts[v.ordinal()]);
                colors.add(VERDICT_COLORS[v.ordinal() % VERDICT_COLORS.length]);
            }
        }
        Svg.bars(html, "connections by verdict", labels.toArray(new String[0]),
            values.stream().mapToLong(Long::longValue).toArray(), colors.toArray(new String[0]));
        table("verdicts", "", "verdict", "n:connections", "n:share");
        for (int i = 0; i < labels.size(); i++)
        {
            row(escape(labels.get(i)), count(values.get(i)), String.format(Locale.ROOT, "%.1f%%",
                100.0 * values.get(i) / Math.max(1, all.finals)));
        }
        html.append("</table></div>\n");
    }

    private void rtt()
    {
        section("rtt", "RTT distributions");
        html.append("<p class=\"note\">Handshake RTT: SYN to the ACK that completes the handshake, one a connection " +
            "(<code>handshake.rtt_us</code>). Data RTT: a data segment to the ACK that first covers it, every sample of " +
            "every connection (<code>c2s.rtt_us</code>, <code>s2c.rtt_us</code>). Microseconds; buckets double.</p>");
        html.append("<div class=\"pair\">");
        distribution("handshake RTT", all.handshakeRttMicros, "#1565c0");
        distribution("data RTT", run.dataRttMicros(), "#00838f");
        html.append("</div><div class=\"pair\">");
        table("rtt", "", "RTT (µs)", "n:samples", "n:min", "n:p50", "n:p90", "n:p99", "n:max");
        rttRow("handshake", all.handshakeRttMicros);
        rttRow("data", run.dataRttMicros());
        html.append("</table></div></div>\n");
    }

    private void rttRow(final String name, final Histogram h)
    {
        if (h.getTotalCount() == 0)
        {
            row(name, "0", "-", "-", "-", "-", "-");
            return;
        }
        row(name, count(h.getTotalCount()), count(h.getMinValue()), count(h.getValueAtPercentile(50)),
            count(h.getValueAtPercentile(90)), count(h.getValueAtPercentile(99)), count(h.getMaxValue()));
    }

    private void distribution(final String name, final Histogram h, final String color)
    {
        if (h.getTotalCount() == 0)
        {
            html.append("<p class=\"note\">No ").append(name).append(" samples.</p>");
            return;
        }
        final List<String> labels = new ArrayList<>();
        final List<Long> counts = new ArrayList<>();
        long lower = 0;
        for (final HistogramIterationValue v : h.logarithmicBucketValues(1, 2.0))
        {
            final long upper = v.getValueIteratedTo();
            labels.add("≤ " + micros(upper));
            counts.add(v.getCountAddedInThisIterationStep());
            lower = upper;
        }
        // Leave out the empty buckets before the first sample.
        int first = 0;
        while (first < counts.size() - 1 && counts.get(first) == 0)
        {
            first++;
        }
        html.append("<div><div class=\"note\">").append(name).append(String.format(Locale.ROOT, ", %,d samples",
            h.getTotalCount())).append(" (up to ").append(micros(lower)).append(")</div>");
        Svg.columns(html, name + " distribution", labels.subList(first, labels.size()).toArray(new String[0]),
            counts.subList(first, counts.size()).stream().mapToLong(Long::longValue).toArray(), color);
        html.append("</div>");
    }

    private void timeline()
    {
        section("timeline", "Packets/s and retransmit rate over packet time");
        timeline.coarsen(TIMELINE_POINTS);
        final double[][] rows = timeline.rows();
        final double width = timeline.widthNanos() / 1e9;
        html.append(String.format(Locale.ROOT, "<p class=\"note\">Buckets of %s s. A record's packets are spread " +
            "evenly over the time it covers (a connection's first to last packet, or since its previous interim " +
            "record). Retransmit rate: retransmitted data segments ÷ data segments, both directions.</p>",
            width >= 1 ? String.format(Locale.ROOT, "%,.0f", width) : String.valueOf(width)));
        if (rows.length == 0)
        {
            html.append("<p class=\"note\">No packets.</p></div>");
            return;
        }
        final double[] x = new double[rows.length];
        final double[] pps = new double[rows.length];
        final double[] rate = new double[rows.length];
        for (int i = 0; i < rows.length; i++)
        {
            x[i] = rows[i][0];
            pps[i] = rows[i][1] / width;
            rate[i] = rows[i][2] > 0 ? rows[i][3] / rows[i][2] : 0;
        }
        html.append("<div>");
        Svg.line(html, "packets/s", x, pps, v -> String.format(Locale.ROOT, "%,.0f", v), "#1565c0");
        Svg.line(html, "retransmit rate", x, rate, v -> String.format(Locale.ROOT, "%.1f%%", v * 100), "#c62828");
        html.append("</div><div class=\"scroll\">");
        table("timeline", "", "bucket start (UTC)", "n:packets", "n:packets/s", "n:data segments",
            "n:retransmitted", "n:retransmit rate");
        for (int i = 0; i < rows.length; i++)
        {
            row(time(rows[i][0]), String.format(Locale.ROOT, "%,.1f", rows[i][1]),
                String.format(Locale.ROOT, "%,.1f", pps[i]), String.format(Locale.ROOT, "%,.1f", rows[i][2]),
                String.format(Locale.ROOT, "%,.1f", rows[i][3]),
                rows[i][2] > 0 ? String.format(Locale.ROOT, "%.2f%%", rate[i] * 100) : "-");
        }
        html.append("</table></div></div>\n");
    }

    private void connections(final String id, final String title, final List<ConnectionRow> rows, final String none)
    {
        html.append("<h2 id=\"").append(id).append("-title\">").append(escape(title)).append("</h2>\n");
        if (rows.isEmpty())
        {
            html.append("<p class=\"note\">").append(escape(none)).append("</p>\n");
            return;
        }
        html.append("<div>");
        table(id, "", "flow_id", "client", "server", "transport", "verdict", "n:packets", "n:bytes",
            "n:retransmissions", "n:retransmit rate", "n:handshake RTT µs", "n:c2s RTT p99 µs", "n:s2c RTT p99 µs",
            "Wireshark display filter");
        for (final ConnectionRow r : rows)
        {
            html.append("<tr data-flow-id=\"").append(r.flowId()).append("\"");
            if (r.verdictDetail() != null)
            {
                html.append(" title=\"").append(escape(r.verdictDetail())).append('"');
            }
            html.append('>');
            cell(r.flowId(), false);
            cell(escape(r.client()), false);
            cell(escape(r.server()), false);
            cell(transport(r.protocol()), false);
            cell(escape(r.verdict()), false);
            cell(count(r.packets()), true);
            cell(count(r.bytes()), true);
            cell(count(r.retransmissions()), true);
            cell(Double.isNaN(r.retransmitRate()) ? "-" : String.format(Locale.ROOT, "%.6f",
                Math.round(r.retransmitRate() * 1e6) / 1e6), true);
            cell(r.handshakeRttMicros() < 0 ? "-" : count(r.handshakeRttMicros()), true);
            cell(r.c2sRttP99Micros() < 0 ? "-" : count(r.c2sRttP99Micros()), true);
            cell(r.s2cRttP99Micros() < 0 ? "-" : count(r.s2cRttP99Micros()), true);
            cell("<code class=\"filter\">" + escape(r.displayFilter()) + "</code>", false);
            html.append("</tr>\n");
        }
        html.append("</table></div>\n");
    }

    private void pictures()
    {
        html.append("<h2 id=\"pictures-title\">Pictures of the problem connections</h2>\n");
        if (traces == null)
        {
            html.append("<p class=\"note\">Drawn from a second pass over the files: not on a live capture or " +
                "standard input.</p>\n");
            return;
        }
        if (traces.isEmpty())
        {
            html.append("<p class=\"note\">No TCP connection with a problem or a retransmission.</p>\n");
            return;
        }
        html.append("<p class=\"note\">The first TCP connections with a verdict other than ok, then the top by " +
            "retransmissions. Left: time-sequence graph of the direction that sent more data (tcptrace's and " +
            "Wireshark's Stevens graph): each segment a bar over its bytes (<span style=\"color:#c62828\">red: " +
            "retransmitted</span>), the other side's ACKs (<span style=\"color:#2e7d32\">green</span>) and " +
            "receive window edge (<span style=\"color:#9e9d24\">olive</span>), SACK blocks (<span " +
            "style=\"color:#8e24aa\">purple</span>), zero windows (<span style=\"color:#e65100\">circles</span>), " +
            "R a reset. Right: the first " + ConnectionPictures.LADDER_PACKETS + " packets (Wireshark's Flow Graph; " +
            "sequence numbers relative).</p>\n");
        for (final PacketTrace t : traces)
        {
            final ConnectionRow c = t.connection();
            html.append("<div class=\"picture\" data-flow-id=\"").append(c.flowId()).append("\" data-packets=\"")
                .append(t.seen()).append("\"><h3>").append(escape(c.client())).append(" &rarr; ")
                .append(escape(c.server())).append(": ").append(escape(c.verdict())).append("</h3><p class=\"note\">");
            if (c.verdictDetail() != null)
            {
                html.append(escape(c.verdictDetail())).append(". ");
            }
            html.append(String.format(Locale.ROOT, "flow_id %s, %,d packets", c.flowId(), t.seen()));
            if (t.seen() > t.packets().size())
            {
                html.append(String.format(Locale.ROOT, " (the first %,d drawn)", t.packets().size()));
            }
            html.append(". <code class=\"filter\">").append(escape(c.displayFilter())).append("</code></p>")
                .append("<div class=\"pair\">");
            ConnectionPictures.timeSequence(html, t);
            ConnectionPictures.ladder(html, t);
            html.append("</div></div>\n");
        }
    }

    private void failures()
    {
        section("handshake-failures", "Handshake failures by server");
        final Verdict[] kinds = ReportCollector.HANDSHAKE_FAILURES.toArray(new Verdict[0]);
        final List<Map.Entry<String, long[]>> servers = new ArrayList<>(failuresByServer.entrySet());
        servers.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -sum(e.getValue()))
            .thenComparing(Map.Entry::getKey));
        if (servers.isEmpty() && sum(all.failuresElsewhere) == 0)
        {
            html.append("<p class=\"note\">Every handshake (TCP and TLS) that began completed.</p></div>\n");
            return;
        }
        final int bars = Math.min(SERVER_BARS, servers.size());
        final String[] labels = new String[bars];
        final long[][] values = new long[bars][kinds.length];
        final String[] colors = new String[kinds.length];
        for (int k = 0; k < kinds.length; k++)
        {
            colors[k] = VERDICT_COLORS[kinds[k].ordinal()];
        }
        for (int i = 0; i < bars; i++)
        {
            labels[i] = servers.get(i).getKey();
            for (int k = 0; k < kinds.length; k++)
            {
                values[i][k] = servers.get(i).getValue()[kinds[k].ordinal()];
            }
        }
        html.append("<div><div class=\"note\">");
        for (int k = 0; k < kinds.length; k++)
        {
            html.append("<span style=\"color:").append(colors[k]).append("\">&#9632;</span> ")
                .append(kinds[k].wireName()).append(" &nbsp;");
        }
        html.append("</div>");
        Svg.stacked(html, "handshake failures by server", labels, values, colors, false);
        html.append("</div><div class=\"scroll\">");
        final String[] headers = new String[kinds.length + 2];
        headers[0] = "server";
        headers[1] = "n:failures";
        for (int k = 0; k < kinds.length; k++)
        {
            headers[k + 2] = "n:" + kinds[k].wireName();
        }
        table("handshake-failures", "", headers);
        final long[] rest = all.failuresElsewhere.clone();
        for (int i = 0; i < servers.size(); i++)
        {
            if (i >= SERVER_ROWS)
            {
                add(rest, servers.get(i).getValue());
                continue;
            }
            failureRow(escape(servers.get(i).getKey()), servers.get(i).getValue(), kinds);
        }
        if (sum(rest) > 0)
        {
            failureRow("(other servers)", rest, kinds);
        }
        html.append("</table></div></div>\n");
    }

    private void failureRow(final String server, final long[] counts, final Verdict[] kinds)
    {
        final String[] cells = new String[kinds.length + 2];
        cells[0] = server;
        cells[1] = count(sum(counts));
        for (int k = 0; k < kinds.length; k++)
        {
            cells[k + 2] = count(counts[kinds[k].ordinal()]);
        }
        row(cells);
    }

    private void tls()
    {
        section("tls", "TLS versions and alerts");
        if (all.tlsVersions.isEmpty() && all.tlsClientVersions.isEmpty() && all.tlsAlerts.isEmpty())
        {
            html.append("<p class=\"note\">No TLS handshake seen.</p></div>\n");
            return;
        }
        counts("tls-versions", "negotiated version (server hello)", all.tlsVersions, "#2e7d32");
        counts("tls-client-versions", "client hello version", all.tlsClientVersions, "#1565c0");
        counts("tls-alerts", "alerts in the clear", all.tlsAlerts, "#c62828");
        html.append("</div>\n");
    }

    private void counts(final String id, final String what, final Map<String, Long> counts, final String color)
    {
        html.append("<div><div class=\"note\">").append(escape(what)).append("</div>");
        if (counts.isEmpty())
        {
            html.append("<p class=\"note\">none</p></div>");
            return;
        }
        final String[] labels = counts.keySet().toArray(new String[0]);
        final long[] values = counts.values().stream().mapToLong(Long::longValue).toArray();
        final String[] colors = new String[labels.length];
        Arrays.fill(colors, color);
        Svg.bars(html, what, labels, values, colors);
        table(id, "", escape(what), "n:connections");
        counts.forEach((k, v) -> row(escape(k), count(v)));
        html.append("</table></div>");
    }

    private void malformed()
    {
        section("malformed", "Malformed frames by reason");
        final Map<String, Long> seen = new TreeMap<>();
        run.malformed().forEach((k, v) ->
        {
            if (v > 0)
            {
                seen.put(k, v);
            }
        });
        if (seen.isEmpty())
        {
            html.append("<p class=\"note\">Every frame was analysed.</p></div>\n");
            return;
        }
        final String[] colors = new String[seen.size()];
        Arrays.fill(colors, "#6d4c41");
        Svg.bars(html, "malformed frames by reason", seen.keySet().toArray(new String[0]),
            seen.values().stream().mapToLong(Long::longValue).toArray(), colors);
        table("malformed", "", "reason", "n:frames");
        seen.forEach((k, v) -> row(escape(k), count(v)));
        html.append("</table></div>\n");
    }

    private void drops()
    {
        section("drops", "Drops");
        if (run.drops().isEmpty())
        {
            html.append("<p class=\"note\">A replay never drops: the reader waits for the pipeline.</p>");
        }
        table("drops", "", "where", "n:frames");
        if (run.drops().isEmpty())
        {
            row("replay", "0");
        }
        run.drops().forEach((k, v) -> row(escape(k), count(v)));
        html.append("</table></div>\n");
    }

    private void section(final String id, final String title)
    {
        html.append("<h2 id=\"").append(id).append("-title\">").append(escape(title)).append("</h2>\n<div class=\"pair\">");
    }

    /** Opens a table; a header starting with {@code n:} is a number column. */
    private void table(final String id, final String caption, final String... headers)
    {
        html.append("<table id=\"").append(id).append("\">");
        if (!caption.isEmpty())
        {
            html.append("<caption>").append(escape(caption)).append("</caption>");
        }
        html.append("<thead><tr>");
        for (final String h : headers)
        {
            final boolean n = h.startsWith("n:");
            html.append(n ? "<th class=\"n\">" : "<th>").append(n ? h.substring(2) : h).append("</th>");
        }
        html.append("</tr></thead>");
    }

    /** A row whose first cell is text and the others numbers (already escaped). */
    private void row(final String... cells)
    {
        html.append("<tr>");
        for (int i = 0; i < cells.length; i++)
        {
            cell(cells[i], i > 0);
        }
        html.append("</tr>");
    }

    private void cell(final String content, final boolean number)
    {
        html.append(number ? "<td class=\"n\">" : "<td>").append(content).append("</td>");
    }

    private static String transport(final int protocol)
    {
        return io.linerate.sink.record.FlowRecordEncoder.transportName(protocol);
    }

    private static String count(final long n)
    {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String micros(final long us)
    {
        return us >= 1_000_000 ? String.format(Locale.ROOT, "%.3g s", us / 1e6) :
            us >= 1000 ? String.format(Locale.ROOT, "%.3g ms", us / 1e3) : us + " µs";
    }

    private static long sum(final long[] values)
    {
        long s = 0;
        for (final long v : values)
        {
            s += v;
        }
        return s;
    }

    private static void add(final long[] total, final long[] values)
    {
        for (int i = 0; i < total.length; i++)
        {
            total[i] += values[i];
        }
    }

    static String time(final double nanos)
    {
        return TIME.format(Instant.ofEpochSecond(0, (long)nanos));
    }

    /** Text made safe inside HTML elements and attribute values. */
    static String escape(final String s)
    {
        if (s == null)
        {
            return "";
        }
        final StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
