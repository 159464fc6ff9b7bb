package io.linerate.decode;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linerate.decode.http.HttpFirstLineFlyweight;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the whole decode chain, {@link PacketDecoder#decode}, with any frame of any supported link type.
 *
 * <p>An input is: byte 0 picks the link type ({@link #LINK_TYPES}, one unsupported), bytes 1-2 the wire
 * length minus the captured length (a signed 16-bit value, so the wire length can also be shorter, which
 * is an anomaly), the rest is the frame. The frame sits in an array of exactly its size, so a read past
 * the captured bytes throws instead of reading a reused slot's stale bytes.
 *
 * <p>Checked: no exception; the anomaly code is one of {@link Anomaly}'s; the flow hash is non-negative
 * (0 without IP); the offsets that the flow shards and the record encoder read bytes at (TLS server name
 * and ALPN, payload, fragment payload) lie inside the captured frame when they are set; HTTP codes are
 * in range; and decoding the frame into a slot that held another frame before gives exactly the fields
 * of a fresh slot (ring slots are reused: no field may survive from the frame before).
 */
class PacketDecoderFuzzTest
{
    /** Every link type the decoder follows, and one it does not (DLT_USER0). */
    static final int[] LINK_TYPES = {
        LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP, LinkType.RAW,
        LinkType.RAW_DLT_12, LinkType.RAW_DLT_14, LinkType.IPV4, LinkType.IPV6, LinkType.PPP, LinkType.C_HDLC,
        LinkType.NFLOG, LinkType.IEEE802_11, LinkType.IEEE802_11_RADIOTAP, 147,
    };
    private static final int HEADER = 3;
    private static final Field[] DECODED = decodedFields();

    private final PacketDecoder decoder = new PacketDecoder();
    /** A slot reused from one input to the next, as the ring reuses its slots. */
    private final DecodedFrame reused = new DecodedFrame();

    @FuzzTest(maxDuration = "10s")
    void frame(final byte[] input)
    {
        if (input.length < HEADER)
        {
            return;
        }
        final int linkType = LINK_TYPES[(input[0] & 0xFF) % LINK_TYPES.length];
        final int wireDelta = (short)((input[1] & 0xFF) << 8 | input[2] & 0xFF);
        final byte[] frame = Arrays.copyOfRange(input, HEADER, input.length);
        final int wireLength = Math.max(0, frame.length + wireDelta);

        final DecodedFrame fresh = slot(frame, linkType, wireLength);
        fresh.data = frame;
        final int anomaly = decoder.decode(fresh);
        assertEquals(anomaly, fresh.anomaly);
        assertTrue(anomaly >= 0 && anomaly <= Anomaly.COUNT, "anomaly code " + anomaly);
        assertTrue(fresh.flowHash >= 0, "flow hash " + fresh.flowHash);
        if (fresh.ipVersion == 0)
        {
            assertEquals(0, fresh.flowHash, "a frame without IP has flow hash 0");
        }
        checkSlice(fresh, "TLS server name", fresh.tlsSniOffset, fresh.tlsSniLength);
        checkSlice(fresh, "TLS ALPN", fresh.tlsAlpnOffset, fresh.tlsAlpnLength);
        if (fresh.payloadOffset >= 0)
        {
            assertTrue(fresh.payloadOffset <= frame.length, "payload offset " + fresh.payloadOffset);
        }
        if (fresh.fragment && fresh.fragmentPayloadOffset >= 0)
        {
            assertTrue(fresh.fragmentPayloadOffset <= frame.length,
                "fragment payload offset " + fresh.fragmentPayloadOffset);
            assertTrue(fresh.fragmentPayloadLength >= 0, "fragment payload length " + fresh.fragmentPayloadLength);
        }
        assertTrue(fresh.networkOffset >= -1 && fresh.networkOffset <= frame.length, "network offset");
        assertTrue(fresh.sackBlockCount >= 0 && fresh.sackBlockCount <= DecodedFrame.MAX_SACK_BLOCKS, "SACK blocks");
        assertTrue(fresh.httpMethod >= 0 && fresh.httpMethod < HttpFirstLineFlyweight.METHODS.length, "method");
        assertTrue(fresh.httpStatus == -1 || fresh.httpStatus >= 100 && fresh.httpStatus <= 999, "status");

        // The same frame into a slot that decoded the previous input, its bytes copied as a reader copies.
        final DecodedFrame again = reused;
        again.ensureCapacity(frame.length);
        System.arraycopy(frame, 0, again.data, 0, frame.length);
        again.captureLength = frame.length;
        again.wireLength = wireLength;
        again.linkType = linkType;
        again.timestampNanos = fresh.timestampNanos;
        decoder.decode(again);
        assertEquals(fields(fresh), fields(again), "a reused slot decodes like a fresh one");
    }

    private static DecodedFrame slot(final byte[] frame, final int linkType, final int wireLength)
    {
        final DecodedFrame slot = new DecodedFrame();
        slot.captureLength = frame.length;
        slot.wireLength = wireLength;
        slot.linkType = linkType;
        slot.timestampNanos = 1;
        return slot;
    }

    private static void checkSlice(final DecodedFrame slot, final String what, final int offset, final int length)
    {
        if (length != 0)
        {
            assertTrue(length > 0 && offset >= 0 && offset + length <= slot.captureLength,
                what + " at " + offset + "+" + length + " of " + slot.captureLength + " captured bytes");
        }
    }

    /** The decoded fields of the slot: every public instance field but the frame's bytes and capture metadata. */
    private static Field[] decodedFields()
    {
        return Arrays.stream(DecodedFrame.class.getFields())
            .filter(f -> !Modifier.isStatic(f.getModifiers()))
            .filter(f -> !f.getName().equals("data"))
            .toArray(Field[]::new);
    }

    private static String fields(final DecodedFrame slot)
    {
        final StringBuilder text = new StringBuilder();
        try
        {
            for (final Field f : DECODED)
            {
                final Object value = f.get(slot);
                text.append(f.getName()).append('=');
                // Only the entries in use: VLAN ids, SACK blocks and tunnels past their counts are not read.
                final int tunnels = Math.min(slot.tunnelCount, DecodedFrame.MAX_TUNNELS);
                if (value instanceof long[] longs)
                {
                    text.append(Arrays.toString(Arrays.copyOf(longs,
                        f.getName().startsWith("tunnel") ? tunnels : slot.sackBlockCount)));
                }
                else if (value instanceof int[] ints && f.getName().startsWith("tunnel"))
                {
                    text.append(Arrays.toString(Arrays.copyOf(ints, tunnels)));
                }
                else if (value instanceof int[] ints)
                {
                    text.append(Arrays.toString(Arrays.copyOf(ints, Math.min(slot.vlanCount, DecodedFrame.MAX_VLANS))));
                }
                else
                {
                    text.append(value);
                }
                text.append(' ');
            }
        }
        catch (final IllegalAccessException ex)
        {
            throw new AssertionError(ex);
        }
        return text.toString();
    }
}
