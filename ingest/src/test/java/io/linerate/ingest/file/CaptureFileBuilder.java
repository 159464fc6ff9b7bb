package io.linerate.ingest.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes pcap and pcapng bytes field by field, in a chosen byte order, so tests state exactly what a
 * file holds and where each record starts ({@link #size()} before adding it).
 */
final class CaptureFileBuilder
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    private CaptureFileBuilder(final ByteOrder order)
    {
        this.order = order;
    }

    // ---- pcap ---------------------------------------------------------------------------------

    /** A pcap file header: version 2.4, the given magic (written in {@code order}), snaplen and link-type field. */
    static CaptureFileBuilder pcap(final ByteOrder order, final int magic, final int snapLength, final int linkTypeField)
    {
        return pcap(order, magic, 2, 4, snapLength, linkTypeField);
    }

    static CaptureFileBuilder pcap(
        final ByteOrder order, final int magic, final int major, final int minor, final int snapLength, final int linkTypeField)
    {
        final CaptureFileBuilder builder = new CaptureFileBuilder(order);
        builder.u32(magic).u16(major).u16(minor).u32(0).u32(0).u32(snapLength).u32(linkTypeField);
        return builder;
    }

    /** A pcap record header with {@code data} as its captured bytes and incl_len = data.length. */
    CaptureFileBuilder pcapRecord(final long seconds, final long fraction, final byte[] data, final int originalLength)
    {
        return pcapRecordHeader(seconds, fraction, data.length, originalLength).bytes(data);
    }

    /** A pcap record header alone: incl_len may differ from what follows (truncation, damage). */
    CaptureFileBuilder pcapRecordHeader(final long seconds, final long fraction, final long inclLength, final long originalLength)
    {
        return u32(seconds).u32(fraction).u32(inclLength).u32(originalLength);
    }

    /** A record of Kuznetzov's modified pcap: the 16-byte header plus ifindex, protocol, pkt_type, pad. */
    CaptureFileBuilder modifiedPcapRecord(
        final long seconds, final long micros, final byte[] data, final int originalLength,
        final int ifIndex, final int protocol, final int packetType)
    {
        return pcapRecordHeader(seconds, micros, data.length, originalLength)
            .u32(ifIndex).u16(protocol).u8(packetType).u8(0)
            .bytes(data);
    }

    // ---- pcapng -------------------------------------------------------------------------------

    /** An empty pcapng file; start it with {@link #sectionHeader(ByteOrder)}. */
    static CaptureFileBuilder pcapng()
    {
        return new CaptureFileBuilder(ByteOrder.LITTLE_ENDIAN);
    }

    /** Blocks in {@code order} for the middle of a pcapng file: no section header in front. */
    static CaptureFileBuilder pcapngBlocks(final ByteOrder order)
    {
        return new CaptureFileBuilder(order);
    }

    /** A section header block, version 1.0, unknown section length, and the byte order of what follows. */
    CaptureFileBuilder sectionHeader(final ByteOrder order)
    {
        return sectionHeader(order, 1, 0);
    }

    CaptureFileBuilder sectionHeader(final ByteOrder order, final int major, final int minor)
    {
        this.order = order;
        final ByteBuffer body = body(16).putInt(PcapngReader.BYTE_ORDER_MAGIC).putShort((short)major)
            .putShort((short)minor).putLong(-1L);
        return block(PcapngReader.SECTION_HEADER_BLOCK, body.array());
    }

    /** An interface description block with the given options (each from {@link #option}) and opt_endofopt. */
    CaptureFileBuilder interfaceDescription(final int linkType, final int snapLength, final byte[]... options)
    {
        int optionBytes = 0;
        for (final byte[] option : options)
        {
            optionBytes += option.length;
        }
        final ByteBuffer body = body(8 + optionBytes + (options.length > 0 ? 4 : 0));
        body.putShort((short)linkType).putShort((short)0).putInt(snapLength);
        for (final byte[] option : options)
        {
            body.put(option);
        }
        if (options.length > 0)
        {
            body.putInt(0);
        }
        return block(PcapngReader.INTERFACE_DESCRIPTION_BLOCK, body.array());
    }

    /** One option: code, length, value padded to 4 bytes, in the current byte order. */
    byte[] option(final int code, final byte[] value)
    {
        final ByteBuffer option = body(4 + padded(value.length));
        option.putShort((short)code).putShort((short)value.length).put(value);
        return option.array();
    }

    /** An option header alone, claiming {@code length} bytes of value that do not follow. */
    byte[] optionHeader(final int code, final int length)
    {
        return body(4).putShort((short)code).putShort((short)length).array();
    }

    /** if_tsresol with the raw option byte (bit 7 set: 2^-n, clear: 10^-n). */
    byte[] timestampResolution(final int value)
    {
        return option(PcapngReader.IF_TSRESOL, new byte[]{(byte)value});
    }

    /** if_tsoffset in seconds. */
    byte[] timestampOffset(final long seconds)
    {
        return option(PcapngReader.IF_TSOFFSET, body(8).putLong(seconds).array());
    }

    CaptureFileBuilder enhancedPacket(final int interfaceId, final long ticks, final byte[] data, final int originalLength)
    {
        final ByteBuffer body = body(20 + padded(data.length));
        body.putInt(interfaceId).putInt((int)(ticks >>> 32)).putInt((int)ticks).putInt(data.length)
            .putInt(originalLength).put(data);
        return block(PcapngReader.ENHANCED_PACKET_BLOCK, body.array());
    }

    CaptureFileBuilder simplePacket(final int originalLength, final byte[] data)
    {
        final ByteBuffer body = body(4 + padded(data.length));
        body.putInt(originalLength).put(data);
        return block(PcapngReader.SIMPLE_PACKET_BLOCK, body.array());
    }

    CaptureFileBuilder obsoletePacket(
        final int interfaceId, final int drops, final long ticks, final byte[] data, final int originalLength)
    {
        final ByteBuffer body = body(20 + padded(data.length));
        body.putShort((short)interfaceId).putShort((short)drops).putInt((int)(ticks >>> 32)).putInt((int)ticks)
            .putInt(data.length).putInt(originalLength).put(data);
        return block(PcapngReader.OBSOLETE_PACKET_BLOCK, body.array());
    }

    /** Any block: type, total length, body (padded to 4), total length. */
    CaptureFileBuilder block(final int type, final byte[] body)
    {
        final int totalLength = 12 + padded(body.length);
        u32(type).u32(totalLength).bytes(body);
        for (int i = body.length; i < padded(body.length); i++)
        {
            u8(0);
        }
        return u32(totalLength);
    }

    // ---- raw fields ---------------------------------------------------------------------------

    /** 32-bit fields in the current byte order, for hand-made block bodies. */
    byte[] fields(final int... values)
    {
        final ByteBuffer fields = body(4 * values.length);
        for (final int value : values)
        {
            fields.putInt(value);
        }
        return fields.array();
    }

    CaptureFileBuilder u8(final int value)
    {
        out.write(value);
        return this;
    }

    CaptureFileBuilder u16(final int value)
    {
        return bytes(body(2).putShort((short)value).array());
    }

    CaptureFileBuilder u32(final long value)
    {
        return bytes(body(4).putInt((int)value).array());
    }

    CaptureFileBuilder bytes(final byte[] bytes)
    {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** Bytes written so far: the offset of whatever is added next. */
    int size()
    {
        return out.size();
    }

    byte[] toByteArray()
    {
        return out.toByteArray();
    }

    /** Writes the bytes to {@code file} and returns it. */
    Path writeTo(final Path file)
    {
        try
        {
            return Files.write(file, out.toByteArray());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code length} bytes, {@code (seed + i) * 31} each, so frames are told apart by their content. */
    static byte[] frame(final int length, final int seed)
    {
        final byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)((seed + i) * 31);
        }
        return data;
    }

    private ByteBuffer body(final int length)
    {
        return ByteBuffer.allocate(length).order(order);
    }

    private static int padded(final int length)
    {
        return (length + 3) & ~3;
    }
}
