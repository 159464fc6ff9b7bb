package io.linerate.decode.ethernet;

import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.NetworkOrder;

/**
 * Provider backbone bridging (IEEE 802.1ah I-TAG) and Cisco FabricPath: a whole customer Ethernet
 * frame follows their header. The layer steps over the header and the inner MAC addresses to the
 * inner EtherType.
 */
public final class MacInMacLayer implements LayerDecoder
{
    /** Destination and source MAC addresses of the inner Ethernet frame. */
    private static final int INNER_MAC_ADDRESSES_LENGTH = 12;
    private static final int ETHERNET_FCS_LENGTH = 4;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final int etherType = cursor.etherType;
        final int inner = offset + EtherType.macInMacHeaderLength(etherType) + INNER_MAC_ADDRESSES_LENGTH;
        if (etherType == EtherType.FABRICPATH)
        {
            // A FabricPath frame ends with the inner frame's FCS (as Wireshark reads it).
            cursor.wireEnd = Math.max(inner, cursor.wireEnd - ETHERNET_FCS_LENGTH);
            cursor.captureEnd = Math.min(cursor.captureEnd, cursor.wireEnd);
        }
        if (cursor.captureEnd - inner < 2)
        {
            return cursor.fail(Anomaly.TRUNCATED_ETHERNET);
        }
        final int innerEtherType = NetworkOrder.uint16(cursor.buffer, inner);
        if (cursor.slot.vlanCount > 0 && !EtherType.isVlanTag(innerEtherType) && !EtherType.isMacInMac(innerEtherType))
        {
            cursor.census[Census.VLAN_TAGGED]++;
        }
        return cursor.byEtherType(innerEtherType, inner + 2);
    }
}
