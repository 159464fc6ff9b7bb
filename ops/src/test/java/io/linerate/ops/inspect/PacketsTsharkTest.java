package io.linerate.ops.inspect;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code linerate packets}' expert tags are Wireshark's: on every TCP packet of the corpus captures
 * {@link FollowTsharkTest} follows (those with retransmissions or out-of-order segments), the tags
 * on its line name exactly the {@code tcp.analysis.*} flags tshark gives that frame (a fast or
 * spurious retransmission is also a retransmission, as in tshark's fields), and a duplicate ACK's
 * {@code F#N} are tshark's {@code duplicate_ack_frame} and {@code duplicate_ack_num}.
 */
@Tag("slow")
public class PacketsTsharkTest
{
    static final List<String> FLAGS = List.of("retransmission", "fast_retransmission", "spurious_retransmission",
        "out_of_order", "lost_segment", "duplicate_ack", "zero_window", "window_full", "keep_alive", "keep_alive_ack",
        "zero_window_probe", "zero_window_probe_ack");

    static final Map<String, List<String>> TAGS = Map.ofEntries(
        Map.entry("TCP Retransmission", List.of("retransmission")),
        Map.entry("TCP Fast Retransmission", List.of("retransmission", "fast_retransmission")),
        Map.entry("TCP Spurious Retransmission", List.of("retransmission", "spurious_retransmission")),
        Map.entry("TCP Out-Of-Order", List.of("out_of_order")),
        Map.entry("TCP Previous segment not captured", List.of("lost_segment")),
        Map.entry("TCP ZeroWindow", List.of("zero_window")),
        Map.entry("TCP Window Full", List.of("window_full")),
        Map.entry("TCP Keep-Alive", List.of("keep_alive")),
        Map.entry("TCP Keep-Alive ACK", List.of("keep_alive_ack")),
        Map.entry("TCP ZeroWindowProbe", List.of("zero_window_probe")),
        Map.entry("TCP ZeroWindowProbeAck", List.of("zero_window_probe_ack")));

    /**
     * tcp__reassembly: three retransmitted FINs that tshark 4.0 calls fast retransmissions although no
     * duplicate ACK came before them (CorpusConformanceTest's FIELD_DIFFERENCES says the same of the
     * records); compared on every other flag.
     */
    static final Map<String, String> FLAG_DIFFERENCES = Map.of("real/zeek/tcp__reassembly.pcap", "fast_retransmission");

    private static final Pattern LINE = Pattern.compile("\\s*(\\d+)  .*");
    private static final Pattern TAG = Pattern.compile("\\[(TCP [^\\]]*)\\]");

    @TestFactory
    Stream<DynamicTest> everyPacketHasTsharksFlags() throws IOException
    {
        Assumptions.assumeTrue(Files.isRegularFile(FollowTsharkTest.corpus().resolve("ORACLE_SUMMARY.tsv")),
            "no corpus at " + FollowTsharkTest.corpus());
        Assumptions.assumeTrue(FollowTsharkTest.haveTshark(), "no tshark");
        final List<DynamicTest> tests = new ArrayList<>();
        for (final String capture : FollowTsharkTest.captures().keySet())
        {
            tests.add(DynamicTest.dynamicTest(capture, () -> assertTagsAsTshark(capture)));
        }
        return tests.stream();
    }

    static void assertTagsAsTshark(final String capture) throws Exception
    {
        final Path file = FollowTsharkTest.corpus().resolve(capture);
        final Map<Long, Set<String>> want = tshark(file);
        final MainTest.Run r = MainTest.run("packets", file.toString(), "--where", "tcp", "-#");
        assertEquals(0, r.exit(), r.err());
        final Map<Long, Set<String>> got = new HashMap<>();
        for (final String line : r.out().split("\n"))
        {
            final Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), line);
            final Set<String> flags = new TreeSet<>();
            final Matcher t = TAG.matcher(line);
            while (t.find())
            {
                // A duplicate ACK says which frame it repeats and which duplicate it is, as tshark's fields do.
                flags.addAll(t.group(1).startsWith("TCP Dup ACK ") ?
                    List.of("duplicate_ack " + t.group(1).substring("TCP Dup ACK ".length())) : TAGS.get(t.group(1)));
            }
            got.put(Long.parseLong(m.group(1)), flags);
        }
        final String ignored = FLAG_DIFFERENCES.get(capture);
        final StringBuilder differences = new StringBuilder();
        int compared = 0;
        for (final Map.Entry<Long, Set<String>> e : want.entrySet())
        {
            final Set<String> have = got.get(e.getKey());
            if (have == null)
            {
                differences.append("frame ").append(e.getKey()).append(": no line\n");
                continue;
            }
            if (ignored != null)
            {
                have.remove(ignored);
                e.getValue().remove(ignored);
            }
            compared++;
            if (!have.equals(e.getValue()))
            {
                differences.append("frame ").append(e.getKey()).append(": tshark ").append(e.getValue())
                    .append(", linerate ").append(have).append('\n');
            }
        }
        assertEquals("", differences.toString(), capture + ": " + compared + " TCP packets");
    }

    /** tshark's analysis flags of each TCP frame (not the TCP headers ICMP errors quote). */
    static Map<Long, Set<String>> tshark(final Path capture) throws Exception
    {
        final List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-Y",
            "tcp && !icmp && !icmpv6", "-T", "fields", "-e", "frame.number", "-e", "tcp.analysis.duplicate_ack_frame",
            "-e", "tcp.analysis.duplicate_ack_num"));
        FLAGS.forEach(f ->
        {
            cmd.add("-e");
            cmd.add("tcp.analysis." + f);
        });
        final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "tshark timed out");
        final Map<Long, Set<String>> frames = new HashMap<>();
        for (final String line : out.split("\n"))
        {
            if (line.isEmpty())
            {
                continue;
            }
            final String[] v = line.split("\t", -1);
            final Set<String> flags = new TreeSet<>();
            for (int i = 0; i < FLAGS.size(); i++)
            {
                if (!v[i + 3].isEmpty())
                {
                    flags.add(FLAGS.get(i).equals("duplicate_ack") ? "duplicate_ack " + v[1] + "#" + v[2] : FLAGS.get(i));
                }
            }
            frames.put(Long.parseLong(v[0]), flags);
        }
        return frames;
    }
}
