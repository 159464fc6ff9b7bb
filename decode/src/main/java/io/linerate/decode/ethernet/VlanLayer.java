package io.linerate.decode.ethernet;

import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.LayerDecoder;

/**
 * An 802.1Q or 802.1ad tag (QinQ at any depth: each tag is one layer). The first
 * {@link DecodedFrame#MAX_VLANS} ids are kept, outermost first; deeper ones are stepped over and counted.
 */
public final class VlanLayer implements LayerDecoder
{
    private final VlanTagFlyweight vlanTag = new VlanTagFlyweight();

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final int captured = cursor.captureEnd - offset;
        if (captured < VlanTagFlyweight.LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_VLAN);
        }
        vlanTag.wrap(cursor.buffer, offset, captured);
        final DecodedFrame slot = cursor.slot;
        if (slot.vlanCount < DecodedFrame.MAX_VLANS)
        {
            slot.vlans[slot.vlanCount] = vlanTag.vlanId();
        }
        slot.vlanCount++;
        final int etherType = vlanTag.encapsulatedEtherType();
        if (!EtherType.isVlanTag(etherType) && !EtherType.isMacInMac(etherType))
        {
            // The tag stack ends here: the frame counts once as tagged.
            cursor.census[Census.VLAN_TAGGED]++;
        }
        return cursor.byEtherType(etherType, offset + VlanTagFlyweight.LENGTH);
    }
}
