package io.linerate.ops;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zeek is the reference for {@code state} and {@code history}: every capture of
 * {@code ../shared/corpus/zeek} with a conn.log is replayed and {@code ../shared/tools/zeek-compare}
 * compares the records with Zeek's rows; the agreement summed over all pairs must reach the floors
 * below. Tunnelled connections (a {@code tunnel_parents} value) are left out: linerate does not
 * decapsulate yet. Skipped when the corpus or the tool is not there (a failure of ops/test.sh under CI=true).
 */
@Tag("slow")
public class ZeekConformanceTest
{
    /**
     * Floors for the overall agreement (measured 2026-11-24: conn_state 177/179, history 174/179).
     * {@code record} is how many of Zeek's rows found a linerate record with the same 5-tuple, and
     * {@code orig_pkts}/{@code resp_pkts} how many matched rows have Zeek's packet counts; their floors
     * are what was measured on this corpus (record 179/197, orig_pkts 165/179, resp_pkts 170/179), so a
     * change that loses records or packets fails here even when state and history still agree.
     * Where Zeek ends a connection that linerate's Wireshark-aligned record continues (its attempt
     * timer: no answer 5 s after the SYN; 5 s after a RST or both FINs; 3 s after a half close of
     * a partial connection) the record keeps the state and history of Zeek's first row. The rest:
     * a bad-checksum row ({@code C}), an NTP-specific flip, a content gap Zeek reports in a stream
     * that was all captured, and the place of one retransmission letter.
     */
    static final Map<String, Double> FLOORS = Map.of("conn_state", 0.98, "history", 0.97,
        "record", 0.908, "orig_pkts", 0.921, "resp_pkts", 0.949);

    static final Pattern LINE = Pattern.compile("^\\s+(\\S+)\\s+(\\d+)/(\\d+)\\s+\\S+%$");

    @TempDir
    Path tmp;

    static Path zeekCorpus()
    {
        return CorpusConformanceTest.corpus().resolve("zeek");
    }

    @Test
    void stateAndHistoryAgreeWithZeek() throws Exception
    {
        final Path tool = CorpusConformanceTest.tool("zeek-compare");
        Assumptions.assumeTrue(Files.isDirectory(zeekCorpus()) && Files.isExecutable(tool),
            "no Zeek corpus or zeek-compare at " + zeekCorpus());
        final List<Path> logs;
        try (Stream<Path> s = Files.list(zeekCorpus()))
        {
            logs = s.filter(p -> p.getFileName().toString().endsWith(".conn.log")).sorted().toList();
        }
        Assumptions.assumeFalse(logs.isEmpty(), "no conn.log in " + zeekCorpus());
        final Map<String, long[]> sums = new TreeMap<>();
        final StringBuilder perPair = new StringBuilder();
        for (final Path log : logs)
        {
            final String name = log.getFileName().toString().replace(".conn.log", "");
            Path capture = zeekCorpus().resolve(name + ".pcap");
            if (!Files.exists(capture))
            {
                capture = zeekCorpus().resolve(name + ".pcapng");
            }
            if (!Files.exists(capture))
            {
                continue;
            }
            final Path flows = tmp.resolve(name + ".jsonl");
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exit = Main.run(List.of("replay", capture.toString(), "--out", "jsonl:" + flows),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
            assertEquals(0, exit, capture + ": " + err.toString(StandardCharsets.UTF_8));
            final Path untunnelled = tmp.resolve(name + ".conn.log");
            Files.write(untunnelled, withoutTunnelled(Files.readAllLines(log)));
            final String report = run(tool.toString(), untunnelled.toString(), flows.toString(), "--show", "0");
            perPair.append(name).append(':');
            for (final String line : report.split("\n"))
            {
                final Matcher m = LINE.matcher(line);
                if (m.matches())
                {
                    final long[] s = sums.computeIfAbsent(m.group(1), k -> new long[2]);
                    s[0] += Long.parseLong(m.group(2));
                    s[1] += Long.parseLong(m.group(3));
                    perPair.append(' ').append(m.group(1)).append(' ').append(m.group(2)).append('/').append(m.group(3));
                }
            }
            perPair.append('\n');
        }
        for (final Map.Entry<String, long[]> sum : sums.entrySet())
        {
            System.out.println("zeek-compare over all pairs: " + sum.getKey() + " " + sum.getValue()[0] + "/" +
                sum.getValue()[1]);
        }
        for (final Map.Entry<String, Double> floor : FLOORS.entrySet())
        {
            final long[] s = sums.get(floor.getKey());
            assertTrue(s != null && s[1] > 0, "zeek-compare said nothing of " + floor.getKey() + ":\n" + perPair);
            final double rate = (double) s[0] / s[1];
            assertTrue(rate >= floor.getValue(),
                floor.getKey() + " agrees on " + s[0] + "/" + s[1] + ", below " + floor.getValue() + ":\n" + perPair);
        }
    }

    /** The conn.log without the rows of tunnelled connections (those with tunnel_parents). */
    static List<String> withoutTunnelled(final List<String> lines)
    {
        int column = -1;
        final List<String> out = new ArrayList<>();
        for (final String line : lines)
        {
            if (line.startsWith("#fields"))
            {
                final String[] f = line.split("\t");
                for (int i = 1; i < f.length; i++)
                {
                    if (f[i].equals("tunnel_parents"))
                    {
                        column = i - 1;
                    }
                }
            }
            if (!line.startsWith("#") && column >= 0)
            {
                final String[] f = line.split("\t", -1);
                if (column < f.length && !f[column].equals("-") && !f[column].isEmpty())
                {
                    continue;
                }
            }
            out.add(line);
        }
        return out;
    }

    static String run(final String... command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "zeek-compare timed out");
        return out;
    }
}
