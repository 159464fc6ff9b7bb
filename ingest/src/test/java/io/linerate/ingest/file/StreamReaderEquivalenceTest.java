package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The stream readers ({@link PcapStreamReader}, {@link PcapngStreamReader}) repeat the checks of the
 * mapped readers over a different source of bytes; this holds them to the same result on the same
 * bytes: the same frames (every metadata field and every byte) and the same end, a clean one at the
 * same position or the same message at the same offset. Over every capture of the corpus, real and
 * malformed, over the sample cut at every byte offset, and over seeded damage to length fields.
 * Streams come in small, uneven reads, as from a pipe.
 */
class StreamReaderEquivalenceTest
{
    private static final Path CORPUS = Path.of(System.getProperty("linerate.corpus", "../../shared/corpus"));
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyCorpusCaptureReadsTheSameAsAStream() throws IOException
    {
        Assumptions.assumeTrue(Files.isDirectory(CORPUS.resolve("real")), "no corpus at " + CORPUS.toAbsolutePath());
        final List<Path> files = new ArrayList<>();
        for (final String part : List.of("real", "malformed"))
        {
            try (Stream<Path> walk = Files.walk(CORPUS.resolve(part)))
            {
                walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(CORPUS.relativize(file).toString(), () ->
            assertSameAsStream(file, Files.readAllBytes(file))));
    }

    @Test
    void theSampleCutAtEveryOffsetReadsTheSameAsAStream() throws IOException
    {
        final byte[] whole = Files.readAllBytes(SAMPLE);
        final Path cut = dir.resolve("cut.pcap");
        for (int length = 0; length <= whole.length; length++)
        {
            final byte[] bytes = Arrays.copyOf(whole, length);
            Files.write(cut, bytes);
            assertSameAsStream(cut, bytes);
        }
    }

    @Test
    void aPcapngCutAtEveryOffsetReadsTheSameAsAStream() throws IOException
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(java.nio.ByteOrder.BIG_ENDIAN);
        file.interfaceDescription(1, 0, file.timestampResolution(9));
        file.interfaceDescription(101, 0);
        for (int i = 0; i < 20; i++)
        {
            file.enhancedPacket(i & 1, 1_700_000_000_000_000_000L + i, CaptureFileBuilder.frame(i * 7, i), i * 7 + 3);
            if (i == 9)
            {
                file.block(0x00000BAD, new byte[40]);
                file.simplePacket(60, CaptureFileBuilder.frame(60, 99));
                file.sectionHeader(java.nio.ByteOrder.LITTLE_ENDIAN);
                file.interfaceDescription(1, 0);
                file.interfaceDescription(1, 0);
            }
        }
        final byte[] whole = file.toByteArray();
        final Path cut = dir.resolve("cut.pcapng");
        for (int length = 0; length <= whole.length; length++)
        {
            final byte[] bytes = Arrays.copyOf(whole, length);
            Files.write(cut, bytes);
            assertSameAsStream(cut, bytes);
        }
    }

    /** Lengths, versions and magic numbers overwritten with random words, 4 bytes apart. */
    @Test
    void damagedWordsReadTheSameAsAStream() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(13);
        final List<byte[]> sources = new ArrayList<>();
        sources.add(Files.readAllBytes(SAMPLE));
        final CaptureFileBuilder pcapng = CaptureFileBuilder.pcapng().sectionHeader(java.nio.ByteOrder.LITTLE_ENDIAN);
        pcapng.interfaceDescription(1, 0, pcapng.timestampResolution(6));
        for (int i = 0; i < 30; i++)
        {
            pcapng.enhancedPacket(0, 1_700_000_000_000_000L + i, CaptureFileBuilder.frame(60 + i, i), 60 + i);
        }
        sources.add(pcapng.toByteArray());
        final Path damaged = dir.resolve("damaged");
        for (int round = 0; round < 2_000; round++)
        {
            final byte[] bytes = sources.get(round % sources.size()).clone();
            final int at = random.nextInt(bytes.length / 4) * 4;
            final int word = random.nextBoolean() ? random.nextInt() : random.nextInt(1 << 16);
            for (int b = 0; b < 4 && at + b < bytes.length; b++)
            {
                bytes[at + b] = (byte)(word >>> (8 * b));
            }
            Files.write(damaged, bytes);
            assertSameAsStream(damaged, bytes);
        }
    }

    @Test
    void streamsAreReadByTheStreamReaders() throws IOException
    {
        try (CaptureReader reader = CaptureFiles.open(SAMPLE, new ByteArrayInputStream(Files.readAllBytes(SAMPLE))))
        {
            assertInstanceOf(PcapStreamReader.class, reader);
        }
    }

    private static void assertSameAsStream(final Path file, final byte[] bytes)
    {
        final String mapped = readAll(file, () -> CaptureFiles.open(file));
        final String streamed = readAll(file, () -> CaptureFiles.open(file, new TrickleInputStream(bytes)));
        assertEquals(mapped, streamed, file + " (" + bytes.length + " bytes)");
    }

    /** Every frame's metadata and bytes, then how the reading ended. */
    private static String readAll(final Path file, final Opener opener)
    {
        final StringBuilder out = new StringBuilder();
        final FrameSlot slot = new FrameSlot();
        try (CaptureReader reader = opener.open())
        {
            out.append(reader.format()).append('\n');
            while (reader.next(slot))
            {
                out.append(slot.frameNumber).append(' ').append(slot.fileOffset).append(' ')
                    .append(slot.timestampNanos).append(' ').append(slot.captureLength).append(' ')
                    .append(slot.wireLength).append(' ').append(slot.linkType).append(' ').append(slot.interfaceId)
                    .append(' ').append(Arrays.hashCode(Arrays.copyOf(slot.data, slot.captureLength))).append('\n');
            }
            out.append("end at ").append(reader.position());
        }
        catch (final CaptureFileException ex)
        {
            out.append("damage at ").append(ex.offset()).append(": ").append(ex.getMessage());
        }
        catch (final IOException ex)
        {
            out.append("close failed: ").append(ex);
        }
        return out.toString();
    }

    private interface Opener
    {
        CaptureReader open() throws CaptureFileException;
    }

    /** A stream that hands out at most a few bytes a read, as a pipe does under load. */
    static final class TrickleInputStream extends InputStream
    {
        private final byte[] bytes;
        private final SplittableRandom random = new SplittableRandom(5);
        private int position;

        TrickleInputStream(final byte[] bytes)
        {
            this.bytes = bytes;
        }

        @Override
        public int read()
        {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(final byte[] b, final int off, final int len)
        {
            if (len == 0)
            {
                return 0;
            }
            if (position >= bytes.length)
            {
                return -1;
            }
            final int n = Math.min(Math.min(len, 1 + random.nextInt(700)), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }
}
