package io.linerate.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
        return commandWithClasspath(prefix, System.getProperty("java.class.path"), args);
    }

    /** The same, with the class path {@code classpath} (e.g. {@link #readableClasspath}). */
    public static List<String> commandWithClasspath(final List<String> prefix, final String classpath, final String... args)
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.addAll(List.of("-Xmx256m", "-cp", classpath, Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The test's class path with every jar copied into {@code dir} where any user can read it, and
     * {@code dir} and everything in it open to every user: after {@code -Z USER} the JVM still opens
     * jars it had not needed yet, and the local Maven repository sits under root's home directory.
     */
    public static String readableClasspath(final Path dir) throws IOException
    {
        final Path jars = Files.createDirectories(dir.resolve("jars"));
        final List<String> entries = new ArrayList<>();
        int n = 0;
        for (final String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        {
            final Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p))
            {
                final Path copy = jars.resolve((n++) + "-" + p.getFileName());
                Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                entries.add(copy.toString());
            }
            else
            {
                entries.add(entry);
            }
        }
        try (var s = Files.walk(dir))
        {
            for (final Path p : s.toList())
            {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** A field of /proc/PID/status (proc(5)), its values separated by one space; "?" when it has none. */
    public static String status(final long pid, final String field) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith(field + ":"))
            {
                return line.substring(field.length() + 1).trim().replaceAll("\\s+", " ");
            }
        }
        return "?";
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
