package io.linerate.perf.report;

import io.linerate.ops.Main;
import io.linerate.ops.report.ReportChecks;
import io.linerate.ops.report.ReportPage;
import io.linerate.perf.generate.GeneratorSettings;
import io.linerate.perf.generate.TrafficGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report of a generated capture of 40,000 TCP connections (refused, unanswered, reset, re-sent
 * data, retried SYNs among them) and UDP flows, as the report of a large run: it opens in headless
 * chromium without a console error, its charts are drawn (screenshot in
 * {@code target/report-screenshots}), and its tables say what the JSON records of the same run say.
 */
class GeneratedReportTest
{
    @TempDir
    Path tmp;

    @Test
    void theReportOf40000ConnectionsShowsItsRecords() throws Exception
    {
        final Path pcap = tmp.resolve("40k.pcap");
        TrafficGenerator.writeFiles(new GeneratorSettings()
            .mode(GeneratorSettings.Mode.TCP)
            .seed(14)
            .connections(40_000)
            .refused(1_500)
            .unanswered(800)
            .rstClose(1_000)
            .retransmitted(2_000)
            .synRetried(500)
            .udpFlows(2_000)
            .clients(5_000)
            .connectionRate(20_000), pcap, null);
        final Path flows = tmp.resolve("40k.jsonl");
        final Path html = tmp.resolve("40k.html");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of("replay", pcap.toString(), "--out", "jsonl:" + flows, "--report",
            html.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));

        final List<Map<String, Object>> finals = ReportChecks.finals(flows);
        assertEquals(42_000, finals.size(), "40,000 connections and 2,000 UDP flows");
        final ReportPage page = ReportPage.load(html, Path.of("target/report-screenshots/generated-40000.png"), tmp);
        ReportChecks.assertShown(page);
        ReportChecks.assertAgrees(page, finals);
        assertTrue(page.tables.get("handshake-failures").size() > 1, "the refused and unanswered by server");
        assertTrue(page.tables.get("timeline").size() > 50, "a timeline of the 2 s of packets");
    }
}
