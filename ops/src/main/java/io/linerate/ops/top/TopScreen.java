package io.linerate.ops.top;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.filter.ConnectionFields;
import io.linerate.ops.filter.DisplayFilter;
import io.linerate.ops.filter.FilterException;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code linerate top}'s screen: the table of connections, redrawn once a second from
 * {@link ConnectionTable}; a filter line in the {@code --where} language; a connection's record and
 * packets on Enter. Drawn through Lanterna's {@link Screen}, which sends only the cells that changed
 * (cheap over ssh) and follows the terminal's size.
 *
 * <p>Keys: {@code q} (or Ctrl-C) quits; {@code /} edits the filter (Enter applies it, Esc leaves it
 * as it was); {@code 1}-{@code 5} sort by start, verdict, retransmissions, RTT, bytes, the same key
 * again reverses; the arrows, Page Up/Down, Home and End move; Enter shows the selected connection,
 * Esc or Backspace goes back to the table.
 */
final class TopScreen
{
    /** The table is read again this often: "updating once a second". */
    static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long the loop rests when there is neither a key nor a refresh due. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final String KEYS =
        "q quit  / filter  sort: 1 start 2 verdict 3 retr 4 rtt 5 bytes  Enter details";
    private static final String DETAIL_KEYS = "Esc back  arrows, PgUp PgDn, Home End scroll  q quit";
    private static final String FILTER_LABEL = "filter: ";

    private final Screen screen;
    private final ConnectionTable table;
    private final String source;
    /** The settings of the run, for passes over its files; null when they cannot be read again. */
    private final ReplayOptions rereadable;
    private final BooleanSupplier running;
    private final BooleanSupplier quitRequested;
    private final Supplier<String> problems;
    private final ZoneId zone = ZoneId.systemDefault();

    private SortKey sort = SortKey.START;
    private boolean reversed;
    private DisplayFilter filter;
    /** A pass finding what a filter with per-packet fields keeps; its ids once it is done. */
    private FilePass filterPass;
    private Set<String> filterIds;
    private String filterNote = "";
    private boolean editing;
    private final StringBuilder edit = new StringBuilder();
    private int cursor;
    private FilterException error;
    /** Spaces before the expression on the line when it was given: the marks start after them. */
    private int errorLead;

    private List<Connection> shown = List.of();
    private int total;
    private String selectedId;
    private int selected;
    private int firstRow;

    /** The connection shown on Enter, null on the table. */
    private String detailId;
    private FilePass packetPass;
    /** The packet pass's end was drawn. */
    private boolean packetPassSeen;
    private int detailScroll;
    private boolean quit;

    /**
     * @param source     what is read, for the status line ({@code replay trace.pcap}, {@code capture eth0})
     * @param rereadable the run's settings when its files can be read again (null: a live capture)
     * @param running    true while the run reads its input
     * @param quitRequested true once the run was asked to stop from outside (SIGINT, SIGTERM)
     * @param problems   the last thing the run said on its error stream, empty when nothing
     */
    TopScreen(final Screen screen, final ConnectionTable table, final String source, final ReplayOptions rereadable,
        final BooleanSupplier running, final BooleanSupplier quitRequested, final Supplier<String> problems)
    {
        this.problems = problems;
        this.screen = screen;
        this.table = table;
        this.source = source;
        this.rereadable = rereadable;
        this.running = running;
        this.quitRequested = quitRequested;
    }

    /** Starts with this filter in force (top's {@code --where}), null for none. */
    TopScreen filter(final DisplayFilter initial)
    {
        if (initial != null)
        {
            edit.setLength(0);
            edit.append(initial.text());
            apply(initial);
        }
        return this;
    }

    /** Shows the screen until {@code q}; the caller ends the run. */
    void run() throws IOException
    {
        long nextRefresh = System.nanoTime();
        boolean wasRunning = true;
        boolean full = true;
        while (!quit)
        {
            boolean dirty = false;
            KeyStroke key;
            while (!quit && (key = screen.pollInput()) != null)
            {
                key(key);
                dirty = true;
            }
            if (quit || quitRequested.getAsBoolean())
            {
                break;
            }
            if (screen.doResizeIfNecessary() != null)
            {
                dirty = true;
                full = true;
            }
            final long now = System.nanoTime();
            final boolean isRunning = running.getAsBoolean();
            final boolean passDone = passFinished();
            if (passDone || now - nextRefresh >= 0 || isRunning != wasRunning)
            {
                refreshTable();
                nextRefresh = now + REFRESH_NANOS;
                wasRunning = isRunning;
                dirty = true;
            }
            if (dirty)
            {
                draw(full);
                full = false;
            }
            else
            {
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
        cancelPasses();
    }

    /** Says on the status line that the run is ending (the outputs may take a while: Kafka drains). */
    void closing() throws IOException
    {
        final TextGraphics g = screen.newTextGraphics();
        reverse(g, 0, fit("stopping: every connection read so far gets its final record, the outputs are closed...",
            screen.getTerminalSize().getColumns()));
        screen.refresh(Screen.RefreshType.DELTA);
    }

    private boolean passFinished()
    {
        boolean changed = false;
        if (filterPass != null && filterPass.done())
        {
            if (filterPass.succeeded())
            {
                filterIds = filterPass.ids();
                filterNote = "";
            }
            else
            {
                filterNote = "filter pass failed: " + filterPass.problem();
            }
            filterPass = null;
            changed = true;
        }
        if (packetPass != null && packetPass.done() && !packetPassSeen)
        {
            packetPassSeen = true;
            changed = true;
        }
        return changed;
    }

    private void cancelPasses()
    {
        if (filterPass != null)
        {
            filterPass.cancel();
        }
        if (packetPass != null)
        {
            packetPass.cancel();
        }
    }

    // ---- keys

    private void key(final KeyStroke key)
    {
        final KeyType type = key.getKeyType();
        if (type == KeyType.EOF)
        {
            quit = true;
            return;
        }
        if (type == KeyType.Character && key.isCtrlDown() && Character.toLowerCase(key.getCharacter()) == 'c')
        {
            quit = true;
            return;
        }
        if (editing)
        {
            editKey(key);
            return;
        }
        if (type == KeyType.Character && key.getCharacter() == 'q')
        {
            quit = true;
            return;
        }
        if (detailId != null)
        {
            detailKey(key);
            return;
        }
        switch (type)
        {
            case Character:
                tableChar(key.getCharacter());
                break;
            case ArrowUp:
                move(-1);
                break;
            case ArrowDown:
                move(1);
                break;
            case PageUp:
                move(-Math.max(1, tableRows()));
                break;
            case PageDown:
                move(Math.max(1, tableRows()));
                break;
            case Home:
                move(-shown.size());
                break;
            case End:
                move(shown.size());
                break;
            case Enter:
                if (!shown.isEmpty())
                {
                    openDetail(shown.get(selected));
                }
                break;
            case Escape:
                // Clears a filter error left on the screen.
                error = null;
                break;
            default:
                break;
        }
    }

    private void tableChar(final char c)
    {
        switch (c)
        {
            case '/':
            case 'f':
                editing = true;
                error = null;
                cursor = edit.length();
                break;
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            {
                final SortKey k = SortKey.values()[c - '1'];
                reversed = k == sort && !reversed;
                sort = k;
                refreshTable();
                break;
            }
            case 'k':
                move(-1);
                break;
            case 'j':
                move(1);
                break;
            default:
                break;
        }
    }

    private void editKey(final KeyStroke key)
    {
        switch (key.getKeyType())
        {
            case Character:
                if (key.isCtrlDown() && Character.toLowerCase(key.getCharacter()) == 'u')
                {
                    // A shell's Ctrl-U: the line emptied.
                    edit.setLength(0);
                    cursor = 0;
                }
                else if (!key.isCtrlDown() && !key.isAltDown())
                {
                    edit.insert(cursor++, key.getCharacter());
                }
                break;
            case Backspace:
                if (cursor > 0)
                {
                    edit.deleteCharAt(--cursor);
                }
                break;
            case Delete:
                if (cursor < edit.length())
                {
                    edit.deleteCharAt(cursor);
                }
                break;
            case ArrowLeft:
                cursor = Math.max(0, cursor - 1);
                break;
            case ArrowRight:
                cursor = Math.min(edit.length(), cursor + 1);
                break;
            case Home:
                cursor = 0;
                break;
            case End:
                cursor = edit.length();
                break;
            case Escape:
                editing = false;
                error = null;
                edit.setLength(0);
                edit.append(filter == null ? "" : filter.text());
                break;
            case Enter:
                submitFilter();
                break;
            default:
                break;
        }
    }

    /** Enter on the filter line: a good expression is applied, a bad one marked where it went wrong. */
    private void submitFilter()
    {
        final String text = edit.toString().strip();
        if (text.isEmpty())
        {
            editing = false;
            error = null;
            apply(null);
            return;
        }
        try
        {
            final DisplayFilter compiled = DisplayFilter.compile(text, new ConnectionFields());
            if (compiled.perPacket() && rereadable == null)
            {
                throw new FilterException("Per-packet fields need the capture read again, and a live capture cannot " +
                    "be: filter on the record's fields (client.ip, server.port, verdict...).", text, 0, text.length());
            }
            editing = false;
            error = null;
            apply(compiled);
        }
        catch (final FilterException ex)
        {
            // Stays on the line, as Wireshark's filter toolbar does, with the place marked.
            error = ex;
            errorLead = edit.length() - edit.toString().stripLeading().length();
            cursor = Math.min(edit.length(), errorLead + ex.position());
        }
    }

    private void apply(final DisplayFilter compiled)
    {
        if (filterPass != null)
        {
            filterPass.cancel();
            filterPass = null;
        }
        filter = compiled;
        filterIds = null;
        filterNote = "";
        if (compiled != null && compiled.perPacket())
        {
            // Some packet of the connection must match: the packets are met again on a pass over the files.
            filterPass = FilePass.matching(rereadable, compiled);
            filterNote = "reading the capture again for the per-packet fields...";
        }
        refreshTable();
    }

    private void detailKey(final KeyStroke key)
    {
        final int page = Math.max(1, screen.getTerminalSize().getRows() - 2);
        switch (key.getKeyType())
        {
            case Escape:
            case Backspace:
            case ArrowLeft:
                detailId = null;
                if (packetPass != null)
                {
                    packetPass.cancel();
                    packetPass = null;
                }
                break;
            case ArrowUp:
                detailScroll--;
                break;
            case ArrowDown:
                detailScroll++;
                break;
            case PageUp:
                detailScroll -= page;
                break;
            case PageDown:
                detailScroll += page;
                break;
            case Home:
                detailScroll = 0;
                break;
            case End:
                detailScroll = Integer.MAX_VALUE / 2;
                break;
            case Character:
                if (key.getCharacter() == 'k')
                {
                    detailScroll--;
                }
                else if (key.getCharacter() == 'j')
                {
                    detailScroll++;
                }
                break;
            default:
                break;
        }
        detailScroll = Math.max(0, detailScroll);
    }

    private void openDetail(final Connection c)
    {
        detailId = c.flowId();
        detailScroll = 0;
        packetPassSeen = false;
        packetPass = rereadable == null ? null : FilePass.packets(rereadable, c.flowId());
    }

    private void move(final int by)
    {
        if (shown.isEmpty())
        {
            return;
        }
        selected = Math.max(0, Math.min(shown.size() - 1, selected + by));
        selectedId = shown.get(selected).flowId();
    }

    // ---- the table's contents

    private void refreshTable()
    {
        final List<Connection> all = table.connections();
        final List<Connection> keep = new ArrayList<>(all.size());
        for (final Connection c : all)
        {
            if (kept(c))
            {
                keep.add(c);
            }
        }
        keep.sort(sort.order(reversed));
        total = all.size();
        shown = keep;
        // The selection follows its connection through a new order.
        int at = -1;
        for (int i = 0; selectedId != null && i < keep.size(); i++)
        {
            if (keep.get(i).flowId().equals(selectedId))
            {
                at = i;
                break;
            }
        }
        selected = at >= 0 ? at : Math.max(0, Math.min(selected, keep.size() - 1));
        selectedId = keep.isEmpty() ? null : keep.get(selected).flowId();
    }

    private boolean kept(final Connection c)
    {
        if (filter == null)
        {
            return true;
        }
        if (filter.perPacket())
        {
            // Until the pass is done, the table shows what it showed before: nothing kept yet.
            return filterIds != null && filterIds.contains(c.flowId());
        }
        return c.keptBy(filter);
    }

    private int tableRows()
    {
        return screen.getTerminalSize().getRows() - headerRows() - 2;
    }

    /** Status line, filter line, the error's two lines when there is one. */
    private int headerRows()
    {
        return 2 + (error != null ? 2 : 0);
    }

    // ---- drawing

    private void draw(final boolean full) throws IOException
    {
        screen.clear();
        final TextGraphics g = screen.newTextGraphics();
        final TerminalSize size = screen.getTerminalSize();
        screen.setCursorPosition(null);
        if (detailId != null)
        {
            drawDetail(g, size);
        }
        else
        {
            drawTable(g, size);
        }
        screen.refresh(full ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
    }

    private void drawTable(final TextGraphics g, final TerminalSize size)
    {
        final int width = size.getColumns();
        final int height = size.getRows();
        final String state = running.getAsBoolean() ? "running" : "finished";
        // The source last: what a narrow terminal cuts is what the user typed anyway.
        final String status = state + "  " + shown.size() + " of " + total + " connections  sort: " + sort.label() + " (" +
            (reversed ? "reversed" : sort.direction()) + ")  " + source;
        reverse(g, 0, fit(status, width));
        int row = 1;
        final String line;
        if (editing)
        {
            line = FILTER_LABEL + edit;
            screen.setCursorPosition(new TerminalPosition(Math.min(width - 1, FILTER_LABEL.length() + cursor), row));
        }
        else if (filter == null)
        {
            line = FILTER_LABEL + "(none: / to filter)";
        }
        else
        {
            line = FILTER_LABEL + filter.text() + (filterNote.isEmpty() ? "" : "   " + filterNote);
        }
        g.putString(0, row, fit(line, width));
        row++;
        if (error != null)
        {
            // Wireshark's marks under the filter line: a caret where it went wrong, tildes along it.
            final String mark = " ".repeat(FILTER_LABEL.length() + errorLead + Math.max(0, error.position())) + "^" +
                "~".repeat(Math.max(0, error.length() - 1));
            g.setForegroundColor(TextColor.ANSI.RED);
            g.putString(0, row++, fit(mark, width));
            final List<String> message = new ArrayList<>();
            wrap(message, error.getMessage(), width);
            for (final String m : message)
            {
                g.putString(0, row++, fit(m, width));
            }
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
        final Columns cols = new Columns(width);
        reverse(g, row++, fit(cols.header(), width));
        final int rows = Math.max(0, height - row - 1);
        if (selected < firstRow)
        {
            firstRow = selected;
        }
        else if (selected >= firstRow + rows)
        {
            firstRow = selected - rows + 1;
        }
        firstRow = Math.max(0, Math.min(firstRow, Math.max(0, shown.size() - rows)));
        for (int i = 0; i < rows && firstRow + i < shown.size(); i++)
        {
            final Connection c = shown.get(firstRow + i);
            final String text = fit(cols.row(c, this), width);
            if (firstRow + i == selected)
            {
                reverse(g, row + i, text);
            }
            else
            {
                if (!"ok".equals(c.verdict()) && c.verdict() != null)
                {
                    g.setForegroundColor(TextColor.ANSI.RED);
                }
                g.putString(0, row + i, text);
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            }
        }
        final String problem = problems.get();
        final String bottom = problem.isEmpty() ? KEYS : problem;
        g.putString(0, height - 1, fit(bottom, width));
    }

    private void drawDetail(final TextGraphics g, final TerminalSize size)
    {
        final int width = size.getColumns();
        final int height = size.getRows();
        final Connection c = table.get(detailId);
        final List<String> lines = new ArrayList<>();
        if (c == null)
        {
            lines.add("(this connection is no longer kept)");
        }
        else
        {
            lines.add("record (" + (c.isFinal() ? "final" : "interim: the connection is still open") + "):");
            for (final String j : PrettyJson.lines(c.json()))
            {
                wrap(lines, j, width);
            }
            lines.add("");
            final ConnectionTable.PacketLog kept = rereadable == null ? table.packets(c.flowId()) : null;
            if (kept != null)
            {
                final List<String> packets = kept.lines();
                lines.add("packets (" + kept.count() + (kept.count() > packets.size() ? ", the first " + packets.size() +
                    " kept" : "") + "):");
                for (final String p : packets)
                {
                    wrap(lines, p, width);
                }
            }
            else if (packetPass == null)
            {
                lines.add("packets: not kept (a live capture's are kept for the last " + ConnectionTable.MAX_PACKET_LOGS +
                    " connections, and not beside a per-packet --where)");
            }
            else if (!packetPass.done())
            {
                lines.add("packets: reading the capture again...");
            }
            else if (!packetPass.succeeded())
            {
                lines.add("packets: " + packetPass.problem());
            }
            else
            {
                lines.add("packets (" + packetPass.lines().size() + (packetPass.cut() ? ", the list cut at " +
                    FilePass.MAX_PACKET_TEXT / (1 << 20) + " MiB" : "") + "):");
                for (final String p : packetPass.lines())
                {
                    wrap(lines, p, width);
                }
            }
        }
        final String title = c == null ? "connection " + detailId : c.transport() + " " + c.client() + " > " + c.server() +
            "  " + c.verdict() + "  flow " + c.flowId();
        reverse(g, 0, fit(title, width));
        final int rows = Math.max(0, height - 2);
        detailScroll = Math.max(0, Math.min(detailScroll, Math.max(0, lines.size() - rows)));
        for (int i = 0; i < rows && detailScroll + i < lines.size(); i++)
        {
            g.putString(0, 1 + i, fit(lines.get(detailScroll + i), width));
        }
        g.putString(0, height - 1, fit(DETAIL_KEYS + "  (" + Math.min(lines.size(), detailScroll + rows) + "/" +
            lines.size() + ")", width));
    }

    /**
     * A long line (a tcpdump line is wider than 80 columns) on several, broken before a space where
     * one is in reach, the rest indented by four spaces. No piece ends with a space (a terminal's
     * copy drops trailing ones): the spaces at a break begin the next piece, so joining the pieces
     * without their indent gives the line back.
     */
    static void wrap(final List<String> out, final String line, final int width)
    {
        final int w = Math.max(8, width);
        int start = 0;
        int room = w;
        String indent = "";
        while (line.length() - start > room)
        {
            // At a word's end where there is one in reach, else where the room ends.
            final int space = line.lastIndexOf(' ', start + room);
            int end = space > start ? space : start + room;
            while (end > start + 1 && line.charAt(end - 1) == ' ')
            {
                end--;
            }
            out.add(indent + line.substring(start, end));
            start = end;
            indent = "    ";
            room = w - indent.length();
        }
        out.add(indent + line.substring(start));
    }

    private static void reverse(final TextGraphics g, final int row, final String text)
    {
        g.enableModifiers(SGR.REVERSE);
        g.putString(0, row, text);
        g.disableModifiers(SGR.REVERSE);
    }

    /** {@code text} cut or padded to {@code width} columns. */
    static String fit(final String text, final int width)
    {
        if (width <= 0)
        {
            return "";
        }
        if (text.length() > width)
        {
            return text.substring(0, width);
        }
        return text + " ".repeat(width - text.length());
    }

    String time(final long micros)
    {
        if (micros < 0)
        {
            return "";
        }
        final LocalTime t = LocalTime.ofInstant(Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000), zone);
        return String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    }

    /** Microseconds as {@code 850us}, {@code 1.25ms}, {@code 3.20s}. */
    static String duration(final long micros)
    {
        if (micros < 0)
        {
            return "-";
        }
        if (micros < 1000)
        {
            return micros + "us";
        }
        if (micros < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.2fms", micros / 1e3);
        }
        return String.format(Locale.ROOT, "%.2fs", micros / 1e6);
    }

    /** Bytes as {@code 532}, {@code 12.3K}, {@code 4.5M}, {@code 1.2G} (powers of 1000). */
    static String bytes(final long n)
    {
        if (n < 10_000)
        {
            return Long.toString(n);
        }
        final String[] units = {"K", "M", "G", "T"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1)
        {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 100 ? "%.1f%s" : "%.0f%s", v, units[u]);
    }

    /** The table's columns for a width: the endpoints share what the fixed columns leave. */
    private static final class Columns
    {
        private final boolean wide;
        private final int endpoint;
        private final int verdict;

        Columns(final int width)
        {
            wide = width >= 110;
            verdict = width >= 100 ? 20 : 12;
            // live mark, start, verdict, retr, rtt, bytes (and proto, state when wide), one space between
            final int fixed = 1 + 8 + verdict + 5 + 8 + 7 + 6 + (wide ? 5 + 6 + 2 : 0);
            endpoint = Math.max(8, Math.min(47, (width - fixed) / 2));
        }

        String header()
        {
            final StringBuilder sb = new StringBuilder(" ");
            sb.append(pad("START", 8)).append(' ');
            if (wide)
            {
                sb.append(pad("PROTO", 5)).append(' ');
            }
            sb.append(pad("CLIENT", endpoint)).append(' ').append(pad("SERVER", endpoint)).append(' ');
            sb.append(pad("VERDICT", verdict)).append(' ');
            if (wide)
            {
                sb.append(pad("STATE", 6)).append(' ');
            }
            sb.append(left("RETR", 5)).append(' ').append(left("RTT", 8)).append(' ').append(left("BYTES", 7));
            return sb.toString();
        }

        String row(final Connection c, final TopScreen s)
        {
            final StringBuilder sb = new StringBuilder(c.isFinal() ? " " : "*");
            sb.append(pad(s.time(c.startMicros()), 8)).append(' ');
            if (wide)
            {
                sb.append(pad(nonNull(c.transport()), 5)).append(' ');
            }
            sb.append(pad(c.client(), endpoint)).append(' ').append(pad(c.server(), endpoint)).append(' ');
            sb.append(pad(nonNull(c.verdict()), verdict)).append(' ');
            if (wide)
            {
                sb.append(pad(nonNull(c.state()), 6)).append(' ');
            }
            sb.append(left(c.retransmissions() < 0 ? "-" : Long.toString(c.retransmissions()), 5)).append(' ');
            sb.append(left(duration(c.rttMicros()), 8)).append(' ').append(left(bytes(c.bytes()), 7));
            return sb.toString();
        }

        private static String nonNull(final String s)
        {
            return s == null ? "" : s;
        }

        /** Left-aligned in {@code w} columns, cut with a {@code ~} at the end when longer. */
        private static String pad(final String s, final int w)
        {
            if (s.length() > w)
            {
                return s.substring(0, w - 1) + "~";
            }
            return s + " ".repeat(w - s.length());
        }

        private static String left(final String s, final int w)
        {
            return s.length() >= w ? s.substring(0, w) : " ".repeat(w - s.length()) + s;
        }
    }
}
