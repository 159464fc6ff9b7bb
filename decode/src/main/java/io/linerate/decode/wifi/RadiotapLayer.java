package io.linerate.decode.wifi;

import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * Radiotap (LINKTYPE_IEEE802_11_RADIOTAP, https://www.radiotap.org): the header a Wi-Fi card in
 * monitor mode puts before each 802.11 frame, saying what it knows of the radio. Only two things
 * matter here: its length, which says where the 802.11 frame starts, and its Flags field's "frame
 * includes FCS" bit, which says the frame ends with a 4-byte frame check sequence that is not part
 * of the packet.
 *
 * <pre>
 * | version (0) | pad | length (LE16) | present (LE32) [present (LE32) while bit 31 is set] | fields |
 * fields, each aligned to its size from the start of the header, in the order of their bits:
 *   bit 0 TSFT (8 bytes), bit 1 Flags (1 byte: 0x10 FCS at end), ...
 * </pre>
 */
public final class RadiotapLayer implements LayerDecoder
{
    /** Version, pad, length and the first present word. */
    static final int MIN_LENGTH = 8;
    static final int LENGTH_OFFSET = 2;
    static final int PRESENT_OFFSET = 4;
    static final int PRESENT_TSFT = 1;
    static final int PRESENT_FLAGS = 1 << 1;
    /** Another present word follows this one. */
    static final int PRESENT_EXTENDED = 1 << 31;
    static final int TSFT_LENGTH = 8;
    /** Flags: the frame includes the FCS at its end. */
    static final int FLAG_FCS_AT_END = 0x10;
    static final int FCS_LENGTH = 4;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final int captured = cursor.captureEnd - offset;
        if (captured < MIN_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_IEEE80211);
        }
        if (buffer[offset] != 0)
        {
            return cursor.nonIp(); // a radiotap version that does not exist: nothing to read
        }
        final int length = NetworkOrder.uint16LittleEndian(buffer, offset + LENGTH_OFFSET);
        if (length < MIN_LENGTH || length > captured)
        {
            return cursor.fail(Anomaly.TRUNCATED_IEEE80211);
        }
        final int end = offset + length;
        final int present = NetworkOrder.int32LittleEndian(buffer, offset + PRESENT_OFFSET);
        int at = offset + PRESENT_OFFSET;
        for (int word = present; (word & PRESENT_EXTENDED) != 0; word = NetworkOrder.int32LittleEndian(buffer, at))
        {
            at += 4;
            if (at + 4 > end)
            {
                return cursor.fail(Anomaly.TRUNCATED_IEEE80211);
            }
        }
        at += 4;
        if ((present & PRESENT_TSFT) != 0)
        {
            at = offset + align(at - offset, TSFT_LENGTH) + TSFT_LENGTH;
        }
        if ((present & PRESENT_FLAGS) != 0 && at < end && (buffer[at] & FLAG_FCS_AT_END) != 0 &&
            cursor.wireEnd - end >= FCS_LENGTH)
        {
            cursor.wireEnd -= FCS_LENGTH;
            cursor.captureEnd = Math.min(cursor.captureEnd, cursor.wireEnd);
        }
        cursor.next = end;
        return Layer.IEEE802_11;
    }

    private static int align(final int offset, final int size)
    {
        return (offset + size - 1) & -size;
    }
}
