package io.linerate.aggregate.ip;

import io.linerate.decode.DecodedFrame;
import io.linerate.decode.tunnel.TunnelStack;

/**
 * One IP datagram being reassembled from its fragments (RFC 791 §3.2, RFC 8200 §4.5): which bytes
 * of its payload have arrived, its length once the last fragment told it, the headers of its first
 * fragment and the first {@link #HEAD_LENGTH} bytes of its payload, where the transport header is.
 *
 * <p>Only what a flow shard needs is kept, not the whole payload: the reassembled datagram is
 * decoded from the first fragment's IP header(s) followed by the head of the payload, with the
 * length fields saying how long the whole payload is (as a capture cut by its snap length does).
 *
 * <p>Instances are pooled by {@link FragmentReassembler} and reused.
 */
public final class PendingDatagram
{
    /**
     * Bytes kept from the start of the payload: the largest TCP header (60 bytes, RFC 9293 §3.1)
     * with room for IPv6 extension headers of the Fragmentable Part before it, or an ICMP error's
     * quote.
     */
    public static final int HEAD_LENGTH = 128;
    /** Most separate byte ranges (runs of received payload between holes) a datagram may have. */
    public static final int MAX_RANGES = 64;

    /** What {@link #cover} found. */
    static final int COVERED_NEW_BYTES_ONLY = 0;
    static final int COVERED_OVERLAPPING = 1;
    static final int TOO_MANY_HOLES = 2;

    private static final int INITIAL_PREFIX_CAPACITY = 128;

    // pool bookkeeping, owned by FragmentReassembler
    final int index;
    int bucketNext = -1;
    int older = -1;
    int newer = -1;
    boolean inUse;

    // key: RFC 791 §3.2 (source, destination, protocol, identification) and, as Wireshark keys IPv4,
    // the VLAN; RFC 8200 §4.5 (source, destination, identification); and the tunnel key, as the flow
    // key has it (two tenants' datagrams are two datagrams)
    int ipVersion;
    int protocol;
    int vlan;
    long srcHi, srcLo, dstHi, dstLo;
    long id;
    long tunnelKey;

    /** Packet time after which the datagram is given up, nanoseconds. */
    long expiresNanos;
    /** Payload length, from the first fragment without More Fragments to arrive; -1 until then. */
    int totalLength;
    /** Wire lengths of every fragment frame taken, duplicates included. */
    long wireBytes;
    /** Fragments taken, duplicates included. */
    int fragments;

    // received payload bytes: sorted, disjoint, non-adjacent [start, end) ranges
    final int[] rangeStart = new int[MAX_RANGES];
    final int[] rangeEnd = new int[MAX_RANGES];
    int rangeCount;

    /** The first {@link #HEAD_LENGTH} payload bytes, valid where {@link #headCaptured} has the bit. */
    final byte[] head = new byte[HEAD_LENGTH];
    final long[] headCaptured = new long[HEAD_LENGTH / Long.SIZE];

    /** IP header(s) of the first fragment (up to its Fragment header for IPv6); 0 until it came. */
    byte[] prefix = new byte[INITIAL_PREFIX_CAPACITY];
    int prefixLength;
    int vlanCount;
    final int[] vlans = new int[DecodedFrame.MAX_VLANS];
    /**
     * The tunnels the first fragment came in; null until a datagram in this pooled instance came in
     * one (tunnels are rare: an untunnelled datagram does not carry their room), then reused.
     */
    TunnelStack tunnels;

    PendingDatagram(final int index)
    {
        this.index = index;
    }

    void reset()
    {
        bucketNext = -1;
        older = -1;
        newer = -1;
        ipVersion = 0;
        protocol = 0;
        vlan = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        id = 0;
        tunnelKey = 0;
        expiresNanos = 0;
        totalLength = -1;
        wireBytes = 0;
        fragments = 0;
        rangeCount = 0;
        headCaptured[0] = 0;
        headCaptured[1] = 0;
        prefixLength = 0;
        vlanCount = 0;
        if (tunnels != null)
        {
            tunnels.clear();
        }
    }

    boolean matches(
        final int ipVersion, final int protocol, final int vlan,
        final long srcHi, final long srcLo, final long dstHi, final long dstLo, final long id, final long tunnelKey)
    {
        return this.id == id && this.srcLo == srcLo && this.dstLo == dstLo && this.protocol == protocol &&
            this.vlan == vlan && this.ipVersion == ipVersion && this.srcHi == srcHi && this.dstHi == dstHi &&
            this.tunnelKey == tunnelKey;
    }

    /**
     * Marks payload bytes [start, end) as received, merging them with the ranges they touch.
     *
     * @return {@link #COVERED_OVERLAPPING} when some of the bytes had arrived before (a duplicate or
     *     overlapping fragment), {@link #TOO_MANY_HOLES} when the bytes would need a range beyond
     *     {@link #MAX_RANGES} (nothing is changed), else {@link #COVERED_NEW_BYTES_ONLY}
     */
    int cover(final int start, final int end)
    {
        int first = 0;
        while (first < rangeCount && rangeEnd[first] < start)
        {
            first++;
        }
        boolean overlapping = false;
        int mergedStart = start;
        int mergedEnd = end;
        int last = first;
        while (last < rangeCount && rangeStart[last] <= end)
        {
            overlapping |= rangeStart[last] < end && rangeEnd[last] > start;
            mergedStart = Math.min(mergedStart, rangeStart[last]);
            mergedEnd = Math.max(mergedEnd, rangeEnd[last]);
            last++;
        }
        if (last == first)
        {
            if (rangeCount == MAX_RANGES)
            {
                return TOO_MANY_HOLES;
            }
            System.arraycopy(rangeStart, first, rangeStart, first + 1, rangeCount - first);
            System.arraycopy(rangeEnd, first, rangeEnd, first + 1, rangeCount - first);
            rangeCount++;
        }
        else
        {
            // Ranges first..last-1 become one.
            final int removed = last - first - 1;
            System.arraycopy(rangeStart, last, rangeStart, first + 1, rangeCount - last);
            System.arraycopy(rangeEnd, last, rangeEnd, first + 1, rangeCount - last);
            rangeCount -= removed;
        }
        rangeStart[first] = mergedStart;
        rangeEnd[first] = mergedEnd;
        return overlapping ? COVERED_OVERLAPPING : COVERED_NEW_BYTES_ONLY;
    }

    /**
     * True when the length is known, the first fragment came, and every byte of the payload arrived.
     * Bytes past the length (a fragment longer than the last one said) do not matter, as in
     * Wireshark's reassembly, which flags them and completes the datagram.
     */
    boolean complete()
    {
        return totalLength > 0 && prefixLength > 0 && rangeCount > 0 &&
            rangeStart[0] == 0 && rangeEnd[0] >= totalLength;
    }

    /**
     * Copies the captured bytes a fragment carries of the head of the payload; bytes already held
     * are kept (the first copy to arrive wins).
     *
     * @param data     the fragment's frame bytes
     * @param from     where its payload bytes start in {@code data}
     * @param offset   where they go in the datagram's payload
     * @param captured how many of them were captured
     */
    void copyHead(final byte[] data, final int from, final int offset, final int captured)
    {
        final int end = Math.min(HEAD_LENGTH, offset + captured);
        for (int at = offset; at < end; at++)
        {
            final long bit = 1L << at;
            final int word = at >>> 6;
            if ((headCaptured[word] & bit) == 0)
            {
                head[at] = data[from + at - offset];
                headCaptured[word] |= bit;
            }
        }
    }

    /** Payload bytes captured from the start without a gap (at most {@link #HEAD_LENGTH}). */
    int capturedHeadLength()
    {
        final int low = Long.numberOfTrailingZeros(~headCaptured[0]);
        return low < Long.SIZE ? low : Long.SIZE + Long.numberOfTrailingZeros(~headCaptured[1]);
    }

    /**
     * Keeps the IP header(s), VLAN tags and tunnels of the first fragment (the one with offset 0):
     * its bytes start at its innermost IP header, so its tunnels are kept as decoded.
     */
    void keepFirstFragmentHeaders(final DecodedFrame first, final int from, final int length)
    {
        if (prefix.length < length)
        {
            // Long IPv6 extension headers before the Fragment header: rare, grown once.
            prefix = new byte[Integer.highestOneBit(length - 1) << 1];
        }
        System.arraycopy(first.data, from, prefix, 0, length);
        prefixLength = length;
        vlanCount = first.vlanCount;
        System.arraycopy(first.vlans, 0, vlans, 0, DecodedFrame.MAX_VLANS);
        if (first.tunnelCount > 0)
        {
            if (tunnels == null)
            {
                tunnels = new TunnelStack();
            }
            tunnels.copyFrom(first);
        }
        else if (tunnels != null)
        {
            tunnels.clear();
        }
    }
}
