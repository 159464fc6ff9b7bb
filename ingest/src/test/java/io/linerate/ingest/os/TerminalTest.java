package io.linerate.ingest.os;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalTest
{
    @Test
    void terminalDevicesAreTheTerminalsAndPipesAndFilesAreNot()
    {
        assertTrue(Terminal.isTerminalDevice("/dev/pts/3"));
        assertTrue(Terminal.isTerminalDevice("/dev/tty1"));
        assertTrue(Terminal.isTerminalDevice("/dev/ttyS0"));
        assertTrue(Terminal.isTerminalDevice("/dev/console"));
        assertFalse(Terminal.isTerminalDevice("pipe:[81234]"));
        assertFalse(Terminal.isTerminalDevice("socket:[81234]"));
        assertFalse(Terminal.isTerminalDevice("/dev/null"));
        assertFalse(Terminal.isTerminalDevice("/tmp/linerate.log"));
    }

    @Test
    void theAnswerIsLibcsIsattyForEveryStandardDescriptor()
    {
        // Whatever the test runner connected them to (pipes, a file, a terminal), both agree.
        for (int fd = 0; fd <= 2; fd++)
        {
            assertEquals(LibC.get().isatty(fd) == 1, Terminal.isTerminal(fd), "fd " + fd);
        }
    }
}
