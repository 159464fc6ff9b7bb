package io.linerate.decode.wifi;

import io.linerate.decode.Anomaly;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;

/**
 * An IEEE 802.11 MAC header (IEEE 802.11-2020 section 9.2.3): the data frames a station sends carry
 * an LLC/SNAP header and then the packet (RFC 1042), as Ethernet's 802.3 frames do. Management and
 * control frames, data frames without a body (null function), encrypted ones (the Protected Frame
 * bit), fragments and aggregated MSDUs hold no packet that can be read here: they are not IP.
 *
 * <pre>
 * frame control (2: version, type, subtype; flags: to DS, from DS, more fragments, ..., protected,
 * +HTC/order) | duration (2) | address 1 (6) | address 2 (6) | address 3 (6) | sequence control (2:
 * fragment number in the low 4 bits, little-endian) | address 4 (6, when to DS and from DS) |
 * QoS control (2, QoS data subtypes: bit 7 A-MSDU present) | HT control (4, QoS with the order bit)
 * </pre>
 */
public final class Ieee80211Layer implements LayerDecoder
{
    static final int FRAME_CONTROL_LENGTH = 2;
    static final int BASE_HEADER_LENGTH = 24;
    static final int ADDRESS_LENGTH = 6;
    static final int QOS_CONTROL_LENGTH = 2;
    static final int HT_CONTROL_LENGTH = 4;
    static final int SEQUENCE_CONTROL_OFFSET = 22;
    static final int TYPE_DATA = 2;
    /** Subtype bit of data frames: a QoS control field follows the addresses. */
    static final int SUBTYPE_QOS = 0x8;
    /** Subtype bit of data frames: the frame has no body (null function, CF-Ack, CF-Poll). */
    static final int SUBTYPE_NO_DATA = 0x4;
    static final int FLAG_TO_DS = 0x01;
    static final int FLAG_FROM_DS = 0x02;
    static final int FLAG_MORE_FRAGMENTS = 0x04;
    static final int FLAG_PROTECTED = 0x40;
    /** The +HTC (order) bit: a QoS data frame carries an HT control field. */
    static final int FLAG_ORDER = 0x80;
    static final int QOS_AMSDU_PRESENT = 0x80;
    static final int FRAGMENT_NUMBER_MASK = 0x0F;

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final byte[] buffer = cursor.buffer;
        final int captured = cursor.captureEnd - offset;
        if (captured < FRAME_CONTROL_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_IEEE80211);
        }
        final int control = buffer[offset] & 0xFF;
        final int flags = buffer[offset + 1] & 0xFF;
        final int version = control & 0x3;
        final int type = control >>> 2 & 0x3;
        final int subtype = control >>> 4;
        if (version != 0 || type != TYPE_DATA || (subtype & SUBTYPE_NO_DATA) != 0 || (flags & FLAG_PROTECTED) != 0)
        {
            return cursor.nonIp();
        }
        final boolean fourAddresses = (flags & (FLAG_TO_DS | FLAG_FROM_DS)) == (FLAG_TO_DS | FLAG_FROM_DS);
        final boolean qos = (subtype & SUBTYPE_QOS) != 0;
        final int qosControl = offset + BASE_HEADER_LENGTH + (fourAddresses ? ADDRESS_LENGTH : 0);
        final int headerLength = qosControl - offset + (qos ? QOS_CONTROL_LENGTH : 0) +
            (qos && (flags & FLAG_ORDER) != 0 ? HT_CONTROL_LENGTH : 0);
        if (captured < headerLength)
        {
            return cursor.fail(Anomaly.TRUNCATED_IEEE80211);
        }
        final int fragmentNumber = buffer[offset + SEQUENCE_CONTROL_OFFSET] & FRAGMENT_NUMBER_MASK;
        if ((flags & FLAG_MORE_FRAGMENTS) != 0 || fragmentNumber != 0 ||
            qos && (buffer[qosControl] & QOS_AMSDU_PRESENT) != 0)
        {
            return cursor.nonIp();
        }
        cursor.next = offset + headerLength;
        return Layer.LLC_SNAP;
    }
}
