package io.linerate.ops.summary;

import io.linerate.aggregate.view.HandshakeView;
import io.linerate.aggregate.view.Verdict;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human summary of a run: totals (frames, bytes, flows, malformed frames by reason, time and
 * rate), handshake outcomes, and a table of the first connections, like tshark's conversation
 * statistics but with the handshake, RTT and close of each connection.
 */
public final class SummaryReport
{
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SummaryReport()
    {
    }

    /**
     * IP fragment reassembly of a run.
     *
     * @param seen        fragment frames
     * @param reassembled datagrams they made that went on a connection
     * @param timedOut    datagrams given up after the reassembly timeout
     * @param unfinished  datagrams still missing fragments at the end
     */
    public record Fragments(long seen, long reassembled, long timedOut, long unfinished)
    {
    }

    /**
     * Prints the report.
     *
     * @param anomalies      malformed or undecodable frames by reason, in a stable order
     * @param shardAnomalies what the flow shards noted beyond one frame (inconsistent fragments, caps
     *                       reached), by name, in a stable order
     * @param fragments      IP fragment reassembly
     * @param rttMicros      every RTT sample of the run (data to ACK), microseconds
     */
    public static void print(
        final PrintStream out,
        final List<ConnectionSummary> parts,
        final int maxRows,
        final long frames,
        final long wireBytes,
        final long elapsedNanos,
        final Map<String, Long> anomalies,
        final Map<String, Long> shardAnomalies,
        final Fragments fragments,
        final Histogram rttMicros)
    {
        final long[] verdicts = new long[Verdict.values().length];
        long flows = 0, tcp = 0, udp = 0, icmp = 0, other = 0, midstream = 0, resets = 0, evicted = 0;
        final long[] hs = new long[5];
        final List<ConnectionSummary.Row> rows = new ArrayList<>();
        for (final ConnectionSummary p : parts)
        {
            flows += p.flows;
            tcp += p.tcpFlows;
            udp += p.udpFlows;
            icmp += p.icmpFlows;
            other += p.otherFlows;
            midstream += p.midstream;
            resets += p.resets;
            evicted += p.evicted;
            for (int i = 0; i < hs.length; i++)
            {
                hs[i] += p.handshakeStatus[i];
            }
            for (int i = 0; i < verdicts.length; i++)
            {
                verdicts[i] += p.verdicts[i];
            }
            rows.addAll(p.rows);
        }
        rows.sort(Comparator.comparingLong(ConnectionSummary.Row::firstFrame));

        final double seconds = elapsedNanos / 1e9;
        out.printf(Locale.ROOT, "frames %,d  bytes %,d  flows %,d  elapsed %.3f s  %,.0f frames/s%n",
            frames, wireBytes, flows, seconds, seconds > 0 ? frames / seconds : 0.0);
        out.printf(Locale.ROOT, "flows: tcp %,d  udp %,d  icmp %,d  other %,d%s%n", tcp, udp, icmp, other,
            evicted == 0 ? "" : String.format(Locale.ROOT, ";  evicted %,d (the flow table was full: --max-flows)", evicted));
        out.printf(Locale.ROOT,
            "tcp handshakes: complete %,d  syn_sent %,d  syn_ack_seen %,d  refused %,d  midstream %,d;  reset %,d%n",
            hs[3], hs[1], hs[2], hs[4], midstream, resets);
        long malformed = 0;
        final StringBuilder reasons = new StringBuilder();
        for (final Map.Entry<String, Long> e : anomalies.entrySet())
        {
            if (e.getValue() > 0)
            {
                malformed += e.getValue();
                reasons.append(reasons.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
            }
        }
        out.printf(Locale.ROOT, "not analysed: %,d%s%n", malformed, malformed > 0 ? " (" + reasons + ")" : "");
        if (fragments.seen() > 0)
        {
            out.printf(Locale.ROOT, "ip fragments: %,d  datagrams reassembled %,d  timed out %,d  unfinished %,d%n",
                fragments.seen(), fragments.reassembled(), fragments.timedOut(), fragments.unfinished());
        }
        final StringBuilder noted = new StringBuilder();
        for (final Map.Entry<String, Long> e : shardAnomalies.entrySet())
        {
            if (e.getValue() > 0)
            {
                noted.append(noted.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%,d", e.getValue()));
            }
        }
        if (noted.length() > 0)
        {
            out.println("anomalies and limits: " + noted);
        }
        final StringBuilder byVerdict = new StringBuilder();
        for (final Verdict v : Verdict.values())
        {
            if (verdicts[v.ordinal()] > 0)
            {
                byVerdict.append(byVerdict.length() == 0 ? "" : "  ").append(v.wireName()).append(' ')
                    .append(String.format(Locale.ROOT, "%,d", verdicts[v.ordinal()]));
            }
        }
        out.println("verdicts: " + (byVerdict.length() == 0 ? "-" : byVerdict));
        if (rttMicros.getTotalCount() > 0)
        {
            out.printf(Locale.ROOT, "rtt (data to ack, all connections): samples %,d  min %.3f ms  p50 %.3f ms  " +
                "p99 %.3f ms  max %.3f ms%n", rttMicros.getTotalCount(), rttMicros.getMinValue() / 1e3,
                rttMicros.getValueAtPercentile(50) / 1e3, rttMicros.getValueAtPercentile(99) / 1e3,
                rttMicros.getMaxValue() / 1e3);
        }

        if (maxRows == 0 || rows.isEmpty())
        {
            return;
        }
        out.println();
        final String format = "%-26s %-5s %-41s %-41s %-12s %9s %15s %15s %-5s %-12s %s%n";
        out.printf(Locale.ROOT, format, "start (UTC)", "proto", "client", "server", "handshake", "rtt ms",
            "c2s pkts/bytes", "s2c pkts/bytes", "F/R", "end", "verdict");
        final int shown = Math.min(maxRows, rows.size());
        for (int i = 0; i < shown; i++)
        {
            final ConnectionSummary.Row r = rows.get(i);
            out.printf(Locale.ROOT, format,
                TIME.format(Instant.ofEpochSecond(0, r.startNanos())),
                r.transport(), r.client(), r.server(), r.handshake(),
                r.rttNanos() != HandshakeView.UNSET ? String.format(Locale.ROOT, "%.3f", r.rttNanos() / 1e6) : "-",
                r.c2sPackets() + "/" + r.c2sBytes(), r.s2cPackets() + "/" + r.s2cBytes(), r.flags(), r.endReason(),
                r.verdict());
        }
        if (flows > shown)
        {
            out.printf(Locale.ROOT, "... %,d more flows (--summary-rows N shows more; --out jsonl:PATH has all)%n",
                flows - shown);
        }
    }
}
