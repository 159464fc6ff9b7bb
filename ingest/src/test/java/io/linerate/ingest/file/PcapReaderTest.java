package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.linerate.ingest.file.CaptureFileBuilder.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapReaderTest
{
    private static final int LINKTYPE_NULL = 0;
    private static final int LINKTYPE_ETHERNET = 1;

    @TempDir
    Path dir;

    private final FrameSlot slot = new FrameSlot();

    @Test
    void readsMicrosecondLittleEndian() throws Exception
    {
        readsMicrosecondFile(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void readsMicrosecondBigEndian() throws Exception
    {
        readsMicrosecondFile(ByteOrder.BIG_ENDIAN);
    }

    private void readsMicrosecondFile(final ByteOrder order) throws Exception
    {
        final byte[] first = frame(60, 1);
        final byte[] second = frame(1514, 2);
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(order, PcapReader.MAGIC_MICROSECONDS, 65535, LINKTYPE_ETHERNET);
        final int firstOffset = file.size();
        file.pcapRecord(1_700_000_000L, 123_456, first, 60);
        final int secondOffset = file.size();
        file.pcapRecord(1_700_000_001L, 999_999, second, 1514);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("us.pcap"))))
        {
            assertEquals("pcap", reader.format());
            assertEquals(24, reader.position());

            assertTrue(reader.next(slot));
            assertFrame(1, firstOffset, 1_700_000_000_123_456_000L, first, 60, LINKTYPE_ETHERNET);
            assertEquals(firstOffset + 16 + 60, reader.position());

            assertTrue(reader.next(slot));
            assertFrame(2, secondOffset, 1_700_000_001_999_999_000L, second, 1514, LINKTYPE_ETHERNET);

            assertFalse(reader.next(slot));
            assertFalse(reader.next(slot));
            assertEquals(file.size(), reader.position());
        }
    }

    @Test
    void readsNanosecondLittleEndian() throws Exception
    {
        readsNanosecondFile(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void readsNanosecondBigEndian() throws Exception
    {
        readsNanosecondFile(ByteOrder.BIG_ENDIAN);
    }

    private void readsNanosecondFile(final ByteOrder order) throws Exception
    {
        final byte[] data = frame(74, 3);
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(order, PcapReader.MAGIC_NANOSECONDS, 262144, LINKTYPE_ETHERNET);
        file.pcapRecord(1_700_000_000L, 123_456_789, data, 74);
        // The largest u32 seconds: unsigned, not negative, and no overflow in nanoseconds.
        file.pcapRecord(0xFFFF_FFFFL, 999_999_999, data, 74);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("ns.pcap"))))
        {
            assertEquals("pcap-ns", reader.format());
            assertTrue(reader.next(slot));
            assertEquals(1_700_000_000_123_456_789L, slot.timestampNanos);
            assertArrayEquals(data, Arrays.copyOf(slot.data, slot.captureLength));
            assertTrue(reader.next(slot));
            assertEquals(4_294_967_295_999_999_999L, slot.timestampNanos);
            assertFalse(reader.next(slot));
        }
    }

    @Test
    void readsModifiedPcapWithItsLongerRecordHeaders() throws Exception
    {
        for (final ByteOrder order : new ByteOrder[]{ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN})
        {
            final byte[] first = frame(42, 4);
            final byte[] second = frame(98, 5);
            final CaptureFileBuilder file = CaptureFileBuilder.pcap(order, PcapReader.MAGIC_MODIFIED, 65535, LINKTYPE_ETHERNET);
            final int firstOffset = file.size();
            file.modifiedPcapRecord(1_000L, 500_000, first, 42, 2, 0x0800, 0);
            final int secondOffset = file.size();
            file.modifiedPcapRecord(1_001L, 1, second, 1500, 3, 0x86DD, 4);

            try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("modified-" + order + ".pcap"))))
            {
                assertEquals("pcap", reader.format());
                assertTrue(reader.next(slot));
                assertFrame(1, firstOffset, 1_000_500_000_000L, first, 42, LINKTYPE_ETHERNET);
                assertTrue(reader.next(slot));
                assertFrame(2, secondOffset, 1_001_000_001_000L, second, 1500, LINKTYPE_ETHERNET);
                assertEquals(secondOffset + 24 + 98, reader.position());
                assertFalse(reader.next(slot));
            }
        }
    }

    @Test
    void stripsTheFcsTheLinkTypeFieldAnnounces() throws Exception
    {
        // FCS length present, 2 16-bit words: every frame ends with a 4-byte FCS.
        final int field = 0x04000000 | (2 << 28) | LINKTYPE_ETHERNET;
        final byte[] full = frame(64, 6);
        final byte[] snapped = frame(40, 7);
        final byte[] runt = frame(3, 8);
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, field);
        file.pcapRecord(1, 0, full, 64);
        file.pcapRecord(2, 0, snapped, 100);
        file.pcapRecord(3, 0, frame(62, 9), 62);
        file.pcapRecord(4, 0, runt, 3);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("fcs.pcap"))))
        {
            assertEquals(4, ((PcapReader)reader).fcsLength());

            assertTrue(reader.next(slot));
            assertEquals(LINKTYPE_ETHERNET, slot.linkType);
            assertEquals(60, slot.captureLength);
            assertEquals(60, slot.wireLength);
            assertArrayEquals(Arrays.copyOf(full, 60), Arrays.copyOf(slot.data, 60));

            // Snapped before the FCS: all captured bytes are frame bytes.
            assertTrue(reader.next(slot));
            assertEquals(40, slot.captureLength);
            assertEquals(96, slot.wireLength);

            assertTrue(reader.next(slot));
            assertEquals(58, slot.captureLength);
            assertEquals(58, slot.wireLength);

            // Shorter than an FCS: nothing to strip.
            assertTrue(reader.next(slot));
            assertEquals(3, slot.captureLength);
            assertEquals(3, slot.wireLength);
            assertFalse(reader.next(slot));
        }
    }

    @Test
    void fcsLengthBitsWithoutThePresentFlagAreOnlyMasked() throws Exception
    {
        // tcpdump's aarp-heapoverflow captures carry 0x30000001: FCS bits set, "present" bit clear.
        final byte[] data = frame(60, 10);
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, 0x30000001);
        file.pcapRecord(1, 0, data, 60);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("fcs-bits.pcap"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(LINKTYPE_ETHERNET, slot.linkType);
            assertEquals(60, slot.captureLength);
            assertEquals(60, slot.wireLength);
        }
    }

    @Test
    void reservedLinkTypeBitsAreMasked() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, 0x00300000 | LINKTYPE_NULL);
        file.pcapRecord(1, 0, frame(44, 11), 44);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("reserved.pcap"))))
        {
            assertEquals(LINKTYPE_NULL, ((PcapReader)reader).linkType());
            assertTrue(reader.next(slot));
            assertEquals(LINKTYPE_NULL, slot.linkType);
            assertEquals(44, slot.captureLength);
        }
    }

    @Test
    void truncatedRecordDataFailsAfterTheCompleteFrames() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, LINKTYPE_ETHERNET);
        file.pcapRecord(1, 0, frame(60, 12), 60);
        file.pcapRecord(2, 0, frame(70, 13), 70);
        final int damaged = file.size();
        file.pcapRecordHeader(3, 0, 1514, 1514).bytes(frame(200, 14));
        final Path path = file.writeTo(dir.resolve("capture.pcap"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            assertTrue(reader.next(slot));
            assertTrue(reader.next(slot));
            assertEquals(2, slot.frameNumber);
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(damaged, ex.offset());
            assertEquals(path, ex.path());
            assertEquals(
                path + ": truncated packet record at byte offset " + damaged + ": header says 1514 bytes, 200 left",
                ex.getMessage());
            assertEquals(damaged, reader.position());
            // The damage stays where it is.
            assertEquals(damaged, assertThrows(CaptureFileException.class, () -> reader.next(slot)).offset());
        }
    }

    @Test
    void truncatedRecordHeaderFailsAfterTheCompleteFrames() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_NANOSECONDS, 65535, LINKTYPE_ETHERNET);
        file.pcapRecord(1, 0, frame(60, 15), 60);
        final int damaged = file.size();
        file.u32(2).u32(0).u16(0);
        final Path path = file.writeTo(dir.resolve("short-header.pcap"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            assertTrue(reader.next(slot));
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(damaged, ex.offset());
            assertEquals(
                path + ": truncated packet record header at byte offset " + damaged + ": 16 bytes needed, 10 left",
                ex.getMessage());
        }
    }

    @Test
    void capturedLengthBeyondSnaplenAndLibpcapMaximumIsDamage() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, LINKTYPE_ETHERNET);
        file.pcapRecord(1, 0, frame(60, 16), 60);
        final int damaged = file.size();
        file.pcapRecordHeader(2, 0, 262_145, 262_145).bytes(new byte[262_145]);
        final Path path = file.writeTo(dir.resolve("huge.pcap"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            assertTrue(reader.next(slot));
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(damaged, ex.offset());
            assertEquals(
                path + ": damaged packet record at byte offset " + damaged +
                ": captured length 262145 is more than the snapshot length 65535 and the 262144-byte maximum",
                ex.getMessage());
        }
    }

    @Test
    void capturedLengthAboveSnaplenButWithinTheMaximumIsRead() throws Exception
    {
        // libpcap reads these (tcpdump's fuzz captures have them); only the 262144-byte cap is damage.
        final byte[] data = frame(300, 17);
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 96, LINKTYPE_ETHERNET);
        file.pcapRecord(1, 0, data, 300);
        // A snaplen above the maximum raises the limit with it.
        final CaptureFileBuilder large = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 1 << 20, LINKTYPE_ETHERNET);
        final byte[] big = frame(300_000, 18);
        large.pcapRecord(1, 0, big, 300_000);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("over-snaplen.pcap")));
             CaptureReader largeReader = CaptureFiles.open(large.writeTo(dir.resolve("large-snaplen.pcap"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(300, slot.captureLength);
            assertTrue(largeReader.next(slot));
            assertEquals(300_000, slot.captureLength);
            assertArrayEquals(big, Arrays.copyOf(slot.data, slot.captureLength));
        }
    }

    @Test
    void zeroLengthRecordsAndIncludedLengthAboveOriginalAreRead() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, LINKTYPE_ETHERNET);
        file.pcapRecord(1, 0, new byte[0], 0);
        file.pcapRecord(2, 0, frame(80, 19), 60);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("odd-lengths.pcap"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(0, slot.captureLength);
            assertEquals(0, slot.wireLength);
            assertTrue(reader.next(slot));
            assertEquals(80, slot.captureLength);
            assertEquals(60, slot.wireLength);
            assertFalse(reader.next(slot));
        }
    }

    @Test
    void version22LengthsAreSwappedBack() throws Exception
    {
        final byte[] data = frame(68, 20);
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 2, 2, 68, LINKTYPE_ETHERNET);
        // Written as orig_len, incl_len.
        file.pcapRecordHeader(1, 0, 1514, 68).bytes(data);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("v22.pcap"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(68, slot.captureLength);
            assertEquals(1514, slot.wireLength);
            assertFalse(reader.next(slot));
        }
    }

    @Test
    void version23LengthsAreSwappedOnlyWhenCapturedExceedsWire() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 2, 3, 68, LINKTYPE_ETHERNET);
        file.pcapRecordHeader(1, 0, 1514, 68).bytes(frame(68, 21));
        file.pcapRecordHeader(2, 0, 60, 60).bytes(frame(60, 22));

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("v23.pcap"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(68, slot.captureLength);
            assertEquals(1514, slot.wireLength);
            assertTrue(reader.next(slot));
            assertEquals(60, slot.captureLength);
            assertEquals(60, slot.wireLength);
        }
    }

    @Test
    void dgUxVersion543HasItsLengthsSwappedBack() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 543, 0, 96, LINKTYPE_ETHERNET);
        file.pcapRecordHeader(1, 0, 1000, 96).bytes(frame(96, 24));

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("dgux.pcap"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(96, slot.captureLength);
            assertEquals(1000, slot.wireLength);
        }
    }

    @Test
    void unsupportedMajorVersionIsRefused() throws Exception
    {
        final Path path = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 1, 4, 65535, LINKTYPE_ETHERNET)
            .writeTo(dir.resolve("v14.pcap"));

        final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(path));
        assertEquals(path + ": unsupported pcap version 1.4 at byte offset 4", ex.getMessage());
    }

    @Test
    void truncatedFileHeaderIsRefused() throws Exception
    {
        final byte[] header = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, LINKTYPE_ETHERNET).toByteArray();
        final Path path = Files.write(dir.resolve("short.pcap"), Arrays.copyOf(header, 23));

        final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(path));
        assertEquals(0, ex.offset());
        assertEquals(path + ": truncated pcap file header at byte offset 0: 24 bytes needed, 23 left", ex.getMessage());
    }

    @Test
    void headerOnlyFileHasNoFrames() throws Exception
    {
        final Path path = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, LINKTYPE_ETHERNET)
            .writeTo(dir.resolve("empty.pcap"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            assertFalse(reader.next(slot));
            assertEquals(24, reader.position());
        }
    }

    @Test
    void slotOverwritesEveryMetadataFieldOfTheFrameBefore() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcap(ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROSECONDS, 65535, LINKTYPE_ETHERNET);
        file.pcapRecord(5, 6, frame(10, 23), 10);
        slot.interfaceId = 7;
        slot.linkType = 99;

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("reuse.pcap"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(0, slot.interfaceId);
            assertEquals(LINKTYPE_ETHERNET, slot.linkType);
            assertEquals(5_000_006_000L, slot.timestampNanos);
        }
    }

    private void assertFrame(
        final long frameNumber, final long fileOffset, final long timestampNanos, final byte[] data, final int wireLength,
        final int linkType)
    {
        assertEquals(frameNumber, slot.frameNumber);
        assertEquals(fileOffset, slot.fileOffset);
        assertEquals(timestampNanos, slot.timestampNanos);
        assertEquals(data.length, slot.captureLength);
        assertEquals(wireLength, slot.wireLength);
        assertEquals(linkType, slot.linkType);
        assertEquals(0, slot.interfaceId);
        assertArrayEquals(data, Arrays.copyOf(slot.data, slot.captureLength));
    }
}
