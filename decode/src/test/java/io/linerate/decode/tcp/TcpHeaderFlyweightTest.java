package io.linerate.decode.tcp;

import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FrameBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpHeaderFlyweightTest
{
    private final TcpHeaderFlyweight tcp = new TcpHeaderFlyweight();
    private final DecodedFrame slot = new DecodedFrame();

    @BeforeEach
    void clear()
    {
        slot.clearDecoded();
    }

    @Test
    void readsTheFixedHeader()
    {
        final byte[] header = new FrameBuilder()
            .hex("ffff")                // padding before the header: offsets are relative
            .hex("c822 01bb f0000001 80000000 51ff 8001 28f4 0102")
            .toBytes();
        tcp.wrap(header, 2, 20);

        assertEquals(2, tcp.offset());
        assertEquals(20, tcp.length());
        assertEquals(51234, tcp.sourcePort());
        assertEquals(443, tcp.destinationPort());
        assertEquals(0xF000_0001L, tcp.sequenceNumber());
        assertEquals(0x8000_0000L, tcp.acknowledgmentNumber());
        assertEquals(5, tcp.dataOffset());
        assertEquals(20, tcp.headerLength());
        assertEquals(TcpFlags.MASK, tcp.flags());
        assertEquals(32769, tcp.window());
        assertEquals(0x28F4, tcp.checksum());
        assertEquals(0x0102, tcp.urgentPointer());
    }

    @Test
    void walksTheOptionsWithoutWritingAnything()
    {
        // NOP, NOP, timestamps, MSS, then EOL and padding.
        final byte[] bytes = header("a010", "0101 080a 00000064 000000c8 020405b4 00 000000");
        final byte[] before = bytes.clone();
        tcp.wrap(bytes, 0, bytes.length);
        final StringBuilder walk = new StringBuilder();
        for (int at = tcp.firstOption(); at >= 0; at = tcp.nextOption(at))
        {
            walk.append(at).append(':').append(tcp.optionKind(at)).append('/').append(tcp.optionLength(at)).append(' ');
        }
        assertEquals("20:1/1 21:1/1 22:8/10 32:2/4 ", walk.toString());
        assertEquals(100, tcp.optionUint32(22, 2));
        assertEquals(1460, tcp.optionUint16(32, 2));
        assertArrayEquals(before, bytes);

        // a length running past the header ends the walk as malformed
        final byte[] past = header("6010", "01 01 080a");
        tcp.wrap(past, 0, past.length);
        assertEquals(TcpHeaderFlyweight.OPTIONS_MALFORMED, tcp.nextOption(tcp.nextOption(tcp.firstOption())));
    }

    @Test
    void reservedBitsAreNotFlags()
    {
        // Data offset 5, the three reserved bits set, NS clear; SYN.
        tcp.wrap(header("5e02", ""), 0, 20);
        assertEquals(TcpFlags.SYN, tcp.flags());
    }

    @Test
    void readsFourSackBlocks()
    {
        // Data offset 15 but only 36 option bytes used: pad the rest with EOL.
        final byte[] bytes = header("f010",
            "0101 0522 00000001 00000002 00000003 00000004 00000005 00000006 00000007 00000008 0000");
        tcp.wrap(bytes, 0, bytes.length);

        assertTrue(TcpLayer.copyOptions(tcp, slot));
        assertEquals(4, slot.sackBlockCount);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(2 * i + 1, slot.sackLeft[i]);
            assertEquals(2 * i + 2, slot.sackRight[i]);
        }
    }

    @Test
    void endOfOptionListStopsTheWalk()
    {
        // After EOL the bytes are padding, even if they look like an MSS option.
        final byte[] bytes = header("7010", "01 00 0000 020405b4");
        tcp.wrap(bytes, 0, bytes.length);

        assertTrue(TcpLayer.copyOptions(tcp, slot));
        assertEquals(-1, slot.mss);
        assertEquals(-1, slot.windowScale);
    }

    @Test
    void stepsOverUnknownKinds()
    {
        // TCP Fast Open cookie (34, length 10), then timestamps.
        final byte[] bytes = header("a010", "220a 0102030405060708 080a 00000064 000000c8");
        tcp.wrap(bytes, 0, bytes.length);

        assertTrue(TcpLayer.copyOptions(tcp, slot));
        assertTrue(slot.timestampsPresent);
        assertEquals(100, slot.tsVal);
        assertEquals(200, slot.tsEcr);
    }

    @Test
    void wrongLengthForAKnownKindIsSkippedByItsLength()
    {
        // MSS with length 3, then a good window scale of 14.
        final byte[] bytes = header("7010", "020305 01 03030e 00");
        tcp.wrap(bytes, 0, bytes.length);

        assertFalse(TcpLayer.copyOptions(tcp, slot));
        assertEquals(-1, slot.mss);
        assertEquals(14, slot.windowScale);
    }

    @Test
    void zeroLengthOptionStopsTheWalk()
    {
        final byte[] bytes = header("7010", "0400 03030700");
        tcp.wrap(bytes, 0, bytes.length);

        assertFalse(TcpLayer.copyOptions(tcp, slot));
        assertFalse(slot.sackPermitted);
        assertEquals(-1, slot.windowScale);
    }

    @Test
    void optionPastTheHeaderIsMalformed()
    {
        final byte[] bytes = header("6010", "01 01 080a");
        tcp.wrap(bytes, 0, bytes.length);
        assertFalse(TcpLayer.copyOptions(tcp, slot));

        // A kind byte in the last position, with no room for its length.
        final byte[] noLength = header("6010", "010101 02");
        tcp.wrap(noLength, 0, noLength.length);
        assertFalse(TcpLayer.copyOptions(tcp, slot));
    }

    @Test
    void sackLengthMustBeTwoPlusBlocks()
    {
        final byte[] empty = header("6010", "0502 0000");
        tcp.wrap(empty, 0, empty.length);
        assertFalse(TcpLayer.copyOptions(tcp, slot));

        slot.clearDecoded();
        final byte[] ragged = header("8010", "050c 00000001 00000002 0000 0000");
        tcp.wrap(ragged, 0, ragged.length);
        assertFalse(TcpLayer.copyOptions(tcp, slot));
        assertEquals(0, slot.sackBlockCount);
    }

    @Test
    void sackPermittedAndWindowScaleAsSent()
    {
        // A shift of 15 is stored as sent; RFC 7323 §2.3 clamping is the consumer's.
        final byte[] bytes = header("7002", "0402 03030f 000000");
        tcp.wrap(bytes, 0, bytes.length);

        assertTrue(TcpLayer.copyOptions(tcp, slot));
        assertTrue(slot.sackPermitted);
        assertEquals(15, slot.windowScale);
    }

    /** A 20-byte header with the given data-offset/flags word and options appended. */
    private static byte[] header(final String offsetAndFlags, final String options)
    {
        return new FrameBuilder()
            .hex("1f90 c350 00000001 00000002").hex(offsetAndFlags).hex("ffff 0000 0000")
            .hex(options)
            .toBytes();
    }
}
