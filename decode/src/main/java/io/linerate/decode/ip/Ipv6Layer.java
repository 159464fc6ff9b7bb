package io.linerate.decode.ip;

import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.LayerDecoder;

/**
 * An IPv6 header (RFC 8200) and its extension header chain: writes the addresses, hop limit and
 * Fragment header fields, and hands the upper-layer payload to the layer its protocol selects. The
 * same layer reads the IPv6 packet an ICMPv6 error quotes ({@link #decodeQuoted}).
 *
 * <p>A payload length of 0 with a next header other than No Next Header (a jumbogram, RFC 2675 §3,
 * or an offload super-packet) is taken from the wire, and one past the frame is clamped to it.
 */
public final class Ipv6Layer implements LayerDecoder
{
    private final Ipv6HeaderFlyweight ipv6 = new Ipv6HeaderFlyweight();
    private final Ipv6ExtensionHeaderChain extensions = new Ipv6ExtensionHeaderChain();

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final DecodedFrame slot = cursor.slot;
        slot.networkOffset = offset;
        final int captured = cursor.captureEnd - offset;
        if (captured > 0 && cursor.versionAt(offset) != Ipv6HeaderFlyweight.VERSION)
        {
            return cursor.fail(Anomaly.BAD_IP_VERSION);
        }
        if (captured < Ipv6HeaderFlyweight.HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_IPV6_HEADER);
        }
        final Ipv6HeaderFlyweight ipv6 = this.ipv6.wrap(cursor.buffer, offset, captured);
        final int nextHeader = ipv6.nextHeader();
        final int onWire = cursor.wireEnd - offset;
        int payloadLength = ipv6.payloadLength();
        if (payloadLength == 0 && nextHeader != IpProtocol.NO_NEXT_HEADER)
        {
            // Jumbogram (RFC 2675 §3) or offload super-packet: the wire length is the datagram's.
            payloadLength = onWire - Ipv6HeaderFlyweight.HEADER_LENGTH;
            cursor.census[Census.IP_LENGTH_FROM_WIRE]++;
        }
        else if (Ipv6HeaderFlyweight.HEADER_LENGTH + payloadLength > onWire)
        {
            if (onWire < Ipv6HeaderFlyweight.HEADER_LENGTH)
            {
                return cursor.fail(Anomaly.BAD_IP_TOTAL_LENGTH);
            }
            payloadLength = onWire - Ipv6HeaderFlyweight.HEADER_LENGTH;
            cursor.census[Census.IP_LENGTH_CLAMPED_TO_FRAME]++;
        }

        slot.ipVersion = Ipv6HeaderFlyweight.VERSION;
        slot.ttl = ipv6.hopLimit();
        slot.srcHi = ipv6.sourceAddressHigh();
        slot.srcLo = ipv6.sourceAddressLow();
        slot.dstHi = ipv6.destinationAddressHigh();
        slot.dstLo = ipv6.destinationAddressLow();
        cursor.census[Census.IPV6]++;

        final int datagramEnd = offset + Ipv6HeaderFlyweight.HEADER_LENGTH + payloadLength;
        final Ipv6ExtensionHeaderChain chain = extensions;
        final int status = chain.walk(
            cursor.buffer, offset + Ipv6HeaderFlyweight.HEADER_LENGTH, nextHeader, cursor.captureEnd, datagramEnd);
        final int fragmentableOffset = chain.fragmentableOffset();
        if (fragmentableOffset >= 0)
        {
            slot.ipId = chain.identification();
            slot.fragmentOffset = chain.fragmentOffset();
            slot.moreFragments = chain.moreFragments();
        }
        if (chain.fragment())
        {
            // RFC 8200 §4.5: the fragment offset counts from the start of the Fragmentable Part.
            slot.fragment = true;
            slot.fragmentPayloadOffset = fragmentableOffset;
            slot.fragmentPayloadLength = datagramEnd - fragmentableOffset;
            cursor.census[Census.IP_FRAGMENT]++;
        }
        if (status != Anomaly.NONE)
        {
            return cursor.fail(status);
        }

        final int upperLayerOffset = chain.upperLayerOffset();
        if (chain.nonFirstFragment())
        {
            return Ipv4Layer.nonFirstFragment(cursor, chain.protocol(), upperLayerOffset, datagramEnd - upperLayerOffset);
        }
        return cursor.byProtocol(chain.protocol(), upperLayerOffset, datagramEnd - upperLayerOffset, slot.fragment);
    }

    /**
     * The IPv6 packet an ICMPv6 error quotes, as much as fits in the minimum MTU (RFC 4443 §2.4(c)):
     * the fixed header, any extension headers, then the transport header, up to
     * {@link DecodeCursor#quoteEnd}.
     */
    public int decodeQuoted(final DecodeCursor cursor, final int offset)
    {
        final int quoteEnd = cursor.quoteEnd;
        final int available = quoteEnd - offset;
        if (available < Ipv6HeaderFlyweight.HEADER_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_ICMP_QUOTE);
        }
        final Ipv6HeaderFlyweight quoted = ipv6.wrap(cursor.buffer, offset, available);
        if (quoted.version() != Ipv6HeaderFlyweight.VERSION)
        {
            return cursor.fail(Anomaly.BAD_ICMP_QUOTE);
        }
        // The quote is cut: what can be read ends at the end of the ICMPv6 message.
        final Ipv6ExtensionHeaderChain chain = extensions;
        if (chain.walk(cursor.buffer, offset + Ipv6HeaderFlyweight.HEADER_LENGTH, quoted.nextHeader(), quoteEnd,
            quoteEnd) != Anomaly.NONE)
        {
            return cursor.fail(Anomaly.TRUNCATED_ICMP_QUOTE);
        }
        cursor.quotedSrcHi = quoted.sourceAddressHigh();
        cursor.quotedSrcLo = quoted.sourceAddressLow();
        cursor.quotedDstHi = quoted.destinationAddressHigh();
        cursor.quotedDstLo = quoted.destinationAddressLow();
        return cursor.byQuotedProtocol(
            Ipv6HeaderFlyweight.VERSION, chain.protocol(), chain.upperLayerOffset(), chain.nonFirstFragment());
    }
}
