package io.linerate.ops.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** linerate(1): man-db renders it without a warning, and it names every option, group and command. */
class ManPageTest
{
    @TempDir
    Path tmp;

    @Test
    void manRendersThePageWithEveryOption() throws Exception
    {
        final Path man = Path.of("/usr/bin/man");
        Assumptions.assumeTrue(Files.isExecutable(man), "no man (ops/setup.sh --test installs man-db)");
        ManPage.main(new String[] {tmp.toString()});
        final Path page = tmp.resolve("linerate.1.gz");
        final ProcessBuilder pb = new ProcessBuilder(man.toString(), "--warnings", "-l", page.toString());
        pb.environment().put("MANWIDTH", "200");
        pb.environment().put("MANPAGER", "cat");
        final Path errors = tmp.resolve("errors");
        final Process p = pb.redirectError(errors.toFile()).start();
        final String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), Files.readString(errors));
        assertEquals("", Files.readString(errors), "groff's warnings");
        for (final Setting<?> s : Settings.ALL)
        {
            for (final String flag : s.flags())
            {
                assertTrue(text.contains(flag), flag);
            }
            if (s.configurable())
            {
                assertTrue(text.contains("Configuration key: " + s.key() + "."), s.key());
            }
        }
        for (final Group g : Group.values())
        {
            assertTrue(text.contains("\n   " + g.heading() + "\n"), g.heading());
        }
        for (final String command : CommandLines.commands())
        {
            assertTrue(text.contains("linerate " + command), command);
        }
        assertTrue(text.contains("CONFIGURATION FILE") && text.contains("EXIT STATUS"), text);
        // The completion script written beside it is the command's.
        assertEquals(CommandLines.completion(), Files.readString(tmp.resolve("linerate.bash-completion")));
    }
}
