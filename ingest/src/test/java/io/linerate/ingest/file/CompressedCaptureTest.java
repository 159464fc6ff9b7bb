package io.linerate.ingest.file;

import com.github.luben.zstd.ZstdOutputStream;
import io.linerate.ingest.ring.FrameSlot;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captures compressed with each compression's own library read as the plain capture does, by their
 * magic whatever their name: the same frames, from a file or a stream, from one member or several
 * concatenated; a compressed capture cut short keeps the frames before the cut and names the damage
 * by its offset in the decompressed stream, and says so. (The command-line tools' files are read in
 * {@code ops}' CompressedReplayTest.)
 */
class CompressedCaptureTest
{
    private static final int FRAMES = 3_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aCompressedCaptureGivesThePlainOnesFramesWhateverItsName(final Compression compression) throws Exception
    {
        for (final byte[] plain : List.of(pcap(), pcapng()))
        {
            final Path original = Files.write(dir.resolve("plain"), plain);
            final List<String> expected = frames(original);
            final Path compressed = Files.write(dir.resolve("capture.bin"), compress(compression, plain));
            try (CaptureReader reader = CaptureFiles.open(compressed))
            {
                assertEquals(plain[0] == 0x0A ? PcapngStreamReader.class : PcapStreamReader.class, reader.getClass());
            }
            assertEquals(expected, frames(compressed), compression + " file");
            final byte[] stream = compress(compression, plain);
            try (CaptureReader reader = CaptureFiles.open(compressed, new ByteArrayInputStream(stream)))
            {
                assertEquals(expected, frames(reader), compression + " stream");
            }
        }
    }

    /** {@code cat a.gz b.gz}: one capture, as zcat (and xzcat, zstdcat, lz4cat, bzcat) read it. */
    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void membersCompressedOneAfterAnotherAreOneCapture(final Compression compression) throws Exception
    {
        final byte[] plain = pcap();
        final List<String> expected = frames(Files.write(dir.resolve("plain.pcap"), plain));
        final ByteArrayOutputStream members = new ByteArrayOutputStream();
        // Cut in the middle of a record, and again: a member boundary need not fall between records.
        final int[] cuts = {0, plain.length / 3 + 5, 2 * plain.length / 3 + 11, plain.length};
        for (int i = 0; i + 1 < cuts.length; i++)
        {
            members.write(compress(compression, Arrays.copyOfRange(plain, cuts[i], cuts[i + 1])));
        }
        final Path concatenated = Files.write(dir.resolve("members"), members.toByteArray());
        assertEquals(expected, frames(concatenated));
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aCompressedCaptureCutShortKeepsTheFramesBeforeTheCutAndSaysWhereInTheDecompressedStream(
        final Compression compression) throws Exception
    {
        final byte[] plain = pcap();
        final List<String> all = frames(Files.write(dir.resolve("plain.pcap"), plain));
        final byte[] compressed = compress(compression, plain);
        // The frames are random bytes: compressed offsets run nearly in step with plain ones.
        final Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(compressed, compressed.length * 6 / 10));

        final List<String> kept = new ArrayList<>();
        final FrameSlot slot = new FrameSlot();
        final CaptureFileException ex;
        try (CaptureReader reader = CaptureFiles.open(cut))
        {
            ex = assertThrows(CaptureFileException.class, () ->
            {
                while (reader.next(slot))
                {
                    kept.add(describe(slot));
                }
            });
            assertEquals(reader.position(), ex.offset(), "the damage is the record after the last one read");
            assertEquals(ex.getMessage(),
                assertThrows(CaptureFileException.class, () -> reader.next(slot)).getMessage(), "and it stays there");
        }
        assertEquals(all.subList(0, kept.size()), kept, "the frames read are the capture's first");
        assertTrue(kept.size() > all.size() / 2,
            "frames before the cut are kept: " + kept.size() + " of " + all.size());
        assertTrue(kept.size() < all.size() * 7 / 10, kept.size() + " of " + all.size());
        final String decompressed = " of the " + compression.label() + "-decompressed stream";
        assertTrue(ex.getMessage().startsWith(cut + ": "), ex.getMessage());
        assertTrue(ex.getMessage().contains("byte offset " + ex.offset() + decompressed), ex.getMessage());
        assertTrue(ex.getMessage().indexOf('\n') < 0, ex.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aCompressedFileThatHoldsNoCaptureSaysWhatItHolds(final Compression compression) throws Exception
    {
        final Path text = Files.write(dir.resolve("notes"), compress(compression, "hello, world\n".getBytes()));
        assertEquals(text + ": not a pcap or pcapng file (magic 0x68656c6c at byte offset 0 of the " +
            compression.label() + "-decompressed stream)",
            assertThrows(CaptureFileException.class, () -> CaptureFiles.open(text)).getMessage());

        final Path empty = Files.write(dir.resolve("empty"), compress(compression, new byte[0]));
        assertEquals(empty + ": empty " + compression.label() + " stream, no capture in it",
            assertThrows(CaptureFileException.class, () -> CaptureFiles.open(empty)).getMessage());
    }

    /** A pcap capture cut inside a record and then compressed: the truncation, offset in decompressed bytes. */
    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aCaptureCutBeforeItWasCompressedIsATruncatedRecord(final Compression compression) throws Exception
    {
        final CaptureFileBuilder file =
            CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, 1)
                .pcapRecord(1_700_000_000L, 1, CaptureFileBuilder.frame(100, 1), 100);
        final long damaged = file.size();
        file.pcapRecordHeader(1_700_000_000L, 2, 200, 200).bytes(new byte[50]);
        final Path path = Files.write(dir.resolve("cut.pcap.z"), compress(compression, file.toByteArray()));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            final FrameSlot slot = new FrameSlot();
            assertTrue(reader.next(slot));
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(path + ": truncated packet record at byte offset " + damaged + " of the " +
                compression.label() + "-decompressed stream: header says 200 bytes, 50 left", ex.getMessage());
            assertFalse(ex.getMessage().contains("\n"));
        }
    }

    static byte[] compress(final Compression compression, final byte[] plain) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compressor(compression, bytes))
        {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private static OutputStream compressor(final Compression compression, final OutputStream out) throws IOException
    {
        switch (compression)
        {
            case GZIP: return new GzipCompressorOutputStream(out);
            case ZSTD: return new ZstdOutputStream(out);
            case LZ4: return new FramedLZ4CompressorOutputStream(out);
            case XZ: return new XZOutputStream(out, new LZMA2Options(1));
            case BZIP2: return new BZip2CompressorOutputStream(out, 1);
            default: throw new IllegalArgumentException(compression.toString());
        }
    }

    /** {@link #FRAMES} frames of random bytes (so compression keeps pace with the plain offsets). */
    private static byte[] pcap()
    {
        final SplittableRandom random = new SplittableRandom(3);
        final CaptureFileBuilder file =
            CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_NANOSECONDS, 65535, 1);
        for (int i = 0; i < FRAMES; i++)
        {
            final byte[] data = new byte[60 + random.nextInt(1400)];
            random.nextBytes(data);
            file.pcapRecord(1_700_000_000L + i / 1000, i % 1000, data, data.length);
        }
        return file.toByteArray();
    }

    private static byte[] pcapng()
    {
        final SplittableRandom random = new SplittableRandom(4);
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.BIG_ENDIAN);
        file.interfaceDescription(1, 0, file.timestampResolution(9));
        file.interfaceDescription(113, 0);
        for (int i = 0; i < FRAMES; i++)
        {
            final byte[] data = new byte[60 + random.nextInt(1400)];
            random.nextBytes(data);
            file.enhancedPacket(i & 1, 1_700_000_000_000_000_000L + i * 1000L, data, data.length);
        }
        return file.toByteArray();
    }

    private static List<String> frames(final Path file) throws IOException
    {
        try (CaptureReader reader = CaptureFiles.open(file))
        {
            return frames(reader);
        }
    }

    private static List<String> frames(final CaptureReader reader) throws IOException
    {
        final List<String> out = new ArrayList<>();
        final FrameSlot slot = new FrameSlot();
        while (reader.next(slot))
        {
            out.add(describe(slot));
        }
        return out;
    }

    private static String describe(final FrameSlot slot)
    {
        return slot.frameNumber + " " + slot.fileOffset + " " + slot.timestampNanos + " " + slot.captureLength + " " +
            slot.wireLength + " " + slot.linkType + " " + slot.interfaceId + " " +
            Arrays.hashCode(Arrays.copyOf(slot.data, slot.captureLength));
    }
}
