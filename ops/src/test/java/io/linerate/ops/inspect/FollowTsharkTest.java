package io.linerate.ops.inspect;

import io.linerate.decode.PacketDecoder;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code linerate follow} prints what {@code tshark -q -z follow,tcp,MODE,N} prints, byte for byte,
 * for every TCP stream of every corpus capture with retransmitted or out-of-order segments (tshark's
 * count in ORACLE_SUMMARY.tsv) of a link type linerate decodes, up to 120 streams and 3 MB, in each
 * mode: raw, hex and ascii.
 */
@Tag("slow")
public class FollowTsharkTest
{
    private static final String SEPARATOR = "\n===================================================================\nFollow: ";
    private static final Pattern STREAM = Pattern.compile("Filter: (?:tcp|udp)\\.stream eq (\\d+)\n");
    private static final int MAX_STREAMS = 120;
    private static final long MAX_BYTES = 3_000_000;
    /** TCP headers inside sFlow samples: tshark follows them, linerate does not look inside sFlow. */
    private static final Set<String> NOT_COMPARED = Set.of("real/pcapplusplus/tcp-reassembly.pcap");

    static Path corpus()
    {
        return Path.of(System.getProperty("linerate.corpus", "../../shared/corpus"));
    }

    /** Captures of ORACLE_SUMMARY.tsv with retransmissions or out-of-order segments, and their stream counts. */
    static Map<String, Integer> captures() throws IOException
    {
        final Map<String, String> linkTypes = new TreeMap<>();
        final List<String> manifest = Files.readAllLines(corpus().resolve("MANIFEST.tsv"));
        final List<String> mh = List.of(manifest.get(0).split("\t", -1));
        for (final String line : manifest.subList(1, manifest.size()))
        {
            final String[] f = line.split("\t", -1);
            linkTypes.put(f[mh.indexOf("path")], f[mh.indexOf("link_type")]);
        }
        final Map<String, Integer> out = new TreeMap<>();
        final List<String> lines = Files.readAllLines(corpus().resolve("ORACLE_SUMMARY.tsv"));
        final List<String> h = List.of(lines.get(0).split("\t", -1));
        final Pattern type = Pattern.compile("LINKTYPE (\\d+)");
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] f = line.split("\t", -1);
            final String path = f[h.indexOf("path")];
            final int streams;
            final long resent;
            final long outOfOrder;
            try
            {
                streams = Integer.parseInt(f[h.indexOf("tcp_streams")].trim());
                resent = Long.parseLong(f[h.indexOf("tcp.analysis.retransmission")].trim());
                outOfOrder = Long.parseLong(f[h.indexOf("out_of_order")].trim());
            }
            catch (final NumberFormatException ex)
            {
                continue;
            }
            final Matcher m = type.matcher(linkTypes.getOrDefault(path, ""));
            boolean decodable = false;
            boolean all = true;
            while (m.find())
            {
                decodable = true;
                all &= PacketDecoder.supportsLinkType(Integer.parseInt(m.group(1)));
            }
            final Path file = corpus().resolve(path);
            if (streams > 0 && streams <= MAX_STREAMS && resent + outOfOrder > 0 && decodable && all &&
                !NOT_COMPARED.contains(path) && Files.isRegularFile(file) && Files.size(file) <= MAX_BYTES)
            {
                out.put(path, streams);
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyStreamIsTsharksByteForByte() throws IOException
    {
        Assumptions.assumeTrue(Files.isRegularFile(corpus().resolve("ORACLE_SUMMARY.tsv")), "no corpus at " + corpus());
        Assumptions.assumeTrue(haveTshark(), "no tshark");
        final Map<String, Integer> captures = captures();
        assertTrue(captures.size() >= 30, "only " + captures.size() + " captures: " + captures.keySet());
        final List<DynamicTest> tests = new ArrayList<>();
        captures.forEach((capture, streams) -> tests.add(DynamicTest.dynamicTest(capture + " (" + streams + " streams)",
            () -> assertFollowsAsTshark(corpus().resolve(capture), streams))));
        return tests.stream();
    }

    static void assertFollowsAsTshark(final Path capture, final int streams) throws Exception
    {
        final List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-q"));
        for (final String mode : List.of("raw", "hex", "ascii"))
        {
            for (int i = 0; i < streams; i++)
            {
                cmd.add("-z");
                cmd.add("follow,tcp," + mode + "," + i);
            }
        }
        final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String tshark = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "tshark timed out");
        final Map<String, String> want = blocks(tshark);
        assertEquals(3 * streams, want.size(), "tshark's blocks");
        for (final String mode : List.of("raw", "hex", "ascii"))
        {
            final MainTest.Run r = MainTest.run("follow", capture.toString(), "--where", "tcp", "--as", mode);
            assertEquals(0, r.exit(), r.err());
            final Map<String, String> got = blocks(r.out());
            final Set<String> keys = new TreeSet<>(got.keySet());
            for (int i = 0; i < streams; i++)
            {
                final String key = mode + " " + i;
                assertEquals(want.get(key), got.get(key), capture + ": stream " + i + ", " + mode);
                keys.remove(key);
            }
            assertEquals(Set.of(), keys, "streams tshark does not have");
        }
    }

    /** The blocks of follow output by "MODE N". */
    static Map<String, String> blocks(final String text)
    {
        final Map<String, String> out = new TreeMap<>();
        int at = text.indexOf(SEPARATOR);
        while (at >= 0)
        {
            final int next = text.indexOf(SEPARATOR, at + 1);
            final String block = text.substring(at, next < 0 ? text.length() : next);
            final String mode = block.substring(SEPARATOR.length(), block.indexOf('\n', SEPARATOR.length())).replace("tcp,", "").replace("udp,", "udp ");
            final Matcher m = STREAM.matcher(block);
            assertTrue(m.find(), block);
            out.put(mode + " " + m.group(1), block);
            at = next;
        }
        return out;
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
}
