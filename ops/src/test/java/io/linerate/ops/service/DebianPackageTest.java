package io.linerate.ops.service;

import io.linerate.ingest.os.Privileges;
import io.linerate.ops.cli.CommandLines;
import io.linerate.ops.cli.Setting;
import io.linerate.ops.cli.Settings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Debian package the build makes ({@code ops/target/linerate.deb}, in the package phase; this test
 * runs after it, see ops/pom.xml) installs with {@code dpkg -i} into a root of its own: the host's
 * system as an overlay with an empty upper layer, in a mount namespace of the test's own, so nothing
 * of linerate is there before and the host is untouched after. There {@code linerate --version},
 * {@code man linerate} and a replay of the sample work, the service's user exists, and
 * {@code systemd-analyze verify} passes on the installed unit.
 */
class DebianPackageTest
{
    private static final Path DEB = Path.of("target/linerate.deb");
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");
    private static final Path GOLDEN = Path.of("src/test/resources/golden/loopback-http.jsonl");

    /** Mounts the root, installs the package and runs the checks' commands, each output after a marker line. */
    private static final String SCRIPT = """
        set -euo pipefail
        w=$1; deb=$2; sample=$3
        mount -t tmpfs -o size=1g linerate-package-test "$w"
        mkdir -p "$w/upper" "$w/work" "$w/root"
        mount -t overlay overlay -o "lowerdir=/,upperdir=$w/upper,workdir=$w/work" "$w/root"
        mount -t proc proc "$w/root/proc"
        mount --rbind /dev "$w/root/dev"
        mount -t tmpfs tmpfs "$w/root/tmp"
        mount -t tmpfs tmpfs "$w/root/run"
        cp "$deb" "$w/root/tmp/linerate.deb"
        cp "$sample" "$w/root/tmp/sample.pcap"
        in_root() { chroot "$w/root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
        echo "== before"; in_root sh -c 'command -v linerate || echo absent'
        echo "== dpkg"; in_root dpkg -i /tmp/linerate.deb
        echo "== status"; in_root dpkg-query -W -f='${Status} ${Version}\\n' linerate
        echo "== files"; in_root dpkg -L linerate
        echo "== user"; in_root getent passwd linerate
        echo "== version"; in_root linerate --version
        echo "== man"; in_root env MANPAGER=cat MANWIDTH=200 man linerate
        echo "== replay"; in_root sh -c 'cd /tmp && linerate replay sample.pcap --sensor golden --out jsonl:-'
        echo "== verify"; systemd-analyze verify --root="$w/root" linerate.service 2>&1
        echo "== end"
        """;

    @TempDir
    Path tmp;

    @Test
    void installsInACleanRootAndRuns() throws Exception
    {
        assertTrue(Files.isRegularFile(DEB), "no " + DEB + ": the package phase builds it (mvn package), and this " +
            "test runs after it (mvn verify)");
        Assumptions.assumeTrue(Privileges.effectiveUid() == 0, "mounting an overlay root needs root");
        for (final String tool : List.of("/usr/bin/unshare", "/usr/bin/dpkg", "/usr/bin/man", "/usr/bin/systemd-analyze"))
        {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)), "no " + tool + " (ops/setup.sh --test)");
        }
        final Path mountPoint = Files.createDirectories(tmp.resolve("root"));
        final Path script = Files.writeString(tmp.resolve("install.sh"), SCRIPT);
        final Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "bash", script.toString(),
            mountPoint.toString(), DEB.toAbsolutePath().toString(), SAMPLE.toAbsolutePath().toString())
            .redirectErrorStream(true).start();
        final String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the installation did not end");
        assertEquals(0, p.exitValue(), said);

        assertEquals("absent", section(said, "before").strip(), "linerate was not there before");
        assertTrue(section(said, "status").startsWith("install ok installed "), said);
        final List<String> files = section(said, "files").lines().toList();
        for (final String installed : List.of("/usr/bin/linerate", "/usr/share/linerate/linerate.jar",
            "/lib/systemd/system/linerate.service", "/etc/linerate/linerate.conf", "/etc/default/linerate",
            "/usr/share/man/man1/linerate.1.gz", "/usr/share/bash-completion/completions/linerate",
            "/usr/share/linerate/grafana/linerate.json"))
        {
            assertTrue(files.contains(installed), installed + " in " + files);
        }
        assertTrue(section(said, "user").startsWith("linerate:x:"), said);
        assertTrue(section(said, "user").contains(":/var/lib/linerate:/usr/sbin/nologin"), said);
        assertEquals(CommandLines.version(), section(said, "version"));

        final String man = section(said, "man");
        assertTrue(man.contains("NAME") && man.contains("linerate - one record per connection"), man);
        for (final Setting<?> s : Settings.ALL)
        {
            for (final String flag : s.flags())
            {
                assertTrue(man.contains(flag), "the man page names " + flag);
            }
        }
        // The installed jar runs the pipeline: the sample's golden records.
        assertEquals(Files.readAllLines(GOLDEN).stream().sorted().toList(),
            section(said, "replay").lines().sorted().toList());
        assertEquals("", section(said, "verify").strip(), "systemd-analyze verify on the installed unit");
    }

    /** What was printed between {@code == name} and the next marker. */
    private static String section(final String said, final String name)
    {
        final String start = "== " + name + "\n";
        final int from = said.indexOf(start);
        assertTrue(from >= 0, "no " + name + " in: " + said);
        final int to = said.indexOf("\n== ", from + start.length() - 1);
        return said.substring(from + start.length(), to + 1);
    }
}
