package io.linerate.ingest.bpf;

import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A filter on replay keeps exactly the frames {@code tcpdump -r FILE -w OUT EXPR} keeps: same frames,
 * same order, same bytes, over the project's sample and the shared corpus (when present).
 */
class FrameFilterTcpdumpTest
{
    static final List<String> EXPRESSIONS = List.of(
        "host 10.0.0.1 and port 443",
        "tcp[tcpflags] & tcp-rst != 0",
        "net 192.168.2.0/24",
        "tcp[14:2] < 40",
        "udp",
        "icmp",
        "not tcp",
        "src port 80 or dst port 53",
        "ip6",
        "vlan and tcp",
        "host 127.0.0.1 and (port 8080 or port 8081)",
        "dst net 10.0.0.0/8 and not src host 10.0.0.1",
        "ip[8] < 64 and tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
        "greater 1000",
        "less 80 and udp",
        "icmp[icmptype] == icmp-unreach",
        "ip6 and tcp dst port 443",
        "ether broadcast or arp",
        "portrange 1-1023 and tcp",
        "udp[8:2] & 0x8000 != 0 and port 53",
        "tcp[4:4] > 0x80000000");

    /** Small captures of several link types and protocols; any that are absent are skipped. */
    private static final List<String> SELECTED = List.of(
        "chrissanders/tcp_refuseconnection.pcapng",
        "chrissanders/http_ip4and6.pcapng",
        "chrissanders/dns.pcap",
        "chrissanders/icmp_traceroute.pcapng",
        "chrissanders/ipv6_fragments.pcapng",
        "chrissanders/synscan.pcapng");

    static final Path CORPUS = Path.of(System.getProperty("linerate.corpus", "../../shared/corpus"));
    static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");

    @TempDir
    Path tmp;

    @Test
    void sampleAndSelectedCapturesAgreeWithTcpdump() throws Exception
    {
        Assumptions.assumeTrue(tcpdumpAvailable(), "needs tcpdump");
        final List<Path> files = new ArrayList<>(List.of(SAMPLE));
        for (final String name : SELECTED)
        {
            final Path f = CORPUS.resolve("real").resolve(name);
            if (Files.exists(f))
            {
                files.add(f);
            }
        }
        long compared = 0;
        long matched = 0;
        for (final Path file : files)
        {
            for (final String expr : EXPRESSIONS)
            {
                final long n = compare(file, expr);
                compared += n >= 0 ? 1 : 0;
                matched += Math.max(0, n);
            }
        }
        assertTrue(compared >= EXPRESSIONS.size(), "at least the sample was compared: " + compared);
        assertTrue(matched > 0, "some frames matched some filter");
    }

    @Test
    @Tag("slow")
    void everyCorpusCaptureAgreesWithTcpdump() throws Exception
    {
        Assumptions.assumeTrue(tcpdumpAvailable(), "needs tcpdump");
        final Path real = CORPUS.resolve("real");
        Assumptions.assumeTrue(Files.isDirectory(real), "no corpus at " + real.toAbsolutePath());
        final List<Path> files;
        try (Stream<Path> s = Files.walk(real))
        {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        int compared = 0;
        for (final Path file : files)
        {
            for (final String expr : EXPRESSIONS)
            {
                compared += compare(file, expr) >= 0 ? 1 : 0;
            }
        }
        assertTrue(compared > files.size(), "most pairs were compared: " + compared);
    }

    @Test
    void aBadExpressionGetsLibpcapsMessage()
    {
        final BpfCompileException ex = assertThrows(BpfCompileException.class, () -> FrameFilter.compile("tcp port"));
        assertTrue(ex.getMessage().contains("syntax error"), ex.getMessage());
        final BpfCompileException unknown = assertThrows(BpfCompileException.class,
            () -> FrameFilter.compile("host no.such.host.invalid"));
        assertTrue(unknown.getMessage().contains("no.such.host.invalid"), unknown.getMessage());
    }

    @Test
    void aFilterThatDoesNotApplyToALinkTypeRejectsItsFramesAndSaysWhy() throws Exception
    {
        final FrameFilter filter = FrameFilter.compile("ether host 00:11:22:33:44:55");
        final FrameSlot slot = new FrameSlot();
        slot.linkType = 101; // raw IP: no Ethernet header to look into
        slot.captureLength = slot.wireLength = 40;
        slot.data[0] = 0x45;
        assertEquals(false, filter.accepts(slot));
        final List<String> problems = filter.drainProblems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("link type 101"), problems.get(0));
        assertEquals(List.of(), filter.drainProblems());
    }

    /**
     * Compares one file and expression; returns the number of frames both kept, or -1 when tcpdump
     * cannot take the pair (a pcapng with interfaces of different link types, an expression that does
     * not apply to the link type, a file libpcap cannot read). A pair tcpdump took and linerate's
     * reader throws on fails the test: dropping it would let a reader bug pass as "not compared".
     */
    private long compare(final Path file, final String expression) throws Exception
    {
        final Path out = tmp.resolve("tcpdump.pcap");
        Files.deleteIfExists(out);
        final Process p = new ProcessBuilder("tcpdump", "-n", "-r", file.toString(), "-w", out.toString(), expression)
            .redirectErrorStream(true).start();
        final String report = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tcpdump finished");
        if (p.exitValue() != 0 || !Files.exists(out))
        {
            return -1;
        }
        final List<String> expected = frames(out, null);
        final FrameFilter filter = FrameFilter.compile(expression);
        final List<String> actual;
        try
        {
            actual = frames(file, filter);
        }
        catch (final CaptureFileException ex)
        {
            // tcpdump exited 0, so libpcap read the whole file: linerate must read it too.
            return fail(file + " '" + expression + "': tcpdump read the file (" + report.trim() +
                "), linerate's reader threw: " + ex.getMessage(), ex);
        }
        assertEquals(expected, actual, file + " '" + expression + "' (" + report.trim() + ")");
        assertEquals(expected.size(), filter.accepted(), "accepted count");
        return expected.size();
    }

    /**
     * The frames of a file that pass {@code filter} (all when null): caplen, wirelen and bytes. A damaged
     * file throws: tcpdump's own output never is, and a capture tcpdump read whole must not be.
     */
    private static List<String> frames(final Path file, final FrameFilter filter) throws IOException
    {
        final List<String> out = new ArrayList<>();
        final FrameSlot slot = new FrameSlot();
        try (CaptureReader reader = CaptureFiles.open(file))
        {
            while (reader.next(slot))
            {
                if (filter == null || filter.accepts(slot))
                {
                    out.add(slot.captureLength + "/" + slot.wireLength + " " +
                        HexFormat.of().formatHex(Arrays.copyOf(slot.data, slot.captureLength)));
                }
            }
        }
        return out;
    }

    static boolean tcpdumpAvailable()
    {
        return Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump"));
    }
}
