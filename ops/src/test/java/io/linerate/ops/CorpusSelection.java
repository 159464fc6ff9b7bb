package io.linerate.ops;

import io.linerate.decode.PacketDecoder;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A fixed choice of real captures from the shared corpus for tests that replay the same capture
 * several ways (a pipe, compressed, split): captures with TCP that tshark-compare checks (so their
 * records are known good), of link types linerate decodes, that tcpdump reads, up to 2 MB; the first
 * by path of each format, pcap and pcapng.
 */
public final class CorpusSelection
{
    private static final long MAX_BYTES = 2_000_000;

    private CorpusSelection()
    {
    }

    /** {@code each} pcap and {@code each} pcapng captures; the test is skipped without the corpus or tcpdump. */
    public static List<Path> tcpCaptures(final int each) throws IOException
    {
        final Path corpus = CorpusConformanceTest.corpus();
        Assumptions.assumeTrue(Files.isRegularFile(corpus.resolve("ORACLE_SUMMARY.tsv")), "no corpus at " + corpus);
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")), "needs tcpdump");
        final Map<String, Set<Integer>> linkTypes = CorpusConformanceTest.linkTypes();
        final List<Path> pcap = new ArrayList<>();
        final List<Path> pcapng = new ArrayList<>();
        for (final String relative : CorpusConformanceTest.tcpCaptures().keySet())
        {
            final Path file = corpus.resolve(relative);
            final List<Path> into = relative.endsWith(".pcapng") ? pcapng : pcap;
            final Set<Integer> types = linkTypes.getOrDefault(relative, Set.of());
            if (into.size() < each && !CorpusConformanceTest.KNOWN_DIFFERENCES.containsKey(relative) &&
                !CorpusConformanceTest.SETTINGS.containsKey(relative) &&
                !types.isEmpty() && types.stream().allMatch(PacketDecoder::supportsLinkType) &&
                Files.isRegularFile(file) && Files.size(file) <= MAX_BYTES && tcpdumpReads(file))
            {
                into.add(file);
            }
        }
        final List<Path> chosen = new ArrayList<>(pcap);
        chosen.addAll(pcapng);
        Assumptions.assumeTrue(pcap.size() == each && pcapng.size() == each, "too few captures in " + corpus);
        return chosen;
    }

    /**
     * Every capture file (pcap, pcapng, cap) under the corpus's {@code real} and {@code zeek} parts,
     * sorted by path; the test is skipped without the corpus.
     */
    public static List<Path> everyCapture() throws IOException
    {
        final List<Path> captures = new ArrayList<>();
        for (final String part : List.of("real", "zeek"))
        {
            for (final Path file : CorpusConformanceTest.files(part))
            {
                if (file.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)"))
                {
                    captures.add(file);
                }
            }
        }
        return captures;
    }

    private static boolean tcpdumpReads(final Path file) throws IOException
    {
        final Process p = new ProcessBuilder("tcpdump", "-r", file.toString(), "-w", "/dev/null")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            if (!p.waitFor(60, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return false;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
        return p.exitValue() == 0;
    }
}
