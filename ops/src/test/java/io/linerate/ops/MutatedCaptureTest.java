package io.linerate.ops;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of damaged copies of real captures (the sample and small corpus files), made from a fixed
 * seed: cut at a random byte, bits flipped, a length field lying, two files spliced. Each one is
 * replayed: it must end (within {@value #SECONDS_PER_FILE} s), exit 0 or 1, say a problem in lines of
 * its own (no stack trace, no internal error), and a file cut short that is reported (exit 1) must
 * say at which byte offset.
 */
@Tag("slow")
class MutatedCaptureTest
{
    private static final long SEED = 20261207L;
    private static final int MUTANTS_PER_FILE = 40;
    private static final int CORPUS_FILES = 50;
    private static final long SECONDS_PER_FILE = 10;
    private static final int MAX_SOURCE_BYTES = 64 * 1024;

    @TempDir
    Path tmp;

    @Test
    void damagedCopiesOfRealCapturesEndCleanly() throws Exception
    {
        final List<Path> sources = sources();
        final SplittableRandom random = new SplittableRandom(SEED);
        final List<String> failures = new ArrayList<>();
        final ExecutorService runner = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "mutant-replay");
            t.setDaemon(true);
            return t;
        });
        int mutants = 0;
        try
        {
            for (final Path source : sources)
            {
                final byte[] original = Files.readAllBytes(source);
                for (int i = 0; i < MUTANTS_PER_FILE; i++)
                {
                    final byte[] other = Files.readAllBytes(sources.get(random.nextInt(sources.size())));
                    final Mutant m = mutate(original, other, random);
                    final String name = source.getFileName() + " #" + i + " (" + m.how() + ")";
                    final Path file = tmp.resolve("mutant" + (source.toString().endsWith(".pcapng") ? ".pcapng" : ".pcap"));
                    Files.write(file, m.bytes());
                    final String problem = replay(runner, file, m.how().startsWith("cut"));
                    mutants++;
                    if (problem != null)
                    {
                        failures.add(name + ": " + problem);
                        // Kept for a look (and for a regression test of its own).
                        final Path kept = Path.of("target", "failed-mutants");
                        Files.createDirectories(kept);
                        Files.write(kept.resolve(failures.size() + "-" + source.getFileName()), m.bytes());
                    }
                }
            }
        }
        finally
        {
            runner.shutdownNow();
        }
        assertTrue(mutants >= 2000, "mutants made: " + mutants);
        assertEquals(List.of(), failures, failures.size() + " of " + mutants + " mutants");
    }

    /**
     * Replays the file in this JVM; null when it ended as it should, else what was wrong.
     *
     * @param cut the file was cut short: if that is reported, the report names the byte offset
     */
    private String replay(final ExecutorService runner, final Path file, final boolean cut) throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Path flows = tmp.resolve("flows.jsonl");
        final Future<Integer> run = runner.submit(() -> Main.run(
            List.of("replay", file.toString(), "--sensor", "mutant", "--out", "jsonl:" + flows),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false));
        final int exit;
        try
        {
            exit = run.get(SECONDS_PER_FILE, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            run.cancel(true);
            return "did not end within " + SECONDS_PER_FILE + " s";
        }
        final String said = err.toString(StandardCharsets.UTF_8);
        if (exit != 0 && exit != 1)
        {
            return "exit " + exit + ": " + said;
        }
        if (said.contains("\tat ") || said.contains("internal error") || said.contains("Exception in"))
        {
            return "a trace or an internal error: " + said;
        }
        if (exit == 1 && said.isBlank())
        {
            return "exit 1 without a word";
        }
        // (A file cut before its magic number is no capture at all, and says so.)
        if (exit == 1 && cut && !said.contains("byte offset") && !said.contains("not a pcap or pcapng file"))
        {
            return "a cut file reported without its byte offset: " + said;
        }
        return null;
    }

    private record Mutant(byte[] bytes, String how)
    {
    }

    private static Mutant mutate(final byte[] original, final byte[] other, final SplittableRandom random)
    {
        final byte[] b = original.clone();
        switch (random.nextInt(5))
        {
            case 0:
            {
                final int at = random.nextInt(b.length);
                return new Mutant(Arrays.copyOf(b, at), "cut at " + at);
            }
            case 1:
            {
                final int flips = 1 + random.nextInt(16);
                for (int i = 0; i < flips; i++)
                {
                    final int at = random.nextInt(b.length);
                    b[at] ^= (byte)(1 << random.nextInt(8));
                }
                return new Mutant(b, flips + " bits flipped");
            }
            case 2:
            {
                // A file or block header's fields: the first bytes of the file, where lengths and types are.
                final int at = random.nextInt(Math.min(b.length, 64));
                b[at] ^= (byte)(1 << random.nextInt(8));
                return new Mutant(b, "header bit at " + at);
            }
            case 3:
            {
                // A 32-bit length that lies: huge, zero, negative or just off, at a 4-byte boundary.
                final int at = (random.nextInt(Math.max(1, b.length - 4)) / 4) * 4;
                final int[] lies = {0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x0010_0000, random.nextInt()};
                final int lie = lies[random.nextInt(lies.length)];
                if (at + 4 <= b.length)
                {
                    b[at] = (byte)lie;
                    b[at + 1] = (byte)(lie >>> 8);
                    b[at + 2] = (byte)(lie >>> 16);
                    b[at + 3] = (byte)(lie >>> 24);
                }
                return new Mutant(b, "length " + Integer.toUnsignedString(lie) + " at " + at);
            }
            default:
            {
                final int head = random.nextInt(b.length);
                final int tail = random.nextInt(other.length);
                final byte[] spliced = Arrays.copyOf(b, head + other.length - tail);
                System.arraycopy(other, tail, spliced, head, other.length - tail);
                return new Mutant(spliced, "first " + head + " bytes, then another file from " + tail);
            }
        }
    }

    /** The sample, and the first small captures of the corpus (by path), when it is there. */
    private static List<Path> sources() throws IOException
    {
        final List<Path> sources = new ArrayList<>();
        sources.add(Path.of("..", "samples", "loopback-http.pcap"));
        CorpusConformanceTest.files("real").stream()
            .filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
            .filter(p -> size(p) > 24 && size(p) <= MAX_SOURCE_BYTES)
            .limit(CORPUS_FILES)
            .forEach(sources::add);
        return sources;
    }

    private static long size(final Path p)
    {
        try
        {
            return Files.size(p);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
