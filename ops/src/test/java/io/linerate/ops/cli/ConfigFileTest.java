package io.linerate.ops.cli;

import io.linerate.ops.MainTest;
import io.linerate.ops.MainTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --config FILE}: a configuration file and the command line give the same records; the
 * command line overrides the file; a bad key or value says which key and line, exit code 2.
 */
class ConfigFileTest
{
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");

    @TempDir
    Path tmp;

    @Test
    void aConfigFileAndTheCommandLineGiveTheSameRecords() throws Exception
    {
        final Path byArgs = tmp.resolve("args.jsonl");
        final Path byFile = tmp.resolve("file.jsonl");
        // Settings that change the records (sensor, timeouts, lossy threshold, --where, a filter), and
        // one shard so the two files must be equal byte for byte, order included.
        final Run args = MainTest.run("replay", SAMPLE.toString(), "--sensor", "conf-test", "--tcp-idle", "100",
            "--active-timeout", "0.001", "--lossy-threshold", "0.5", "--shards", "1", "--where", "ip.addr == 127.0.0.1",
            "--out", "jsonl:" + byArgs, "--out", "summary", "-q", "tcp", "or", "udp");
        assertEquals(0, args.exit(), args.err());
        final Path conf = Files.writeString(tmp.resolve("linerate.conf"), String.join("\n",
            "# the same run as the command line's",
            "read = " + SAMPLE,
            "sensor = conf-test",
            "",
            "tcp-idle = 100",
            "active-timeout=0.001",
            "  lossy-threshold =   0.5  ",
            "shards = 1",
            "where = ip.addr == 127.0.0.1",
            "out = jsonl:" + byFile,
            "out = summary",
            "quiet = true",
            "filter = tcp or udp",
            ""));
        final Run file = MainTest.run("replay", "--config", conf.toString());
        assertEquals(0, file.exit(), file.err());
        final byte[] expected = Files.readAllBytes(byArgs);
        assertTrue(expected.length > 0 && new String(expected).contains("\"sensor\":\"conf-test\"") &&
            new String(expected).contains("\"record_type\":\"interim\""), "the settings took effect: " + new String(expected));
        assertArrayEquals(expected, Files.readAllBytes(byFile));
        // The summary too, but for its first line's wall-clock time and rate.
        assertEquals(args.out().lines().skip(1).toList(), file.out().lines().skip(1).toList());
    }

    @Test
    void theCommandLineOverridesTheFile() throws Exception
    {
        final Path fromFile = tmp.resolve("file.jsonl");
        final Path fromArgs = tmp.resolve("args.jsonl");
        final Path conf = Files.writeString(tmp.resolve("linerate.conf"), String.join("\n",
            "read = /no/such/capture.pcap",
            "sensor = from-file",
            "out = jsonl:" + fromFile,
            "filter = udp",
            "count = 3",
            ""));
        // Files, repeatable outputs, the filter expression and single settings: each the command line's.
        final Run r = MainTest.run("replay", SAMPLE.toString(), "--config", conf.toString(), "--sensor", "from-args",
            "--out", "jsonl:" + fromArgs, "--count=1000", "tcp");
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(fromFile));
        final List<String> records = Files.readAllLines(fromArgs);
        assertEquals(4, records.size(), "the 4 TCP connections of the sample: " + records);
        assertTrue(records.stream().allMatch(l -> l.contains("\"sensor\":\"from-args\"") &&
            l.contains("\"transport\":\"tcp\"")), records.toString());

        // What the command line leaves out comes from the file: here the filter, the count and the sensor.
        final Path expected = tmp.resolve("expected.jsonl");
        final Run explicit = MainTest.run("replay", SAMPLE.toString(), "--sensor", "from-file", "-c", "3", "--out",
            "jsonl:" + expected, "udp");
        assertEquals(0, explicit.exit(), explicit.err());
        final Run fromConf = MainTest.run("replay", SAMPLE.toString(), "--config", conf.toString(), "--out",
            "jsonl:" + fromArgs);
        assertEquals(0, fromConf.exit(), fromConf.err());
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(fromArgs));
    }

    @Test
    void aBadKeySaysWhichKeyAndLineAndExitsTwo() throws Exception
    {
        final Path conf = Files.writeString(tmp.resolve("bad.conf"), "# comment\nsensor = s\ncuont = 5\n");
        final Run r = MainTest.run("replay", SAMPLE.toString(), "--config", conf.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("linerate: " + conf + ":3: unknown key 'cuont'"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aBadValueSaysWhichKeyAndLineAndExitsTwo() throws Exception
    {
        for (final String[] bad : List.of(
            new String[] {"count = many", ":2: count needs a number, not many"},
            new String[] {"ring-size = 1000", ":2: ring-size must be a power of two: 1000"},
            new String[] {"quiet = perhaps", ":2: quiet takes true or false, not perhaps"},
            new String[] {"out = xml:foo", ":2: --out takes jsonl:PATH"},
            new String[] {"interface = eth0", ":2: interface is a setting of capture, not of replay"},
            new String[] {"help = true", ":2: unknown key 'help'"},
            new String[] {"config = other.conf", ":2: config: a configuration file cannot name another one"},
            new String[] {"sensor = a\nsensor = b", ":3: sensor is given twice (first on line 2)"},
            new String[] {"just words", ":2: expected key = value, not 'just words'"},
            new String[] {"tcp-idle =", ":2: tcp-idle has no value"}))
        {
            final Path conf = Files.writeString(tmp.resolve("bad.conf"), "# comment\n" + bad[0] + "\n");
            final Run r = MainTest.run("replay", SAMPLE.toString(), "--config", conf.toString());
            assertEquals(2, r.exit(), bad[0]);
            assertTrue(r.err().startsWith("linerate: " + conf + bad[1]), bad[0] + ": " + r.err());
        }
        final Run missing = MainTest.run("replay", SAMPLE.toString(), "--config", tmp.resolve("none.conf").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("none.conf: no such file or directory"), missing.err());
    }

    @Test
    void captureTakesItsOwnKeys() throws Exception
    {
        final Path conf = Files.writeString(tmp.resolve("capture.conf"),
            "interface = lo\nsnapshot-length = 96\nwrite = " + tmp.resolve("w.pcap") + "\nfile-size = 1\nfile-count = 2\n" +
                "relinquish-privileges = nobody\ncpu = 0\nno-promiscuous-mode = true\nfilter = tcp port 80\n");
        final SettingValues values = CommandLines.parse("capture", List.of("--config", conf.toString()));
        final CaptureOptions o = Settings.options(values, false);
        assertEquals("lo", o.device());
        assertEquals(96, o.snaplen());
        assertEquals(tmp.resolve("w.pcap"), o.write());
        assertEquals(1, o.fileSizeMegabytes());
        assertEquals(2, o.fileCount());
        assertEquals("nobody", o.user());
        assertEquals(0, o.cpu());
        assertFalse(o.promiscuous());
        assertEquals("tcp port 80", o.pipeline().filter());
        // The words after the options override the file's filter.
        assertEquals("udp", Settings.options(CommandLines.parse("capture", List.of("--config", conf.toString(), "udp")),
            false).pipeline().filter());
    }
}
