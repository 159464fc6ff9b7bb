package io.linerate.ops.traffic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace that a test makes for itself, so real servers and clients talk over its own
 * loopback (and veth pairs later) and nothing leaves the test. Needs root and iproute2; tests check
 * {@link #available()} first.
 */
public final class TestNamespace implements AutoCloseable
{
    private final String name;
    private final List<Process> background = new ArrayList<>();

    private TestNamespace(final String name)
    {
        this.name = name;
    }

    /** True when this process can make namespaces (root, iproute2 present). */
    public static boolean available()
    {
        try
        {
            return "root".equals(System.getProperty("user.name")) && run(List.of("ip", "netns", "list"), 30) == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** Makes a namespace with its loopback up. */
    public static TestNamespace create(final String prefix) throws IOException
    {
        final String name = prefix + "-" + ProcessHandle.current().pid() + "-" +
            Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        check(List.of("ip", "netns", "add", name));
        final TestNamespace ns = new TestNamespace(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    public String name()
    {
        return name;
    }

    /** Runs a command inside the namespace and waits for it; fails on a non-zero exit. */
    public String exec(final String... command) throws IOException
    {
        final List<String> cmd = inside(command);
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        waitFor(p, 120);
        if (p.exitValue() != 0)
        {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** Runs a command inside the namespace and returns its exit code, whatever it is. */
    public int execStatus(final String... command) throws IOException
    {
        final Process p = new ProcessBuilder(inside(command)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        waitFor(p, 120);
        return p.exitValue();
    }

    /** Starts a command inside the namespace in the background; it is killed on {@link #close()}. */
    public Process start(final Path log, final String... command) throws IOException
    {
        final Process p = new ProcessBuilder(inside(command))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        background.add(p);
        return p;
    }

    /** Stops a background process politely (SIGTERM) and waits for it, so a capture file is complete. */
    public void stop(final Process p) throws IOException
    {
        p.destroy();
        try
        {
            if (!p.waitFor(30, TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping " + p, ex);
        }
        background.remove(p);
    }

    @Override
    public void close() throws IOException
    {
        for (final Process p : List.copyOf(background))
        {
            stop(p);
        }
        run(List.of("ip", "netns", "del", name), 30);
    }

    private List<String> inside(final String... command)
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return cmd;
    }

    private static void check(final List<String> cmd) throws IOException
    {
        final int rc = run(cmd, 60);
        if (rc != 0)
        {
            throw new IOException(String.join(" ", cmd) + " exited " + rc);
        }
    }

    private static int run(final List<String> cmd, final int seconds) throws IOException
    {
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        waitFor(p, seconds);
        return p.exitValue();
    }

    private static void waitFor(final Process p, final int seconds) throws IOException
    {
        try
        {
            if (!p.waitFor(seconds, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                throw new IOException("timed out after " + seconds + " s: " + p.info().commandLine().orElse("?"));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }
}
