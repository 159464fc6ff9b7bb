package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import static io.linerate.ingest.file.CaptureFileBuilder.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offsets past 2<sup>31</sup> and 2<sup>32</sup>, in a sparse file of about 5 GiB that takes a few
 * kilobytes of disk: two custom blocks of 2.5 GiB each (their bodies are holes) that the reader
 * must skip by their length, each followed by a packet.
 */
class LargeFileTest
{
    /** 2.5 GiB: a legal pcapng block length (u32, multiple of 4) larger than any int. */
    private static final long HUGE_BLOCK_LENGTH = 2_684_354_560L;
    private static final int CUSTOM_BLOCK = 0x00000BAD;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {4096, MappedWindow.DEFAULT_SIZE})
    void skipsHugeBlocksAndReadsPacketsBeyondFourGibibytes(final int windowSize) throws Exception
    {
        final Path path = dir.resolve("sparse.pcapng");
        final CaptureFileBuilder start = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN);
        final byte[] header = start.interfaceDescription(1, 0, start.timestampResolution(9)).toByteArray();
        final byte[] firstFrame = frame(1514, 1);
        final byte[] secondFrame = frame(60, 2);
        final long firstPacket;
        final long secondPacket;
        final long fileSize;
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
        {
            file.write(header);
            firstPacket = writeHugeBlock(file, header.length);
            file.seek(firstPacket);
            file.write(enhancedPacket(1_700_000_000_000_000_001L, firstFrame));
            secondPacket = writeHugeBlock(file, file.getFilePointer());
            file.seek(secondPacket);
            file.write(enhancedPacket(1_700_000_000_000_000_002L, secondFrame));
            fileSize = file.length();
        }
        assertTrue(firstPacket > Integer.MAX_VALUE);
        assertTrue(secondPacket > 0xFFFF_FFFFL);

        try (CaptureReader reader = CaptureFiles.open(path, windowSize))
        {
            final FrameSlot slot = new FrameSlot();
            assertTrue(reader.next(slot));
            assertEquals(1, slot.frameNumber);
            assertEquals(firstPacket, slot.fileOffset);
            assertEquals(1_700_000_000_000_000_001L, slot.timestampNanos);
            assertArrayEquals(firstFrame, Arrays.copyOf(slot.data, slot.captureLength));

            assertTrue(reader.next(slot));
            assertEquals(2, slot.frameNumber);
            assertEquals(secondPacket, slot.fileOffset);
            assertEquals(1_700_000_000_000_000_002L, slot.timestampNanos);
            assertArrayEquals(secondFrame, Arrays.copyOf(slot.data, slot.captureLength));

            assertFalse(reader.next(slot));
            assertEquals(fileSize, reader.position());
        }
    }

    /** A custom block at {@code start} whose body is a hole; returns the offset just after it. */
    private static long writeHugeBlock(final RandomAccessFile file, final long start) throws Exception
    {
        final ByteBuffer lengths = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        lengths.putInt(CUSTOM_BLOCK).putInt((int)HUGE_BLOCK_LENGTH);
        file.seek(start);
        file.write(lengths.array());
        final long end = start + HUGE_BLOCK_LENGTH;
        file.seek(end - 4);
        file.write(Arrays.copyOfRange(lengths.array(), 4, 8));
        return end;
    }

    private static byte[] enhancedPacket(final long ticks, final byte[] data)
    {
        return CaptureFileBuilder.pcapngBlocks(ByteOrder.LITTLE_ENDIAN).enhancedPacket(0, ticks, data, data.length).toByteArray();
    }
}
