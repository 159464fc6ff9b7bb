package io.linerate.ingest.live;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device list reads as {@code tcpdump -D} prints it, line for line. */
class CaptureDevicesTest
{
    @Test
    void theListIsTcpdumps() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")), "needs tcpdump");
        final Process p = new ProcessBuilder("tcpdump", "-D").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final List<String> expected = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Assumptions.assumeTrue(p.exitValue() == 0, "tcpdump -D failed");
        final List<CaptureDevices.Device> devices = CaptureDevices.list();
        final List<String> actual = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++)
        {
            actual.add((i + 1) + "." + devices.get(i).describe());
        }
        assertEquals(expected, actual);
    }

    @Test
    void flagsReadAsTcpdumpWordsThem()
    {
        assertEquals("eth0 [Up, Running, Connected]", new CaptureDevices.Device("eth0", null, 0x2 | 0x4 | 0x10).describe());
        assertEquals("lo [Up, Running, Loopback]", new CaptureDevices.Device("lo", null, 0x1 | 0x2 | 0x4 | 0x30).describe());
        assertEquals("wlan0 [Up, Wireless, Not associated]", new CaptureDevices.Device("wlan0", null, 0x2 | 0x8 | 0x20).describe());
        assertEquals("ifb0 [none]", new CaptureDevices.Device("ifb0", null, 0x30).describe());
        assertEquals("x [none, Connection status unknown]", new CaptureDevices.Device("x", null, 0x40).describe());
        assertEquals("any (all of them) [Up, Running]", new CaptureDevices.Device("any", "all of them", 0x36).describe());
        assertEquals("dummy", new CaptureDevices.Device("dummy", null, 0).describe());
    }
}
