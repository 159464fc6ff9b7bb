package io.linerate.ops.metrics;

import io.linerate.ingest.os.Privileges;
import io.linerate.ops.Main;
import io.linerate.ops.pipeline.StopRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics endpoint with {@code --metrics-web-config}: HTTPS with a certificate and key made here by
 * openssl, basic authentication against bcrypt hashes made by another implementation (the system's
 * crypt(3), libxcrypt, through Python's crypt module, once: the hashes are below), and the web config
 * file's format checked as the Prometheus exporter toolkit writes it.
 */
class MetricsWebConfigTest
{
    private static final String PASSWORD = "scrape-secret";
    /** {@code crypt("scrape-secret", "$2b$05$abcdefghijklmnopqrstuu")} by libxcrypt. */
    private static final String HASH_2B = "$2b$05$abcdefghijklmnopqrstuuyiBEYE9gAbj4CopDfsmspBj3KMuRWOa";
    /** {@code crypt("scrape-secret", "$2y$05$Zyxwvutsrqponmlkjihgfe")} by libxcrypt (htpasswd's prefix). */
    private static final String HASH_2Y = "$2y$05$Zyxwvutsrqponmlkjihgfeshc4LQ0AQSxPgK3nOOdPHeXa8pHI5Ua";

    @TempDir
    static Path keys;
    static Path webConfig;
    static HttpClient trusting;

    @BeforeAll
    static void makeKeysAndConfig() throws Exception
    {
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", keys.resolve("server.key").toString(), "-out", keys.resolve("server.crt").toString(),
            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"));
        webConfig = keys.resolve("web-config.yml");
        // Relative file names, quoted and plain values, comments: as people write it for node_exporter.
        Files.writeString(webConfig, String.join("\n",
            "# linerate's metrics: TLS and two users",
            "tls_server_config:",
            "  cert_file: server.crt",
            "  key_file: \"server.key\"   # PKCS#8, as openssl 3 writes it",
            "basic_auth_users:",
            "  prometheus: '" + HASH_2B + "'",
            "  grafana: " + HASH_2Y,
            ""));
        trusting = HttpClient.newBuilder().sslContext(trusting(keys.resolve("server.crt"))).build();
    }

    @Test
    void servesHttpsAndOnlyToTheUsersOfTheWebConfig() throws Exception
    {
        final MetricsRegistry registry = new MetricsRegistry().counter("linerate_frames_read_total", "Frames", () -> 7);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(loopback(), registry, WebConfig.read(webConfig)))
        {
            final String url = endpoint.url();
            assertEquals("https://127.0.0.1:" + endpoint.address().getPort() + "/metrics", url);

            final HttpResponse<String> anonymous = get(trusting, url, null, null);
            assertEquals(401, anonymous.statusCode());
            assertEquals("Basic realm=\"linerate metrics\", charset=\"UTF-8\"",
                anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals(401, get(trusting, url, "prometheus", "not-" + PASSWORD).statusCode());
            assertEquals(401, get(trusting, url, "nobody", PASSWORD).statusCode());
            assertTrue(!anonymous.body().contains("linerate_frames_read_total"), anonymous.body());

            for (final String user : List.of("prometheus", "grafana"))
            {
                final HttpResponse<String> scrape = get(trusting, url, user, PASSWORD);
                assertEquals(200, scrape.statusCode(), user);
                assertTrue(scrape.body().contains("\nlinerate_frames_read_total 7\n"), scrape.body());
            }

            // Neither plain HTTP on the port nor a client that does not trust the certificate gets anything.
            final String plain = "http://127.0.0.1:" + endpoint.address().getPort() + "/metrics";
            assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(), plain, "prometheus", PASSWORD));
            assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(), url, "prometheus", PASSWORD));
        }
    }

    @Test
    void usersWithoutTlsAndTlsWithoutUsersAreEachPossible() throws Exception
    {
        final Path usersOnly = keys.resolve("users-only.yml");
        Files.writeString(usersOnly, "basic_auth_users:\n  prometheus: " + HASH_2Y + "\n");
        try (MetricsEndpoint endpoint =
                 MetricsEndpoint.start(loopback(), new MetricsRegistry(), WebConfig.read(usersOnly)))
        {
            assertTrue(endpoint.url().startsWith("http://"), endpoint.url());
            assertEquals(401, get(HttpClient.newHttpClient(), endpoint.url(), null, null).statusCode());
            assertEquals(200, get(HttpClient.newHttpClient(), endpoint.url(), "prometheus", PASSWORD).statusCode());
        }
        final Path tlsOnly = keys.resolve("tls-only.yml");
        Files.writeString(tlsOnly, "tls_server_config:\n  cert_file: " + keys.resolve("server.crt") +
            "\n  key_file: " + keys.resolve("server.key") + "\n");
        try (MetricsEndpoint endpoint =
                 MetricsEndpoint.start(loopback(), new MetricsRegistry(), WebConfig.read(tlsOnly)))
        {
            assertEquals(200, get(trusting, endpoint.url(), null, null).statusCode());
        }
    }

    @Test
    void aWebConfigThatAsksForWhatLinerateDoesNotDoIsRefusedByName() throws Exception
    {
        assertRefused("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" +
            "  client_auth_type: RequireAndVerifyClientCert\n", "tls_server_config.client_auth_type is not supported");
        assertRefused("http_server_config:\n  http2: false\n", "http_server_config is not supported");
        assertRefused("tls_server_config:\n  cert_file: server.crt\n", "needs both cert_file and key_file");
        assertRefused("basic_auth_users:\n  prometheus: secret\n", "basic_auth_users.prometheus is not a bcrypt hash");
        assertRefused("basic_auth_users:\n\tprometheus: " + HASH_2Y + "\n", ":2: a tab");
        assertRefused("basic_auth_users:\n  a: " + HASH_2Y + "\n  a: " + HASH_2Y + "\n", ":3: a given twice");
        assertRefused("tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n",
            "no -----BEGIN CERTIFICATE");
    }

    @Test
    void theCommandLineServesHttpsWithTheWebConfigAndNeedsMetricsForIt() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of("replay", Path.of("..", "samples", "loopback-http.pcap").toString(),
            "--out", "jsonl:" + keys.resolve("out.jsonl"), "--metrics", "127.0.0.1:0",
            "--metrics-web-config", webConfig.toString()), new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertEquals(0, exit, err.toString());
        assertTrue(err.toString().contains("linerate: metrics at https://127.0.0.1:"), err.toString());

        final ByteArrayOutputStream usage = new ByteArrayOutputStream();
        assertEquals(2, Main.run(List.of("replay", "x.pcap", "--metrics-web-config", webConfig.toString()),
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(usage, true, StandardCharsets.UTF_8), false));
        assertTrue(usage.toString().contains("--metrics-web-config needs --metrics"), usage.toString());
    }

    /**
     * {@code linerate capture} serves its metrics (the capture's own counters too) over HTTPS to the web
     * config's users only, while it captures datagrams to a port of the test's own on the loopback.
     */
    @Test
    void aLiveCaptureServesItsMetricsWithTheWebConfig() throws Exception
    {
        Assumptions.assumeTrue(Privileges.effectiveUid() == 0, "live capture needs root (or CAP_NET_RAW)");
        final int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        final StopRequest stop = new StopRequest();
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(List.of("capture", "-i", "lo",
            "--out", "jsonl:" + keys.resolve("capture.jsonl"), "--metrics", "127.0.0.1:0",
            "--metrics-web-config", webConfig.toString(), "udp", "dst", "port", Integer.toString(port)),
            new PrintStream(new ByteArrayOutputStream()), errStream, false, stop));
        try
        {
            final Pattern at = Pattern.compile("metrics at (https://\\S+)");
            final String url = await("the metrics endpoint").atMost(Duration.ofMinutes(2)).until(() ->
            {
                assertTrue(!run.isDone(), "the capture ended: " + err);
                final Matcher m = at.matcher(err.toString(StandardCharsets.UTF_8));
                return m.find() ? m.group(1) : null;
            }, u -> u != null);
            assertEquals(401, get(trusting, url, null, null).statusCode());
            assertEquals(401, get(trusting, url, "prometheus", "not-" + PASSWORD).statusCode());
            try (DatagramSocket socket = new DatagramSocket())
            {
                final DatagramPacket packet = new DatagramPacket(new byte[64], 64, InetAddress.getLoopbackAddress(), port);
                // Until the device is open datagrams are not seen: send until the capture has counted some.
                await("the capture to count the datagrams, scraped over HTTPS").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(50)).until(() ->
                    {
                        socket.send(packet);
                        final HttpResponse<String> scrape = get(trusting, url, "grafana", PASSWORD);
                        assertEquals(200, scrape.statusCode());
                        final Matcher m = Pattern.compile("(?m)^linerate_capture_frames_total (\\d+)").matcher(scrape.body());
                        return m.find() && Long.parseLong(m.group(1)) >= 3;
                    });
            }
            assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(), url, "prometheus", PASSWORD),
                "a client that does not trust the certificate");
        }
        finally
        {
            stop.request();
        }
        assertEquals(0, run.get(2, TimeUnit.MINUTES), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertRefused(final String text, final String expected) throws IOException
    {
        final Path file = Files.createTempFile(keys, "web-config", ".yml");
        Files.writeString(file, text);
        final IOException refused = assertThrows(IOException.class, () -> WebConfig.read(file));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }

    private static HttpResponse<String> get(final HttpClient client, final String url, final String user,
        final String password) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (user != null)
        {
            request.header("Authorization", "Basic " +
                Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(final Path certificate) throws Exception
    {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate))
        {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void run(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try (InputStream in = p.getInputStream())
        {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished: " + command);
        assertEquals(0, p.exitValue(), command + ": " + output);
    }

    private static InetSocketAddress loopback()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
