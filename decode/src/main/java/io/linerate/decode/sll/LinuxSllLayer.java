package io.linerate.decode.sll;

import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.LayerDecoder;

/**
 * Linux cooked capture, version 1 (LINKTYPE_LINUX_SLL) or 2 (LINKTYPE_LINUX_SLL2): the protocol
 * field is an EtherType; netlink messages are not IP.
 */
public final class LinuxSllLayer implements LayerDecoder
{
    private final boolean version2;
    private final LinuxSllHeaderFlyweight sll = new LinuxSllHeaderFlyweight();
    private final LinuxSll2HeaderFlyweight sll2 = new LinuxSll2HeaderFlyweight();

    /** @param version2 the header is SLL2's (20 bytes), else SLL's (16 bytes) */
    public LinuxSllLayer(final boolean version2)
    {
        this.version2 = version2;
    }

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final int captured = cursor.captureEnd - offset;
        if (version2)
        {
            if (captured < LinuxSll2HeaderFlyweight.HEADER_LENGTH)
            {
                return cursor.fail(Anomaly.TRUNCATED_LINUX_SLL2);
            }
            sll2.wrap(cursor.buffer, offset, captured);
            if (sll2.arpHardwareType() == ArpHardwareType.NETLINK)
            {
                return cursor.nonIp();
            }
            return cursor.byEtherType(sll2.protocol(), offset + LinuxSll2HeaderFlyweight.HEADER_LENGTH);
        }
        if (captured < LinuxSllHeaderFlyweight.HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_LINUX_SLL);
        }
        sll.wrap(cursor.buffer, offset, captured);
        if (sll.arpHardwareType() == ArpHardwareType.NETLINK)
        {
            return cursor.nonIp();
        }
        return cursor.byEtherType(sll.protocol(), offset + LinuxSllHeaderFlyweight.HEADER_LENGTH);
    }
}
