package io.linerate.ops.traffic;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace that a test makes for itself, so real servers and clients talk over its own
 * loopback, or over a veth pair to another namespace of the test's ({@link #link}), and nothing leaves
 * the test. Whatever is set inside (addresses, sysctls, iptables rules) goes with the namespace on
 * {@link #close()}. Needs root and iproute2; tests check {@link #available()} first.
 */
public final class TestNamespace implements AutoCloseable
{
    /** What commands run to completion read: nothing (openssl s_client, for one, ends at end of input). */
    private static final ProcessBuilder.Redirect NO_INPUT = ProcessBuilder.Redirect.from(new File("/dev/null"));

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

    /**
     * Joins this namespace to {@code peer} with a veth pair: {@code iface} here with {@code address},
     * {@code peerIface} there with {@code peerAddress} (CIDR, e.g. 10.77.41.1/24), both up. Segmentation
     * offload is limited to one MTU, so TCP sends wire-sized segments as on a real link: a capture shows
     * what a NIC would send, and an iptables DROP drops one segment, not 45 at once.
     */
    public void link(final String iface, final TestNamespace peer, final String peerIface,
        final String address, final String peerAddress) throws IOException
    {
        exec("ip", "link", "add", iface, "type", "veth", "peer", "name", peerIface, "netns", peer.name);
        exec("ip", "addr", "add", address, "dev", iface);
        exec("ip", "link", "set", iface, "gso_max_size", "1500", "up");
        peer.exec("ip", "addr", "add", peerAddress, "dev", peerIface);
        peer.exec("ip", "link", "set", peerIface, "gso_max_size", "1500", "up");
    }

    /** True when a TCP socket listens on {@code port} in this namespace (asked of ss, without a packet). */
    public boolean listening(final int port) throws IOException
    {
        return !exec("ss", "-Hltn", "sport", "=", ":" + port).isBlank();
    }

    /**
     * Starts tcpdump on {@code iface} writing {@code file} (each frame handed over at once) and returns
     * once it listens; its report goes to {@code log}. Stop it with {@link #stop(Process)}, after the
     * file stopped growing, so the file is complete. The snap length is 2048, enough for a whole frame
     * of a {@link #link} (MTU 1500, segments of one MTU): in immediate mode on an interface that has
     * offloads, libpcap sizes the slots of the kernel's 16 MiB capture ring to the snap length, and
     * with tcpdump's default of 256 KiB the ring holds 64 frames and drops most of a fast transfer.
     */
    public Process tcpdump(final String iface, final Path file, final Path log, final String filter) throws IOException
    {
        final Process p = start(log, "tcpdump", "--immediate-mode", "-B", "16384", "-Z", "root",
            "-i", iface, "-s", "2048", "-U", "-w", file.toString(), filter);
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.readString(log).contains("listening on"))
        {
            if (!p.isAlive() || System.nanoTime() > deadline)
            {
                throw new IOException("tcpdump did not start: " + Files.readString(log));
            }
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            }
        }
        return p;
    }

    /** Runs a command inside the namespace and waits for it; fails on a non-zero exit. */
    public String exec(final String... command) throws IOException
    {
        final List<String> cmd = inside(command);
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(NO_INPUT).start();
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
        final Process p = new ProcessBuilder(inside(command)).redirectErrorStream(true).redirectInput(NO_INPUT).start();
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
