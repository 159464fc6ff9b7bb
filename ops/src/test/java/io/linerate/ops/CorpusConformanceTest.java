package io.linerate.ops;

import io.linerate.decode.PacketDecoder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Wireshark is the reference: every capture of {@code ../shared/corpus/real} that holds TCP over a
 * link type linerate decodes is replayed, and {@code ../shared/tools/tshark-compare --innermost}
 * (tshark's addresses of the innermost IP header, so a tunnelled connection is its inner one) must
 * report 100% agreement on every field it compares: packets, payload bytes, retransmissions (fast ones too),
 * duplicate ACKs, zero windows, out-of-order and lost segments, FIN, RST and the handshake RTT.
 * Skipped when the corpus or tshark is not there.
 */
@Tag("slow")
public class CorpusConformanceTest
{
    /** Every field tshark-compare knows. */
    static final String FIELDS = "packets,payload_bytes,retransmissions,fast_retransmissions,dup_acks,zero_windows," +
        "out_of_order,lost_segments,fin,rst,handshake.rtt_us";

    /**
     * Captures where one field is known to differ, compared on the others, with the reason.
     * tcp__reassembly: three retransmitted FINs that tshark 4.0 calls fast retransmissions although
     * the client sent no duplicate ACK before them (Wireshark's rule asks for two); linerate counts
     * them as plain retransmissions (retransmissions agree).
     */
    static final Map<String, String> FIELD_DIFFERENCES = Map.of(
        "real/zeek/tcp__reassembly.pcap", FIELDS.replace("fast_retransmissions,", ""));

    /**
     * Captures that need a setting other than the default, with the reason. The SMB session of
     * wireshark_samples-test is quiet for 6 minutes between keep-alives: with the default 300 s idle
     * timeout it is three records where Wireshark keeps one stream. tcpdump's geneve.pcap (an Open
     * vSwitch test) sends each direction in a VNI of its own (10 one way, 11 the other): keyed on the
     * VNI, as by default, its one connection is two half connections; Wireshark keys on addresses and
     * ports alone, as {@code --tunnel-key no} does.
     */
    static final Map<String, List<String>> SETTINGS = Map.of(
        "real/rusticata/wireshark_samples-test.pcapng", List.of("--tcp-idle", "3600"),
        "real/tcpdump/geneve.pcap", List.of("--tunnel-key", "no"));

    /**
     * Captures whose TCP tshark sees where linerate does not yet look, with the reason. Tunnels are
     * opened (and compared on tshark's innermost addresses); sFlow samples are not a tunnel but
     * copies of headers.
     */
    static final Map<String, String> KNOWN_DIFFERENCES = Map.of(
        "real/pcapplusplus/tcp-reassembly.pcap", "TCP headers inside sFlow samples");

    @TempDir
    Path tmp;

    static Path corpus()
    {
        return Path.of(System.getProperty("linerate.corpus", "../../shared/corpus"));
    }

    /**
     * Every file under the corpus's {@code part} ({@code real}, {@code malformed}), sorted by path, so
     * that the tests which go through the corpus see the same files in the same order; the test is
     * skipped when that part of the corpus is not there.
     */
    static List<Path> files(final String part) throws IOException
    {
        final Path dir = corpus().resolve(part);
        Assumptions.assumeTrue(Files.isDirectory(dir), "no corpus at " + dir);
        try (Stream<Path> walk = Files.walk(dir))
        {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static Path tool(final String name)
    {
        return corpus().resolveSibling("tools").resolve(name);
    }

    /** True when tshark runs and the shared tshark-compare tool is there. */
    public static boolean tsharkAvailable()
    {
        return Files.isExecutable(tool("tshark-compare")) && haveTshark();
    }

    static boolean haveTshark()
    {
        try
        {
            final Process p = new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }

    /** Rows of ORACLE_SUMMARY.tsv: path → tcp_streams. */
    static Map<String, Integer> tcpCaptures() throws IOException
    {
        final Map<String, Integer> out = new TreeMap<>();
        final List<String> lines = Files.readAllLines(corpus().resolve("ORACLE_SUMMARY.tsv"));
        final List<String> header = List.of(lines.get(0).split("\t", -1));
        final int path = header.indexOf("path");
        final int streams = header.indexOf("tcp_streams");
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] f = line.split("\t", -1);
            try
            {
                final int n = Integer.parseInt(f[streams].trim());
                if (n > 0)
                {
                    out.put(f[path], n);
                }
            }
            catch (final NumberFormatException ex)
            {
                // no count for this capture
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyTcpCaptureAgreesWithTshark() throws IOException
    {
        Assumptions.assumeTrue(Files.isDirectory(corpus().resolve("real")), "no corpus at " + corpus());
        Assumptions.assumeTrue(Files.isExecutable(tool("tshark-compare")), "no tshark-compare");
        Assumptions.assumeTrue(haveTshark(), "no tshark");
        final List<DynamicTest> tests = new ArrayList<>();
        final Map<String, Set<Integer>> linkTypes = linkTypes();
        for (final String capture : tcpCaptures().keySet())
        {
            if (KNOWN_DIFFERENCES.containsKey(capture))
            {
                continue;
            }
            final Set<Integer> types = linkTypes.getOrDefault(capture, Set.of());
            final boolean someUnsupported = types.stream().anyMatch(t -> !PacketDecoder.supportsLinkType(t));
            final boolean noneSupported = types.stream().noneMatch(PacketDecoder::supportsLinkType);
            if (someUnsupported && noneSupported)
            {
                tests.add(DynamicTest.dynamicTest(capture + " (unsupported link type)",
                    () -> assertUnsupportedLinkTypeIsSaid(corpus().resolve(capture))));
            }
            else
            {
                tests.add(DynamicTest.dynamicTest(capture,
                    () -> assertAgrees(corpus().resolve(capture), someUnsupported)));
            }
        }
        return tests.stream();
    }

    /** MANIFEST.tsv's link types per capture: every "LINKTYPE n" of its link_type column. */
    static Map<String, Set<Integer>> linkTypes() throws IOException
    {
        final Map<String, Set<Integer>> out = new TreeMap<>();
        final List<String> lines = Files.readAllLines(corpus().resolve("MANIFEST.tsv"));
        final List<String> header = List.of(lines.get(0).split("\t", -1));
        final int path = header.indexOf("path");
        final int linkType = header.indexOf("link_type");
        final Pattern number = Pattern.compile("LINKTYPE (\\d+)");
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] f = line.split("\t", -1);
            final Set<Integer> types = new java.util.TreeSet<>();
            final Matcher m = number.matcher(f[linkType]);
            while (m.find())
            {
                types.add(Integer.parseInt(m.group(1)));
            }
            out.put(f[path], types);
        }
        return out;
    }

    /** A capture of a link type linerate does not decode: one clear line, exit 1, no silence. */
    void assertUnsupportedLinkTypeIsSaid(final Path capture) throws Exception
    {
        final Path flows = tmp.resolve(capture.getFileName() + ".jsonl");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of("replay", capture.toString(), "--out", "jsonl:" + flows),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        final String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, stderr);
        assertTrue(stderr.contains(capture + ": link type not supported"), stderr);
        assertEquals(1, stderr.lines().count(), "one line: " + stderr);
    }

    void assertAgrees(final Path capture, final boolean someLinkTypesUnsupported) throws Exception
    {
        final Path flows = tmp.resolve(capture.getFileName() + ".jsonl");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final List<String> args = new ArrayList<>(
            List.of("replay", capture.toString(), "--out", "jsonl:" + flows, "--sensor", "test"));
        args.addAll(SETTINGS.getOrDefault(corpus().relativize(capture).toString(), List.of()));
        final int exit = Main.run(args,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        final String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, capture + ": replay failed: " + stderr);
        // MANIFEST lists the link types a file declares; frames may use only some of them.
        assertTrue(someLinkTypesUnsupported || !stderr.contains("link type not supported"), capture + ": " + stderr);
        final String relative = corpus().relativize(capture).toString();
        final String report = compare(capture, flows, FIELD_DIFFERENCES.getOrDefault(relative, FIELDS));
        if (!report.startsWith("PASS"))
        {
            fail(capture + ":\n" + report);
        }
    }

    /** Runs tshark-compare on every field; returns "PASS..." or its whole output. */
    public static String compare(final Path capture, final Path flows) throws IOException, InterruptedException
    {
        return compare(capture, flows, FIELDS);
    }

    /** Runs tshark-compare on {@code fields}; returns "PASS..." or its whole output. */
    static String compare(final Path capture, final Path flows, final String fields)
        throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(tool("tshark-compare").toString(), capture.toString(), flows.toString(),
            "--innermost", "--fields", fields, "--min-agreement", "1.0")
            .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "tshark-compare timed out");
        return p.exitValue() == 0 ? "PASS\n" + out : out;
    }
}
