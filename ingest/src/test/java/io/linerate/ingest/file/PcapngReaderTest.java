package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import static io.linerate.ingest.file.CaptureFileBuilder.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapngReaderTest
{
    private static final int LINKTYPE_NULL = 0;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int LINKTYPE_RAW = 101;
    private static final long T0 = 1_700_000_000L;

    @TempDir
    Path dir;

    private final FrameSlot slot = new FrameSlot();

    @Test
    void readsPacketsOfTwoInterfacesWithDifferentLinkTypes() throws Exception
    {
        final byte[] ethernet = frame(60, 1);
        final byte[] loopback = frame(57, 2);
        final byte[] ethernetAgain = frame(1514, 3);
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 65535)
            .interfaceDescription(LINKTYPE_NULL, 262144);
        final int first = file.size();
        file.enhancedPacket(0, T0 * 1_000_000 + 1, ethernet, 60);
        final int second = file.size();
        file.enhancedPacket(1, T0 * 1_000_000 + 2, loopback, 57);
        final int third = file.size();
        file.enhancedPacket(0, T0 * 1_000_000 + 3, ethernetAgain, 9000);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("two-interfaces.pcapng"))))
        {
            assertEquals("pcapng", reader.format());

            assertTrue(reader.next(slot));
            assertFrame(1, first, T0 * 1_000_000_000 + 1_000, ethernet, 60, LINKTYPE_ETHERNET, 0);
            assertEquals(second, reader.position());

            assertTrue(reader.next(slot));
            assertFrame(2, second, T0 * 1_000_000_000 + 2_000, loopback, 57, LINKTYPE_NULL, 1);

            assertTrue(reader.next(slot));
            assertFrame(3, third, T0 * 1_000_000_000 + 3_000, ethernetAgain, 9000, LINKTYPE_ETHERNET, 0);

            assertFalse(reader.next(slot));
            assertEquals(file.size(), reader.position());
        }
    }

    @Test
    void convertsNanosecondBinaryAndOffsetTimestamps() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.BIG_ENDIAN);
        file.interfaceDescription(LINKTYPE_ETHERNET, 0, file.timestampResolution(9));
        file.interfaceDescription(LINKTYPE_ETHERNET, 0, file.timestampResolution(0x80 | 10));
        file.interfaceDescription(LINKTYPE_ETHERNET, 0, file.timestampResolution(3), file.timestampOffset(1_600_000_000L));
        file.interfaceDescription(LINKTYPE_ETHERNET, 0, file.timestampOffset(-3_600));
        final byte[] data = frame(64, 4);
        file.enhancedPacket(0, 1_700_000_000_123_456_789L, data, 64);
        // 2^-10 s units: 512/1024 s is exactly half a second, 1/1024 s is 976562.5 ns (truncated).
        file.enhancedPacket(1, T0 * 1024 + 512, data, 64);
        file.enhancedPacket(1, T0 * 1024 + 1, data, 64);
        // Milliseconds since 2020-09-13 (the offset), plus the offset.
        file.enhancedPacket(2, 100_000_000_007L, data, 64);
        file.enhancedPacket(3, T0 * 1_000_000, data, 64);
        // The largest u64 in nanoseconds must not be treated as negative (or overflow) on the way.
        file.enhancedPacket(0, 0x7FFF_FFFF_FFFF_FFFFL, data, 64);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("resolutions.pcapng"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(1_700_000_000_123_456_789L, slot.timestampNanos);
            assertTrue(reader.next(slot));
            assertEquals(T0 * 1_000_000_000 + 500_000_000, slot.timestampNanos);
            assertTrue(reader.next(slot));
            assertEquals(T0 * 1_000_000_000 + 976_562, slot.timestampNanos);
            assertTrue(reader.next(slot));
            assertEquals(1_600_000_000_000_000_000L + 100_000_000_007_000_000L, slot.timestampNanos);
            assertTrue(reader.next(slot));
            assertEquals((T0 - 3_600) * 1_000_000_000, slot.timestampNanos);
            assertTrue(reader.next(slot));
            assertEquals(Long.MAX_VALUE, slot.timestampNanos);
            assertFalse(reader.next(slot));
        }
    }

    @Test
    void simplePacketTakesInterfaceZeroAndTheSmallestOfItsLengths() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(LINKTYPE_RAW, 64)
            .interfaceDescription(LINKTYPE_ETHERNET, 0);
        final byte[] snapped = frame(64, 5);
        final byte[] whole = frame(41, 6);
        final int first = file.size();
        file.simplePacket(1500, snapped);
        final int second = file.size();
        // 41 bytes in a body padded to 44: the original length says where the frame ends.
        file.simplePacket(41, whole);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("spb.pcapng"))))
        {
            assertTrue(reader.next(slot));
            assertFrame(1, first, 0, snapped, 1500, LINKTYPE_RAW, 0);
            assertTrue(reader.next(slot));
            assertFrame(2, second, 0, whole, 41, LINKTYPE_RAW, 0);
            assertFalse(reader.next(slot));
        }

        // Without a snapshot length the block's room bounds the captured length.
        final CaptureFileBuilder unlimited = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.BIG_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 0)
            .simplePacket(9000, frame(100, 7));
        try (CaptureReader reader = CaptureFiles.open(unlimited.writeTo(dir.resolve("spb-unlimited.pcapng"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(100, slot.captureLength);
            assertEquals(9000, slot.wireLength);
        }
    }

    @Test
    void readsObsoletePacketBlocks() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.BIG_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 65535)
            .interfaceDescription(LINKTYPE_RAW, 65535);
        final byte[] data = frame(33, 8);
        final int offset = file.size();
        file.obsoletePacket(1, 5, T0 * 1_000_000 + 42, data, 40);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("opb.pcapng"))))
        {
            assertTrue(reader.next(slot));
            assertFrame(1, offset, T0 * 1_000_000_000 + 42_000, data, 40, LINKTYPE_RAW, 1);
            assertFalse(reader.next(slot));
        }
    }

    @Test
    void newSectionSwitchesByteOrderAndForgetsInterfaces() throws Exception
    {
        final byte[] little = frame(60, 9);
        final byte[] big = frame(20, 10);
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 65535)
            .interfaceDescription(LINKTYPE_NULL, 65535);
        final int first = file.size();
        file.enhancedPacket(1, 1_000_000, little, 60);
        file.sectionHeader(ByteOrder.BIG_ENDIAN).interfaceDescription(LINKTYPE_RAW, 65535, file.timestampResolution(9));
        final int second = file.size();
        file.enhancedPacket(0, 2_000_000_000L, big, 20);
        final int stale = file.size();
        // Interface 1 belonged to the first section only.
        file.enhancedPacket(1, 3, big, 20);
        final Path path = file.writeTo(dir.resolve("sections.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            assertTrue(reader.next(slot));
            assertFrame(1, first, 1_000_000_000L, little, 60, LINKTYPE_NULL, 1);
            assertTrue(reader.next(slot));
            assertFrame(2, second, 2_000_000_000L, big, 20, LINKTYPE_RAW, 0);
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(stale, ex.offset());
            assertEquals(
                path + ": packet from unknown interface 1 at byte offset " + stale + ": its section describes 1 interface",
                ex.getMessage());
        }
    }

    @Test
    void skipsBlocksThatCarryNoFrames() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN);
        file.block(0x00000BAD, frame(13, 11));                 // custom block, copyable
        file.interfaceDescription(LINKTYPE_ETHERNET, 65535);
        file.block(0x00000004, frame(32, 12));                 // name resolution
        final int first = file.size();
        file.enhancedPacket(0, 1, frame(60, 13), 60);
        file.block(0x00000005, frame(24, 14));                 // interface statistics
        file.block(0x40000BAD, new byte[0]);                   // custom block, not copyable
        file.block(0x8000_0001, frame(7, 15));                 // local use
        final int second = file.size();
        file.enhancedPacket(0, 2, frame(61, 16), 61);
        file.block(0x0000000A, frame(40, 17));                 // decryption secrets, last in the file

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("other-blocks.pcapng"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(1, slot.frameNumber);
            assertEquals(first, slot.fileOffset);
            assertTrue(reader.next(slot));
            assertEquals(2, slot.frameNumber);
            assertEquals(second, slot.fileOffset);
            assertFalse(reader.next(slot));
            assertEquals(file.size(), reader.position());
        }
    }

    @Test
    void truncatedLastBlockFailsAfterTheCompleteFrames() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 65535)
            .enhancedPacket(0, 1, frame(60, 18), 60)
            .enhancedPacket(0, 2, frame(60, 19), 60);
        final int damaged = file.size();
        final byte[] whole = CaptureFileBuilder.pcapngBlocks(ByteOrder.LITTLE_ENDIAN)
            .enhancedPacket(0, 3, frame(1514, 20), 1514).toByteArray();
        // The third block cut after 200 of its 1548 bytes.
        file.bytes(Arrays.copyOf(whole, 200));
        final Path path = file.writeTo(dir.resolve("cut.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            assertTrue(reader.next(slot));
            assertTrue(reader.next(slot));
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(damaged, ex.offset());
            assertEquals(path + ": truncated block at byte offset " + damaged + ": header says 1548 bytes, 200 left", ex.getMessage());
            assertEquals(damaged, reader.position());
        }
    }

    @Test
    void truncatedBlockHeaderFailsAfterTheCompleteFrames() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.BIG_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 65535)
            .enhancedPacket(0, 1, frame(60, 21), 60);
        final int damaged = file.size();
        file.u32(PcapngReader.ENHANCED_PACKET_BLOCK).u16(0);
        final Path path = file.writeTo(dir.resolve("cut-header.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            assertTrue(reader.next(slot));
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(path + ": truncated block header at byte offset " + damaged + ": 8 bytes needed, 6 left", ex.getMessage());
        }
    }

    @Test
    void blockLengthNotAMultipleOfFourIsDamage() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 65535)
            .enhancedPacket(0, 1, frame(60, 22), 60);
        final int damaged = file.size();
        file.u32(PcapngReader.ENHANCED_PACKET_BLOCK).u32(13).bytes(new byte[40]);
        final Path path = file.writeTo(dir.resolve("x.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            assertTrue(reader.next(slot));
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(damaged, ex.offset());
            assertEquals(path + ": bad block length 13 at byte offset " + damaged + ": not a multiple of 4", ex.getMessage());
        }
    }

    @Test
    void blockLengthBelowTwelveIsDamage() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN);
        final int damaged = file.size();
        file.u32(0x00000BAD).u32(8).bytes(new byte[20]);
        final Path path = file.writeTo(dir.resolve("small.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(path + ": bad block length 8 at byte offset " + damaged + ": less than the 12-byte minimum", ex.getMessage());
        }
    }

    @Test
    void blockLengthBelowTheMinimumOfItsTypeIsDamage() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN);
        final int damaged = file.size();
        file.u32(PcapngReader.INTERFACE_DESCRIPTION_BLOCK).u32(4).bytes(new byte[20]);
        final Path path = file.writeTo(dir.resolve("small-idb.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(
                path + ": bad block length 4 at byte offset " + damaged + ": an interface description block needs at least 20",
                ex.getMessage());
        }

        final Path shb = CaptureFileBuilder.pcapngBlocks(ByteOrder.BIG_ENDIAN)
            .block(PcapngReader.SECTION_HEADER_BLOCK, CaptureFileBuilder.pcapngBlocks(ByteOrder.BIG_ENDIAN)
                .fields(PcapngReader.BYTE_ORDER_MAGIC, 0x00010000))
            .writeTo(dir.resolve("small-shb.pcapng"));
        assertEquals(
            shb + ": bad block length 20 at byte offset 0: a section header block needs at least 28",
            assertThrows(CaptureFileException.class, () -> CaptureFiles.open(shb)).getMessage());
    }

    @Test
    void trailingLengthThatDisagreesIsDamage() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.BIG_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 65535);
        final int damaged = file.size();
        file.u32(PcapngReader.ENHANCED_PACKET_BLOCK).u32(32).u32(0).u32(0).u32(0).u32(0).u32(0).u32(36);
        final Path path = file.writeTo(dir.resolve("trailer.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(
                path + ": bad block length 32 at byte offset " + damaged + ": the copy at the end of the block says 36",
                ex.getMessage());
        }
    }

    @Test
    void packetBlockTooShortForItsTypeIsDamage() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 65535);
        final int damaged = file.size();
        file.block(PcapngReader.ENHANCED_PACKET_BLOCK, new byte[16]);
        final Path path = file.writeTo(dir.resolve("short-epb.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(
                path + ": bad block length 28 at byte offset " + damaged + ": an enhanced packet block needs at least 32",
                ex.getMessage());
        }
    }

    @Test
    void capturedLengthBeyondTheBlockIsDamage() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(LINKTYPE_ETHERNET, 65535);
        final int damaged = file.size();
        // An EPB body with room for 8 data bytes that claims 9.
        // interface 0, time stamp 1, captured 9, original 9, then 8 bytes of data.
        file.block(PcapngReader.ENHANCED_PACKET_BLOCK, file.fields(0, 0, 1, 9, 9, 0, 0));
        final Path path = file.writeTo(dir.resolve("caplen.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(path + ": bad captured length 9 at byte offset " + damaged + ": the block has room for 8", ex.getMessage());
        }
    }

    @Test
    void packetBeforeAnyInterfaceIsDamage() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN);
        final int damaged = file.size();
        file.simplePacket(60, frame(60, 23));
        final Path path = file.writeTo(dir.resolve("no-idb.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(damaged, ex.offset());
            assertEquals(
                path + ": packet from unknown interface 0 at byte offset " + damaged +
                ": no interface description block before it in its section",
                ex.getMessage());
        }
    }

    @Test
    void badByteOrderMagicIsDamage() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN);
        final int damaged = file.size();
        file.u32(PcapngReader.SECTION_HEADER_BLOCK).u32(28).u32(0x12345678).u32(1).u32(-1).u32(-1).u32(28);
        final Path path = file.writeTo(dir.resolve("bom.pcapng"));

        try (CaptureReader reader = CaptureFiles.open(path))
        {
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(damaged + 8, ex.offset());
            // As the bytes lie in the file: 78 56 34 12.
            assertEquals(path + ": bad byte-order magic 0x78563412 at byte offset " + (damaged + 8), ex.getMessage());
        }
    }

    @Test
    void unsupportedVersionsAreRefusedAndVersionOneTwoIsRead() throws Exception
    {
        final Path old = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN, 1, 1).writeTo(dir.resolve("v11.pcapng"));
        final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> CaptureFiles.open(old));
        assertEquals(old + ": unsupported pcapng version 1.1 at byte offset 12", ex.getMessage());

        final Path twelve = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.BIG_ENDIAN, 1, 2)
            .interfaceDescription(LINKTYPE_ETHERNET, 0).enhancedPacket(0, 1, frame(60, 24), 60)
            .writeTo(dir.resolve("v12.pcapng"));
        try (CaptureReader reader = CaptureFiles.open(twelve))
        {
            assertTrue(reader.next(slot));
            assertFalse(reader.next(slot));
        }
    }

    @Test
    void interfaceTimestampOptionsAreCheckedAsLibpcapChecksThem() throws Exception
    {
        final int block = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN).size();
        final int option = block + 16;

        assertInterfaceRefused("tsresol-length.pcapng",
            section(b -> b.interfaceDescription(LINKTYPE_ETHERNET, 0, b.option(PcapngReader.IF_TSRESOL, new byte[]{6, 0}))),
            "bad if_tsresol option at byte offset " + option + ": length 2, expected 1");
        assertInterfaceRefused("tsresol-twice.pcapng",
            section(b -> b.interfaceDescription(LINKTYPE_ETHERNET, 0, b.timestampResolution(6), b.timestampResolution(9))),
            "repeated if_tsresol option at byte offset " + (option + 8));
        assertInterfaceRefused("tsresol-decimal.pcapng",
            section(b -> b.interfaceDescription(LINKTYPE_ETHERNET, 0, b.timestampResolution(20))),
            "unsupported if_tsresol 10^-20 at byte offset " + option + ": more units per second than 64 bits hold");
        assertInterfaceRefused("tsresol-binary.pcapng",
            section(b -> b.interfaceDescription(LINKTYPE_ETHERNET, 0, b.timestampResolution(0x80 | 64))),
            "unsupported if_tsresol 2^-64 at byte offset " + option + ": more units per second than 64 bits hold");
        assertInterfaceRefused("tsoffset-length.pcapng",
            section(b -> b.interfaceDescription(LINKTYPE_ETHERNET, 0, b.option(PcapngReader.IF_TSOFFSET, new byte[4]))),
            "bad if_tsoffset option at byte offset " + option + ": length 4, expected 8");
        assertInterfaceRefused("tsoffset-twice.pcapng",
            section(b -> b.interfaceDescription(LINKTYPE_ETHERNET, 0, b.timestampOffset(1), b.timestampOffset(2))),
            "repeated if_tsoffset option at byte offset " + (option + 12));
        assertInterfaceRefused("tsoffset-range.pcapng",
            section(b -> b.interfaceDescription(LINKTYPE_ETHERNET, 0, b.timestampOffset(Long.MAX_VALUE / 100))),
            "bad if_tsoffset " + (Long.MAX_VALUE / 100) + " at byte offset " + block +
            ": more seconds than nanosecond time stamps reach");
        assertInterfaceRefused("option-overrun.pcapng",
            section(b -> b.interfaceDescription(LINKTYPE_ETHERNET, 0, b.optionHeader(2, 200))),
            "bad option length 200 at byte offset " + option +
            ": option 2 overruns the interface description block at byte offset " + block);
    }

    @Test
    void otherInterfaceOptionsAndEndOfOptionsAreIgnored() throws Exception
    {
        final CaptureFileBuilder file = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.BIG_ENDIAN);
        file.interfaceDescription(LINKTYPE_ETHERNET, 0,
            file.option(2, "eth0".getBytes(StandardCharsets.US_ASCII)),         // if_name
            file.option(1, "uplink port".getBytes(StandardCharsets.US_ASCII)),  // opt_comment
            file.timestampResolution(9));
        file.enhancedPacket(0, 5, frame(60, 25), 60);

        try (CaptureReader reader = CaptureFiles.open(file.writeTo(dir.resolve("options.pcapng"))))
        {
            assertTrue(reader.next(slot));
            assertEquals(5, slot.timestampNanos);
        }
    }

    /** A little-endian section with what {@code blocks} adds after its header. */
    private static CaptureFileBuilder section(final Consumer<CaptureFileBuilder> blocks)
    {
        final CaptureFileBuilder builder = CaptureFileBuilder.pcapng().sectionHeader(ByteOrder.LITTLE_ENDIAN);
        blocks.accept(builder);
        return builder;
    }

    private void assertInterfaceRefused(final String name, final CaptureFileBuilder file, final String expected)
        throws Exception
    {
        final Path path = file.writeTo(dir.resolve(name));
        try (CaptureReader reader = CaptureFiles.open(path))
        {
            final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> reader.next(slot));
            assertEquals(path + ": " + expected, ex.getMessage());
        }
    }

    private void assertFrame(
        final long frameNumber, final long fileOffset, final long timestampNanos, final byte[] data, final int wireLength,
        final int linkType, final int interfaceId)
    {
        assertEquals(frameNumber, slot.frameNumber);
        assertEquals(fileOffset, slot.fileOffset);
        assertEquals(timestampNanos, slot.timestampNanos);
        assertEquals(data.length, slot.captureLength);
        assertEquals(wireLength, slot.wireLength);
        assertEquals(linkType, slot.linkType);
        assertEquals(interfaceId, slot.interfaceId);
        assertArrayEquals(data, Arrays.copyOf(slot.data, slot.captureLength));
    }
}
