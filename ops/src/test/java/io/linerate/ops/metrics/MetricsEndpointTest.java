package io.linerate.ops.metrics;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsEndpointTest
{
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheRegistryOnAFreePortAndReadsValuesAtEachScrape() throws Exception
    {
        final AtomicLong frames = new AtomicLong(5);
        final MetricsRegistry registry = new MetricsRegistry().counter("linerate_frames_read_total", "Frames", frames::get);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(loopback(0), registry))
        {
            assertTrue(endpoint.address().getPort() > 0);
            assertEquals("http://127.0.0.1:" + endpoint.address().getPort() + "/metrics", endpoint.url());
            final HttpResponse<String> first = get(endpoint.url(), "GET");
            assertEquals(200, first.statusCode());
            assertEquals(MetricsEndpoint.CONTENT_TYPE, first.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(first.body().contains("\nlinerate_frames_read_total 5\n"), first.body());
            frames.addAndGet(10);
            assertTrue(get(endpoint.url(), "GET").body().contains("\nlinerate_frames_read_total 15\n"));
            // A metric registered while serving shows in the next scrape.
            registry.gauge("linerate_late", "Registered later", () -> 1);
            assertTrue(get(endpoint.url(), "GET").body().endsWith("linerate_late 1\n"));
        }
    }

    @Test
    void answersOtherPathsAndMethodsWithTheirStatus() throws Exception
    {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(loopback(0), new MetricsRegistry()))
        {
            final String base = "http://127.0.0.1:" + endpoint.address().getPort();
            assertEquals(404, get(base + "/", "GET").statusCode());
            assertEquals(404, get(base + "/metrics/x", "GET").statusCode());
            final HttpResponse<String> post = get(base + "/metrics", "POST");
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
            assertEquals(200, get(base + "/metrics", "HEAD").statusCode());
        }
    }

    @Test
    void aTakenPortIsAnErrorAndClosingFreesIt() throws Exception
    {
        final int port;
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(loopback(0), new MetricsRegistry()))
        {
            port = endpoint.address().getPort();
            assertThrows(java.net.BindException.class, () -> MetricsEndpoint.start(loopback(port), new MetricsRegistry()));
        }
        try (MetricsEndpoint again = MetricsEndpoint.start(loopback(port), new MetricsRegistry()))
        {
            assertEquals(200, get(again.url(), "GET").statusCode());
        }
    }

    private HttpResponse<String> get(final String url, final String method) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static InetSocketAddress loopback(final int port)
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
