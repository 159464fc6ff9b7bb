package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.linerate.ingest.file.CaptureFileBuilder.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureFilesTest
{
    @TempDir
    Path dir;

    @Test
    void recognisesEachFormatByItsMagicWhateverTheName() throws Exception
    {
        assertFormat(CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, 1), "a.bin", "pcap", PcapReader.class);
        assertFormat(CaptureFileBuilder.pcap(ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, 1), "b.pcapng", "pcap", PcapReader.class);
        assertFormat(CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_NANOSECONDS, 65535, 1), "c.cap", "pcap-ns", PcapReader.class);
        assertFormat(CaptureFileBuilder.pcap(ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_NANOSECONDS, 65535, 1), "d", "pcap-ns", PcapReader.class);
        assertFormat(CaptureFileBuilder.pcap(ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_MODIFIED, 65535, 1), "e.pcap", "pcap", PcapReader.class);
        assertFormat(CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN), "f.pcap", "pcapng", PcapngReader.class);
        assertFormat(CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.BIG_ENDIAN), "g.pcapng", "pcapng", PcapngReader.class);
    }

    private void assertFormat(
        final CaptureFileBuilder file, final String name, final String format, final Class<?> readerType) throws Exception
    {
        final Path path = file.writeTo(dir.resolve(name));
        try (CaptureReader reader = CaptureFiles.open(path))
        {
            assertInstanceOf(readerType, reader);
            assertEquals(format, reader.format());
            assertEquals(path, reader.path());
            assertEquals(Files.size(path), reader.position());
        }
    }

    @Test
    void unknownMagicIsNotACaptureFile() throws Exception
    {
        final Path path = Files.write(dir.resolve("x.bin"), new byte[]{0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0});

        final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(path));
        assertEquals(0, ex.offset());
        assertEquals(path + ": not a pcap or pcapng file (magic 0x12345678 at byte offset 0)", ex.getMessage());
    }

    /** A compressed file is read through its decompressor: one cut inside its own header says so. */
    @Test
    void aCompressedFileCutInsideItsHeaderIsNamedByItsCompression() throws Exception
    {
        final Path gzip = Files.write(dir.resolve("c.pcap.gz"), new byte[]{0x1f, (byte)0x8b, 8, 0, 0, 0});
        final Path zstd = Files.write(dir.resolve("c.pcapng.zst"), new byte[]{0x28, (byte)0xb5, 0x2f, (byte)0xfd, 0});

        final CaptureFileException gz = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(gzip));
        assertTrue(gz.getMessage().startsWith(gzip + ": gzip data cut short or damaged at its start: "),
            gz.getMessage());
        final CaptureFileException zst = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(zstd));
        assertTrue(zst.getMessage().startsWith(zstd + ": zstd data cut short or damaged in the record at byte " +
            "offset 0 of the zstd-decompressed stream (0 bytes decompressed): "), zst.getMessage());
        assertEquals(0, zst.offset());
    }

    /** A named pipe (or /dev/stdin, or bash's <(...)) has nothing to map: it is read as a stream. */
    @Test
    void aNamedPipeIsReadAsAStream() throws Exception
    {
        final Path fifo = dir.resolve("capture.fifo");
        final Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        final byte[] sample = Files.readAllBytes(Path.of("../samples/loopback-http.pcap"));
        final Thread writer = new Thread(() ->
        {
            try
            {
                Files.write(fifo, sample);
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        writer.start();
        try (CaptureReader reader = CaptureFiles.open(fifo))
        {
            assertEquals(PcapStreamReader.class, reader.getClass());
            final FrameSlot slot = new FrameSlot();
            int frames = 0;
            while (reader.next(slot))
            {
                frames++;
            }
            assertEquals(44, frames);
            assertEquals(sample.length, reader.position());
        }
        writer.join();
    }

    @Test
    void textIsNotACaptureFile() throws Exception
    {
        final Path path = Files.writeString(dir.resolve("notes.txt"), "hello, world\n", StandardCharsets.US_ASCII);

        assertEquals(
            path + ": not a pcap or pcapng file (magic 0x68656c6c at byte offset 0)",
            assertThrows(CaptureFileException.class, () -> CaptureFiles.open(path)).getMessage());
    }

    @Test
    void missingFileIsReportedWithoutAnOffset()
    {
        final Path path = dir.resolve("missing.pcap");

        final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(path));
        assertEquals(path + ": no such file or directory", ex.getMessage());
        assertEquals(-1, ex.offset());
        assertEquals(path, ex.path());
    }

    @Test
    void directoryIsNotACaptureFile()
    {
        final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(dir));
        assertEquals(dir + ": is a directory, not a capture file", ex.getMessage());
    }

    @Test
    void emptyAndTinyFilesAreRefused() throws Exception
    {
        final Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
        final Path tiny = Files.write(dir.resolve("tiny.pcap"), new byte[]{(byte)0xd4, (byte)0xc3});

        assertEquals(empty + ": empty file, not a pcap or pcapng file",
            assertThrows(CaptureFileException.class, () -> CaptureFiles.open(empty)).getMessage());
        assertEquals(tiny + ": not a pcap or pcapng file (only 2 bytes)",
            assertThrows(CaptureFileException.class, () -> CaptureFiles.open(tiny)).getMessage());
    }

    @Test
    void truncatedSectionHeaderIsRefusedAtOpen() throws Exception
    {
        final byte[] whole = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN).toByteArray();
        final Path path = Files.write(dir.resolve("shb.pcapng"), Arrays.copyOf(whole, 16));

        final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(path));
        assertEquals(path + ": truncated block at byte offset 0: header says 28 bytes, 16 left", ex.getMessage());
    }

    @Test
    void closedReaderRefusesToRead() throws Exception
    {
        final Path path = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, 1)
            .pcapRecord(1, 0, frame(60, 1), 60)
            .writeTo(dir.resolve("closed.pcap"));
        final CaptureReader reader = CaptureFiles.open(path);
        final FrameSlot slot = new FrameSlot();
        assertTrue(reader.next(slot));
        reader.close();

        assertThrows(IllegalStateException.class, () -> reader.next(slot));
    }
}
