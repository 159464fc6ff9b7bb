package io.linerate.ops.progress;

import io.linerate.ops.LinerateProcess;
import io.linerate.ops.MainTest;
import io.linerate.ops.pipeline.ManyConnections;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The progress line: drawn on stderr when it is a terminal (linerate run under {@code script}, which
 * gives it a pseudo-terminal), rewritten in place and ending at 100% with the run's totals; absent when
 * stderr is a pipe or a file, and under {@code --quiet}.
 */
class ProgressLineTest
{
    private static final Pattern FINAL = Pattern.compile(
        "\rlinerate: 100\\.0%  120,000 frames  [\\d,]+ packets/s  [\\d.]+ Gbit/s  [\\d,]+ flows\u001b\\[K");

    @TempDir
    Path tmp;
    private Path capture;

    @BeforeEach
    void capture() throws Exception
    {
        capture = tmp.resolve("20000.pcap");
        ManyConnections.write(capture, 20_000);
    }

    @Test
    void onATerminalTheLineEndsAtAHundredPercent() throws Exception
    {
        final String terminal = underScript("replay", capture.toString(), "--out", "jsonl:" + tmp.resolve("a.jsonl"));
        assertTrue(FINAL.matcher(terminal).find(), "no final progress line in: " + terminal);
        assertTrue(terminal.contains("\rlinerate:   0.0%  "), "the line is drawn from the start: " + terminal);
    }

    @Test
    void quietOnATerminalDrawsNothing() throws Exception
    {
        final String terminal = underScript("replay", capture.toString(), "--out", "jsonl:" + tmp.resolve("q.jsonl"),
            "--quiet");
        assertFalse(terminal.contains("packets/s"), terminal);
    }

    @Test
    void aPipedStderrGetsNoProgress() throws Exception
    {
        final MainTest.Run r = LinerateProcess.run(tmp, null, List.of(), "replay", capture.toString(), "--out",
            "jsonl:" + tmp.resolve("p.jsonl"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
    }

    /** What linerate wrote to a pseudo-terminal (util-linux script): stdout and stderr as a terminal shows them. */
    private String underScript(final String... args) throws Exception
    {
        final Path script = Path.of("/usr/bin/script");
        Assumptions.assumeTrue(Files.isExecutable(script), "no script (util-linux; ops/setup.sh --test installs it)");
        final StringBuilder command = new StringBuilder();
        for (final String word : LinerateProcess.command(List.of(), args))
        {
            command.append('\'').append(word.replace("'", "'\\''")).append("' ");
        }
        final Path typescript = tmp.resolve("typescript");
        final List<String> run = new ArrayList<>(List.of(script.toString(), "-q", "-e", "-c", command.toString(),
            typescript.toString()));
        final Process p = new ProcessBuilder(run).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true).redirectOutput(tmp.resolve("script.out").toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "linerate under script did not end");
        final String shown = Files.readString(typescript, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), shown);
        return shown;
    }
}
