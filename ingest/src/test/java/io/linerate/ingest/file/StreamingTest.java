package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static io.linerate.ingest.file.CaptureFileBuilder.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * About 10 MB of records read through windows far smaller than the file and than some records, so
 * records straddle window ends and windows are remapped thousands of times.
 */
class StreamingTest
{
    private static final int RECORDS = 8_600;
    private static final long T0_NANOS = 1_700_000_000_000_000_000L;
    private static final long T0_MICROS = 1_700_000_000_000_000L;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {64, 4096, 65536, MappedWindow.DEFAULT_SIZE})
    void pcapStreamsThroughSmallWindows(final int windowSize) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(42);
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_NANOSECONDS, 65535, 1);
        final int[] lengths = new int[RECORDS];
        final long[] offsets = new long[RECORDS];
        for (int i = 0; i < RECORDS; i++)
        {
            lengths[i] = frameLength(random, i);
            offsets[i] = file.size();
            file.pcapRecord(1_700_000_000L + i, i, frame(lengths[i], i), lengths[i] + 4);
        }
        final Path path = file.writeTo(dir.resolve("stream.pcap"));
        assertTrue(file.size() > 9_000_000, "about 10 MB: " + file.size());

        try (CaptureReader reader = CaptureFiles.open(path, windowSize))
        {
            final FrameSlot slot = new FrameSlot();
            for (int i = 0; i < RECORDS; i++)
            {
                assertTrue(reader.next(slot), "record " + i);
                assertEquals(i + 1, slot.frameNumber);
                assertEquals(offsets[i], slot.fileOffset);
                assertEquals((1_700_000_000L + i) * 1_000_000_000L + i, slot.timestampNanos);
                assertEquals(lengths[i], slot.captureLength);
                assertEquals(lengths[i] + 4, slot.wireLength);
                assertArrayEquals(frame(lengths[i], i), Arrays.copyOf(slot.data, slot.captureLength), "record " + i);
            }
            assertFalse(reader.next(slot));
            assertEquals(file.size(), reader.position());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 4096, 65536, MappedWindow.DEFAULT_SIZE})
    void pcapngStreamsThroughSmallWindows(final int windowSize) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(7);
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN);
        file.interfaceDescription(1, 0, file.timestampResolution(9));
        file.interfaceDescription(0, 0);
        final int[] lengths = new int[RECORDS];
        final long[] offsets = new long[RECORDS];
        for (int i = 0; i < RECORDS; i++)
        {
            lengths[i] = frameLength(random, i);
            if (i % 100 == 99)
            {
                // A skipped block larger than the small windows, and a new section now and then.
                file.block(0x00000BAD, new byte[random.nextInt(10_000)]);
            }
            if (i % 1000 == 999)
            {
                file.sectionHeader(i % 2000 == 999 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                file.interfaceDescription(1, 0, file.timestampResolution(9));
                file.interfaceDescription(0, 0);
            }
            offsets[i] = file.size();
            // Interface 0 counts nanoseconds, interface 1 microseconds.
            file.enhancedPacket(i & 1, ((i & 1) == 0 ? T0_NANOS : T0_MICROS) + i, frame(lengths[i], i), lengths[i]);
        }
        final Path path = file.writeTo(dir.resolve("stream.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path, windowSize))
        {
            final FrameSlot slot = new FrameSlot();
            for (int i = 0; i < RECORDS; i++)
            {
                assertTrue(reader.next(slot), "record " + i);
                assertEquals(i + 1, slot.frameNumber);
                assertEquals(offsets[i], slot.fileOffset);
                assertEquals(i & 1, slot.interfaceId);
                assertEquals((i & 1) == 0 ? 1 : 0, slot.linkType);
                assertEquals((i & 1) == 0 ? T0_NANOS + i : (T0_MICROS + i) * 1_000, slot.timestampNanos);
                assertEquals(lengths[i], slot.captureLength);
                assertArrayEquals(frame(lengths[i], i), Arrays.copyOf(slot.data, slot.captureLength), "record " + i);
            }
            assertFalse(reader.next(slot));
            assertEquals(file.size(), reader.position());
        }
    }

    @Test
    void aWindowThatIsReplacedIsUnmappedAtOnce() throws Exception
    {
        final Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "a system that lists a process's mappings");
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_NANOSECONDS, 65535, 1);
        for (int i = 0; i < 2_000; i++)
        {
            file.pcapRecord(1_700_000_000L + i, i, frame(1_000, i), 1_000);
        }
        final Path path = file.writeTo(dir.resolve("windows.pcap"));
        final String name = path.toRealPath().toString();
        try (CaptureReader reader = CaptureFiles.open(path, 65536))
        {
            final FrameSlot slot = new FrameSlot();
            int most = 0;
            while (reader.next(slot))
            {
                if (slot.frameNumber % 97 == 0)
                {
                    most = Math.max(most, mappingsOf(maps, name));
                }
            }
            // About 30 windows were mapped one after another; without the unmapping they all stay
            // until a collection happens to free them.
            assertEquals(1, most, "mappings of the file while it is read");
        }
        assertEquals(0, mappingsOf(maps, name), "mappings of the file after the reader closed");
    }

    private static int mappingsOf(final Path maps, final String name) throws Exception
    {
        try (var lines = Files.lines(maps))
        {
            return (int)lines.filter(l -> l.endsWith(" " + name)).count();
        }
    }

    /** Mostly up to 2000 bytes; every 50th frame 5000 to 9000, larger than the 4 KiB window. */
    private static int frameLength(final SplittableRandom random, final int index)
    {
        return index % 50 == 49 ? 5_000 + random.nextInt(4_001) : random.nextInt(2_001);
    }
}
