package io.linerate.ops.service;

import io.linerate.ops.cli.CaptureOptions;
import io.linerate.ops.cli.CommandLines;
import io.linerate.ops.cli.Settings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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
    private static final Path CONFIG = Path.of("systemd/linerate.conf");

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
        assertTrue(unit.contains("\nExecStart=/usr/bin/linerate capture --config /etc/linerate/linerate.conf "), unit);
    }

    /** The example configuration the unit reads is one {@code linerate capture} takes, every key of it. */
    @Test
    void theExampleConfigurationIsACaptures() throws Exception
    {
        final CaptureOptions o = Settings.options(CommandLines.parse("capture", List.of("--config", CONFIG.toString())),
            false);
        assertEquals("eth0", o.device());
        assertEquals(List.of("kafka:127.0.0.1:9092/flows"), o.pipeline().outputs());
        assertEquals("tcp or icmp", o.pipeline().filter());
        assertEquals("json", o.pipeline().logFormat());
        assertEquals(9464, o.pipeline().metrics().getPort());
        // What the unit's LINERATE_OPTIONS add wins over the file.
        assertEquals("tap-east", Settings.options(CommandLines.parse("capture", List.of("--config", CONFIG.toString(),
            "--sensor", "tap-east")), false).pipeline().sensor());
    }
}
