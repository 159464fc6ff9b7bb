package io.linerate.ops.pipeline;

import io.linerate.ingest.os.Privileges;
import io.linerate.ops.LinerateProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code linerate capture -Z USER} with a user the test creates (useradd) and removes: once the
 * device is open the process is that user's for good (no root id, no capability left), and every
 * file it writes, the {@code -w} capture, its rotated files and the Kafka output's spill, belongs to
 * that user. Datagrams to 127.0.0.1 on a port of the test's own, filtered in the kernel; Kafka is a
 * closed port, so the records wait in the spill.
 */
class CaptureAsUserTest
{
    /** The users this test makes: lr-z-PID-N, PID the test JVM's. */
    private static final String USER_PREFIX = "lr-z-";

    @TempDir
    Path tmp;

    private String user;
    private int port;

    @BeforeEach
    void createUser() throws Exception
    {
        Assumptions.assumeTrue(Privileges.effectiveUid() == 0, "live capture and useradd need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/useradd")), "needs useradd (passwd)");
        removeUsersOfDeadTestRuns();
        user = USER_PREFIX + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        assertEquals(0, run("/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user));
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
    }

    /**
     * A test JVM that died (killed, out of memory) before its {@code @AfterEach} left its user behind:
     * the users of this test whose JVM (the pid in the name) is gone are removed.
     */
    private static void removeUsersOfDeadTestRuns() throws IOException, InterruptedException
    {
        for (final String line : Files.readAllLines(Path.of("/etc/passwd")))
        {
            final String name = line.substring(0, Math.max(0, line.indexOf(':')));
            if (name.startsWith(USER_PREFIX))
            {
                final String pid = name.substring(USER_PREFIX.length(), Math.max(USER_PREFIX.length(), name.lastIndexOf('-')));
                if (!pid.isEmpty() && pid.chars().allMatch(Character::isDigit) &&
                    !ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false))
                {
                    run("/usr/sbin/userdel", name);
                }
            }
        }
    }

    @AfterEach
    void removeUser() throws Exception
    {
        if (user != null)
        {
            assertEquals(0, run("/usr/sbin/userdel", user));
        }
    }

    @Test
    void theCaptureRunsAsTheUserAndEveryFileItWritesIsTheUsers() throws Exception
    {
        // The user must reach the classes, the spill's and the capture's directory after -Z.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        final String classpath = LinerateProcess.readableClasspath(tmp);
        final int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = s.getLocalPort();
        }
        final Path out = Files.createDirectories(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        final Path pcap = out.resolve("cap.pcap");
        final Path spill = out.resolve("spill");
        final Path log = tmp.resolve("stderr.txt");
        // -C 1 -W 3: a ring of three files of a million bytes; 3,000 frames of 1,242 bytes fill it.
        final Process p = new ProcessBuilder(LinerateProcess.commandWithClasspath(List.of(), classpath,
            "capture", "-i", "lo", "-c", "3000", "-Z", user, "-w", pcap.toString(), "-C", "1", "-W", "3",
            "--out", "kafka:127.0.0.1:" + closedPort + "/flows", "--spill", spill.toString(),
            "--kafka-drain-timeout", "1", "udp", "dst", "port", Integer.toString(port)))
            .redirectOutput(tmp.resolve("stdout.txt").toFile()).redirectError(log.toFile()).start();
        try
        {
            await("the capture to open the device").atMost(Duration.ofMinutes(2))
                .until(() -> Files.readString(log, StandardCharsets.UTF_8).contains("listening on") || !p.isAlive());
            assertTrue(p.isAlive(), Files.readString(log));
            final String uid = output("id", "-u", user);
            final String gid = output("id", "-g", user);
            // setuid gave up root for good: real, effective, saved and file-system ids are the user's,
            // and no capability is left, permitted or in effect (proc(5)).
            assertEquals(String.join(" ", uid, uid, uid, uid), LinerateProcess.status(p.pid(), "Uid"));
            assertEquals(String.join(" ", gid, gid, gid, gid), LinerateProcess.status(p.pid(), "Gid"));
            assertEquals("0000000000000000", LinerateProcess.status(p.pid(), "CapPrm"));
            assertEquals("0000000000000000", LinerateProcess.status(p.pid(), "CapEff"));

            try (DatagramSocket socket = new DatagramSocket())
            {
                final byte[] payload = new byte[1200];
                final DatagramPacket packet = new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port);
                await("the capture to stop after 3,000 frames").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(1))
                    .until(() ->
                    {
                        for (int i = 0; i < 50; i++)
                        {
                            socket.send(packet);
                        }
                        return !p.isAlive();
                    });
            }
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), Files.readString(log));
        }
        finally
        {
            p.destroyForcibly();
        }
        final String err = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("3,000 frames captured"), err);

        final List<Path> written;
        try (var files = Files.walk(out))
        {
            written = files.filter(f -> !f.equals(out)).toList();
        }
        assertTrue(written.stream().anyMatch(f -> f.getFileName().toString().equals("cap.pcap0")), "the -W ring: " + written);
        assertTrue(written.stream().anyMatch(f -> f.getFileName().toString().equals("cap.pcap2")), "the -W ring: " + written);
        assertTrue(written.stream().anyMatch(f -> f.toString().endsWith(".cq4")), "a spill cycle file: " + written);
        for (final Path f : written)
        {
            assertEquals(user, Files.getOwner(f).getName(), f + " belongs to the -Z user");
        }
    }

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), String.join(" ", command));
        return p.exitValue();
    }

    private static String output(final String... command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), String.join(" ", command));
        return text;
    }
}
