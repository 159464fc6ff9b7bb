package io.linerate.ops.metrics;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code --metrics [HOST:]PORT}: serves a {@link MetricsRegistry} at {@code /metrics} in
 * Prometheus' text exposition format, on the JDK's own HTTP server ({@code com.sun.net.httpserver}),
 * one thread of its own, off the pipeline's threads. Every scrape reads the values anew. With
 * {@code --metrics-web-config} ({@link WebConfig}) it serves HTTPS and asks for a user and password.
 */
public final class MetricsEndpoint implements AutoCloseable
{
    /** The content type of the text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String PATH = "/metrics";
    /** The JDK HTTP server's switch for TCP_NODELAY on its connections. */
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ExecutorService thread;

    private MetricsEndpoint(final HttpServer server, final ExecutorService thread)
    {
        this.server = server;
        this.thread = thread;
    }

    /**
     * Binds {@code address} (port 0: a free port, see {@link #address()}) and starts serving.
     *
     * @throws IOException when the address cannot be bound (taken, not local)
     */
    public static MetricsEndpoint start(final InetSocketAddress address, final MetricsRegistry registry) throws IOException
    {
        return start(address, registry, null);
    }

    /**
     * As {@link #start(InetSocketAddress, MetricsRegistry)}, with TLS and basic authentication when
     * {@code webConfig} asks for them ({@code --metrics-web-config}; null for neither).
     */
    public static MetricsEndpoint start(final InetSocketAddress address, final MetricsRegistry registry,
        final WebConfig webConfig) throws IOException
    {
        // The JDK's server writes a response's headers and body apart: without TCP_NODELAY the body
        // waits for the scraper's delayed ACK, about 44 ms a scrape on loopback (perf/RESULTS.md). The
        // server reads this once, when its first instance is made; a value given on the command line stays.
        if (System.getProperty(NODELAY) == null)
        {
            System.setProperty(NODELAY, "true");
        }
        final HttpServer server;
        if (webConfig != null && webConfig.keyStore() != null)
        {
            final HttpsServer https = HttpsServer.create(address, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(webConfig)));
            server = https;
        }
        else
        {
            server = HttpServer.create(address, 16);
        }
        final ExecutorService thread = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "linerate-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        final HttpContext context = server.createContext("/", exchange -> serve(exchange, registry));
        if (webConfig != null && !webConfig.users().isEmpty())
        {
            context.setAuthenticator(new BcryptAuthenticator(webConfig.users()));
        }
        server.start();
        return new MetricsEndpoint(server, thread);
    }

    /** The address the endpoint listens on (the port chosen when 0 was asked for). */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    /** The URL to scrape, e.g. {@code http://127.0.0.1:9464/metrics} ({@code https} with TLS). */
    public String url()
    {
        final InetSocketAddress a = address();
        final String host = a.getAddress().isAnyLocalAddress() ? "localhost" :
            a.getAddress() instanceof java.net.Inet6Address ? "[" + a.getAddress().getHostAddress() + "]" :
            a.getAddress().getHostAddress();
        return (server instanceof HttpsServer ? "https" : "http") + "://" + host + ":" + a.getPort() + PATH;
    }

    private static SSLContext sslContext(final WebConfig webConfig) throws IOException
    {
        try
        {
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(webConfig.keyStore(), WebConfig.KEY_PASSWORD);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(webConfig.file() + ": cannot serve TLS with its certificate and key: " +
                ex.getMessage(), ex);
        }
    }

    /**
     * HTTP basic authentication (RFC 7617) against bcrypt hashes. An unknown user is checked against
     * a hash of the same cost all the same, so the answer's time does not tell which users exist.
     */
    private static final class BcryptAuthenticator extends BasicAuthenticator
    {
        private final Map<String, String> users;
        private final String unknownUser;

        BcryptAuthenticator(final Map<String, String> users)
        {
            super("linerate metrics", StandardCharsets.UTF_8);
            this.users = users;
            final String any = users.values().iterator().next();
            final byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            unknownUser = Bcrypt.hash("", salt, Integer.parseInt(any.substring(4, 6)));
        }

        @Override
        public boolean checkCredentials(final String user, final String password)
        {
            final String hash = users.get(user);
            final boolean matches = Bcrypt.matches(hash != null ? hash : unknownUser, password);
            return hash != null && matches;
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
        thread.shutdownNow();
    }

    private static void serve(final HttpExchange exchange, final MetricsRegistry registry) throws IOException
    {
        try (exchange)
        {
            final String method = exchange.getRequestMethod();
            if (!PATH.equals(exchange.getRequestURI().getPath()))
            {
                respond(exchange, 404, "text/plain; charset=utf-8", "linerate serves " + PATH + "\n", true);
                return;
            }
            if (!"GET".equals(method) && !"HEAD".equals(method))
            {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "GET " + PATH + "\n", true);
                return;
            }
            final StringBuilder text = new StringBuilder(8192);
            registry.writeTo(text);
            respond(exchange, 200, CONTENT_TYPE, text.toString(), "GET".equals(method));
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final String contentType,
        final String body, final boolean withBody) throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, withBody ? bytes.length : -1);
        if (withBody)
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(bytes);
            }
        }
    }
}
