package io.linerate.ops.top;

import io.linerate.ops.Json;
import io.linerate.ops.LinerateProcess;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code linerate top} as a user runs it: in a terminal (tmux, 80×24, then resized), over a replay at
 * {@code --speed original}, driven by keys ({@code tmux send-keys}) and read off the screen
 * ({@code tmux capture-pane -p}). The capture is the shipped sample's real packets with their time
 * gaps stretched 50 times (13 s), so records arrive while the screen is up. What the screen must show
 * comes from linerate's own records and {@code linerate packets} lines for the same capture, run here.
 * Every wait is on what the screen shows, with a generous bound.
 */
@Tag("slow")
class TopCommandTest
{
    private static final Path SAMPLE = Path.of("..", "samples", "loopback-http.pcap");
    private static final int STRETCH = 50;
    /** Options of every run here: a closed connection's final record one second (packet time) after its close. */
    private static final List<String> SETTINGS = List.of("--tcp-closed-linger", "1", "--active-timeout", "1");
    private static final long START_BOUND_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** A table row at 80 columns: live mark, start, client, server, verdict, retransmissions, RTT, bytes. */
    private static final Pattern ROW = Pattern.compile(
        "^[ *](\\d\\d:\\d\\d:\\d\\d) +(\\S+) +(\\S+) +(\\S+) +(-|\\d+) +(\\S+) +(\\d\\S*) *$");
    private static final Pattern COUNTS = Pattern.compile("(running|finished)  (\\d+) of (\\d+) connections");

    @TempDir
    Path tmp;
    private Path socket;
    private Path exitFile;

    @AfterEach
    void killServer() throws Exception
    {
        if (socket != null)
        {
            tmux("kill-server");
        }
    }

    @Test
    void sortsFiltersShowsAConnectionAndQuitsCleanly() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "no tmux (ops/setup.sh --test installs it)");
        final Path capture = tmp.resolve("stretched.pcap");
        stretch(SAMPLE, capture, STRETCH);
        final List<Map<String, Object>> records = finalRecords(capture);
        assertTrue(records.size() >= 5, "the sample has several connections: " + records);
        final List<Map<String, Object>> failed = records.stream().filter(r -> !"ok".equals(r.get("verdict"))).toList();
        assertFalse(failed.isEmpty(), "the sample has connections that did not go well");

        start(capture);

        // Records arrive during the replay: a screen still running shows fewer connections than the end.
        final String early = await("the table while the replay runs", START_BOUND_NANOS, s ->
        {
            final Matcher m = COUNTS.matcher(s);
            // the whole header too: on a busy machine tmux can capture a screen half redrawn
            return m.find() && m.group(1).equals("running") && Integer.parseInt(m.group(3)) < records.size() &&
                s.contains(" START ") && s.contains("CLIENT") && s.contains("VERDICT");
        });
        assertTrue(early.contains(" START ") && early.contains("CLIENT") && early.contains("VERDICT"), early);
        final String done = await("every connection, the replay finished", BOUND_NANOS,
            s -> s.contains("finished  " + records.size() + " of " + records.size() + " connections") &&
                rowKeys(rows(s)).equals(expectedRows(records)));
        assertEquals(expectedRows(records), rowKeys(rows(done)), done);
        assertTrue(done.contains("sort: start (earliest first)"), done);
        final List<Row> byStart = rows(done);
        assertSorted(byStart.stream().map(r -> r.start).toList(), false, done);

        // Sort by bytes, most first; the same key again reverses it.
        keys("5");
        final String bytes = await("sorted by bytes", BOUND_NANOS, s -> s.contains("sort: bytes (most first)") &&
            rows(s).size() == records.size() && sorted(rows(s).stream().map(r -> r.bytes).toList(), true));
        final List<Long> byBytes = rows(bytes).stream().map(r -> r.bytes).toList();
        assertEquals(records.size(), byBytes.size(), bytes);
        assertSorted(byBytes, true, bytes);
        assertNotEquals(byStart.stream().map(r -> r.bytes).toList(), byBytes, "the order changed: " + bytes);
        keys("5");
        final String reversed = await("bytes reversed", BOUND_NANOS, s -> s.contains("sort: bytes (reversed)") &&
            rows(s).size() == records.size() && sorted(rows(s).stream().map(r -> r.bytes).toList(), false));
        assertSorted(rows(reversed).stream().map(r -> r.bytes).toList(), false, reversed);
        keys("5");
        await("bytes, most first again", BOUND_NANOS, s -> s.contains("sort: bytes (most first)") &&
            rows(s).size() == records.size() && sorted(rows(s).stream().map(r -> r.bytes).toList(), true));

        // A bad expression is marked where it went wrong, Wireshark's way, and top goes on.
        keys("/");
        literal("tcp.prot == 1");
        keys("Enter");
        final String mark = " ".repeat("filter: ".length()) + "^" + "~".repeat("tcp.prot".length() - 1);
        final String bad = await("the error", BOUND_NANOS,
            s -> s.contains("\"tcp.prot\" is neither a field nor a protocol name.") && s.lines().anyMatch(l -> l.stripTrailing().equals(mark)));
        final List<String> badLines = bad.lines().toList();
        final int filterLine = indexOf(badLines, "filter: tcp.prot == 1");
        assertEquals(mark, badLines.get(filterLine + 1).stripTrailing(), bad);
        assertFalse(Files.exists(exitFile), "a bad filter does not end top");

        // A filter on the record's fields: only the connections that did not go well stay.
        keys("C-u");
        literal("verdict != \"ok\"");
        keys("Enter");
        final String filtered = await("the failed connections only", BOUND_NANOS,
            s -> s.contains("finished  " + failed.size() + " of " + records.size() + " connections") &&
                !s.contains("neither a field") && rowKeys(rows(s)).equals(expectedRows(failed)));
        assertEquals(expectedRows(failed), rowKeys(rows(filtered)), filtered);

        // A filter with per-packet fields (some packet had RST): the capture is read again for it.
        keys("/", "C-u");
        literal("tcp.flags.reset == 1");
        keys("Enter");
        final List<Map<String, Object>> reset = records.stream()
            .filter(r -> "tcp".equals(r.get("transport")) && (Json.num(r, "c2s.rst") == 1 || Json.num(r, "s2c.rst") == 1))
            .toList();
        assertFalse(reset.isEmpty());
        final String resetScreen = await("the connections with a reset", BOUND_NANOS,
            s -> s.contains("filter: tcp.flags.reset == 1") && !s.contains("reading the capture again") &&
                s.contains("finished  " + reset.size() + " of " + records.size() + " connections") &&
                rowKeys(rows(s)).equals(expectedRows(reset)));
        assertEquals(expectedRows(reset), rowKeys(rows(resetScreen)), resetScreen);

        // Back to the failed ones; Enter on the first (most bytes) shows its record and its packets.
        keys("/", "C-u");
        literal("verdict != \"ok\"");
        keys("Enter");
        final String again = await("the failed connections again", BOUND_NANOS,
            s -> s.contains("filter: verdict != \"ok\"") &&
                s.contains("finished  " + failed.size() + " of " + records.size() + " connections") &&
                rowKeys(rows(s)).equals(expectedRows(failed)) && sorted(rows(s).stream().map(r -> r.bytes).toList(), true));
        keys("Home", "Enter");
        final Row first = rows(again).get(0);
        final Map<String, Object> chosen = records.stream()
            .filter(r -> endpoint(r, "client").equals(first.client) && endpoint(r, "server").equals(first.server))
            .findFirst().orElseThrow(() -> new AssertionError("no record for " + first + " in " + records));
        final String flowId = (String)chosen.get("flow_id");
        final String record = await("the record", BOUND_NANOS, s -> s.contains("\"flow_id\": \"" + flowId + "\"") &&
            s.contains("\"transport\": ") && s.lines().findFirst().orElse("").contains(first.client + " > " + first.server));
        assertTrue(record.contains("record (final):"), record);
        assertTrue(record.contains("\"record_type\": \"final\""), record);
        assertTrue(record.contains("\"transport\": \"" + chosen.get("transport") + "\""), record);
        assertTrue(record.lines().findFirst().orElse("").contains(first.client + " > " + first.server), record);
        final List<String> packets = packetLines(capture, flowId);
        assertFalse(packets.isEmpty());
        keys("End");
        final String bottom = await("its packets", BOUND_NANOS, s -> s.contains("packets (" + packets.size() + "):") &&
            unwrapPackets(s).equals(packets));
        assertEquals(packets, unwrapPackets(bottom), bottom);
        keys("Home", "PageDown");
        final String middle = await("the record's verdict on its second page", BOUND_NANOS,
            s -> s.contains("\"verdict\": \"" + chosen.get("verdict") + "\"") && s.contains("\"verdict_detail\": "));
        assertTrue(middle.contains("\"verdict_detail\": "), middle);

        // A larger terminal gets the wide table; back at 80x24 the narrow one.
        keys("Escape");
        await("the table again", BOUND_NANOS, s -> s.contains(" START ") && s.contains("filter: verdict != \"ok\""));
        tmux("resize-window", "-t", "top", "-x", "120", "-y", "30");
        final String wide = await("the wide table", BOUND_NANOS, s -> s.contains("PROTO") && s.contains("STATE") &&
            failed.stream().allMatch(r -> s.contains(endpoint(r, "client") + " ")));
        assertTrue(wide.lines().allMatch(l -> l.length() <= 120), wide);
        tmux("resize-window", "-t", "top", "-x", "80", "-y", "24");
        await("the narrow table", BOUND_NANOS, s -> !s.contains("PROTO") && s.contains(" START ") &&
            rows(s).size() == failed.size());

        keys("q");
        final long deadline = System.nanoTime() + BOUND_NANOS;
        while (!Files.exists(exitFile) || Files.readString(exitFile).isBlank())
        {
            assertTrue(System.nanoTime() < deadline, "top did not end on q");
            Thread.sleep(50);
        }
        assertEquals("0", Files.readString(exitFile).strip(), "exit code");
    }

    // ---- what the screen must show, from linerate's own outputs

    private List<Map<String, Object>> finalRecords(final Path capture) throws IOException
    {
        final Path flows = tmp.resolve("flows.jsonl");
        final List<String> args = new ArrayList<>(List.of("replay", capture.toString(), "--out", "jsonl:" + flows));
        args.addAll(SETTINGS);
        final MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final String line : Files.readAllLines(flows))
        {
            final Map<String, Object> record = Json.object(line);
            if ("final".equals(record.get("record_type")))
            {
                out.add(record);
            }
        }
        return out;
    }

    private List<String> packetLines(final Path capture, final String flowId)
    {
        final List<String> args = new ArrayList<>(List.of("packets", capture.toString(), "--flow", flowId));
        args.addAll(SETTINGS);
        final MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return r.out().lines().toList();
    }

    private static String endpoint(final Map<String, Object> r, final String side)
    {
        final Object ip = Json.at(r, side + ".ip");
        final Object port = Json.at(r, side + ".port");
        return port == null ? String.valueOf(ip) : ip + ":" + port;
    }

    /** What identifies a row on the screen: client, server, verdict (as far as its column shows), bytes. */
    private static List<String> expectedRows(final List<Map<String, Object>> records)
    {
        final List<String> keys = new ArrayList<>();
        for (final Map<String, Object> r : records)
        {
            final String verdict = (String)r.get("verdict");
            keys.add(endpoint(r, "client") + " " + endpoint(r, "server") + " " +
                (verdict.length() > 12 ? verdict.substring(0, 11) + "~" : verdict) + " " +
                (Json.num(r, "c2s.bytes") + Json.num(r, "s2c.bytes")));
        }
        return keys.stream().sorted().toList();
    }

    private static List<String> rowKeys(final List<Row> rows)
    {
        return rows.stream().map(r -> r.client + " " + r.server + " " + r.verdict + " " + r.bytes).sorted().toList();
    }

    // ---- reading the screen

    private record Row(String start, String client, String server, String verdict, long bytes)
    {
    }

    private static List<Row> rows(final String screen)
    {
        final List<String> lines = screen.lines().toList();
        final int header = indexOf(lines, " START ");
        final List<Row> rows = new ArrayList<>();
        for (int i = header + 1; i < lines.size(); i++)
        {
            final Matcher m = ROW.matcher(lines.get(i));
            if (!m.matches())
            {
                break;
            }
            rows.add(new Row(m.group(1), m.group(2), m.group(3), m.group(4), Long.parseLong(m.group(7))));
        }
        return rows;
    }

    private static int indexOf(final List<String> lines, final String part)
    {
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).contains(part))
            {
                return i;
            }
        }
        throw new AssertionError("no line with '" + part + "' in:\n" + String.join("\n", lines));
    }

    /** The packet lines after {@code packets (N):}, a long line's continuations (indented) joined back. */
    private static List<String> unwrapPackets(final String screen)
    {
        final List<String> lines = screen.lines().toList();
        final int at = indexOf(lines, "packets (");
        final List<String> out = new ArrayList<>();
        for (int i = at + 1; i < lines.size() - 1; i++)
        {
            final String l = lines.get(i);
            if (l.startsWith("    ") && !out.isEmpty())
            {
                out.set(out.size() - 1, out.get(out.size() - 1) + l.substring(4).stripTrailing());
            }
            else if (!l.isBlank())
            {
                out.add(l.stripTrailing());
            }
        }
        return out;
    }

    private static <T extends Comparable<T>> boolean sorted(final List<T> values, final boolean descending)
    {
        for (int i = 1; i < values.size(); i++)
        {
            final int c = values.get(i - 1).compareTo(values.get(i));
            if (descending ? c < 0 : c > 0)
            {
                return false;
            }
        }
        return true;
    }

    private static <T extends Comparable<T>> void assertSorted(final List<T> values, final boolean descending,
        final String screen)
    {
        for (int i = 1; i < values.size(); i++)
        {
            final int c = values.get(i - 1).compareTo(values.get(i));
            assertTrue(descending ? c >= 0 : c <= 0, "not sorted " + (descending ? "descending" : "ascending") + ": " +
                values + "\n" + screen);
        }
    }

    // ---- tmux

    private void start(final Path capture) throws Exception
    {
        socket = tmp.resolve("tmux.sock");
        exitFile = tmp.resolve("exit");
        final List<String> args = new ArrayList<>(List.of("top", capture.toString(), "--speed", "original"));
        args.addAll(SETTINGS);
        final StringBuilder script = new StringBuilder("cd '").append(Path.of("").toAbsolutePath()).append("' || exit 1\n");
        for (final String word : LinerateProcess.command(List.of(), args.toArray(String[]::new)))
        {
            script.append('\'').append(word.replace("'", "'\\''")).append("' ");
        }
        script.append("2>'").append(tmp.resolve("stderr.txt")).append("'\n");
        script.append("echo $? > '").append(exitFile).append("'\n");
        final Path run = tmp.resolve("run.sh");
        Files.writeString(run, script.toString());
        tmux("new-session", "-d", "-s", "top", "-x", "80", "-y", "24", "sh " + run);
    }

    private void keys(final String... keys) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("send-keys", "-t", "top"));
        args.addAll(Arrays.asList(keys));
        tmux(args.toArray(String[]::new));
    }

    private void literal(final String text) throws Exception
    {
        tmux("send-keys", "-t", "top", "-l", text);
    }

    private String capture() throws Exception
    {
        return tmux("capture-pane", "-p", "-t", "top");
    }

    /**
     * The screen once {@code condition} holds (all of it: a capture may catch a screen half redrawn);
     * fails with the last screen after {@code bound}.
     */
    private String await(final String what, final long bound, final Predicate<String> condition) throws Exception
    {
        final long deadline = System.nanoTime() + bound;
        String screen = "";
        while (System.nanoTime() < deadline)
        {
            if (Files.exists(exitFile))
            {
                fail("top ended (" + Files.readString(exitFile).strip() + ") while waiting for " + what + ": " +
                    Files.readString(tmp.resolve("stderr.txt")) + "\n" + screen);
            }
            screen = capture();
            try
            {
                if (condition.test(screen))
                {
                    return screen;
                }
            }
            catch (final AssertionError | RuntimeException ex)
            {
                // A screen caught while it is being drawn (the terminal gets the changed cells in
                // pieces): not yet what is awaited.
            }
            Thread.sleep(100);
        }
        fail("no " + what + " on the screen within " + TimeUnit.NANOSECONDS.toSeconds(bound) + " s:\n" + screen);
        return screen;
    }

    private String tmux(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        command.addAll(Arrays.asList(args));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(BOUND_NANOS, TimeUnit.NANOSECONDS), "tmux " + args[0] + " did not return");
        if (p.exitValue() != 0 && !args[0].equals("kill-server"))
        {
            fail("tmux " + String.join(" ", args) + ": exit " + p.exitValue() + ": " + out);
        }
        return out;
    }

    // ---- the capture

    /** {@code source} (pcap, microsecond time stamps) with every gap between frames {@code factor} times longer. */
    static void stretch(final Path source, final Path target, final int factor) throws IOException
    {
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(source)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(0), "a little-endian microsecond pcap");
        long first = -1;
        for (int at = 24; at + 16 <= b.limit(); at += 16 + b.getInt(at + 8))
        {
            final long micros = (b.getInt(at) & 0xFFFFFFFFL) * 1_000_000L + (b.getInt(at + 4) & 0xFFFFFFFFL);
            first = first < 0 ? micros : first;
            final long stretched = first + (micros - first) * factor;
            b.putInt(at, (int)(stretched / 1_000_000L));
            b.putInt(at + 4, (int)(stretched % 1_000_000L));
        }
        Files.write(target, b.array());
    }
}
