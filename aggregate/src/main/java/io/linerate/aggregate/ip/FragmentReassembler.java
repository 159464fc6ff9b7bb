package io.linerate.aggregate.ip;

import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.decode.DecodeSettings;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.LinkType;
import io.linerate.decode.PacketDecoder;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tunnel.TunnelStack;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Reassembles fragmented IP datagrams (RFC 791 §3.2 for IPv4, RFC 8200 §4.5 for IPv6) the way
 * Wireshark shows them: the datagram's transport header appears once, in the frame that completes
 * it (the last fragment to arrive, whatever its offset), with the whole datagram's payload; the
 * other fragments are not packets of any connection. A datagram that never completes never appears.
 *
 * <p>Where the RFCs leave room, Wireshark's reassembly is followed, since its counts are the
 * reference:
 * <ul>
 * <li>Fragments are matched on (IP version, source, destination, protocol, identification) and,
 *     for IPv4, the innermost VLAN id; IPv6 leaves the protocol out, as RFC 8200 §4.5 does. Fragments
 *     of a packet inside tunnels are matched on the tunnel key too ({@code DecodedFrame.tunnelKey}, as
 *     the flow key has it): two tenants' datagrams of the same addresses and identification in two
 *     VNIs are two datagrams, and fragments that came in different tunnels are never put together.</li>
 * <li>The datagram's length comes from the first fragment without More Fragments to arrive; a
 *     later one with another end does not change it, and bytes past the end are ignored.</li>
 * <li>Received bytes are tracked as ranges; duplicate and overlapping fragments are counted
 *     ({@link #overlappingFragments()}); where the same bytes came twice the first copy is kept
 *     (Wireshark keeps the lower offset's, which differs only for conflicting overlaps). A datagram
 *     completes once: a fragment arriving after that starts a new one.</li>
 * <li>A fragment without bytes, or whose bytes were not all captured (snap length), takes no part;
 *     a first fragment cut that way is handed back as a packet of its own.</li>
 * </ul>
 * A datagram longer than a 16-bit length field allows, with more holes than
 * {@link PendingDatagram#MAX_RANGES}, or of more than {@code maxFragmentsPerDatagram} fragments, is
 * discarded ({@link #datagramsDiscarded()}).
 *
 * <p>Bounded, whatever a peer sends (a teardrop or overlap flood, fragments from random sources):
 * at most {@code maxPending} datagrams wait (the oldest is evicted for a new one,
 * {@link #datagramsEvicted()}), each of at most {@code maxFragmentsPerDatagram} fragments (FreeBSD's
 * {@code net.inet.ip.maxfragsperpacket}: an endless run of overlapping fragments of one datagram
 * gives it up instead of costing a range merge each), holding a fixed {@link PendingDatagram} of about
 * a kilobyte whatever the fragments' sizes, and each waits at most {@code timeoutNanos} of packet time
 * after its first fragment ({@link #datagramsTimedOut()}), like Linux's {@code ipfrag_time}. The
 * pending datagrams are pooled (created on demand up to the cap, then reused) and looked up in a
 * preallocated hash table, so a fragment allocates nothing once the pool has grown. Every cap and
 * inconsistency is counted under its {@link io.linerate.aggregate.view.ShardAnomaly} name
 * ({@link #anomalyCounts}).
 *
 * <p>A completed datagram is handed back as one decoded frame: the first fragment's IP header(s)
 * (IPv4 flags and offset cleared, the IPv6 Fragment header made atomic, RFC 6946) and the first
 * {@link PendingDatagram#HEAD_LENGTH} payload bytes, decoded by this reassembler's own
 * {@link PacketDecoder} with the length fields covering the whole payload. So the transport header
 * is read even when it straddles two fragments, and the flow hash is the connection's. That decoder
 * takes the run's {@link DecodeSettings}, and decodes the datagram inside the tunnels the first
 * fragment came in ({@link PacketDecoder#decodeInside}): a tunnel the datagram holds (VXLAN on a
 * configured port) is opened, or not (decapsulation off, the depth reached), as it would be in an
 * unfragmented packet, and the datagram has the tunnel list and tunnel key of its connection's other
 * packets. The frame carries the completing fragment's time and frame number, the first fragment's
 * VLAN tags and tunnels, and the sum of the fragments' wire lengths.
 *
 * <p>Not thread-safe: one per flow shard.
 */
public final class FragmentReassembler
{
    /** Default cap of datagrams waiting for fragments, per shard. */
    public static final int DEFAULT_MAX_PENDING = 4096;
    /**
     * Default cap of fragments taken for one datagram: 65,535 bytes in fragments of 576-byte datagrams
     * (the least every IPv4 host takes, RFC 791 §3.1) are 119; FreeBSD gives up at 16.
     */
    public static final int DEFAULT_MAX_FRAGMENTS_PER_DATAGRAM = 128;
    /** Default time a datagram waits for its fragments: Linux's {@code ipfrag_time}, 30 s. */
    public static final long DEFAULT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** The IPv4 total length and IPv6 payload length are 16-bit fields. */
    private static final int MAX_LENGTH_FIELD = 0xFFFF;
    private static final int IPV4_TOTAL_LENGTH_OFFSET = 2;
    /** Flags and fragment offset of the IPv4 header (RFC 791 §3.1). */
    private static final int IPV4_FLAGS_OFFSET = 6;
    private static final int IPV4_DONT_FRAGMENT_BITS = 0x40;
    private static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;
    private static final int IPV6_HEADER_LENGTH = 40;
    private static final int IPV6_FRAGMENT_HEADER_LENGTH = 8;
    /** Fragment offset, Res and M of the Fragment header (RFC 8200 §4.5). */
    private static final int FRAGMENT_OFFSET_FLAGS_OFFSET = 2;
    private static final int NONE = -1;
    private static final int IPV4 = 4;

    private final int maxPending;
    private final int maxFragmentsPerDatagram;
    private final long timeoutNanos;
    private final PendingDatagram[] pool;
    private int created;
    private final int[] freeList;
    private int freeCount;
    private final int[] buckets;
    private final int mask;
    private int pending;
    /** Age list through the pool, by arrival of the first fragment seen. */
    private int oldest = NONE;
    private int newest = NONE;

    private final PacketDecoder decoder;
    private final DecodedFrame datagram = new DecodedFrame();
    /** The tunnels of a first fragment handed back alone. */
    private final TunnelStack aloneTunnels = new TunnelStack();

    private long fragmentsSeen;
    private long datagramsCompleted;
    private long datagramsTimedOut;
    private long datagramsEvicted;
    private long datagramsDiscarded;
    private long datagramsUnfinished;
    private long overlappingFragments;
    private long fragmentsNotCaptured;
    private long sizeInconsistencies;
    private long excessivelyLargeFragments;
    private long excessiveFragments;
    private long excessiveHoles;

    /** Default caps, decoding with {@link DecodeSettings#DEFAULT}. */
    public FragmentReassembler()
    {
        this(DecodeSettings.DEFAULT);
    }

    /**
     * Default caps.
     *
     * @param decode how the frames were decoded: the reassembled datagrams are decoded the same way
     */
    public FragmentReassembler(final DecodeSettings decode)
    {
        this(DEFAULT_MAX_PENDING, DEFAULT_MAX_FRAGMENTS_PER_DATAGRAM, DEFAULT_TIMEOUT_NANOS, decode);
    }

    /**
     * Decoding with {@link DecodeSettings#DEFAULT}.
     *
     * @param maxPending   cap of datagrams waiting for fragments; the oldest is evicted beyond it
     * @param timeoutNanos packet time a datagram waits after its first fragment
     */
    public FragmentReassembler(final int maxPending, final long timeoutNanos)
    {
        this(maxPending, DEFAULT_MAX_FRAGMENTS_PER_DATAGRAM, timeoutNanos, DecodeSettings.DEFAULT);
    }

    /**
     * @param maxPending              cap of datagrams waiting for fragments; the oldest is evicted beyond it
     * @param maxFragmentsPerDatagram cap of fragments taken for one datagram; one more gives it up
     * @param timeoutNanos            packet time a datagram waits after its first fragment
     * @param decode                  how the frames were decoded: the reassembled datagrams are
     *                                decoded the same way (tunnels opened, VXLAN port, depth, key)
     */
    public FragmentReassembler(
        final int maxPending, final int maxFragmentsPerDatagram, final long timeoutNanos, final DecodeSettings decode)
    {
        if (maxPending < 1)
        {
            throw new IllegalArgumentException("max pending datagrams must be positive: " + maxPending);
        }
        if (maxFragmentsPerDatagram < 2)
        {
            throw new IllegalArgumentException("max fragments per datagram must be at least 2: " + maxFragmentsPerDatagram);
        }
        if (timeoutNanos <= 0)
        {
            throw new IllegalArgumentException("reassembly timeout must be positive: " + timeoutNanos);
        }
        this.maxPending = maxPending;
        this.maxFragmentsPerDatagram = maxFragmentsPerDatagram;
        this.timeoutNanos = timeoutNanos;
        this.decoder = new PacketDecoder(decode);
        this.pool = new PendingDatagram[maxPending];
        this.freeList = new int[maxPending];
        final int capacity = Integer.highestOneBit(Math.max(2, maxPending) * 2 - 1) << 1;
        this.buckets = new int[capacity];
        this.mask = capacity - 1;
        Arrays.fill(buckets, NONE);
    }

    /**
     * Takes one decoded fragment ({@code fragment.fragment} set) and returns the packet it makes, if
     * any: the reassembled datagram when it completed one, or, for a first fragment whose bytes were
     * not all captured (so it cannot be reassembled, in Wireshark neither), that fragment alone.
     *
     * @return a decoded frame, or null when the fragment makes no packet (yet). The slot belongs to
     *     this reassembler and is overwritten by the next call.
     */
    public DecodedFrame onFragment(final DecodedFrame fragment)
    {
        fragmentsSeen++;
        final int offset = fragment.fragmentOffset;
        final int length = fragment.fragmentPayloadLength;
        if (length <= 0 || fragment.fragmentPayloadOffset < 0)
        {
            // No bytes: nothing to reassemble (Wireshark leaves such a fragment out too).
            return null;
        }
        if (!wholeFragmentCaptured(fragment))
        {
            // Cut by the snap length: its bytes cannot be reassembled. Wireshark then shows a first
            // fragment's transport header on its own, and the datagram never completes.
            fragmentsNotCaptured++;
            return offset == 0 && fragment.transportPresent ? alone(fragment) : null;
        }
        final int end = offset + length;
        if (end > MAX_LENGTH_FIELD)
        {
            // RFC 791 §3.2 / RFC 8200 §4.5: no datagram is this long (a "ping of death").
            datagramsDiscarded++;
            excessivelyLargeFragments++;
            return null;
        }

        final int ipVersion = fragment.ipVersion;
        // RFC 8200 §4.5 matches IPv6 fragments on addresses and identification only; Wireshark
        // also tells IPv4 datagrams of different VLANs apart (a router's two sides on one trunk).
        final int protocol = ipVersion == IPV4 ? fragment.ipProtocol : 0;
        final int vlan = ipVersion == IPV4 ? innermostVlan(fragment) : 0;
        final long tunnelKey = fragment.tunnelKey;
        PendingDatagram d = find(ipVersion, protocol, vlan, fragment.srcHi, fragment.srcLo, fragment.dstHi,
            fragment.dstLo, fragment.ipId, tunnelKey);
        if (d == null)
        {
            d = insert(ipVersion, protocol, vlan, fragment.srcHi, fragment.srcLo, fragment.dstHi, fragment.dstLo,
                fragment.ipId, tunnelKey);
            d.expiresNanos = fragment.timestampNanos == 0 ? Long.MAX_VALUE : fragment.timestampNanos + timeoutNanos;
        }

        if (d.fragments == maxFragmentsPerDatagram)
        {
            // One more fragment than any datagram needs: an overlap or tiny-fragment flood. The
            // datagram is given up rather than merging its ranges again for each fragment.
            excessiveFragments++;
            discard(d);
            return null;
        }
        d.fragments++;
        if (!fragment.moreFragments && d.totalLength < 0)
        {
            // The last fragment says how long the datagram is. Another last fragment with another
            // end does not change it (Wireshark flags "multiple tails" and keeps the first).
            d.totalLength = end;
        }
        else if (d.totalLength >= 0 && (fragment.moreFragments ? end > d.totalLength : end != d.totalLength))
        {
            sizeInconsistencies++;
        }
        final int covered = d.cover(offset, end);
        if (covered == PendingDatagram.TOO_MANY_HOLES)
        {
            excessiveHoles++;
            discard(d);
            return null;
        }
        if (covered == PendingDatagram.COVERED_OVERLAPPING)
        {
            overlappingFragments++;
        }
        if (offset < PendingDatagram.HEAD_LENGTH)
        {
            d.copyHead(fragment.data, fragment.fragmentPayloadOffset, offset, length);
        }
        if (offset == 0 && d.prefixLength == 0)
        {
            // RFC 791 §3.2: the header of the reassembled datagram is the first fragment's; RFC 8200
            // §4.5: its Unfragmentable Part is the first fragment's, up to the Fragment header.
            final int from = fragment.networkOffset;
            d.keepFirstFragmentHeaders(fragment, from, fragment.fragmentPayloadOffset - from);
        }
        d.wireBytes += fragment.wireLength;

        if (!d.complete())
        {
            return null;
        }
        final DecodedFrame out = reassembled(d, fragment);
        remove(d);
        if (out == null)
        {
            datagramsDiscarded++;
            return null;
        }
        datagramsCompleted++;
        return out;
    }

    /** True when every byte a fragment carries of its datagram was captured (not cut by the snap length). */
    public static boolean wholeFragmentCaptured(final DecodedFrame fragment)
    {
        return fragment.captureLength >= fragment.fragmentPayloadOffset + fragment.fragmentPayloadLength;
    }

    /** Gives up every datagram whose first fragment came more than the timeout before {@code nowNanos}. */
    public void expire(final long nowNanos)
    {
        // The age list is in arrival order, which is expiry order except for a datagram without a
        // timestamp (never expires): it holds back the ones behind it until the end or an eviction.
        while (oldest != NONE && pool[oldest].expiresNanos < nowNanos)
        {
            datagramsTimedOut++;
            remove(pool[oldest]);
        }
    }

    /** Drops every pending datagram (end of input): they never completed, so they never show. */
    public void clear()
    {
        while (oldest != NONE)
        {
            datagramsUnfinished++;
            remove(pool[oldest]);
        }
    }

    /** Datagrams waiting for fragments. */
    public int pending()
    {
        return pending;
    }

    /** Fragment frames taken. */
    public long fragmentsSeen()
    {
        return fragmentsSeen;
    }

    /** Datagrams whose every fragment arrived and whose headers decoded. */
    public long datagramsCompleted()
    {
        return datagramsCompleted;
    }

    /** Datagrams given up after the timeout. */
    public long datagramsTimedOut()
    {
        return datagramsTimedOut;
    }

    /** Datagrams given up to make room for a new one. */
    public long datagramsEvicted()
    {
        return datagramsEvicted;
    }

    /** Datagrams dropped as inconsistent: too long, contradicting ends, too many holes, no IP header. */
    public long datagramsDiscarded()
    {
        return datagramsDiscarded;
    }

    /** Datagrams still incomplete at the end of the input. */
    public long datagramsUnfinished()
    {
        return datagramsUnfinished;
    }

    /** Fragments cut by the snap length, which cannot be reassembled. */
    public long fragmentsNotCaptured()
    {
        return fragmentsNotCaptured;
    }

    /** Fragments that carried bytes already received (duplicates and overlaps). */
    public long overlappingFragments()
    {
        return overlappingFragments;
    }

    /**
     * Adds this reassembler's counts to {@code counts}, indexed by
     * {@link io.linerate.aggregate.view.ShardAnomaly} code.
     */
    public void anomalyCounts(final long[] counts)
    {
        counts[ShardAnomaly.FRAGMENT_OVERLAP] += overlappingFragments;
        counts[ShardAnomaly.FRAGMENT_SIZE_INCONSISTENCY] += sizeInconsistencies;
        counts[ShardAnomaly.EXCESSIVELY_LARGE_FRAGMENT] += excessivelyLargeFragments;
        counts[ShardAnomaly.INCOMPLETELY_CAPTURED_FRAGMENT] += fragmentsNotCaptured;
        counts[ShardAnomaly.EXCESSIVE_FRAGMENTS_PER_DATAGRAM] += excessiveFragments;
        counts[ShardAnomaly.EXCESSIVE_FRAGMENT_HOLES] += excessiveHoles;
        counts[ShardAnomaly.EXCESSIVE_PENDING_DATAGRAMS] += datagramsEvicted;
    }

    /**
     * Builds and decodes the reassembled datagram: the first fragment's IP header(s), patched to
     * describe an unfragmented datagram of the whole length, then the head of the payload.
     *
     * @return the decoded frame, or null when its length does not fit the length field or it does
     *     not decode to an unfragmented IP datagram
     */
    private DecodedFrame reassembled(final PendingDatagram d, final DecodedFrame completing)
    {
        final int prefixLength = d.prefixLength;
        final int total = d.totalLength;
        final DecodedFrame out = datagram;
        out.ensureCapacity(prefixLength + PendingDatagram.HEAD_LENGTH);
        final byte[] data = out.data;
        System.arraycopy(d.prefix, 0, data, 0, prefixLength);
        final int headBytes = Math.min(total, d.capturedHeadLength());
        System.arraycopy(d.head, 0, data, prefixLength, headBytes);
        if (!makeWhole(data, d.ipVersion, prefixLength, total))
        {
            return null;
        }
        // The length fields, not the bytes held, give the payload length (as with a snap length).
        if (!decode(out, completing, d.tunnels, prefixLength + headBytes, prefixLength + total))
        {
            return null;
        }
        out.wireLength = (int)Math.min(Integer.MAX_VALUE, d.wireBytes);
        out.captureLength = Math.min(out.captureLength, out.wireLength);
        out.reassembled = true;
        out.vlanCount = d.vlanCount;
        System.arraycopy(d.vlans, 0, out.vlans, 0, DecodedFrame.MAX_VLANS);
        return out;
    }

    /**
     * A first fragment that cannot be reassembled, as a packet of its own: its headers, with no
     * TCP payload counted, as Wireshark, which dissects the TCP header of such a fragment but gives
     * it no segment length ({@code tcp.len}) and no sequence analysis.
     */
    private DecodedFrame alone(final DecodedFrame first)
    {
        final int from = first.networkOffset;
        final int headersLength = first.fragmentPayloadOffset - from;
        final int captured = Math.min(first.captureLength, first.data.length) - from;
        final DecodedFrame out = datagram;
        out.ensureCapacity(captured);
        System.arraycopy(first.data, from, out.data, 0, captured);
        aloneTunnels.copyFrom(first);
        if (!makeWhole(out.data, first.ipVersion, headersLength, first.fragmentPayloadLength) ||
            !decode(out, first, aloneTunnels, captured, headersLength + first.fragmentPayloadLength))
        {
            return null;
        }
        if (out.ipProtocol == IpProtocol.TCP)
        {
            out.payloadLength = 0;
        }
        out.wireLength = first.wireLength;
        out.captureLength = Math.min(out.captureLength, out.wireLength);
        out.vlanCount = first.vlanCount;
        System.arraycopy(first.vlans, 0, out.vlans, 0, DecodedFrame.MAX_VLANS);
        return out;
    }

    /**
     * Rewrites the IP header(s) at the start of {@code data} ({@code headersLength} bytes, ending
     * with the IPv6 Fragment header) to say: one unfragmented datagram of {@code payloadLength}
     * bytes of payload.
     *
     * @return false when that length does not fit the 16-bit length field
     */
    private static boolean makeWhole(
        final byte[] data, final int ipVersion, final int headersLength, final int payloadLength)
    {
        if (ipVersion == IPV4)
        {
            final int totalLength = headersLength + payloadLength;
            if (totalLength > MAX_LENGTH_FIELD)
            {
                return false;
            }
            writeUint16(data, IPV4_TOTAL_LENGTH_OFFSET, totalLength);
            // Keep DF, clear MF and the offset: one whole datagram.
            data[IPV4_FLAGS_OFFSET] &= IPV4_DONT_FRAGMENT_BITS;
            data[IPV4_FLAGS_OFFSET + 1] = 0;
            return true;
        }
        final int ipv6PayloadLength = headersLength - IPV6_HEADER_LENGTH + payloadLength;
        if (ipv6PayloadLength > MAX_LENGTH_FIELD || headersLength < IPV6_HEADER_LENGTH + IPV6_FRAGMENT_HEADER_LENGTH)
        {
            return false;
        }
        writeUint16(data, IPV6_PAYLOAD_LENGTH_OFFSET, ipv6PayloadLength);
        // Offset 0 and M clear: an atomic fragment (RFC 6946), which decodes as a whole datagram.
        writeUint16(data, headersLength - IPV6_FRAGMENT_HEADER_LENGTH + FRAGMENT_OFFSET_FLAGS_OFFSET, 0);
        return true;
    }

    /**
     * Decodes the raw IP datagram in {@code out.data} with the capture metadata of {@code frame},
     * inside {@code tunnels} (the ones its fragments came in; null or empty for none).
     *
     * @return false when it does not decode to an unfragmented IP datagram (a second Fragment
     *     header inside the Fragmentable Part is not followed)
     */
    private boolean decode(final DecodedFrame out, final DecodedFrame frame, final TunnelStack tunnels,
        final int captureLength, final int wireLength)
    {
        out.endOfInput = false;
        out.linkType = LinkType.RAW;
        out.interfaceId = frame.interfaceId;
        out.timestampNanos = frame.timestampNanos;
        out.frameNumber = frame.frameNumber;
        out.fileOffset = frame.fileOffset;
        out.captureLength = captureLength;
        out.wireLength = wireLength;
        if (tunnels == null || tunnels.count() == 0)
        {
            decoder.decode(out);
        }
        else
        {
            tunnels.copyTo(out);
            decoder.decodeInside(out, tunnels.count());
        }
        return out.ipVersion != 0 && !out.fragment;
    }

    /** The innermost VLAN id kept, 0 when untagged (Wireshark keys IPv4 fragments on it). */
    private static int innermostVlan(final DecodedFrame slot)
    {
        final int kept = Math.min(slot.vlanCount, DecodedFrame.MAX_VLANS);
        return kept == 0 ? 0 : slot.vlans[kept - 1];
    }

    private static void writeUint16(final byte[] data, final int at, final int value)
    {
        data[at] = (byte)(value >>> 8);
        data[at + 1] = (byte)value;
    }

    private void discard(final PendingDatagram d)
    {
        datagramsDiscarded++;
        remove(d);
    }

    private PendingDatagram find(
        final int ipVersion, final int protocol, final int vlan,
        final long srcHi, final long srcLo, final long dstHi, final long dstLo, final long id, final long tunnelKey)
    {
        int i = buckets[hash(ipVersion, protocol, vlan, srcHi, srcLo, dstHi, dstLo, id, tunnelKey) & mask];
        while (i != NONE)
        {
            final PendingDatagram d = pool[i];
            if (d.matches(ipVersion, protocol, vlan, srcHi, srcLo, dstHi, dstLo, id, tunnelKey))
            {
                return d;
            }
            i = d.bucketNext;
        }
        return null;
    }

    private PendingDatagram insert(
        final int ipVersion, final int protocol, final int vlan,
        final long srcHi, final long srcLo, final long dstHi, final long dstLo, final long id, final long tunnelKey)
    {
        if (pending == maxPending)
        {
            datagramsEvicted++;
            remove(pool[oldest]);
        }
        final PendingDatagram d;
        if (freeCount > 0)
        {
            d = pool[freeList[--freeCount]];
        }
        else
        {
            d = new PendingDatagram(created);
            pool[created++] = d;
        }
        d.reset();
        d.inUse = true;
        d.ipVersion = ipVersion;
        d.protocol = protocol;
        d.vlan = vlan;
        d.srcHi = srcHi;
        d.srcLo = srcLo;
        d.dstHi = dstHi;
        d.dstLo = dstLo;
        d.id = id;
        d.tunnelKey = tunnelKey;

        final int bucket = hash(ipVersion, protocol, vlan, srcHi, srcLo, dstHi, dstLo, id, tunnelKey) & mask;
        d.bucketNext = buckets[bucket];
        buckets[bucket] = d.index;

        d.older = newest;
        if (newest != NONE)
        {
            pool[newest].newer = d.index;
        }
        newest = d.index;
        if (oldest == NONE)
        {
            oldest = d.index;
        }
        pending++;
        return d;
    }

    private void remove(final PendingDatagram d)
    {
        final int bucket =
            hash(d.ipVersion, d.protocol, d.vlan, d.srcHi, d.srcLo, d.dstHi, d.dstLo, d.id, d.tunnelKey) & mask;
        if (buckets[bucket] == d.index)
        {
            buckets[bucket] = d.bucketNext;
        }
        else
        {
            int i = buckets[bucket];
            while (pool[i].bucketNext != d.index)
            {
                i = pool[i].bucketNext;
            }
            pool[i].bucketNext = d.bucketNext;
        }

        if (d.older != NONE)
        {
            pool[d.older].newer = d.newer;
        }
        else
        {
            oldest = d.newer;
        }
        if (d.newer != NONE)
        {
            pool[d.newer].older = d.older;
        }
        else
        {
            newest = d.older;
        }

        d.inUse = false;
        d.bucketNext = NONE;
        d.older = NONE;
        d.newer = NONE;
        freeList[freeCount++] = d.index;
        pending--;
    }

    private static int hash(
        final int ipVersion, final int protocol, final int vlan,
        final long srcHi, final long srcLo, final long dstHi, final long dstLo, final long id, final long tunnelKey)
    {
        long h = (id ^ tunnelKey) * 0x9E3779B97F4A7C15L;
        h = Long.rotateLeft(h ^ srcLo * 0xC2B2AE3D27D4EB4FL, 31);
        h = Long.rotateLeft(h ^ dstLo * 0x165667B19E3779F9L, 27);
        h = Long.rotateLeft(h ^ srcHi * 0x85EBCA77C2B2AE63L, 33);
        h = Long.rotateLeft(h ^ dstHi * 0x27D4EB2F165667C5L, 29);
        h ^= ((long)vlan << 16 | ipVersion << 8 | protocol) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int)h;
    }
}
