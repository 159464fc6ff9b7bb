package io.linerate.decode.ip;

import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;

/**
 * An IPv4 header (RFC 791): checks it, writes the addresses, TTL, identification and fragment
 * fields, and hands the payload to the layer its protocol number selects. The same layer reads the
 * IPv4 header an ICMP error quotes ({@link #decodeQuoted}).
 *
 * <p>The datagram's extent is its total length; a total length of 0 (an offload super-packet) is
 * taken from the wire, and one past the frame is clamped to it, as Wireshark does (both counted).
 */
public final class Ipv4Layer implements LayerDecoder
{
    private final Ipv4HeaderFlyweight ipv4 = new Ipv4HeaderFlyweight();

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final DecodedFrame slot = cursor.slot;
        slot.networkOffset = offset;
        final int captured = cursor.captureEnd - offset;
        // The version nibble first: a packet of the other version is that, not a short header.
        if (captured > 0 && cursor.versionAt(offset) != Ipv4HeaderFlyweight.VERSION)
        {
            return cursor.fail(Anomaly.BAD_IP_VERSION);
        }
        if (captured < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_IPV4_HEADER);
        }
        final Ipv4HeaderFlyweight ipv4 = this.ipv4.wrap(cursor.buffer, offset, captured);
        final int headerLength = ipv4.headerLength();
        if (headerLength < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            // RFC 791 §3.1: "the minimum value for a correct header is 5".
            return cursor.fail(Anomaly.BAD_IP_HEADER_LENGTH);
        }
        final int totalLength = datagramLength(cursor, ipv4.totalLength(), cursor.wireEnd - offset);
        if (totalLength < headerLength)
        {
            return cursor.fail(Anomaly.BAD_IP_TOTAL_LENGTH);
        }
        if (headerLength > captured)
        {
            return cursor.fail(Anomaly.TRUNCATED_IPV4_HEADER);
        }

        final int protocol = ipv4.protocol();
        final int fragmentOffset = ipv4.fragmentOffset();
        slot.ipVersion = Ipv4HeaderFlyweight.VERSION;
        slot.ttl = ipv4.ttl();
        slot.srcLo = ipv4.sourceAddress();
        slot.dstLo = ipv4.destinationAddress();
        slot.ipId = ipv4.identification();
        slot.fragmentOffset = fragmentOffset;
        slot.moreFragments = ipv4.moreFragments();
        slot.fragment = fragmentOffset != 0 || slot.moreFragments;
        cursor.census[Census.IPV4]++;

        final int payloadOffset = offset + headerLength;
        final int payloadLength = totalLength - headerLength;
        if (slot.fragment)
        {
            return fragment(cursor, slot, protocol, payloadOffset, payloadLength);
        }
        return cursor.byProtocol(protocol, payloadOffset, payloadLength, false);
    }

    /**
     * The datagram's length: its total length field, or the wire's when that is 0 (an offload
     * super-packet captured before segmentation) or when the frame ends first (Wireshark clamps it
     * the same way and goes on).
     */
    private static int datagramLength(final DecodeCursor cursor, final int totalLength, final int onWire)
    {
        if (totalLength == 0)
        {
            cursor.census[Census.IP_LENGTH_FROM_WIRE]++;
            return onWire;
        }
        if (totalLength > onWire)
        {
            cursor.census[Census.IP_LENGTH_CLAMPED_TO_FRAME]++;
            return onWire;
        }
        return totalLength;
    }

    /** A fragment: the first goes on to its transport header as far as it goes, the others end here. */
    private static int fragment(
        final DecodeCursor cursor, final DecodedFrame slot, final int protocol, final int payloadOffset,
        final int payloadLength)
    {
        // RFC 791 §3.2: the fragment offset counts from the end of the IP header.
        cursor.census[Census.IP_FRAGMENT]++;
        slot.fragmentPayloadOffset = payloadOffset;
        slot.fragmentPayloadLength = payloadLength;
        if (slot.fragmentOffset != 0)
        {
            return nonFirstFragment(cursor, protocol, payloadOffset, payloadLength);
        }
        return cursor.byProtocol(protocol, payloadOffset, payloadLength, true);
    }

    /**
     * The IPv4 header and first 8 data bytes an ICMP error quotes (RFC 792; RFC 1812 §4.3.2.3 lets
     * routers quote more), up to {@link DecodeCursor#quoteEnd}. The quoted total length describes
     * the original datagram, not the quote, so it is not checked.
     */
    public int decodeQuoted(final DecodeCursor cursor, final int offset)
    {
        final int quoteEnd = cursor.quoteEnd;
        final int available = quoteEnd - offset;
        if (available < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_ICMP_QUOTE);
        }
        final Ipv4HeaderFlyweight quoted = ipv4.wrap(cursor.buffer, offset, available);
        if (quoted.version() != Ipv4HeaderFlyweight.VERSION)
        {
            return cursor.fail(Anomaly.BAD_ICMP_QUOTE);
        }
        final int headerLength = quoted.headerLength();
        if (headerLength < Ipv4HeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.BAD_ICMP_QUOTE);
        }
        if (headerLength > available)
        {
            return cursor.fail(Anomaly.TRUNCATED_ICMP_QUOTE);
        }
        cursor.quotedSrcHi = 0;
        cursor.quotedSrcLo = quoted.sourceAddress();
        cursor.quotedDstHi = 0;
        cursor.quotedDstLo = quoted.destinationAddress();
        return cursor.byQuotedProtocol(
            Ipv4HeaderFlyweight.VERSION, quoted.protocol(), offset + headerLength, quoted.fragmentOffset() != 0);
    }

    /** A fragment with an offset: the bytes are the middle of a payload, no transport header. */
    static int nonFirstFragment(
        final DecodeCursor cursor, final int protocol, final int payloadOffset, final int payloadLength)
    {
        cursor.census[Census.NON_FIRST_FRAGMENT]++;
        final DecodedFrame slot = cursor.slot;
        slot.ipProtocol = protocol;
        slot.payloadOffset = payloadOffset;
        slot.payloadLength = payloadLength;
        return Layer.END;
    }
}
