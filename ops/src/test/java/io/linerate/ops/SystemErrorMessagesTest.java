package io.linerate.ops;

import io.linerate.ingest.os.Privileges;
import io.linerate.ops.pipeline.ManyConnections;
import io.linerate.ops.pipeline.StopRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error that comes from the operating system says the reason with the path, in one line, and
 * exit code 1; when nothing could be read, no summary follows the error. Root reads and writes what
 * its permissions forbid, so the permission tests run linerate in a process of its own without the
 * capabilities that let root do so ({@code setpriv}), as an ordinary user meets these files.
 */
class SystemErrorMessagesTest
{
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");
    /** Root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: file permissions apply to it. */
    private static final List<String> NO_OVERRIDE = List.of("setpriv",
        "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps", "-dac_override,-dac_read_search");

    @TempDir
    Path tmp;

    @Test
    void anUnreadableCaptureSaysPermissionDeniedAndNoSummary() throws Exception
    {
        final Path capture = Files.copy(SAMPLE, tmp.resolve("secret.pcap"));
        Files.setPosixFilePermissions(capture, PosixFilePermissions.fromString("---------"));
        final MainTest.Run r = LinerateProcess.run(tmp, null, asAnOrdinaryUser(), "replay", capture.toString(),
            "--out", "summary");
        assertEquals(1, r.exit(), r.err());
        assertEquals(List.of("linerate: " + capture + ": permission denied"), r.err().lines().toList());
        assertEquals("", r.out(), "no closing summary when nothing was read");
    }

    @Test
    void anUnwritableOutputSaysPermissionDenied() throws Exception
    {
        final Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        final Path out = readOnly.resolve("flows.jsonl");
        final MainTest.Run r = LinerateProcess.run(tmp, null, asAnOrdinaryUser(), "replay", SAMPLE.toString(),
            "--out", "jsonl:" + out);
        assertEquals(1, r.exit(), r.err());
        assertEquals(List.of("linerate: " + out + ": permission denied"), r.err().lines().toList());
    }

    @Test
    void aDirectoryAsOutputSaysIsADirectory()
    {
        final MainTest.Run r = MainTest.run("replay", SAMPLE.toString(), "--out", "jsonl:" + tmp);
        assertEquals(1, r.exit(), r.err());
        assertEquals(List.of("linerate: " + tmp + ": is a directory"), r.err().lines().toList());
    }

    @Test
    void aDirectoryWithoutCapturesAndAMissingFileSayWhyAndNoSummary() throws Exception
    {
        final Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not a capture\n");
        final MainTest.Run r = MainTest.run("replay", empty.toString(), "--out", "summary");
        assertEquals(1, r.exit(), r.err());
        assertEquals(List.of("linerate: " + empty + ": no pcap or pcapng files in this directory (compressed or not)"),
            r.err().lines().toList());
        assertEquals("", r.out());

        final Path missing = tmp.resolve("missing.pcap");
        final MainTest.Run m = MainTest.run("replay", missing.toString(), "--out", "summary");
        assertEquals(1, m.exit(), m.err());
        assertEquals(List.of("linerate: " + missing + ": no such file or directory"), m.err().lines().toList());
        assertEquals("", m.out());
    }

    /** {@code capture -w FILE} that cannot be made: the path and why (the device opens first: root). */
    @Test
    void aCaptureFileThatCannotBeWrittenSaysWhy() throws Exception
    {
        Assumptions.assumeTrue(Privileges.effectiveUid() == 0, "live capture needs root");
        final Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        final Path pcap = readOnly.resolve("ring.pcap");
        final MainTest.Run r = LinerateProcess.run(tmp, null, asAnOrdinaryUser(), "capture", "-i", "lo",
            "--duration", "1", "-w", pcap.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(List.of("linerate: " + pcap + ": permission denied"), r.err().lines().toList());

        final MainTest.Run d = MainTest.run("capture", "-i", "lo", "--duration", "1", "-w", tmp.toString());
        assertEquals(1, d.exit(), d.err());
        assertEquals(List.of("linerate: " + tmp + ": is a directory"), d.err().lines().toList());
    }

    /** A file system that fills up while records are written: a 64 KiB tmpfs of the test's own. */
    @Test
    void aFullDiskSaysNoSpaceLeftOnDeviceWithThePath() throws Exception
    {
        Assumptions.assumeTrue(Privileges.effectiveUid() == 0, "mounting a tmpfs needs root");
        final Path mount = Files.createDirectories(tmp.resolve("small"));
        final Path capture = tmp.resolve("many.pcap");
        ManyConnections.write(capture, 2_000);
        run("mount", "-t", "tmpfs", "-o", "size=64k", "linerate-test", mount.toString());
        try
        {
            final Path out = mount.resolve("flows.jsonl");
            final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            final int exit = Main.run(
                List.of("replay", capture.toString(), "--out", "jsonl:" + out, "--out", "summary"),
                InputStream.nullInputStream(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), false, new StopRequest());
            final String err = stderr.toString(StandardCharsets.UTF_8);
            assertEquals(1, exit, err);
            final List<String> lines = err.lines().toList();
            assertEquals(1, lines.size(), err);
            assertTrue(Pattern.matches(Pattern.quote("linerate: " + out + ": no space left on device (") +
                "\\d+ records written before\\)", lines.get(0)), lines.get(0));
            // Frames were read: the summary still tells what they held.
            assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("flows: tcp 2,000"),
                stdout.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            run("umount", mount.toString());
        }
    }

    /** setpriv's prefix when this is root (whose capabilities pass over file permissions), else none. */
    private static List<String> asAnOrdinaryUser()
    {
        if (Privileges.effectiveUid() != 0)
        {
            return List.of();
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        return NO_OVERRIDE;
    }

    private static void run(final String... command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
    }
}
