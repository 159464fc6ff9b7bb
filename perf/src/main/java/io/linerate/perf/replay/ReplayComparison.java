package io.linerate.perf.replay;

import io.linerate.decode.DecodedFrame;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ops.Main;
import io.linerate.perf.generate.GeneratorSettings;
import io.linerate.perf.generate.TrafficGenerator;
import io.linerate.perf.generate.TrafficTruth;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Times linerate's replay against tcpdump, tshark and tcptrace on the same capture file, in one run,
 * so the ratios compare like with like (the design's targets: faster than tcpdump's filter-only
 * pass, at least 130x tshark's {@code -q -z conv,tcp}, at least 30x tcptrace's {@code -n -l}).
 *
 * <p>The capture is read once first (its frames and wire bytes counted, which also brings it into
 * the page cache). linerate runs in this JVM through {@link Main#run} with {@code --out
 * jsonl:/dev/null} (decode, analysis and record encoding all happen, the records are thrown away):
 * first every threading setting once, untimed, on the first {@code --warmup-frames} frames (the JIT
 * compiles each setting's handlers), then {@code --runs} timed runs of each setting, the settings
 * taking turns so a disturbance hits them all alike. The peers run as processes with their output
 * discarded. Reported per tool: best and median wall time, frames per second, Gbit/s of frame bytes,
 * Gbit/s on the line (each frame plus FCS, preamble and inter-frame gap: 24 bytes), and the ratios
 * linerate / peer by best times.
 *
 * <pre>
 * java -Xmx2g -cp perf/target/linerate-perf.jar io.linerate.perf.replay.ReplayComparison FILE.pcap
 * java -Xmx2g -cp perf/target/linerate-perf.jar io.linerate.perf.replay.ReplayComparison --generate 64b --frames 20000000
 * </pre>
 */
public final class ReplayComparison
{
    /** Ethernet bytes on the line besides the captured frame: FCS 4, preamble and SFD 8, gap 12. */
    public static final int LINE_OVERHEAD_BYTES = 24;

    private static final String DEFAULT_CONFIGS = "0/1/yield,0/1/block,1/1/yield,1/1/block,1/2/yield,1/2/block";
    private static final String DEFAULT_PEERS = "tcpdump,tshark,tcptrace";

    private final PrintStream out;
    private int runs = 3;
    private int peerRuns = 1;
    private long peerTimeoutSeconds = 600;
    private long warmupFrames = 2_000_000;
    private final List<LinerateSetting> settings = new ArrayList<>();
    private final List<String> peers = new ArrayList<>();
    private final List<String> linerateExtraArgs = new ArrayList<>();

    /** A linerate threading setting: {@code --decoders D --shards S --wait W}. */
    record LinerateSetting(int decoders, int shards, String waitStrategy)
    {
        static LinerateSetting parse(final String text)
        {
            final String[] p = text.split("/");
            if (p.length != 3)
            {
                throw new IllegalArgumentException("a setting is DECODERS/SHARDS/WAIT, e.g. 0/1/yield: " + text);
            }
            return new LinerateSetting(Integer.parseInt(p[0]), Integer.parseInt(p[1]), p[2]);
        }

        List<String> args()
        {
            return List.of("--decoders", Integer.toString(decoders), "--shards", Integer.toString(shards),
                "--wait", waitStrategy);
        }

        String label()
        {
            return "linerate --decoders " + decoders + " --shards " + shards + " --wait " + waitStrategy;
        }
    }

    /** Wall times of one tool; a run stopped at the time limit counts as {@code timedOut}. */
    static final class Timings
    {
        final String label;
        final List<Double> seconds = new ArrayList<>();
        boolean timedOut;
        String failure;

        Timings(final String label)
        {
            this.label = label;
        }

        double best()
        {
            return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double median()
        {
            final double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (s.length == 0)
            {
                return Double.NaN;
            }
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        boolean usable()
        {
            return failure == null && !seconds.isEmpty();
        }
    }

    /** Frames and bytes of the capture. */
    record Census(long frames, long frameBytes, long fileBytes)
    {
    }

    private ReplayComparison(final PrintStream out)
    {
        this.out = out;
    }

    public static void main(final String[] args) throws Exception
    {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** The command line; returns the exit code (0 done, 1 a tool failed or I/O error, 2 bad usage). */
    public static int run(final List<String> args, final PrintStream out, final PrintStream err)
        throws IOException, InterruptedException
    {
        if (args.isEmpty() || args.contains("-h") || args.contains("--help"))
        {
            (args.isEmpty() ? err : out).print(usage());
            return args.isEmpty() ? 2 : 0;
        }
        final ReplayComparison c = new ReplayComparison(out);
        Path file = null;
        Path keep = null;
        GeneratorSettings generate = null;
        String configs = DEFAULT_CONFIGS;
        String peerList = DEFAULT_PEERS;
        try
        {
            final GeneratorSettings g = new GeneratorSettings();
            final List<String> rest = g.parse(args);
            for (int i = 0; i < rest.size(); i++)
            {
                final String a = rest.get(i);
                final boolean hasValue = i + 1 < rest.size();
                if (a.equals("--generate") && hasValue)
                {
                    generate = g.mode(GeneratorSettings.Mode.of(rest.get(++i)));
                }
                else if (a.equals("--keep") && hasValue)
                {
                    keep = Path.of(rest.get(++i));
                }
                else if (a.equals("--runs") && hasValue)
                {
                    c.runs = positive(a, rest.get(++i));
                }
                else if (a.equals("--peer-runs") && hasValue)
                {
                    c.peerRuns = positive(a, rest.get(++i));
                }
                else if (a.equals("--peer-timeout") && hasValue)
                {
                    c.peerTimeoutSeconds = positive(a, rest.get(++i));
                }
                else if (a.equals("--warmup-frames") && hasValue)
                {
                    c.warmupFrames = positive(a, rest.get(++i));
                }
                else if (a.equals("--configs") && hasValue)
                {
                    configs = rest.get(++i);
                }
                else if (a.equals("--peers") && hasValue)
                {
                    peerList = rest.get(++i);
                }
                else if (a.equals("--linerate-arg") && hasValue)
                {
                    c.linerateExtraArgs.add(rest.get(++i));
                }
                else if (!a.startsWith("-") && file == null)
                {
                    file = Path.of(a);
                }
                else
                {
                    throw new IllegalArgumentException("unknown argument " + a + " (see --help)");
                }
            }
            if ((file == null) == (generate == null))
            {
                throw new IllegalArgumentException("give a capture FILE or --generate MODE, one of them");
            }
            if (generate != null)
            {
                generate.validate();
            }
            for (final String s : configs.split(","))
            {
                c.settings.add(LinerateSetting.parse(s.trim()));
            }
            for (final String p : peerList.split(","))
            {
                if (p.isBlank() || p.equals("none"))
                {
                    continue;
                }
                if (!List.of("tcpdump", "tshark", "tcptrace").contains(p.trim()))
                {
                    throw new IllegalArgumentException("peers are tcpdump, tshark, tcptrace or none: " + p);
                }
                c.peers.add(p.trim());
            }
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("ReplayComparison: " + ex.getMessage());
            return 2;
        }

        boolean delete = false;
        if (generate != null)
        {
            file = keep != null ? keep : Files.createTempFile("linerate-perf-" + generate.mode().cliName() + "-", ".pcap");
            delete = keep == null;
            out.println("generating " + file + ": " + generate);
            final long t0 = System.nanoTime();
            final TrafficTruth truth = TrafficGenerator.writeFiles(generate, file, null);
            out.printf(Locale.ROOT, "generated in %.1f s%n%s", (System.nanoTime() - t0) / 1e9, truth);
        }
        try
        {
            return c.compare(file);
        }
        finally
        {
            if (delete)
            {
                Files.deleteIfExists(file);
            }
        }
    }

    private int compare(final Path file) throws IOException, InterruptedException
    {
        final Census census = census(file);
        out.println();
        out.println("date      " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.println("machine   " + Runtime.getRuntime().availableProcessors() + " cores, " + memAvailableText()
            + ", java " + System.getProperty("java.version") + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        out.printf(Locale.ROOT, "file      %s: %,d bytes, %,d frames, %,d frame bytes (%.1f per frame); read once"
                + " before timing (page cache)%n", file, census.fileBytes(), census.frames(), census.frameBytes(),
            census.frames() == 0 ? 0.0 : (double)census.frameBytes() / census.frames());
        for (final String p : peers)
        {
            out.println("peer      " + p + ": " + version(p));
        }
        out.println();

        final List<Timings> results = new ArrayList<>();
        out.printf(Locale.ROOT, "warming up: every setting once on the first %,d frames%n",
            Math.min(warmupFrames, census.frames()));
        for (final LinerateSetting setting : settings)
        {
            final Timings warmup = new Timings("warm-up");
            linerate(file, setting, warmup, List.of("-c", Long.toString(warmupFrames)));
            if (!warmup.usable())
            {
                out.println(setting.label() + " failed: " + warmup.failure);
                return 1;
            }
        }
        final Timings[] linerate = new Timings[settings.size()];
        for (int i = 0; i < linerate.length; i++)
        {
            linerate[i] = new Timings(settings.get(i).label());
            results.add(linerate[i]);
        }
        for (int r = 0; r < runs; r++)
        {
            for (int i = 0; i < linerate.length; i++)
            {
                linerate(file, settings.get(i), linerate[i], List.of());
                report(linerate[i], census, r);
            }
        }
        final List<Timings> peerTimings = new ArrayList<>();
        for (final String p : peers)
        {
            final Timings t = new Timings(String.join(" ", command(p, Path.of("FILE"))));
            peerTimings.add(t);
            results.add(t);
            if (!installed(p))
            {
                t.failure = "not installed (apt-get install -y " + (p.equals("tshark") ? "tshark" : p) + ")";
                out.println(p + ": " + t.failure);
                continue;
            }
            // tcpdump's filter-only pass is quick and the closest contender: it gets as many runs as linerate.
            final int n = p.equals("tcpdump") ? runs : peerRuns;
            for (int r = 0; r < n && t.failure == null && !t.timedOut; r++)
            {
                peer(file, p, t);
                report(t, census, r);
            }
        }

        summary(results, linerate, peerTimings, census);
        for (final Timings t : results)
        {
            if (t.failure != null && !t.failure.startsWith("not installed"))
            {
                return 1;
            }
        }
        return 0;
    }

    private void linerate(final Path file, final LinerateSetting setting, final Timings into, final List<String> more)
    {
        final List<String> args = new ArrayList<>(List.of("replay", file.toString(), "--out", "jsonl:/dev/null",
            "--sensor", "perf"));
        args.addAll(setting.args());
        args.addAll(more);
        args.addAll(linerateExtraArgs);
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        System.gc();
        final long t0 = System.nanoTime();
        final int exit = Main.run(args, discard, new PrintStream(err, true, StandardCharsets.UTF_8), false);
        final long t1 = System.nanoTime();
        final String messages = err.toString(StandardCharsets.UTF_8).trim();
        if (exit != 0)
        {
            into.failure = "exit " + exit + ": " + messages;
            return;
        }
        if (!messages.isEmpty())
        {
            out.println("  linerate said: " + messages);
        }
        into.seconds.add((t1 - t0) / 1e9);
    }

    private void peer(final Path file, final String tool, final Timings into) throws IOException, InterruptedException
    {
        final File errors = File.createTempFile("linerate-perf-peer-", ".err");
        try
        {
            final ProcessBuilder pb = new ProcessBuilder(command(tool, file))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors);
            final long t0 = System.nanoTime();
            final Process p = pb.start();
            if (!p.waitFor(peerTimeoutSeconds, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                p.waitFor();
                into.timedOut = true;
                out.printf(Locale.ROOT, "  %s: stopped after %d s%n", tool, peerTimeoutSeconds);
                return;
            }
            final long t1 = System.nanoTime();
            if (p.exitValue() != 0)
            {
                into.failure = "exit " + p.exitValue() + ": " + Files.readString(errors.toPath()).trim();
                return;
            }
            into.seconds.add((t1 - t0) / 1e9);
        }
        finally
        {
            Files.deleteIfExists(errors.toPath());
        }
    }

    /** The peer's command line, as the design's targets name it. */
    static List<String> command(final String tool, final Path file)
    {
        switch (tool)
        {
            case "tcpdump":
                return List.of("tcpdump", "-r", file.toString(), "-w", "/dev/null", "tcp[tcpflags] & tcp-rst != 0");
            case "tshark":
                return List.of("tshark", "-n", "-q", "-r", file.toString(), "-z", "conv,tcp");
            case "tcptrace":
                return List.of("tcptrace", "-n", "-l", file.toString());
            default:
                throw new IllegalArgumentException(tool);
        }
    }

    private void report(final Timings t, final Census c, final int run)
    {
        if (t.failure != null)
        {
            out.println("  " + t.label + ": FAILED " + t.failure);
            return;
        }
        if (t.seconds.size() <= run)
        {
            return;
        }
        final double s = t.seconds.get(run);
        out.printf(Locale.ROOT, "  run %d  %-52s %8.3f s  %7.3f Mpps  %6.2f Gbit/s%n", run + 1, t.label, s,
            c.frames() / s / 1e6, c.frameBytes() * 8 / s / 1e9);
    }

    private void summary(final List<Timings> results, final Timings[] linerate, final List<Timings> peerTimings,
        final Census c)
    {
        out.println();
        out.printf(Locale.ROOT, "%-62s %9s %9s %9s %9s %9s%n", "tool (best of runs, median)", "best s", "median s",
            "Mpps", "Gbit/s", "line Gb/s");
        for (final Timings t : results)
        {
            if (!t.usable())
            {
                out.printf(Locale.ROOT, "%-62s %s%n", t.label, t.timedOut ? "slower than " + peerTimeoutSeconds + " s"
                    : t.failure);
                continue;
            }
            final double best = t.best();
            out.printf(Locale.ROOT, "%-62s %9.3f %9.3f %9.3f %9.3f %9.3f%n", t.label, best, t.median(),
                c.frames() / best / 1e6, c.frameBytes() * 8 / best / 1e9,
                (c.frameBytes() + (double)LINE_OVERHEAD_BYTES * c.frames()) * 8 / best / 1e9);
        }

        Timings fastest = null;
        for (final Timings t : linerate)
        {
            if (t.usable() && (fastest == null || t.best() < fastest.best()))
            {
                fastest = t;
            }
        }
        if (fastest == null)
        {
            return;
        }
        out.println();
        out.println("fastest linerate setting: " + fastest.label);
        if (peerTimings.isEmpty())
        {
            return;
        }
        out.println("ratios (peer best time / linerate best time: how many times faster linerate is):");
        final StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-52s", ""));
        for (final Timings p : peerTimings)
        {
            header.append(String.format(Locale.ROOT, " %12s", p.label.split(" ")[0]));
        }
        out.println(header);
        for (final Timings l : linerate)
        {
            if (!l.usable())
            {
                continue;
            }
            final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-52s", l.label));
            for (final Timings p : peerTimings)
            {
                if (p.timedOut)
                {
                    row.append(String.format(Locale.ROOT, " %12s", String.format(Locale.ROOT, ">%.1fx",
                        peerTimeoutSeconds / l.best())));
                }
                else if (p.usable())
                {
                    row.append(String.format(Locale.ROOT, " %12s", String.format(Locale.ROOT, "%.2fx", p.best() / l.best())));
                }
                else
                {
                    row.append(String.format(Locale.ROOT, " %12s", "-"));
                }
            }
            out.println(row);
        }
    }

    /** Reads every frame once: counts, and brings the file into the page cache. */
    static Census census(final Path file) throws IOException
    {
        final DecodedFrame slot = new DecodedFrame();
        long frames = 0;
        long bytes = 0;
        try (CaptureReader reader = CaptureFiles.open(file))
        {
            while (reader.next(slot))
            {
                frames++;
                bytes += slot.wireLength;
            }
        }
        return new Census(frames, bytes, Files.size(file));
    }

    private static String memAvailableText()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
            {
                if (line.startsWith("MemAvailable:"))
                {
                    final long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB available", kib / 1048576.0);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not Linux: the figure is only informative.
        }
        return "memory unknown";
    }

    private static boolean installed(final String tool)
    {
        final String path = System.getenv("PATH");
        if (path == null)
        {
            return false;
        }
        for (final String dir : path.split(File.pathSeparator))
        {
            if (Files.isExecutable(Path.of(dir, tool)))
            {
                return true;
            }
        }
        return false;
    }

    private static String version(final String tool)
    {
        if (!installed(tool))
        {
            return "not installed";
        }
        final List<String> cmd = tool.equals("tcptrace") ? List.of("tcptrace", "-v") :
            tool.equals("tshark") ? List.of("tshark", "-v") : List.of("tcpdump", "--version");
        try
        {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            for (final String line : text.split("\n"))
            {
                if (!line.isBlank() && !line.startsWith("Running as user"))
                {
                    return line.trim();
                }
            }
        }
        catch (final IOException ex)
        {
            return "version unknown: " + ex.getMessage();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return "version unknown";
    }

    private static int positive(final String flag, final String value)
    {
        final int v;
        try
        {
            v = Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(flag + ": not a number: " + value, ex);
        }
        if (v < 1)
        {
            throw new IllegalArgumentException(flag + " must be at least 1: " + value);
        }
        return v;
    }

    /** The help text. */
    public static String usage()
    {
        return "usage: ReplayComparison FILE [options]\n"
            + "       ReplayComparison --generate tcp|64b|imix [generator settings] [--keep FILE] [options]\n\n"
            + "Times linerate replay (in this JVM, --out jsonl:/dev/null) against tcpdump, tshark and tcptrace on\n"
            + "the same file; prints wall times, Mpps, Gbit/s and the ratios.\n\n"
            + "options:\n"
            + "  --runs N             timed runs of each linerate setting [default: 3]\n"
            + "  --configs LIST       linerate settings DECODERS/SHARDS/WAIT, comma-separated\n"
            + "                       [default: " + DEFAULT_CONFIGS + "]\n"
            + "  --warmup-frames N    untimed warm-up: every setting once on the first N frames [default: 2000000]\n"
            + "  --linerate-arg ARG   one more argument for every linerate run (repeatable), e.g. --ring-size\n"
            + "  --peers LIST         tcpdump,tshark,tcptrace or none [default: " + DEFAULT_PEERS + "]\n"
            + "  --peer-runs N        timed runs of tshark and tcptrace (tcpdump gets --runs) [default: 1]\n"
            + "  --peer-timeout S     stop a peer run after S seconds and report it as slower [default: 600]\n"
            + "  --keep FILE          with --generate: write the capture there and keep it (else a temp file, deleted)\n\n"
            + "generator settings (with --generate):\n" + GeneratorSettings.usage();
    }
}
