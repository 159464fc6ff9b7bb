package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every capture of the shared corpus ({@code -Dlinerate.corpus=DIR}, by default {@code
 * ../../shared/corpus} from the module directory): files under {@code real/} read cleanly with as
 * many frames as capinfos counts (the MANIFEST.tsv {@code packets} column, where it is a number);
 * files under {@code malformed/} end cleanly or with a {@link CaptureFileException}, never with any
 * other exception. Skipped when the corpus is absent.
 */
@Tag("slow")
class CaptureCorpusTest
{
    /** Far more frames than any corpus file holds: a reader still going by then is looping. */
    private static final long FRAME_LIMIT = 10_000_000;

    private static final Path CORPUS = Path.of(System.getProperty("linerate.corpus", "../../shared/corpus"));

    @TestFactory
    Stream<DynamicTest> realCapturesHaveCapinfosFrameCounts() throws IOException
    {
        final Path real = CORPUS.resolve("real");
        Assumptions.assumeTrue(Files.isDirectory(real), "no corpus at " + real.toAbsolutePath());
        final Map<String, String> packets = manifestPackets();
        return files(real).stream().map(file -> DynamicTest.dynamicTest(CORPUS.relativize(file).toString(), () ->
        {
            final long frames = countFrames(file);
            final String expected = packets.get(CORPUS.relativize(file).toString().replace('\\', '/'));
            if (expected != null && expected.matches("\\d+"))
            {
                assertEquals(Long.parseLong(expected), frames, "frames in " + file + " (capinfos)");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> malformedCapturesFailOnlyWithCaptureFileException() throws IOException
    {
        final Path malformed = CORPUS.resolve("malformed");
        Assumptions.assumeTrue(Files.isDirectory(malformed), "no corpus at " + malformed.toAbsolutePath());
        return files(malformed).stream().map(file -> DynamicTest.dynamicTest(CORPUS.relativize(file).toString(), () ->
        {
            try
            {
                countFrames(file);
            }
            catch (final CaptureFileException expected)
            {
                assertTrue(expected.getMessage().startsWith(file + ": "), expected.getMessage());
                assertTrue(expected.getMessage().indexOf('\n') < 0, "one line: " + expected.getMessage());
            }
        }));
    }

    private static long countFrames(final Path file) throws CaptureFileException, IOException
    {
        final FrameSlot slot = new FrameSlot();
        long frames = 0;
        try (CaptureReader reader = CaptureFiles.open(file))
        {
            while (reader.next(slot))
            {
                frames++;
                assertEquals(frames, slot.frameNumber);
                if (frames > FRAME_LIMIT)
                {
                    fail(file + ": more than " + FRAME_LIMIT + " frames");
                }
            }
            assertEquals(plainSize(file), reader.position());
        }
        return frames;
    }

    /** The bytes of a capture as its reader counts them: decompressed, for a compressed one. */
    private static long plainSize(final Path file) throws IOException
    {
        final byte[] head = new byte[Compression.MAGIC_BYTES];
        final int length;
        try (InputStream in = Files.newInputStream(file))
        {
            length = in.readNBytes(head, 0, head.length);
        }
        final Compression compression = Compression.of(head, length);
        if (compression == Compression.NONE)
        {
            return Files.size(file);
        }
        try (InputStream in = compression.decompress(new BufferedInputStream(Files.newInputStream(file))))
        {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static List<Path> files(final Path directory) throws IOException
    {
        try (Stream<Path> walk = Files.walk(directory))
        {
            return walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    /** MANIFEST.tsv {@code path} to {@code packets}; empty when there is no manifest. */
    private static Map<String, String> manifestPackets() throws IOException
    {
        final Path manifest = CORPUS.resolve("MANIFEST.tsv");
        final Map<String, String> packets = new HashMap<>();
        if (!Files.isRegularFile(manifest))
        {
            return packets;
        }
        final List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        final List<String> header = List.of(lines.get(0).split("\t", -1));
        final int pathColumn = header.indexOf("path");
        final int packetsColumn = header.indexOf("packets");
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] columns = line.split("\t", -1);
            if (columns.length > Math.max(pathColumn, packetsColumn))
            {
                packets.put(columns[pathColumn], columns[packetsColumn].trim());
            }
        }
        return packets;
    }
}
