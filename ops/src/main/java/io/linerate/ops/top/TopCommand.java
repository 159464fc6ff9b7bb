package io.linerate.ops.top;

import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import io.linerate.ingest.bpf.BpfCompileException;
import io.linerate.ingest.live.LiveCaptureException;
import io.linerate.ingest.os.Terminal;
import io.linerate.ops.cli.CaptureOptions;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.cli.Setting;
import io.linerate.ops.cli.CommandLines;
import io.linerate.ops.cli.Settings;
import io.linerate.ops.cli.UsageException;
import io.linerate.ops.filter.DisplayFilter;
import io.linerate.ops.log.Logs;
import io.linerate.ops.pipeline.LiveCapture;
import io.linerate.ops.pipeline.Replay;
import io.linerate.ops.pipeline.StopRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code linerate top FILE... [options] | linerate top -i IFACE [options]}: the connections of a
 * replay or a live capture on the terminal, as termshark shows packets ({@link TopScreen}). The run
 * is the same pipeline as {@code replay} and {@code capture} (every option of theirs), with the
 * records going to the screen ({@link ConnectionTable}) besides any {@code --out} file or Kafka
 * topic; {@code --where} is the filter line's first content. {@code q} stops the run as SIGINT does
 * (every connection read so far gets its final record, the outputs are closed) and exits with the
 * run's code.
 */
public final class TopCommand
{
    private TopCommand()
    {
    }

    /** Runs it on the process's terminal; returns the exit code. */
    public static int run(final List<String> args, final InputStream in, final PrintStream out, final PrintStream err,
        final StopRequest stop) throws UsageException, IOException
    {
        final boolean live = args.stream().anyMatch(Settings.INTERFACE.flags()::contains);
        for (int i = 0; i + 1 < args.size(); i++)
        {
            if (Settings.OUT.flags().contains(args.get(i)) &&
                (args.get(i + 1).equals("summary") || args.get(i + 1).equals("jsonl:-")))
            {
                throw new UsageException("top draws on the terminal: --out " + args.get(i + 1) +
                    " would write on it (give a file, jsonl:PATH, or kafka:...)");
            }
        }
        if (!live && !args.contains("-h") && !args.contains("--help") && !hasWord(args))
        {
            throw new UsageException("top needs capture files, or -i IFACE for a live capture");
        }
        final List<String> withDefaults = new ArrayList<>();
        if (args.stream().noneMatch(Settings.ACTIVE_TIMEOUT.flags()::contains))
        {
            // An open connection's row is refreshed by an interim record every second of packet time.
            withDefaults.addAll(List.of(Settings.ACTIVE_TIMEOUT.name(), Settings.TOP_ACTIVE_TIMEOUT));
        }
        withDefaults.addAll(args);
        final CaptureOptions capture;
        final ReplayOptions parsed;
        if (live)
        {
            capture = Settings.parseCapture(withDefaults, false);
            parsed = capture == null ? null : capture.pipeline();
        }
        else
        {
            capture = null;
            parsed = Settings.parseReplay(withDefaults, false);
        }
        if (parsed == null)
        {
            out.print(CommandLines.usage());
            return 0;
        }
        if (parsed.files().stream().anyMatch(f -> f.toString().equals("-")))
        {
            throw new UsageException("top reads its keys from standard input: give files, not -");
        }
        if (!terminal())
        {
            throw new UsageException("top draws on a terminal: run it in one (over ssh: ssh -t)");
        }
        Logs.configure(parsed.logLevel(), parsed.logFormat());
        if (!live)
        {
            final ReplayOptions options = parsed.watching(null);
            return show(options, null, options, "replay " + names(options.files()), in, out, err, stop, parsed.where());
        }
        // A live capture cannot be read again for per-packet fields: such a --where is the pipeline's
        // own, judged on every packet from the start, and the filter line narrows what it keeps.
        final DisplayFilter where = parsed.where();
        final boolean pipelineWhere = where != null && where.perPacket();
        final ReplayOptions options = parsed.watching(pipelineWhere ? where : null);
        final LiveCapture device;
        try
        {
            device = LiveCapture.open(capture, err);
        }
        catch (final BpfCompileException ex)
        {
            err.println("linerate: " + ex.getMessage());
            return 2;
        }
        catch (final LiveCaptureException | IllegalStateException ex)
        {
            err.println("linerate: " + ex.getMessage());
            return 1;
        }
        try (device)
        {
            return show(options, device, null, "capture " + device.device() +
                (pipelineWhere ? " --where '" + where.text() + "'" : ""), in, out, err, stop, pipelineWhere ? null : where);
        }
    }

    /** The run on a thread of its own, the screen on this one, until q. */
    private static int show(final ReplayOptions options, final LiveCapture device, final ReplayOptions rereadable,
        final String source, final InputStream in, final PrintStream out, final PrintStream err, final StopRequest stop,
        final DisplayFilter initialFilter) throws IOException
    {
        // What the run says on its streams waits until the screen is gone; its last line is shown meanwhile.
        final ByteArrayOutputStream said = new ByteArrayOutputStream();
        final PrintStream runStreams = new PrintStream(said, true, StandardCharsets.UTF_8);
        final ConnectionTable table = new ConnectionTable(options.sensor());
        // A live capture cannot be read again: its packet lines are kept as they pass (not beside a
        // per-packet --where, whose marks on the connection they would share).
        final Replay replay = device == null ?
            new Replay(options, InputStream.nullInputStream(), runStreams, runStreams, stop).tap(table, null) :
            new Replay(options, device, runStreams, runStreams, stop).tap(table,
                options.where() == null ? table.keepPackets(ZoneId.systemDefault()) : null);
        final AtomicInteger exit = new AtomicInteger(-1);
        final Thread run = new Thread(() ->
        {
            int code = 1;
            try
            {
                code = replay.run();
            }
            catch (final IOException | RuntimeException ex)
            {
                runStreams.println("linerate: " + ex.getMessage());
            }
            finally
            {
                exit.set(code);
            }
        }, "linerate-top-run");
        final Screen screen = new TerminalScreen(new DefaultTerminalFactory(out, in, StandardCharsets.UTF_8)
            .setForceTextTerminal(true)
            // Ctrl-C is a key here (it quits as q does), not Lanterna's System.exit.
            .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP)
            .createTerminal());
        screen.startScreen();
        try
        {
            run.setDaemon(true);
            run.start();
            final TopScreen view = new TopScreen(screen, table, source, rereadable, () -> exit.get() < 0, stop::requested,
                () -> lastLine(said)).filter(initialFilter);
            view.run();
            if (run.isAlive())
            {
                view.closing();
            }
        }
        finally
        {
            // q: the run ends as on SIGINT (a replay stops reading, a capture closes), then the terminal is given back.
            stop.request();
            joinQuietly(run);
            screen.stopScreen();
        }
        err.print(said.toString(StandardCharsets.UTF_8));
        err.flush();
        return exit.get();
    }

    private static void joinQuietly(final Thread t)
    {
        boolean interrupted = false;
        while (t.isAlive())
        {
            try
            {
                t.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static String lastLine(final ByteArrayOutputStream said)
    {
        final String all;
        synchronized (said)
        {
            all = said.toString(StandardCharsets.UTF_8).strip();
        }
        return all.isEmpty() ? "" : all.substring(all.lastIndexOf('\n') + 1);
    }

    /** True when some argument is neither an option nor an option's value: a file (or filter word). */
    private static boolean hasWord(final List<String> args)
    {
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            final Setting s = Settings.ALL.stream().filter(x -> x.flags().contains(arg)).findFirst().orElse(null);
            if (s == null)
            {
                return true;
            }
            if (s.takesArgument())
            {
                i++;
            }
        }
        return false;
    }

    private static String names(final List<Path> files)
    {
        return files.stream().map(f -> f.getFileName() == null ? f.toString() : f.getFileName().toString())
            .collect(Collectors.joining(" "));
    }

    /** True when standard input and output are a terminal: the keys come from it, the screen goes to it. */
    private static boolean terminal()
    {
        return Terminal.isTerminal(0) && Terminal.isTerminal(1);
    }
}
