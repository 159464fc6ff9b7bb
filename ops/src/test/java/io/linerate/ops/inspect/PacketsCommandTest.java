package io.linerate.ops.inspect;

import io.linerate.ops.Json;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code linerate packets} and {@code follow} on the command line: tcpdump's lines, the selections, the errors. */
class PacketsCommandTest
{
    static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");

    @TempDir
    Path tmp;

    /** tcpdump -n -S's lines of the TCP packets, up to their length (tcpdump goes on with what it decodes of the payload). */
    private static List<String> tcpdump(final Path capture, final String filter) throws Exception
    {
        final Process p = new ProcessBuilder("tcpdump", "-n", "-S", "-r", capture.toString(), filter)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        final List<String> lines = new ArrayList<>();
        for (final String line : out.split("\n"))
        {
            if (!line.isEmpty())
            {
                lines.add(line.replaceFirst("(, length \\d+).*", "$1"));
            }
        }
        return lines;
    }

    private static List<String> withoutTags(final String out)
    {
        final List<String> lines = new ArrayList<>();
        for (final String line : out.split("\n"))
        {
            lines.add(line.replaceFirst(" \\[TCP .*", ""));
        }
        return lines;
    }

    @Test
    void withAbsoluteNumbersTheLinesAreTcpdumps() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")), "needs tcpdump");
        final MainTest.Run r = MainTest.run("packets", SAMPLE.toString(), "--where", "tcp", "-S");
        assertEquals(0, r.exit(), r.err());
        assertEquals(tcpdump(SAMPLE, "tcp"), withoutTags(r.out()));
        final Path corpus = FollowTsharkTest.corpus().resolve("real");
        Assumptions.assumeTrue(Files.isDirectory(corpus), "no corpus");
        // SACK blocks, window scaling, IPv6, retransmissions
        for (final String capture : List.of("zeek/tcp__option-sack.pcap", "pcapplusplus/four_ipv6_http_streams.pcap",
            "chrissanders/tcp_retransmissions.pcapng", "zeek/tcp__ssh-dups.pcap"))
        {
            final Path file = corpus.resolve(capture);
            final MainTest.Run c = MainTest.run("packets", file.toString(), "--where", "tcp", "-S");
            assertEquals(0, c.exit(), c.err());
            assertEquals(tcpdump(file, "tcp"), withoutTags(c.out()), capture);
        }
    }

    @Test
    void relativeNumbersStartFromEachSidesFirstAsInWireshark() throws Exception
    {
        final MainTest.Run r = MainTest.run("packets", SAMPLE.toString(), "127.0.0.1:35186", "127.0.0.1:18080");
        assertEquals(0, r.exit(), r.err());
        final String[] lines = r.out().split("\n");
        assertEquals(12, lines.length, r.out());
        assertTrue(lines[0].endsWith("IP 127.0.0.1.35186 > 127.0.0.1.18080: Flags [S], seq 0, win 65495, " +
            "options [mss 65495,sackOK,TS val 3310034729 ecr 0,nop,wscale 10], length 0"), lines[0]);
        assertTrue(lines[1].contains("Flags [S.], seq 0, ack 1, win 65483"), lines[1]);
        assertTrue(lines[3].contains("Flags [P.], seq 1:80, ack 1, win 64"), lines[3]);
        assertTrue(lines[7].contains("Flags [P.], seq 156:415, ack 80"), lines[7]);
    }

    @Test
    void aConnectionIsChosenByItsIdsItsEndpointsOrAFilter() throws Exception
    {
        final Path flows = tmp.resolve("flows.jsonl");
        assertEquals(0, MainTest.run("replay", SAMPLE.toString(), "--out", "jsonl:" + flows).exit());
        Map<String, Object> refused = null;
        for (final String line : Files.readAllLines(flows))
        {
            final Map<String, Object> rec = Json.object(line);
            if ("refused".equals(rec.get("verdict")))
            {
                refused = rec;
            }
        }
        final String byVerdict = MainTest.run("packets", SAMPLE.toString(), "--where", "verdict == refused").out();
        assertEquals(2, byVerdict.split("\n").length, byVerdict);
        assertTrue(byVerdict.contains("Flags [R.]"), byVerdict);
        for (final String id : List.of("flow_id", "record_id", "community_id"))
        {
            assertEquals(byVerdict, MainTest.run("packets", SAMPLE.toString(), "--flow", (String)refused.get(id)).out(), id);
        }
        final String server = Json.at(refused, "server.ip") + ":" + Json.at(refused, "server.port");
        final String client = Json.at(refused, "client.ip") + ":" + Json.at(refused, "client.port");
        assertEquals(byVerdict, MainTest.run("packets", SAMPLE.toString(), server, client).out());
        final MainTest.Run none = MainTest.run("packets", SAMPLE.toString(), "--where", "tcp.port == 1");
        assertEquals(1, none.exit());
        assertEquals("linerate: no connection matches\n", none.err());
    }

    @Test
    void usageErrorsExitWithTwo()
    {
        assertEquals(2, MainTest.run("packets", SAMPLE.toString()).exit(), "no selection");
        assertEquals(2, MainTest.run("packets", SAMPLE.toString(), "10.0.0.1:80").exit(), "one endpoint");
        assertEquals(2, MainTest.run("packets", "-", "--where", "tcp").exit(), "standard input cannot be read twice");
        assertEquals(2, MainTest.run("follow", SAMPLE.toString(), "--where", "tcp", "-S").exit());
        assertEquals(2, MainTest.run("follow", SAMPLE.toString(), "--where", "tcp", "--as", "ebcdic").exit());
        assertEquals(2, MainTest.run("packets", SAMPLE.toString(), "--flow", "x\"y").exit());
        assertEquals(2, MainTest.run("replay", SAMPLE.toString(), "--flow", "abc").exit(), "--flow is not replay's");
        final MainTest.Run bad = MainTest.run("follow", SAMPLE.toString(), "--where", "tcp.port = 80");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().startsWith("linerate: --where: "), bad.err());
    }

    /** UDP flows are followed as tshark -z follow,udp prints them: a chunk per datagram. */
    @Test
    void followUdpAsTshark() throws Exception
    {
        Assumptions.assumeTrue(FollowTsharkTest.haveTshark(), "no tshark");
        final Path corpus = FollowTsharkTest.corpus().resolve("real");
        Assumptions.assumeTrue(Files.isDirectory(corpus), "no corpus");
        for (final Path capture : List.of(SAMPLE, corpus.resolve("chrissanders/dns.pcap")))
        {
            final MainTest.Run r = MainTest.run("follow", capture.toString(), "--where", "udp", "--as", "raw");
            assertEquals(0, r.exit(), r.err());
            final int streams = r.out().split("Follow: udp,raw").length - 1;
            assertTrue(streams > 0, r.out());
            final List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-q"));
            for (int i = streams - 1; i >= 0; i--)
            {
                // tshark prints the blocks of several taps last first
                cmd.add("-z");
                cmd.add("follow,udp,raw," + i);
            }
            final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String tshark = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(FollowTsharkTest.blocks(tshark), FollowTsharkTest.blocks(r.out()), capture.toString());
        }
    }

    @Test
    void followShowsBothSidesClientFirst() throws Exception
    {
        final MainTest.Run r = MainTest.run("follow", SAMPLE.toString(), "127.0.0.1:35186", "127.0.0.1:18080");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("\n===================================================================\n" +
            "Follow: tcp,ascii\nFilter: tcp.stream eq 0\nNode 0: 127.0.0.1:35186\nNode 1: 127.0.0.1:18080\n79\n" +
            "GET / HTTP/1.1\r\n"), r.out());
        assertTrue(r.out().contains("\t155\nHTTP/1.0 200 OK\r\n"), r.out());
        final MainTest.Run hex = MainTest.run("follow", SAMPLE.toString(), "127.0.0.1:35186", "127.0.0.1:18080", "--as", "hex");
        assertTrue(hex.out().contains("00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HT TP/1.1..\n"),
            hex.out());
    }
}
