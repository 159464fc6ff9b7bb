package io.linerate.ops.cli;

import io.linerate.ops.MainTest;
import io.linerate.ops.MainTest.Run;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line made from the settings' declarations: tcpdump's and GNU's spellings, {@code --}
 * ending the options, the help grouped per command, {@code --version}, the bash completion, and a
 * README whose options tables name every option the help shows.
 */
class CommandLinesTest
{
    private static final String SAMPLE = "../samples/loopback-http.pcap";
    private static final Path README = Path.of("../README.md");

    @TempDir
    Path tmp;

    @Test
    void everySpellingOfAnOptionIsTheSame() throws Exception
    {
        for (final List<String> spelling : List.of(List.of("-c5"), List.of("-c", "5"), List.of("--count=5"),
            List.of("--count", "5")))
        {
            final List<String> args = new ArrayList<>(List.of(SAMPLE));
            args.addAll(spelling);
            assertEquals(5, Settings.parseReplay(args, false).count(), spelling.toString());
        }
        // Short switches together, as tcpdump takes -nS.
        final SettingValues packets = CommandLines.parse("packets", List.of(SAMPLE, "-S#", "--flow", "x"));
        assertTrue(packets.get(Settings.ABSOLUTE_SEQUENCE) && packets.get(Settings.NUMBER));
        // The last of a repeated option wins; a repeatable one keeps them all.
        final ReplayOptions o = Settings.parseReplay(List.of(SAMPLE, "--sensor", "a", "--sensor=b", "--out", "summary",
            "--out=jsonl:-"), false);
        assertEquals("b", o.sensor());
        assertEquals(List.of("summary", "jsonl:-"), o.outputs());
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception
    {
        final Path odd = Files.copy(Path.of(SAMPLE), tmp.resolve("-q.pcap"));
        final ReplayOptions o = Settings.parseReplay(List.of("--sensor", "s", "--", odd.toString(), "tcp"), false);
        assertEquals(List.of(odd), o.files());
        assertEquals("tcp", o.filter());
        // Without it, a word starting with a dash is an option.
        final Run r = MainTest.run("replay", SAMPLE, "--frobnicate");
        assertEquals(2, r.exit());
        assertEquals("linerate: unknown option --frobnicate (see linerate replay --help)\n", r.err());
    }

    @Test
    void usageErrorsSayWhatIsWrongAndExitTwo()
    {
        final Run missing = MainTest.run("replay", SAMPLE, "--count");
        assertEquals(2, missing.exit());
        assertEquals("linerate: --count needs COUNT\n", missing.err());
        final Run other = MainTest.run("replay", SAMPLE, "-i", "eth0");
        assertEquals(2, other.exit());
        assertTrue(other.err().startsWith("linerate: -i is an option of capture, not of replay"), other.err());
        final Run bad = MainTest.run("replay", SAMPLE, "--count=0");
        assertEquals(2, bad.exit());
        assertEquals("linerate: --count must be between 1 and " + Long.MAX_VALUE + ": 0\n", bad.err());
        final Run interfaces = MainTest.run("interfaces", "eth0");
        assertEquals(2, interfaces.exit());
        assertTrue(interfaces.err().startsWith("linerate: unexpected argument eth0"), interfaces.err());
    }

    @Test
    void eachCommandsHelpListsItsOptionsByGroup()
    {
        final Run r = MainTest.run("capture", "--help");
        assertEquals(0, r.exit(), r.err());
        final List<String> headings = r.out().lines().filter(l -> l.matches("[A-Z][^ ].*:")).toList();
        assertEquals(List.of("Input:", "Analysis:", "Outputs:", "Kafka:", "Capture:", "Performance:", "General:"), headings);
        for (final Setting<?> s : Settings.of("capture"))
        {
            for (final String flag : s.flags())
            {
                assertTrue(r.out().contains(flag), flag);
            }
        }
        assertTrue(!r.out().contains("--speed") && !r.out().contains("--merge"), "replay's options are not capture's");
        // Each option is under its own group's heading.
        final String help = r.out();
        assertTrue(help.indexOf("--snapshot-length") > help.indexOf("\nCapture:") &&
            help.indexOf("--snapshot-length") < help.indexOf("\nPerformance:"), help);
        assertTrue(help.indexOf("--kafka-config") > help.indexOf("\nKafka:") &&
            help.indexOf("--kafka-config") < help.indexOf("\nCapture:"), help);
    }

    @Test
    void theVersionIsTheBuildsVersion() throws Exception
    {
        final Matcher m = Pattern.compile("<artifactId>linerate-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("../pom.xml")));
        assertTrue(m.find());
        for (final List<String> args : List.of(List.of("--version"), List.of("-V"), List.of("replay", "--version")))
        {
            final Run r = MainTest.run(args.toArray(new String[0]));
            assertEquals(0, r.exit(), r.err());
            assertEquals("linerate " + m.group(1) + "\n", r.out(), args.toString());
        }
    }

    /**
     * The bash completion script completes commands and each command's options: bash runs the
     * script's function on a command line being typed.
     */
    @Test
    void theBashCompletionCompletesCommandsAndOptions() throws Exception
    {
        final Path bash = Path.of("/bin/bash");
        Assumptions.assumeTrue(Files.isExecutable(bash), "no bash");
        final Run r = MainTest.run("completion");
        assertEquals(0, r.exit(), r.err());
        final Path script = Files.writeString(tmp.resolve("linerate-completion.bash"), r.out());
        assertEquals(List.of("capture"), complete(bash, script, "linerate", "cap"));
        assertEquals(List.of("--config", "--count"), complete(bash, script, "linerate", "replay", "--co"));
        assertEquals(List.of("--snapshot-length"), complete(bash, script, "linerate", "capture", "--snap"));
        assertEquals(List.of(), complete(bash, script, "linerate", "replay", "--snap"));
        assertEquals(List.of("hex"), complete(bash, script, "linerate", "follow", "--as", "h"));
        // A file's name is completed where a file is named.
        Files.writeString(tmp.resolve("sensor.conf"), "sensor = s\n");
        assertEquals(List.of(tmp.resolve("sensor.conf").toString()),
            complete(bash, script, "linerate", "capture", "--config", tmp.resolve("sens").toString()));
    }

    private static List<String> complete(final Path bash, final Path script, final String... words) throws Exception
    {
        final StringBuilder line = new StringBuilder();
        for (final String w : words)
        {
            line.append(" '").append(w).append('\'');
        }
        final String program = "source '" + script + "'; COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1) +
            "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_linerate; " +
            "printf '%s\\n' \"${COMPREPLY[@]}\"";
        // Outside a real completion bash's compopt says so on stderr: only stdout is the answer.
        final Process p = new ProcessBuilder(bash.toString(), "-c", program)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), said);
        return said.lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

    /** README's options tables name every option of every command's help, and no option the help does not have. */
    @Test
    void theReadmeOptionsTablesNameEveryOption() throws Exception
    {
        final List<String> tableFlags = new ArrayList<>();
        final Matcher cell = Pattern.compile("`(-[^` ]+)").matcher("");
        for (final String line : Files.readAllLines(README))
        {
            if (line.startsWith("| `-"))
            {
                final String first = line.substring(1, line.indexOf('|', 1));
                cell.reset(first);
                while (cell.find())
                {
                    tableFlags.add(cell.group(1));
                }
            }
        }
        for (final String command : CommandLines.commands())
        {
            final Run help = MainTest.run(command, "--help");
            assertEquals(0, help.exit(), command);
            for (final Setting<?> s : Settings.of(command))
            {
                for (final String flag : s.flags())
                {
                    assertTrue(help.out().contains(flag), command + " --help: " + flag);
                    assertTrue(tableFlags.contains(flag), "README's options tables lack " + flag);
                }
            }
        }
        for (final String flag : tableFlags)
        {
            assertTrue(Settings.ALL.stream().anyMatch(s -> s.flags().contains(flag)), "README names " + flag +
                ", which no command has");
        }
    }
}
