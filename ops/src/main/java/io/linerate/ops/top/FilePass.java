package io.linerate.ops.top;

import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.filter.DisplayFilter;
import io.linerate.ops.inspect.PacketList;
import io.linerate.ops.pipeline.Replay;
import io.linerate.ops.pipeline.StopRequest;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A pass over the replayed files on a thread of its own, as {@code linerate packets} makes its
 * passes ({@link io.linerate.ops.inspect.Selection}): the flow ids a display filter with per-packet
 * fields keeps, or the packet list of one connection ({@link PacketList}, the lines
 * {@code linerate packets} prints). Flow ids are the same on every pass over the same input, so
 * what it finds joins the table's connections. Not for a live capture or standard input, which
 * cannot be read again.
 */
final class FilePass
{
    /** Text of a packet list kept; the rest is counted, not shown. */
    static final int MAX_PACKET_TEXT = 8 << 20;

    private final StopRequest stop = new StopRequest();
    private final ByteArrayOutputStream problems = new ByteArrayOutputStream();
    private volatile boolean done;
    private volatile int exit;
    private volatile Set<String> ids;
    private volatile List<String> lines;
    private volatile boolean cut;

    private FilePass()
    {
    }

    /** The flow ids {@code filter} keeps, some record of each. */
    static FilePass matching(final ReplayOptions options, final DisplayFilter filter)
    {
        final FilePass pass = new FilePass();
        final Set<String> found = new HashSet<>();
        final FlowRecordListener collect = ConnectionTable.flowIds(found);
        pass.start(() ->
        {
            pass.exit = pass.replay(options.inspecting(filter)).tap(collect, null).run();
            pass.ids = found;
        });
        return pass;
    }

    /** The packet list of the connection {@code flowId}, as {@code linerate packets} prints it. */
    static FilePass packets(final ReplayOptions options, final String flowId)
    {
        final FilePass pass = new FilePass();
        final Capped text = new Capped(MAX_PACKET_TEXT);
        pass.start(() ->
        {
            final PrintStream sink = new PrintStream(text, false, StandardCharsets.UTF_8);
            final PacketList list = new PacketList(Set.of(flowId), false, false, sink, ZoneId.systemDefault());
            pass.exit = pass.replay(options.inspecting(null)).tap(null, list).run();
            sink.flush();
            final List<String> all = new ArrayList<>(List.of(text.toString(StandardCharsets.UTF_8).split("\n", -1)));
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty())
            {
                all.remove(all.size() - 1);
            }
            pass.cut = text.cut;
            pass.lines = all;
        });
        return pass;
    }

    private Replay replay(final ReplayOptions options)
    {
        final PrintStream said = new PrintStream(problems, true, StandardCharsets.UTF_8);
        return new Replay(options, InputStream.nullInputStream(), said, said, stop);
    }

    private void start(final ThrowingRunnable work)
    {
        final Thread t = new Thread(() ->
        {
            try
            {
                work.run();
            }
            catch (final Exception | Error ex)
            {
                exit = 1;
                synchronized (problems)
                {
                    problems.writeBytes(("linerate: " + ex.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            finally
            {
                done = true;
            }
        }, "linerate-top-pass");
        t.setDaemon(true);
        t.start();
    }

    /** Ends the pass early (what it found so far is dropped). */
    void cancel()
    {
        stop.request();
    }

    boolean done()
    {
        return done;
    }

    /** True when the pass was read to the end without a problem. */
    boolean succeeded()
    {
        return done && exit == 0 && !stop.requested();
    }

    /** What went wrong, in linerate's words (empty when nothing). */
    String problem()
    {
        synchronized (problems)
        {
            return problems.toString(StandardCharsets.UTF_8).strip();
        }
    }

    /** The flow ids found ({@link #matching}), once done. */
    Set<String> ids()
    {
        return ids;
    }

    /** The packet lines ({@link #packets}), once done. */
    List<String> lines()
    {
        return lines;
    }

    /** True when the packet list was longer than {@link #MAX_PACKET_TEXT} and cut there. */
    boolean cut()
    {
        return cut;
    }

    private interface ThrowingRunnable
    {
        void run() throws Exception;
    }

    /** Keeps the first {@code limit} bytes written, and notes that more came. */
    private static final class Capped extends OutputStream
    {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int limit;
        private boolean cut;

        Capped(final int limit)
        {
            this.limit = limit;
        }

        @Override
        public void write(final int b)
        {
            write(new byte[] {(byte)b}, 0, 1);
        }

        @Override
        public void write(final byte[] b, final int off, final int len)
        {
            final int room = Math.max(0, limit - kept.size());
            kept.write(b, off, Math.min(room, len));
            cut |= len > room;
        }

        String toString(final java.nio.charset.Charset charset)
        {
            final String s = kept.toString(charset);
            // A cut line is no line: up to the last whole one.
            return cut ? s.substring(0, s.lastIndexOf('\n') + 1) : s;
        }
    }
}
