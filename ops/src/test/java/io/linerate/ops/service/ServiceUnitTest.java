package io.linerate.ops.service;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The systemd unit: {@code systemd-analyze verify} passes on it in a root of its own (the unit in
 * /etc/systemd/system, the project's launcher as /usr/bin/linerate, the host's own targets), and it
 * keeps what a capture service must: a dedicated user, only the capture's capabilities, restarts on
 * failure.
 */
class ServiceUnitTest
{
    private static final Path UNIT = Path.of("systemd/linerate.service");
    private static final Path LAUNCHER = Path.of("../linerate");

    @TempDir
    Path root;

    @Test
    void systemdAnalyzeVerifiesTheUnit() throws Exception
    {
        final Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "no systemd-analyze (ops/setup.sh --test installs systemd)");
        final Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.copy(UNIT, units.resolve("linerate.service"));
        final Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Files.copy(LAUNCHER, bin.resolve("linerate"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(root.resolve("usr/lib/systemd"));
        Files.createSymbolicLink(root.resolve("usr/lib/systemd/system"), Path.of("/lib/systemd/system"));
        final Process p = new ProcessBuilder(analyze.toString(), "verify", "--root=" + root, "linerate.service")
            .redirectErrorStream(true).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "systemd-analyze did not end");
        final String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), said);
        assertEquals("", said.strip());
    }

    @Test
    void aDedicatedUserWithTheCaptureCapabilitiesOnly() throws Exception
    {
        final String unit = Files.readString(UNIT);
        assertTrue(unit.contains("\nUser=linerate\n"), unit);
        assertTrue(unit.contains("\nAmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN\n"));
        assertTrue(unit.contains("\nCapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN\n"));
        assertTrue(unit.contains("\nNoNewPrivileges=yes\n"));
        assertTrue(unit.contains("\nRestart=on-failure\n"));
        assertTrue(unit.contains("\nExecStart=/usr/bin/linerate capture "));
    }
}
