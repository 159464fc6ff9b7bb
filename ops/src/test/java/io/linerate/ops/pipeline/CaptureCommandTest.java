package io.linerate.ops.pipeline;

import io.linerate.ingest.os.Privileges;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code linerate capture} and {@code interfaces} as a user meets them: exit codes and one-line errors. */
class CaptureCommandTest
{
    @Test
    void usageMistakesAreExitTwo()
    {
        assertEquals(2, MainTest.run("capture").exit(), "no -i");
        final MainTest.Run w = MainTest.run("capture", "-i", "lo", "-C", "10");
        assertEquals(2, w.exit());
        assertTrue(w.err().contains("-C and -W need -w FILE"), w.err());
        assertEquals(2, MainTest.run("capture", "-i", "lo", "-w", "x.pcap", "-W", "3").exit(), "-W needs -C");
        assertEquals(2, MainTest.run("capture", "-i", "lo", "--cpu", "4096").exit());
        assertEquals(2, MainTest.run("replay", "../samples/loopback-http.pcap", "-i", "lo").exit(),
            "-i is capture's");
        assertEquals(2, MainTest.run("interfaces", "extra").exit());
    }

    @Test
    void aBadFilterIsLibpcapsMessageAndExitTwoAndAMissingDeviceExitOne()
    {
        Assumptions.assumeTrue(Privileges.effectiveUid() == 0, "opening a device needs root");
        final MainTest.Run bad = MainTest.run("capture", "-i", "lo", "tcp", "port");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("syntax error"), bad.err());
        final MainTest.Run missing = MainTest.run("capture", "-i", "no-such-device0");
        assertEquals(1, missing.exit(), missing.err());
        assertTrue(missing.err().startsWith("linerate: no-such-device0: "), missing.err());
    }

    @Test
    void interfacesListsTheLoopback()
    {
        final MainTest.Run r = MainTest.run("interfaces");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\d+\\.lo \\[.*Loopback.*\\]")), r.out());
    }

    @Test
    void theHelpNamesTheCommandsAndTheCaptureOptions()
    {
        final MainTest.Run r = MainTest.run("--help");
        assertTrue(r.out().contains("linerate capture -i IFACE"), r.out());
        assertTrue(r.out().contains("linerate interfaces"), r.out());
        assertTrue(r.out().contains("(capture) once the device is open, give up root"), r.out());
        assertTrue(r.out().contains("(replay) max, original"), r.out());
    }
}
