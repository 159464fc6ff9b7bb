package io.linerate.ops.report;

import io.linerate.ops.Json;
import org.junit.jupiter.api.Assumptions;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A report page as Debian's headless chromium shows it, driven over the DevTools protocol: what its
 * console said (errors, warnings, uncaught exceptions), every request it made, the text of every
 * table, each chart's area on a full-page screenshot and how many of its pixels are drawn.
 */
public final class ReportPage
{
    /** A chart's place on the screenshot and the pixels in it that are not background. */
    public record Chart(String label, int x, int y, int width, int height, long inkPixels)
    {
    }

    public final List<String> consoleProblems = Collections.synchronizedList(new ArrayList<>());
    public final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** Table id to its rows (header row first), each a list of cell texts. */
    public final Map<String, List<List<String>>> tables = new LinkedHashMap<>();
    public final List<Chart> charts = new ArrayList<>();
    /** The connection pictures: flow_id, packets found, ladder arrows and labels, segments drawn. */
    public final List<Map<String, Object>> pictures = new ArrayList<>();
    public String title;

    private static final long WAIT_SECONDS = 120;

    private ReportPage()
    {
    }

    /** The chromium to use; the test is skipped (a failure with CI=true) where there is none. */
    public static Path chromium()
    {
        for (final String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser"))
        {
            if (Files.isExecutable(Path.of(candidate)))
            {
                return Path.of(candidate);
            }
        }
        Assumptions.abort("no chromium (ops/setup.sh --test installs it)");
        return null;
    }

    /** Opens {@code html} in a headless chromium of its own and saves the page's screenshot to {@code screenshot}. */
    public static ReportPage load(final Path html, final Path screenshot, final Path work) throws Exception
    {
        final Path profile = Files.createTempDirectory(work, "chromium");
        final Path log = work.resolve("chromium.log");
        final Process browser = new ProcessBuilder(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile,
            "about:blank").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try
        {
            final Path portFile = profile.resolve("DevToolsActivePort");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty())
            {
                if (!browser.isAlive() || System.nanoTime() > deadline)
                {
                    throw new AssertionError("chromium did not start its DevTools endpoint: " + Files.readString(log));
                }
                Thread.onSpinWait();
                browser.waitFor(50, TimeUnit.MILLISECONDS);
            }
            final int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            final HttpClient http = HttpClient.newHttpClient();
            final String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
            final Map<String, Object> targets = Json.object("{\"t\":" + list + "}");
            String socket = null;
            for (final Object t : (List<?>)targets.get("t"))
            {
                final Map<?, ?> target = (Map<?, ?>)t;
                if ("page".equals(target.get("type")))
                {
                    socket = (String)target.get("webSocketDebuggerUrl");
                }
            }
            if (socket == null)
            {
                throw new AssertionError("chromium has no page: " + list);
            }
            try (Session s = new Session(http, socket))
            {
                final ReportPage page = new ReportPage();
                s.onEvent = page::event;
                s.call("Runtime.enable", "{}");
                s.call("Log.enable", "{}");
                s.call("Network.enable", "{}");
                s.call("Page.enable", "{}");
                final CompletableFuture<Void> loaded = s.awaitEvent("Page.loadEventFired");
                s.call("Page.navigate", "{\"url\":" + quote(html.toAbsolutePath().toUri().toString()) + "}");
                loaded.get(WAIT_SECONDS, TimeUnit.SECONDS);
                final long height = Json.num(value(s, "({v: document.documentElement.scrollHeight})"), "v");
                s.call("Emulation.setDeviceMetricsOverride", "{\"width\":1400,\"height\":" + Math.min(height, 30_000) +
                    ",\"deviceScaleFactor\":1,\"mobile\":false}");
                final Map<String, Object> facts = value(s, "({title: document.title," +
                    "tables: Array.from(document.querySelectorAll('table')).map(t => ({id: t.id," +
                    "  rows: Array.from(t.rows).map(r => Array.from(r.cells).map(c => c.textContent))}))," +
                    "pictures: Array.from(document.querySelectorAll('div.picture')).map(d => ({id: d.dataset.flowId," +
                    "  packets: Number(d.dataset.packets), arrows: d.querySelectorAll('line.arrow').length," +
                    "  labels: Array.from(d.querySelectorAll('text.label')).map(t => t.textContent)," +
                    "  segments: d.querySelectorAll('line.seg, line.retx').length}))," +
                    "charts: Array.from(document.querySelectorAll('svg.chart')).map(c => {" +
                    "  const r = c.getBoundingClientRect();" +
                    "  return {label: c.getAttribute('aria-label'), x: Math.round(r.left + window.scrollX)," +
                    "    y: Math.round(r.top + window.scrollY), w: Math.round(r.width), h: Math.round(r.height)};})})");
                page.title = (String)facts.get("title");
                for (final Object t : (List<?>)facts.get("tables"))
                {
                    final Map<?, ?> table = (Map<?, ?>)t;
                    final List<List<String>> rows = new ArrayList<>();
                    for (final Object r : (List<?>)table.get("rows"))
                    {
                        final List<String> cells = new ArrayList<>();
                        for (final Object c : (List<?>)r)
                        {
                            cells.add((String)c);
                        }
                        rows.add(cells);
                    }
                    page.tables.put((String)table.get("id"), rows);
                }
                for (final Object p : (List<?>)facts.get("pictures"))
                {
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> picture = (Map<String, Object>)p;
                    page.pictures.add(picture);
                }
                final Map<String, Object> shot = s.call("Page.captureScreenshot",
                    "{\"format\":\"png\",\"captureBeyondViewport\":true}");
                final byte[] png = Base64.getDecoder().decode((String)Json.at(shot, "result.data"));
                Files.createDirectories(screenshot.toAbsolutePath().getParent());
                Files.write(screenshot, png);
                final BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
                for (final Object c : (List<?>)facts.get("charts"))
                {
                    final Map<?, ?> chart = (Map<?, ?>)c;
                    final int x = ((Number)chart.get("x")).intValue();
                    final int y = ((Number)chart.get("y")).intValue();
                    final int w = ((Number)chart.get("w")).intValue();
                    final int h = ((Number)chart.get("h")).intValue();
                    page.charts.add(new Chart((String)chart.get("label"), x, y, w, h, ink(image, x, y, w, h)));
                }
                return page;
            }
        }
        finally
        {
            browser.destroy();
            if (!browser.waitFor(30, TimeUnit.SECONDS))
            {
                browser.destroyForcibly();
            }
        }
    }

    /** Pixels inside the area (its one-pixel border left out) that are neither the background nor white. */
    private static long ink(final BufferedImage image, final int x, final int y, final int w, final int h)
    {
        final int background = 0xFCFCFC;
        long ink = 0;
        for (int py = Math.max(0, y + 2); py < Math.min(image.getHeight(), y + h - 2); py++)
        {
            for (int px = Math.max(0, x + 2); px < Math.min(image.getWidth(), x + w - 2); px++)
            {
                final int rgb = image.getRGB(px, py) & 0xFFFFFF;
                if (rgb != background && rgb != 0xFFFFFF)
                {
                    ink++;
                }
            }
        }
        return ink;
    }

    private void event(final Map<String, Object> message)
    {
        final String method = (String)message.get("method");
        if ("Runtime.consoleAPICalled".equals(method))
        {
            final String type = String.valueOf(Json.at(message, "params.type"));
            if (type.equals("error") || type.equals("warning") || type.equals("assert"))
            {
                consoleProblems.add("console." + type + ": " + Json.at(message, "params.args"));
            }
        }
        else if ("Runtime.exceptionThrown".equals(method))
        {
            consoleProblems.add("exception: " + Json.at(message, "params.exceptionDetails"));
        }
        else if ("Log.entryAdded".equals(method))
        {
            final String level = String.valueOf(Json.at(message, "params.entry.level"));
            if (level.equals("error") || level.equals("warning"))
            {
                consoleProblems.add("log " + level + ": " + Json.at(message, "params.entry.text") + " " +
                    Json.at(message, "params.entry.url"));
            }
        }
        else if ("Network.requestWillBeSent".equals(method))
        {
            requests.add(String.valueOf(Json.at(message, "params.request.url")));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> value(final Session s, final String expression) throws Exception
    {
        final Map<String, Object> reply = s.call("Runtime.evaluate", "{\"expression\":" +
            quote("JSON.stringify(" + expression + ")") + ",\"returnByValue\":true}");
        final Object v = Json.at(reply, "result.result.value");
        if (!(v instanceof String))
        {
            throw new AssertionError("evaluation failed: " + reply);
        }
        return Json.object((String)v);
    }

    static String quote(final String s)
    {
        final StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** One DevTools WebSocket: calls answered by id, events handed to {@link #onEvent}. */
    private static final class Session implements WebSocket.Listener, AutoCloseable
    {
        private final WebSocket socket;
        private final AtomicInteger nextId = new AtomicInteger();
        private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<Void>> awaited = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();
        volatile java.util.function.Consumer<Map<String, Object>> onEvent = m -> { };

        Session(final HttpClient http, final String url) throws Exception
        {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(url), this).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        Map<String, Object> call(final String method, final String params) throws Exception
        {
            final int id = nextId.incrementAndGet();
            final CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
            pending.put(id, reply);
            socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
            final Map<String, Object> r = reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (r.containsKey("error"))
            {
                throw new AssertionError(method + " failed: " + r.get("error"));
            }
            return r;
        }

        CompletableFuture<Void> awaitEvent(final String method)
        {
            return awaited.computeIfAbsent(method, m -> new CompletableFuture<>());
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                final Map<String, Object> message = Json.object(partial.toString());
                partial.setLength(0);
                final Object id = message.get("id");
                if (id instanceof Number)
                {
                    final CompletableFuture<Map<String, Object>> reply = pending.remove(((Number)id).intValue());
                    if (reply != null)
                    {
                        reply.complete(message);
                    }
                }
                else
                {
                    onEvent.accept(message);
                    final CompletableFuture<Void> waiting = awaited.get((String)message.get("method"));
                    if (waiting != null)
                    {
                        waiting.complete(null);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close()
        {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(10, TimeUnit.SECONDS);
        }
    }
}
