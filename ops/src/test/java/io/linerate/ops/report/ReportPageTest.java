package io.linerate.ops.report;

import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --report}: the page of a real capture opens in headless chromium without a console error,
 * loads nothing else, its charts are drawn (screenshots in {@code target/report-screenshots}), and
 * its tables say what the JSON records of the same run say, and its totals what the summary says.
 */
class ReportPageTest
{
    static final Path SCREENSHOTS = Path.of("target/report-screenshots");
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");
    private static final Path CORPUS = Path.of(System.getProperty("linerate.corpus", "../../shared/corpus"));

    @TempDir
    Path tmp;

    @Test
    void theSampleCapturesReportShowsItsRecords() throws Exception
    {
        check(SAMPLE, "loopback-http");
    }

    /** 334 TLS connections over IPv4 and IPv6, with retransmissions, SACK and alerts. */
    @Test
    void aTlsCapturesReportShowsItsRecords() throws Exception
    {
        final Path tls = CORPUS.resolve("real/pcapplusplus/tls2.pcap");
        Assumptions.assumeTrue(Files.isRegularFile(tls), "no corpus at " + CORPUS);
        final ReportPage page = check(tls, "tls2");
        assertTrue(page.tables.containsKey("tls-versions") && page.tables.containsKey("top-retransmissions"),
            "the TLS and retransmission tables: " + page.tables.keySet());
        assertTrue(page.tables.get("top-bytes").stream().anyMatch(r -> r.get(12).startsWith("ipv6.addr==")),
            "an IPv6 connection's filter");
    }

    @Test
    void aReportThatCannotBeWrittenSaysWhyAndExitsOne() throws Exception
    {
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--out", "jsonl:" + tmp.resolve("f.jsonl"),
            "--report", tmp.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("linerate: " + tmp + ": is a directory\n", r.err());
    }

    private ReportPage check(final Path capture, final String name) throws Exception
    {
        final Path flows = tmp.resolve(name + ".jsonl");
        final Path html = tmp.resolve(name + ".html");
        final MainTest.Run run = MainTest.run("replay", capture.toString(), "--out", "jsonl:" + flows, "--out", "summary",
            "--report", html.toString());
        assertEquals(0, run.exit(), run.err());
        final ReportPage page = ReportPage.load(html, SCREENSHOTS.resolve(name + ".png"), tmp);
        ReportChecks.assertShown(page);
        ReportChecks.assertAgrees(page, ReportChecks.finals(flows));
        assertSummaryTotals(page, run.out());
        return page;
    }

    /** The frames, bytes and malformed frames the summary printed for the same run. */
    static void assertSummaryTotals(final ReportPage page, final String summary)
    {
        final Matcher totals = Pattern.compile("frames ([\\d,]+)  bytes ([\\d,]+)  flows ([\\d,]+)").matcher(summary);
        assertTrue(totals.find(), summary);
        final Map<String, String> shown = new HashMap<>();
        page.tables.get("totals").forEach(r -> shown.put(r.get(0).strip(), r.get(1)));
        assertEquals(ReportChecks.number(totals.group(1)), ReportChecks.number(shown.get("frames analysed")));
        assertEquals(ReportChecks.number(totals.group(2)), ReportChecks.number(shown.get("bytes on the wire")));
        assertEquals(ReportChecks.number(totals.group(3)),
            ReportChecks.number(shown.get("connections and flows (final records)")));
        final Matcher malformed = Pattern.compile("not analysed: ([\\d,]+)(?: \\((.*)\\))?").matcher(summary);
        assertTrue(malformed.find(), summary);
        assertEquals(ReportChecks.number(malformed.group(1)),
            ReportChecks.number(shown.get("malformed frames (not analysed)")));
        final List<List<String>> reasons = page.tables.get("malformed");
        if (malformed.group(2) == null)
        {
            assertEquals(null, reasons);
            return;
        }
        final Map<String, Long> expected = new HashMap<>();
        for (final String part : malformed.group(2).split(", "))
        {
            final int space = part.lastIndexOf(' ');
            expected.put(part.substring(0, space), Long.parseLong(part.substring(space + 1)));
        }
        final Map<String, Long> table = new HashMap<>();
        reasons.subList(1, reasons.size()).forEach(r -> table.put(r.get(0), ReportChecks.number(r.get(1))));
        assertEquals(expected, table);
    }
}
