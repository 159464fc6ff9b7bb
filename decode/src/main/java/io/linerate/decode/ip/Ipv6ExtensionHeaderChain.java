package io.linerate.decode.ip;

import io.linerate.decode.Anomaly;

/**
 * Walks an IPv6 extension header chain (RFC 8200 §4.1) from the fixed header to the upper-layer
 * header: Hop-by-Hop, Routing, Destination Options, Mobility, HIP and Shim6 (length in 8-octet
 * units), Authentication (4-octet units, RFC 4302 §2.2) and Fragment (8 bytes) are stepped over;
 * anything else ends the chain and is the upper-layer protocol. ESP (50) and No Next Header (59)
 * end it too: nothing after them can be read.
 *
 * <p>A Fragment header with a non-zero offset also ends the chain (RFC 8200 §4.5: the bytes after it
 * are the middle of the original payload, not a header); {@link #nonFirstFragment()} says so and
 * {@link #protocol()} is the fragment header's next header. The Fragment header's fields (offset,
 * M flag, identification, and where the Fragmentable Part starts) stay readable for reassembly.
 *
 * <p>One instance per decoder, reused: the results of a walk stay readable until the next one.
 */
public final class Ipv6ExtensionHeaderChain
{
    private static final byte UPPER_LAYER = 0;
    private static final byte EIGHT_OCTET_UNITS = 1;
    private static final byte AUTHENTICATION = 2;
    private static final byte FRAGMENT = 3;

    /** How each next-header value is stepped over, indexed by protocol number. */
    private static final byte[] KIND_BY_NEXT_HEADER = new byte[256];

    static
    {
        KIND_BY_NEXT_HEADER[IpProtocol.HOP_BY_HOP] = EIGHT_OCTET_UNITS;
        KIND_BY_NEXT_HEADER[IpProtocol.ROUTING] = EIGHT_OCTET_UNITS;
        KIND_BY_NEXT_HEADER[IpProtocol.DESTINATION_OPTIONS] = EIGHT_OCTET_UNITS;
        KIND_BY_NEXT_HEADER[IpProtocol.MOBILITY] = EIGHT_OCTET_UNITS;
        KIND_BY_NEXT_HEADER[IpProtocol.HIP] = EIGHT_OCTET_UNITS;
        KIND_BY_NEXT_HEADER[IpProtocol.SHIM6] = EIGHT_OCTET_UNITS;
        KIND_BY_NEXT_HEADER[IpProtocol.AUTHENTICATION] = AUTHENTICATION;
        KIND_BY_NEXT_HEADER[IpProtocol.FRAGMENT] = FRAGMENT;
    }

    private final Ipv6ExtensionHeaderFlyweight extension = new Ipv6ExtensionHeaderFlyweight();
    private final Ipv6FragmentHeaderFlyweight fragmentHeader = new Ipv6FragmentHeaderFlyweight();

    private int protocol;
    private int upperLayerOffset;
    private boolean fragment;
    private boolean nonFirstFragment;
    private int fragmentableOffset;
    private int fragmentOffset;
    private boolean moreFragments;
    private long identification;

    /**
     * Steps over the extension headers starting at {@code offset}.
     *
     * @param buffer      frame bytes
     * @param offset      first byte after the fixed IPv6 header
     * @param nextHeader  the fixed header's Next Header
     * @param captureEnd  end of the captured bytes
     * @param datagramEnd end of the datagram by its payload length
     * @return {@link Anomaly#NONE}, {@link Anomaly#TRUNCATED_IPV6_EXTENSION} when a header is cut by
     *     the snap length, or {@link Anomaly#BAD_IPV6_EXTENSION_LENGTH} when one runs past the datagram
     */
    public int walk(
        final byte[] buffer,
        final int offset,
        final int nextHeader,
        final int captureEnd,
        final int datagramEnd)
    {
        protocol = -1;
        upperLayerOffset = -1;
        fragment = false;
        nonFirstFragment = false;
        fragmentableOffset = -1;
        fragmentOffset = 0;
        moreFragments = false;
        identification = -1;

        int header = nextHeader;
        int at = offset;
        while (true)
        {
            final byte kind = KIND_BY_NEXT_HEADER[header];
            if (kind == UPPER_LAYER)
            {
                protocol = header;
                upperLayerOffset = at;
                return Anomaly.NONE;
            }

            final int prefixStatus = fits(at, Ipv6ExtensionHeaderFlyweight.PREFIX_LENGTH, captureEnd, datagramEnd);
            if (prefixStatus != Anomaly.NONE)
            {
                return prefixStatus;
            }
            extension.wrap(buffer, at, captureEnd - at);
            final int headerLength;
            if (kind == EIGHT_OCTET_UNITS)
            {
                headerLength = extension.headerLength();
            }
            else if (kind == AUTHENTICATION)
            {
                headerLength = extension.authenticationHeaderLength();
            }
            else
            {
                headerLength = Ipv6FragmentHeaderFlyweight.HEADER_LENGTH;
            }
            final int status = fits(at, headerLength, captureEnd, datagramEnd);
            if (status != Anomaly.NONE)
            {
                return status;
            }

            if (kind == FRAGMENT)
            {
                fragmentHeader.wrap(buffer, at, captureEnd - at);
                final int fragmentOffset = fragmentHeader.fragmentOffset();
                final boolean moreFragments = fragmentHeader.moreFragments();
                // Offset 0 without M is an atomic fragment (RFC 6946): a whole datagram.
                final boolean realFragment = fragmentOffset != 0 || moreFragments;
                if (fragmentableOffset < 0 || realFragment && !fragment)
                {
                    // The first Fragment header, unless a later one is the one that fragments.
                    this.fragmentableOffset = at + headerLength;
                    this.fragmentOffset = fragmentOffset;
                    this.moreFragments = moreFragments;
                    this.identification = fragmentHeader.identification();
                }
                if (realFragment)
                {
                    fragment = true;
                }
                if (fragmentOffset != 0)
                {
                    nonFirstFragment = true;
                    protocol = fragmentHeader.nextHeader();
                    upperLayerOffset = at + headerLength;
                    return Anomaly.NONE;
                }
            }

            // Every header is at least 8 bytes, so the walk ends within the datagram.
            header = extension.nextHeader();
            at += headerLength;
        }
    }

    /** Upper-layer protocol number, or the Fragment header's next header for a non-first fragment. */
    public int protocol()
    {
        return protocol;
    }

    /** Offset of the upper-layer header (of the fragment data for a non-first fragment). */
    public int upperLayerOffset()
    {
        return upperLayerOffset;
    }

    /** True when a Fragment header with an offset or the M flag was seen. */
    public boolean fragment()
    {
        return fragment;
    }

    /** True when a Fragment header has a non-zero offset: no upper-layer header follows. */
    public boolean nonFirstFragment()
    {
        return nonFirstFragment;
    }

    /**
     * First byte after the Fragment header: where the Fragmentable Part, which the fragment offset
     * counts from, starts (RFC 8200 §4.5); -1 when the chain has no Fragment header.
     */
    public int fragmentableOffset()
    {
        return fragmentableOffset;
    }

    /** The Fragment header's offset in bytes; 0 without a Fragment header. */
    public int fragmentOffset()
    {
        return fragmentOffset;
    }

    /** The Fragment header's M flag; false without a Fragment header. */
    public boolean moreFragments()
    {
        return moreFragments;
    }

    /** The Fragment header's Identification, unsigned 32-bit; -1 without a Fragment header. */
    public long identification()
    {
        return identification;
    }

    private static int fits(final int at, final int length, final int captureEnd, final int datagramEnd)
    {
        if (at + length > datagramEnd)
        {
            return Anomaly.BAD_IPV6_EXTENSION_LENGTH;
        }
        if (at + length > captureEnd)
        {
            return Anomaly.TRUNCATED_IPV6_EXTENSION;
        }
        return Anomaly.NONE;
    }
}
