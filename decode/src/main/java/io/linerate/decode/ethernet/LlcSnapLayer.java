package io.linerate.decode.ethernet;

import io.linerate.decode.DecodeCursor;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * An IEEE 802.3 frame (a length, not an EtherType): IP is carried in an LLC/SNAP header with OUI 0
 * (RFC 1042); anything else is not IP.
 */
public final class LlcSnapLayer implements LayerDecoder
{
    /** LLC DSAP and SSAP 0xAA: a SNAP header follows (IEEE 802-2014 section 10.3). */
    private static final int LLC_SNAP_SAPS = 0xAAAA;
    /** LLC control field of unnumbered information frames. */
    private static final int LLC_UNNUMBERED_INFORMATION = 0x03;
    /** LLC (3 bytes) plus SNAP OUI (3) and EtherType (2). */
    private static final int SNAP_HEADER_LENGTH = 8;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        if (cursor.captureEnd - offset < SNAP_HEADER_LENGTH || NetworkOrder.uint16(buffer, offset) != LLC_SNAP_SAPS ||
            NetworkOrder.uint8(buffer, offset + 2) != LLC_UNNUMBERED_INFORMATION ||
            (NetworkOrder.uint32(buffer, offset + 2) & 0xFFFFFF) != 0)
        {
            return cursor.nonIp();
        }
        final int etherType = NetworkOrder.uint16(buffer, offset + SNAP_HEADER_LENGTH - 2);
        if (etherType < EtherType.MIN_ETHERTYPE)
        {
            return cursor.nonIp();
        }
        return cursor.byEtherType(etherType, offset + SNAP_HEADER_LENGTH);
    }
}
