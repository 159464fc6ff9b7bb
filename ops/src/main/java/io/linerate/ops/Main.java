package io.linerate.ops;

import io.linerate.ingest.bpf.BpfCompileException;
import io.linerate.ingest.live.CaptureDevices;
import io.linerate.ingest.os.Terminal;
import io.linerate.ingest.os.SystemErrors;
import io.linerate.ingest.live.LiveCaptureException;
import io.linerate.ops.log.Logs;
import io.linerate.ops.cli.CaptureOptions;
import io.linerate.ops.cli.CommandLines;
import io.linerate.ops.cli.SettingValues;
import io.linerate.ops.cli.Settings;
import io.linerate.ops.cli.UsageException;
import io.linerate.ops.inspect.FollowCommand;
import io.linerate.ops.inspect.PacketsCommand;
import io.linerate.ops.inspect.Selection;
import io.linerate.ops.pipeline.LiveCapture;
import io.linerate.ops.pipeline.Replay;
import io.linerate.ops.pipeline.StopRequest;
import io.linerate.ops.top.TopCommand;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code linerate} command: {@code linerate replay FILE|DIR|-... [options]},
 * {@code linerate capture -i IFACE [options]}, {@code linerate interfaces}, {@code linerate packets},
 * {@code linerate follow}, {@code linerate completion} (the bash completion script). Exit codes: 0 done, 1 bad
 * input (a missing, damaged or unsupported capture, a device that cannot be opened), 2 bad usage.
 */
public final class Main
{
    /** Agrona reads it once, when its buffer classes load. */
    private static final String AGRONA_BOUNDS_CHECKS = "agrona.disable.bounds.checks";

    public static final int EXIT_OK = 0;
    public static final int EXIT_BAD_INPUT = 1;
    public static final int EXIT_USAGE = 2;
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        // Every flow-record access goes through FlowDescriptor's offsets, which the tests run with
        // Agrona's bounds checks on; the command runs without them (they cost ~35 ns a packet).
        // Set before any buffer class loads; an explicit -Dagrona.disable.bounds.checks wins.
        if (System.getProperty(AGRONA_BOUNDS_CHECKS) == null)
        {
            System.setProperty(AGRONA_BOUNDS_CHECKS, "true");
        }
        try
        {
            System.exit(run(Arrays.asList(args), new FileInputStream(FileDescriptor.in), System.out, System.err,
                System.console() != null, stderrIsTerminal(), StopRequest.onSignals(System.err)));
        }
        catch (final VirtualMachineError ex)
        {
            // Out of memory (or a stack overflow) outside the pipeline's threads: one line, not a trace.
            System.err.println("linerate: " + ex + " (give the JVM more heap with LINERATE_JAVA_OPTS, or lower --max-flows)");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_BAD_INPUT);
        }
    }

    /** Runs a command line that nothing stops early and returns its exit code; used by tests. */
    public static int run(final List<String> args, final PrintStream out, final PrintStream err,
        final boolean stdoutIsTerminal)
    {
        return run(args, out, err, stdoutIsTerminal, new StopRequest());
    }

    /**
     * Runs a command line and returns its exit code; {@code stop} ends a replay early (SIGINT and
     * SIGTERM in {@link #main}): the records of what was read are written, the outputs stop waiting.
     */
    public static int run(final List<String> args, final PrintStream out, final PrintStream err,
        final boolean stdoutIsTerminal, final StopRequest stop)
    {
        return run(args, new FileInputStream(FileDescriptor.in), out, err, stdoutIsTerminal, stop);
    }

    /** Runs a command line whose {@code -} (standard input) reads {@code in}; used by tests. */
    public static int run(final List<String> args, final InputStream in, final PrintStream out, final PrintStream err,
        final boolean stdoutIsTerminal, final StopRequest stop)
    {
        return run(args, in, out, err, stdoutIsTerminal, false, stop);
    }

    /** True when the process's stderr is a terminal (isatty(2)): the progress line is drawn there. */
    static boolean stderrIsTerminal()
    {
        return Terminal.isTerminal(2);
    }

    /** Runs a command line; {@code stderrIsTerminal}: the progress line may be drawn on {@code err}. */
    static int run(final List<String> args, final InputStream in, final PrintStream out, final PrintStream err,
        final boolean stdoutIsTerminal, final boolean stderrIsTerminal, final StopRequest stop)
    {
        if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help"))
        {
            (args.isEmpty() ? err : out).print(CommandLines.usage());
            return args.isEmpty() ? EXIT_USAGE : EXIT_OK;
        }
        if (args.get(0).equals("-V") || args.get(0).equals("--version"))
        {
            out.print(CommandLines.version());
            return EXIT_OK;
        }
        final String command = args.get(0);
        try
        {
            switch (command)
            {
                case "replay":
                case "capture":
                {
                    final SettingValues values = CommandLines.parse(command, args.subList(1, args.size()));
                    if (values.answered())
                    {
                        out.print(values.answer());
                        return EXIT_OK;
                    }
                    final CaptureOptions options = Settings.options(values, stdoutIsTerminal);
                    Logs.configure(options.pipeline().logLevel(), options.pipeline().logFormat());
                    return command.equals("replay") ?
                        new Replay(options.pipeline(), in, out, err, stop).showProgress(stderrIsTerminal).run() :
                        capture(options, out, err, stderrIsTerminal, stop);
                }
                case "packets":
                case "follow":
                {
                    final SettingValues values = CommandLines.parse(command, args.subList(1, args.size()));
                    if (values.answered())
                    {
                        out.print(values.answer());
                        return EXIT_OK;
                    }
                    final Selection selection = Selection.of(values);
                    return command.equals("packets") ? PacketsCommand.run(selection, in, out, err, stop) :
                        FollowCommand.run(selection, in, out, err, stop);
                }
                case "top":
                    return TopCommand.run(args.subList(1, args.size()), in, out, err, stop);
                case "interfaces":
                case "completion":
                {
                    final SettingValues values = CommandLines.parse(command, args.subList(1, args.size()));
                    if (values.answered())
                    {
                        out.print(values.answer());
                        return EXIT_OK;
                    }
                    if (command.equals("completion"))
                    {
                        out.print(CommandLines.completion());
                        return EXIT_OK;
                    }
                    return interfaces(out, err);
                }
                default:
                    throw new UsageException("unknown command '" + command + "' (see linerate --help)");
            }
        }
        catch (final UsageException ex)
        {
            err.println("linerate: " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final IOException ex)
        {
            err.println("linerate: " + describe(ex));
            return EXIT_BAD_INPUT;
        }
    }

    /**
     * One line for an I/O error: the JDK's file-system exceptions carry only the path in their
     * message (an unwritable {@code -w FILE} said just {@code linerate: FILE}); with the operating
     * system's reason added, as every other error of linerate says it.
     */
    static String describe(final IOException ex)
    {
        if (ex instanceof FileSystemException && ((FileSystemException)ex).getFile() != null)
        {
            return SystemErrors.describe(((FileSystemException)ex).getFile(), ex);
        }
        return ex.getMessage();
    }

    /** {@code linerate capture}: the device opened (then root given up), the pipeline fed from it. */
    private static int capture(final CaptureOptions options, final PrintStream out, final PrintStream err,
        final boolean stderrIsTerminal, final StopRequest stop) throws IOException
    {
        final LiveCapture live;
        try
        {
            live = LiveCapture.open(options, err);
        }
        catch (final BpfCompileException ex)
        {
            err.println("linerate: " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final LiveCaptureException | IllegalStateException ex)
        {
            err.println("linerate: " + ex.getMessage());
            return EXIT_BAD_INPUT;
        }
        LOG.info("device {} opened: snapshot length {}, buffer {} bytes, {}promiscuous{}", options.device(),
            options.snaplen(), options.bufferBytes(), options.promiscuous() ? "" : "not ",
            options.immediate() ? ", immediate mode" : "");
        try (live)
        {
            return new Replay(options.pipeline(), live, out, err, stop).showProgress(stderrIsTerminal).run();
        }
    }

    /** {@code linerate interfaces}: the devices, as {@code tcpdump -D} lists them. */
    private static int interfaces(final PrintStream out, final PrintStream err)
    {
        try
        {
            final List<CaptureDevices.Device> devices = CaptureDevices.list();
            for (int i = 0; i < devices.size(); i++)
            {
                out.println((i + 1) + "." + devices.get(i).describe());
            }
            return EXIT_OK;
        }
        catch (final LiveCaptureException ex)
        {
            err.println("linerate: " + ex.getMessage());
            return EXIT_BAD_INPUT;
        }
    }
}
