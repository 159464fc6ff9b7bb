package io.linerate.ops.top;

import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code linerate top}'s usage mistakes: exit code 2 and one line that says what to do instead. (Its
 * screen is {@link TopCommandTest}'s, in tmux.)
 */
class TopCommandUsageTest
{
    private static final String SAMPLE = Path.of("..", "samples", "loopback-http.pcap").toString();

    @Test
    void needsCaptureFilesOrADevice()
    {
        for (final String[] args : new String[][] {{"top"}, {"top", "--speed", "original", "--quiet"}})
        {
            final MainTest.Run r = MainTest.run(args);
            assertEquals(2, r.exit(), r.err());
            assertEquals("linerate: top needs capture files, or -i IFACE for a live capture\n", r.err());
        }
    }

    @Test
    void standardInputIsForTheKeys()
    {
        final MainTest.Run r = MainTest.run("top", "-");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("top reads its keys from standard input"), r.err());
    }

    @Test
    void nothingElseMayWriteOnTheScreen()
    {
        for (final String out : new String[] {"summary", "jsonl:-"})
        {
            final MainTest.Run r = MainTest.run("top", SAMPLE, "--out", out);
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().startsWith("linerate: top draws on the terminal: --out " + out + " would write on it"), r.err());
        }
    }

    @Test
    void withoutATerminalItSaysSo()
    {
        // The test's standard input and output are pipes, as a cron job's or a script's would be.
        final MainTest.Run r = MainTest.run("top", SAMPLE);
        assertEquals(2, r.exit(), r.err());
        assertEquals("linerate: top draws on a terminal: run it in one (over ssh: ssh -t)\n", r.err());
    }

    @Test
    void theReplaysOptionsAreChecked()
    {
        final MainTest.Run r = MainTest.run("top", SAMPLE, "--where", "tcp.prot == 1");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("\"tcp.prot\" is neither a field nor a protocol name."), r.err());
        final MainTest.Run help = MainTest.run("top", "--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().contains("linerate top FILE... | -i IFACE [options]"), help.out());
        assertTrue(help.out().contains("--active-timeout 1 unless given"), help.out());
    }
}
