package io.linerate.decode;


import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Builds test frames byte by byte. Header helpers write every field explicitly (checksums 0: the
 * decoder does not verify them), in network byte order.
 */
public final class FrameBuilder
{
    private byte[] bytes = new byte[128];
    private int length;

    public FrameBuilder u8(final int value)
    {
        ensure(1);
        bytes[length++] = (byte)value;
        return this;
    }

    public FrameBuilder u16(final int value)
    {
        return u8(value >>> 8).u8(value);
    }

    public FrameBuilder u32(final long value)
    {
        return u16((int)(value >>> 16) & 0xFFFF).u16((int)value & 0xFFFF);
    }

    /** Appends hex digits; spaces and newlines are ignored. */
    public FrameBuilder hex(final String hex)
    {
        final String digits = hex.replaceAll("\\s", "");
        for (int i = 0; i < digits.length(); i += 2)
        {
            u8(Integer.parseInt(digits.substring(i, i + 2), 16));
        }
        return this;
    }

    /** Appends {@code count} bytes of {@code source} from {@code from} (a slice of a datagram, as a fragment carries). */
    public FrameBuilder bytes(final byte[] source, final int from, final int count)
    {
        ensure(count);
        System.arraycopy(source, from, bytes, length, count);
        length += count;
        return this;
    }

    public FrameBuilder zeros(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            u8(0);
        }
        return this;
    }

    public FrameBuilder address(final String literal)
    {
        for (final byte b : addressBytes(literal))
        {
            u8(b);
        }
        return this;
    }

    /** Appends what {@code headers} appends (a helper that builds a stack of headers). */
    public FrameBuilder apply(final java.util.function.UnaryOperator<FrameBuilder> headers)
    {
        return headers.apply(this);
    }

    /** Overwrites a 16-bit field already written (a length known only at the end). */
    public FrameBuilder setU16(final int index, final int value)
    {
        bytes[index] = (byte)(value >>> 8);
        bytes[index + 1] = (byte)value;
        return this;
    }

    public int length()
    {
        return length;
    }

    public byte[] toBytes()
    {
        return Arrays.copyOf(bytes, length);
    }

    /** A slot holding the whole frame as captured and on the wire. */
    public DecodedFrame slot(final int linkType)
    {
        return slot(linkType, length, length);
    }

    public DecodedFrame slot(final int linkType, final int captureLength, final int wireLength)
    {
        return fill(new DecodedFrame(), linkType, toBytes(), captureLength, wireLength);
    }

    public static DecodedFrame fill(
        final DecodedFrame slot, final int linkType, final byte[] frame, final int captureLength, final int wireLength)
    {
        slot.ensureCapacity(frame.length);
        System.arraycopy(frame, 0, slot.data, 0, frame.length);
        slot.linkType = linkType;
        slot.captureLength = captureLength;
        slot.wireLength = wireLength;
        return slot;
    }

    // ---- headers ----------------------------------------------------------------------------

    /** Ethernet II: destination 00:11:22:33:44:55, source 66:77:88:99:aa:bb. */
    public FrameBuilder ethernet(final int etherType)
    {
        return hex("001122334455 66778899aabb").u16(etherType);
    }

    /** IPv4 header without options (IHL 5), TOS 0, checksum 0. */
    public FrameBuilder ipv4(
        final int totalLength,
        final int identification,
        final int flagsAndFragmentOffset,
        final int ttl,
        final int protocol,
        final String source,
        final String destination)
    {
        return u8(0x45).u8(0).u16(totalLength)
            .u16(identification).u16(flagsAndFragmentOffset)
            .u8(ttl).u8(protocol).u16(0)
            .address(source).address(destination);
    }

    /** IPv6 fixed header, traffic class 0, flow label 0. */
    public FrameBuilder ipv6(
        final int payloadLength, final int nextHeader, final int hopLimit, final String source, final String destination)
    {
        return u32(0x6000_0000L).u16(payloadLength).u8(nextHeader).u8(hopLimit).address(source).address(destination);
    }

    /** TCP header without options unless dataOffset > 5 (then the caller appends them); checksum 0. */
    public FrameBuilder tcp(
        final int sourcePort,
        final int destinationPort,
        final long sequence,
        final long acknowledgment,
        final int dataOffset,
        final int flags,
        final int window)
    {
        return u16(sourcePort).u16(destinationPort).u32(sequence).u32(acknowledgment)
            .u8(dataOffset << 4 | flags >>> 8 & 0x01).u8(flags & 0xFF).u16(window)
            .u16(0).u16(0);
    }

    public FrameBuilder udp(final int sourcePort, final int destinationPort, final int datagramLength)
    {
        return u16(sourcePort).u16(destinationPort).u16(datagramLength).u16(0);
    }

    public static byte[] addressBytes(final String literal)
    {
        try
        {
            return InetAddress.getByName(literal).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(literal, ex);
        }
    }

    /** An IPv4 address as the slot holds it (low 32 bits). */
    public static long ipv4(final String literal)
    {
        final byte[] a = addressBytes(literal);
        return (a[0] & 0xFFL) << 24 | (a[1] & 0xFFL) << 16 | (a[2] & 0xFFL) << 8 | a[3] & 0xFFL;
    }

    /** High 64 bits of an IPv6 address. */
    public static long ipv6High(final String literal)
    {
        return toLong(addressBytes(literal), 0);
    }

    /** Low 64 bits of an IPv6 address. */
    public static long ipv6Low(final String literal)
    {
        return toLong(addressBytes(literal), 8);
    }

    private static long toLong(final byte[] bytes, final int from)
    {
        long value = 0;
        for (int i = from; i < from + 8; i++)
        {
            value = value << 8 | bytes[i] & 0xFF;
        }
        return value;
    }

    private void ensure(final int more)
    {
        if (length + more > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
