package io.linerate.ops.metrics;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Prometheus scrape of a run started in the test's JVM with {@code --metrics 127.0.0.1:0}, as the
 * tests that check the endpoint's series against the records and the summary need it: where the
 * endpoint listens (the run says so on its standard error), the text format parsed and checked, and
 * the scrape of a pipeline that has drained. One parser, so every test reads the format alike.
 */
final class MetricsScrape
{
    private static final Pattern URL = Pattern.compile("metrics at (http://\\S+)");
    private static final Pattern SAMPLE_LINE =
        Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (-?\\d+|-?\\d+\\.\\d+(?:E-?\\d+)?)");

    private MetricsScrape()
    {
    }

    /**
     * The endpoint's URL once the run has written it to {@code err}. The bound is generous, not a
     * window: on a loaded machine the JVM's start and the bind can take many seconds.
     */
    static String waitForUrl(final ByteArrayOutputStream err, final CompletableFuture<Integer> run)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0 && !run.isDone())
        {
            final Matcher m = URL.matcher(err.toString(StandardCharsets.UTF_8));
            if (m.find())
            {
                return m.group(1);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        throw new AssertionError("no metrics URL on stderr: " + err);
    }

    /**
     * Scrapes until {@code finalRecords} final records are counted and no flow is active, then once
     * more: that last scrape is of a drained pipeline, whose counters no longer move. The run must
     * still be going (a Kafka output waiting for a broker that is not there keeps it so).
     */
    static Map<String, Long> scrapeOnceDrained(
        final String url,
        final CompletableFuture<Integer> run,
        final ByteArrayOutputStream err,
        final long finalRecords) throws Exception
    {
        Map<String, Long> m = Map.of();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!(m.getOrDefault("linerate_records_emitted_total{record_type=\"final\"}", -1L) == finalRecords &&
            m.getOrDefault("linerate_flows_active", -1L) == 0))
        {
            assertTrue(System.nanoTime() - deadline < 0, "the pipeline did not drain within 180 s: " + m);
            assertTrue(!run.isDone(), "the run ended before the final scrape: " + err);
            TimeUnit.MILLISECONDS.sleep(100);
            m = scrape(url);
        }
        return scrape(url);
    }

    /**
     * GETs the endpoint and parses the text format: every sample line's name (with its labels) and
     * value; each sample's family must have had its TYPE line before it.
     */
    static Map<String, Long> scrape(final String url) throws Exception
    {
        final HttpResponse<String> r = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        final Map<String, Long> values = new LinkedHashMap<>();
        final Set<String> typed = new HashSet<>();
        for (final String line : r.body().split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                typed.add(line.split(" ")[2]);
                continue;
            }
            if (line.startsWith("#") || line.isEmpty())
            {
                continue;
            }
            final Matcher m = SAMPLE_LINE.matcher(line);
            assertTrue(m.matches(), line);
            final String name = m.group(1).replaceAll("\\{.*", "");
            // A histogram's series are its name and _bucket, _sum, _count.
            final String family = typed.contains(name) ? name : name.replaceFirst("_(bucket|sum|count)$", "");
            assertTrue(typed.contains(family), "TYPE before " + line);
            // Fractional values (seconds) are kept in milliseconds; every other value is a whole number.
            final long value = m.group(2).matches("-?\\d+") ? Long.parseLong(m.group(2)) :
                Math.round(Double.parseDouble(m.group(2)) * 1e3);
            assertEquals(null, values.put(m.group(1), value), "once: " + line);
        }
        return values;
    }
}
