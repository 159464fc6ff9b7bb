package io.linerate.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * linerate run as users run it, in a process of its own: its own standard input, output and error,
 * its own exit code (and, when a test asks, less privilege than the test).
 */
public final class LinerateProcess
{
    private LinerateProcess()
    {
    }

    /**
     * The module flags and system properties linerate needs (Chronicle Queue's and Agrona's
     * --add-exports/--add-opens, the launcher's list), as this test JVM was given them.
     */
    public static List<String> jvmFlags()
    {
        final List<String> flags = new ArrayList<>();
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle"))
            {
                flags.add(arg);
            }
        }
        return flags;
    }

    /** The command that runs linerate's Main in a JVM of its own, after {@code prefix} (e.g. setpriv). */
    public static List<String> command(final List<String> prefix, final String... args)
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs linerate with {@code stdin} as its standard input (null: none) and waits for it to end by
     * itself (a generous bound: the point is that it ends, not how fast).
     */
    public static MainTest.Run run(final Path work, final Path stdin, final List<String> prefix, final String... args)
        throws IOException, InterruptedException
    {
        final Path out = Files.createTempFile(work, "stdout", ".txt");
        final Path err = Files.createTempFile(work, "stderr", ".txt");
        final ProcessBuilder builder = new ProcessBuilder(command(prefix, args))
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()) :
            ProcessBuilder.Redirect.from(stdin.toFile()));
        final Process p = builder.start();
        final boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended)
        {
            p.destroyForcibly();
        }
        final String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(ended, "linerate did not end by itself: " + stderr);
        return new MainTest.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr);
    }
}
