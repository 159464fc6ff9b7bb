package io.linerate.perf.metrics;

import io.linerate.ops.metrics.JvmMetrics;
import io.linerate.ops.metrics.MetricsEndpoint;
import io.linerate.ops.metrics.MetricsRegistry;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the Prometheus Java client (io.prometheus:prometheus-metrics-*) should replace linerate's
 * own metrics endpoint: the same families (callback counters and gauges read at each scrape, a
 * labelled counter, a histogram, the JVM's and GC's series) served by each, scraped over HTTP the
 * same number of times; prints the time a scrape takes and the bytes the process allocates for one.
 *
 * <pre>java -cp perf/target/linerate-perf.jar io.linerate.perf.metrics.MetricsEndpointComparison [SCRAPES]</pre>
 */
public final class MetricsEndpointComparison
{
    private static final int COUNTERS = 40;
    private static final int GAUGES = 10;
    private static final String[] REASONS = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    private static final double[] BOUNDS = {
        1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10};

    private MetricsEndpointComparison()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int scrapes = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        final AtomicLong tick = new AtomicLong();
        final HttpClient client = HttpClient.newHttpClient();

        final MetricsRegistry own = new MetricsRegistry();
        for (int i = 0; i < COUNTERS; i++)
        {
            own.counter("bench_counter_" + i + "_total", "a counter", tick::get);
        }
        for (int i = 0; i < GAUGES; i++)
        {
            own.gauge("bench_gauge_" + i, "a gauge", tick::get);
        }
        own.counters("bench_labelled_total", "a labelled counter", "reason", out ->
        {
            for (final String r : REASONS)
            {
                out.sample(r, tick.get());
            }
        });
        own.histogram("bench_seconds", "a histogram", BOUNDS, () ->
        {
            final long[] cumulative = new long[BOUNDS.length + 1];
            Arrays.setAll(cumulative, i -> tick.get() * (i + 1));
            return new MetricsRegistry.HistogramSnapshot(cumulative, cumulative[BOUNDS.length], 1.5);
        });
        JvmMetrics.register(own);

        final PrometheusRegistry theirs = new PrometheusRegistry();
        for (int i = 0; i < COUNTERS; i++)
        {
            CounterWithCallback.builder().name("bench_counter_" + i).help("a counter")
                .callback(cb -> cb.call(tick.get())).register(theirs);
        }
        for (int i = 0; i < GAUGES; i++)
        {
            GaugeWithCallback.builder().name("bench_gauge_" + i).help("a gauge")
                .callback(cb -> cb.call(tick.get())).register(theirs);
        }
        CounterWithCallback.builder().name("bench_labelled").help("a labelled counter").labelNames("reason")
            .callback(cb ->
            {
                for (final String r : REASONS)
                {
                    cb.call(tick.get(), r);
                }
            }).register(theirs);
        final Histogram histogram = Histogram.builder().name("bench_seconds").help("a histogram")
            .classicUpperBounds(BOUNDS).register(theirs);
        for (int i = 0; i < 1000; i++)
        {
            histogram.observe(i * 1e-4);
        }
        io.prometheus.metrics.instrumentation.jvm.JvmMetrics.builder().register(theirs);

        try (MetricsEndpoint endpoint = MetricsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), own);
             HTTPServer server = HTTPServer.builder().hostname("127.0.0.1").port(0).registry(theirs).buildAndStart())
        {
            final URI ownUri = URI.create(endpoint.url());
            final URI theirUri = URI.create("http://127.0.0.1:" + server.getPort() + "/metrics");
            for (int round = 0; round < 3; round++)
            {
                // A warm-up, then A B A: each side measured twice, between the other's runs.
                final boolean counted = round > 0;
                report("linerate's endpoint", ownUri, client, scrapes, tick, counted);
                report("Prometheus client 1.10.0", theirUri, client, scrapes, tick, counted);
            }
        }
    }

    private static void report(final String name, final URI uri, final HttpClient client, final int scrapes,
        final AtomicLong tick, final boolean print) throws IOException, InterruptedException
    {
        final HttpRequest request = HttpRequest.newBuilder(uri).build();
        final long[] nanos = new long[scrapes];
        long bytes = 0;
        final long allocatedBefore = allocated();
        for (int i = 0; i < scrapes; i++)
        {
            tick.incrementAndGet();
            final long start = System.nanoTime();
            final HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - start;
            if (response.statusCode() != 200)
            {
                throw new IOException(name + ": HTTP " + response.statusCode());
            }
            bytes = response.body().length;
        }
        final long allocatedPerScrape = (allocated() - allocatedBefore) / scrapes;
        Arrays.sort(nanos);
        if (print)
        {
            System.out.printf(Locale.ROOT, "%-26s %d scrapes: p50 %.0f us, p99 %.0f us; %,d bytes a response; " +
                "%,d bytes allocated a scrape (server and client)%n", name, scrapes, nanos[scrapes / 2] / 1e3,
                nanos[scrapes * 99 / 100] / 1e3, bytes, allocatedPerScrape);
        }
    }

    /** Bytes allocated so far by every live thread of this JVM. */
    private static long allocated()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (final long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds()))
        {
            sum += Math.max(0, a);
        }
        return sum;
    }
}
