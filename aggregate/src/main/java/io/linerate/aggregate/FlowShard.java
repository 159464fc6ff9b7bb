package io.linerate.aggregate;

import io.linerate.aggregate.flow.FlowHeader;
import io.linerate.aggregate.flow.FlowTable;
import io.linerate.aggregate.ip.FragmentReassembler;
import io.linerate.aggregate.verdict.VerdictRules;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.PacketListener;
import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.aggregate.view.Verdict;
import io.linerate.decode.DecodeSettings;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FlowHash;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import org.HdrHistogram.Histogram;

/**
 * One flow shard: owns a flow table, updates per-connection state from decoded frames, and emits
 * records to its listener. A shard is driven by one thread; frames of one connection always reach
 * the same shard (symmetric flow hash), so no state is shared between shards.
 *
 * <p>Time is packet time ({@link #advanceTime}): idle timeouts fire when the input's clock passes
 * them, whatever the replay speed.
 *
 * <p>IP fragments are reassembled first ({@link #onFragment}), as Wireshark does: a fragmented
 * datagram counts once, as one packet with its whole payload, at the fragment that completes it.
 * A non-first fragment has no ports, so its own flow hash is not its connection's: every shard
 * follows every fragment (they are rare), and only the shard of the reassembled datagram's
 * connection takes the datagram; the others drop it. The fragment counters are therefore each
 * shard's own view of all the fragments, except {@link #datagramsReassembled()}, which counts the
 * datagrams this shard took.
 *
 * <p>A connection active for longer than the active timeout gets an interim record with its totals
 * so far, then again every active timeout, and one final record when it ends.
 */
public final class FlowShard implements ShardAnomaly.Source
{

    /** Wireshark puts a quoted TCP header on its connection once the window field (bytes 14-15) is there. */
    private static final int QUOTED_TCP_BYTES_FOR_A_SEGMENT = 16;

    private final FlowSettings settings;
    /** The sentence of the verdict being judged, reused record after record. */
    private final StringBuilder verdictDetail = new StringBuilder(128);
    private final Connections table;
    private final FlowRecordListener listener;
    /** Sees each packet with its connection, null for none. */
    private final PacketListener packets;
    private final TcpConnectionTracker tcp;
    private final FragmentReassembler fragments;
    /** Every RTT sample of the shard's connections, microseconds, up to an hour, 3 significant digits. */
    private final Histogram rttMicros = new Histogram(3_600_000_000L, 3);

    /**
     * This shard's number of how many share the input ({@link #placeAs}): an ICMP error is the
     * business of two shards, its quoted connection's and its own flow's.
     */
    private int ordinal;
    private int shardCount = 1;
    /**
     * {@code shardCount - 1} when the count is a power of two (then a hash's shard is its low bits,
     * as its unsigned remainder would say), else -1: {@link #owns} runs twice a frame on every shard,
     * and a 64-bit division there cost about a tenth of a pure ACK's time.
     */
    private int shardMask;
    private long now = Long.MIN_VALUE;
    /** Where {@link #warm} leaves the sum of what it read, so the reads are not optimised away. */
    private long warmSink;
    /** The table slots {@link #warm} loaded for its batch, read again by its second pass. */
    private long[] warmSlots = new long[ShardHandler.BATCH];
    private long framesSeen;
    private long flowsCreated;
    private long flowsEvicted;
    private long flowsTimedOut;
    private long fragmentsWithoutTransport;
    private long icmpErrorsMatched;
    private long icmpQuotesWithoutRoom;
    private long datagramsReassembled;
    private long interimRecords;

    /** A shard of frames decoded with {@link DecodeSettings#DEFAULT}, no packet listener. */
    public FlowShard(final FlowSettings settings, final FlowRecordListener listener)
    {
        this(settings, DecodeSettings.DEFAULT, listener, null);
    }

    /**
     * A shard of frames decoded with {@link DecodeSettings#DEFAULT}.
     *
     * @param packets sees every packet once analysed, with its connection; null for none
     */
    public FlowShard(final FlowSettings settings, final FlowRecordListener listener, final PacketListener packets)
    {
        this(settings, DecodeSettings.DEFAULT, listener, packets);
    }

    /**
     * @param decode  how the frames were decoded: the datagrams the shard reassembles from fragments
     *                are decoded the same way, so they open the same tunnels as unfragmented packets
     * @param packets sees every packet once analysed, with its connection; null for none
     */
    public FlowShard(final FlowSettings settings, final DecodeSettings decode, final FlowRecordListener listener,
        final PacketListener packets)
    {
        this.settings = settings;
        this.fragments = new FragmentReassembler(decode);
        this.table = new Connections(
            new FlowTable(settings.maxFlowsPerShard(), settings.shortestIdleNanos(), settings.longestIdleNanos()));
        this.listener = listener;
        this.packets = packets;
        this.tcp = new TcpConnectionTracker(settings, rttMicros);
    }

    /**
     * Makes this shard number {@code ordinal} of {@code shardCount} sharing one input (one of one
     * until then): it then takes only its part of an ICMP error that quotes a connection of
     * another shard's ({@link #takes}).
     */
    public void placeAs(final int ordinal, final int shardCount)
    {
        if (ordinal < 0 || ordinal >= shardCount)
        {
            throw new IllegalArgumentException("shard " + ordinal + " of " + shardCount);
        }
        this.ordinal = ordinal;
        this.shardCount = shardCount;
        this.shardMask = Integer.bitCount(shardCount) == 1 ? shardCount - 1 : -1;
    }

    /**
     * True when this shard has to see the (decoded, unfragmented) frame: its flow hash is this
     * shard's, or it is an ICMP error whose own flow is. An ICMP error's {@code flowHash} is that of
     * the connection it quotes, where the error is noted; the error's own ICMP flow is kept on the
     * shard of its own hash, so one ICMP flow (a router's messages to a host) is one record however
     * many shards there are and whichever connections its errors quote.
     */
    public boolean takes(final DecodedFrame slot)
    {
        return owns(slot.flowHash) || slot.quotedPresent && owns(ownFlowHash(slot));
    }

    private boolean owns(final int flowHash)
    {
        final int mask = shardMask;
        return (mask >= 0 ? flowHash & mask : Integer.remainderUnsigned(flowHash, shardCount)) == ordinal;
    }

    /** The hash of a frame's own flow: for an ICMP error, not the quoted connection's {@code flowHash}. */
    private static int ownFlowHash(final DecodedFrame slot)
    {
        return slot.quotedPresent ? FlowHash.hash(slot.ipProtocol,
            slot.srcHi, slot.srcLo, slot.srcPort, slot.dstHi, slot.dstLo, slot.dstPort) : slot.flowHash;
    }

    /**
     * Moves the shard's clock to a frame's time (every frame of the input, not only this shard's;
     * after the frame updated its own flow) and writes the final record of every flow idle for longer
     * than its timeout.
     */
    public void advanceTime(final long timestampNanos)
    {
        if (timestampNanos == 0)
        {
            return;
        }
        if (timestampNanos > now)
        {
            now = timestampNanos;
        }
        // The table's timers hand over the flows idle since up to a tick ago; a flow that went idle
        // more recently is caught when its next packet looks it up (live()).
        Flow f;
        while ((f = table.nextExpired(now)) != null)
        {
            endIdle(f);
        }
        fragments.expire(now);
    }

    /** Writes the final record of a flow idle for longer than its timeout. */
    private void endIdle(final Flow f)
    {
        final EndReason reason = f.protocol() == IpProtocol.TCP ? tcp.endReasonWhenIdle(f) :
            datagramEnd(f, EndReason.IDLE_TIMEOUT);
        if (reason == EndReason.IDLE_TIMEOUT)
        {
            flowsTimedOut++;
        }
        emitFinal(f, reason);
    }

    /**
     * The flow a lookup found, or null when there was none or it has been idle past its timeout at
     * the shard's clock (its final record is then written first, as the timers would have).
     */
    private Flow live(final Flow f)
    {
        if (f != null && f.expiresNanos() < now)
        {
            endIdle(f);
            return null;
        }
        return f;
    }

    /**
     * Updates the flow of a decoded frame that belongs to this shard. A fragment goes to
     * reassembly as in {@link #onFragment} with this shard the only one.
     */
    public void onFrame(final DecodedFrame slot)
    {
        if (slot.fragment)
        {
            onFragment(slot);
            return;
        }
        track(slot);
    }

    /**
     * Takes an IP fragment ({@code slot.fragment}), whatever its flow hash: every shard is given
     * every fragment. When it completes a datagram this shard {@link #takes}, the datagram updates
     * its flow as one packet (so does a first fragment cut by the snap length, which cannot be
     * reassembled; see {@link FragmentReassembler#onFragment}).
     */
    public void onFragment(final DecodedFrame slot)
    {
        final DecodedFrame datagram = fragments.onFragment(slot);
        if (datagram != null && takes(datagram))
        {
            if (FragmentReassembler.wholeFragmentCaptured(slot))
            {
                datagramsReassembled++;
            }
            track(datagram);
        }
    }

    /**
     * Loads what the first {@code n} frames of {@code batch} will touch, before any of them is
     * analysed: every frame's table slot and the record lines of the flow found there (its address
     * comes from the slot). The loads of different frames do not depend on each other, so their cache misses
     * overlap instead of coming one after another (the flow table no longer fits in the caches on a
     * busy link). Changes nothing: a frame whose flow is elsewhere, or new, is simply not helped.
     *
     * Only this shard's own frames ({@link #placeAs}) are looked up.
     */
    public void warm(final DecodedFrame[] batch, final int n)
    {
        final FlowTable t = table.table();
        final long[] slots = warmSlots.length >= n ? warmSlots : (warmSlots = new long[n]);
        for (int i = 0; i < n; i++)
        {
            final DecodedFrame slot = batch[i];
            slots[i] = !slot.fragment && slot.ipVersion != 0 && owns(slot.flowHash) ? t.warmSlot(slot.flowHash) : 0;
        }
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += t.warmRecord(slots[i]);
        }
        warmSink = sum;
    }

    private void track(final DecodedFrame slot)
    {
        framesSeen++;
        if (slot.ipVersion == 0 || slot.anomaly != 0 && !slot.transportPresent && slot.ipProtocol < 0)
        {
            return;
        }
        final int protocol = slot.ipProtocol;
        if (!slot.transportPresent && (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP))
        {
            // A transport header cut by the snap length (or one past the bytes kept of a reassembled
            // datagram) carries no ports: it cannot be put on a connection.
            fragmentsWithoutTransport++;
            return;
        }
        switch (protocol)
        {
            case IpProtocol.TCP:
                onTcp(slot);
                break;
            case IpProtocol.ICMP:
            case IpProtocol.ICMPV6:
                onIcmp(slot);
                break;
            default:
                onDatagram(slot, protocol, slot.flowHash);
                break;
        }
    }

    /** Writes the final record of every flow (end of input or shutdown). */
    public void flushAll(final EndReason reason)
    {
        Flow f;
        while ((f = table.nextRemaining()) != null)
        {
            if (f.expiresNanos() < now)
            {
                endIdle(f);
            }
            else
            {
                emitFinal(f, f.protocol() == IpProtocol.TCP ? tcp.endReasonAtEnd(f, reason) : datagramEnd(f, reason));
            }
        }
        // Datagrams still missing fragments never became packets.
        fragments.clear();
        listener.onEndOfBatch();
    }

    public void endOfBatch()
    {
        listener.onEndOfBatch();
    }

    /**
     * A TCP segment: the connection is found, tracked and rescheduled by its index, on its record;
     * its object is fetched only where something the record does not hold is needed (a new or
     * reused connection, an expiry, an interim record).
     */
    private void onTcp(final DecodedFrame slot)
    {
        int index = table.findIndex(slot.flowHash, IpProtocol.TCP,
            slot.srcHi, slot.srcLo, slot.srcPort, slot.dstHi, slot.dstLo, slot.dstPort, slot.tunnelKey);
        if (index >= 0 && table.header(index).expiresNanos() < now)
        {
            // idle past its timeout at the shard's clock: its final record first, as the timers would
            endIdle(table.flow(index));
            index = -1;
        }
        if (index >= 0 && (slot.tcpFlags & (TcpFlags.SYN | TcpFlags.ACK)) == TcpFlags.SYN)
        {
            final Flow f = table.flow(index);
            if (tcp.startsNewConnection(f, slot))
            {
                emitFinal(f, tcp.endReasonOnReuse(f));
                index = -1;
            }
        }
        if (index < 0)
        {
            final Flow f = newFlow(slot, slot.flowHash, IpProtocol.TCP);
            TcpConnectionTracker.assignRoles(f, slot);
            index = f.index();
        }
        final long idle = tcp.onSegment(table, index, slot);
        if (packets != null)
        {
            final Flow f = table.flow(index);
            packets.onPacket(f, slot, f.isFromClient(slot), tcp.lastAnalysis());
        }
        final FlowHeader h = table.header(index);
        final long lastReportNanos = h.lastReportNanos();
        table.schedule(index, expiry(slot.timestampNanos, idle), h.closed());
        if (slot.timestampNanos != 0 && slot.timestampNanos - lastReportNanos >= settings.activeTimeoutNanos())
        {
            interimIfDue(table.flow(index), slot.timestampNanos);
        }
    }

    /** A datagram on its flow, whose hash is {@code hash} (an ICMP error's own, not its quote's). */
    private void onDatagram(final DecodedFrame slot, final int protocol, final int hash)
    {
        Flow f = live(table.find(hash, protocol, slot.srcHi, slot.srcLo, slot.srcPort, slot.dstHi, slot.dstLo, slot.dstPort,
            slot.tunnelKey));
        if (f == null)
        {
            f = newFlow(slot, hash, protocol);
            // No handshake to say who opened it: the lower port is the server (a service port),
            // equal ports make the first sender the client. ICMP keys carry the echo identifier
            // (the same on both sides) or nothing, so its first sender is the client.
            f.assignRoles(slot, slot.srcPort >= slot.dstPort, true);
        }
        final boolean fromClient = f.isFromClient(slot);
        f.count(slot, fromClient);
        f.zeek().onDatagram(slot, fromClient, protocol == IpProtocol.UDP);
        if (protocol == IpProtocol.ICMP || protocol == IpProtocol.ICMPV6)
        {
            f.noteIcmpMessage(slot);
        }
        if (packets != null)
        {
            packets.onPacket(f, slot, fromClient, 0);
        }
        table.schedule(f, expiry(slot.timestampNanos,
            protocol == IpProtocol.UDP ? settings.udpIdleNanos() : settings.otherIdleNanos()), false);
        interimIfDue(f, slot.timestampNanos);
    }

    /**
     * Why a UDP or other datagram flow ends: {@code icmp_error} when an ICMP error answered it and
     * nothing came back from the server (a query to a closed port, a rejected packet).
     */
    private static EndReason datagramEnd(final Flow f, final EndReason otherwise)
    {
        return otherwise != EndReason.EVICTED && f.s2c().packets() == 0 && VerdictRules.icmpError(f) ?
            EndReason.ICMP_ERROR : otherwise;
    }

    /** Writes an interim record of a flow active for longer than the active timeout. */
    private void interimIfDue(final Flow f, final long timestampNanos)
    {
        if (timestampNanos != 0 && f.interimDue(timestampNanos, settings.activeTimeoutNanos()))
        {
            judge(f);
            listener.onRecord(f, false, null);
            f.interimWritten(timestampNanos);
            interimRecords++;
        }
    }

    private void onIcmp(final DecodedFrame slot)
    {
        if (slot.quotedPresent && owns(slot.flowHash))
        {
            // An error about another connection (RFC 792, RFC 4443 section 2.4): note it on the
            // connection it quotes. The quoted header was sent by that connection, so its source
            // is the connection's sender.
            final Flow quoted = live(table.find(slot.flowHash,
                slot.quotedProtocol,
                slot.quotedSrcHi, slot.quotedSrcLo, slot.quotedSrcPort,
                slot.quotedDstHi, slot.quotedDstLo, slot.quotedDstPort, slot.tunnelKey));
            if (quoted != null)
            {
                quoted.noteIcmpError(slot);
                icmpErrorsMatched++;
            }
            if (slot.quotedProtocol == IpProtocol.TCP && slot.quotedTransportLength >= QUOTED_TCP_BYTES_FOR_A_SEGMENT)
            {
                onQuotedTcp(slot, quoted);
            }
        }
        // An ICMP error's flowHash is that of the connection it quotes: its own flow needs its own.
        final int own = ownFlowHash(slot);
        if (owns(own))
        {
            onDatagram(slot, slot.ipProtocol, own);
        }
    }

    private void onQuotedTcp(final DecodedFrame slot, final Flow known)
    {
        Flow f = known;
        if (f == null)
        {
            if (table.isFull())
            {
                // A quote alone never evicts: forged ICMP errors quoting made-up connections would
                // otherwise push out the connections being followed.
                icmpQuotesWithoutRoom++;
                return;
            }
            f = newFlow(slot, slot.flowHash, IpProtocol.TCP, slot.quotedSrcHi, slot.quotedSrcLo, slot.quotedSrcPort,
                slot.quotedDstHi, slot.quotedDstLo, slot.quotedDstPort);
            TcpConnectionTracker.assignQuotedRoles(f, slot);
            f.noteIcmpError(slot);
            table.schedule(f, expiry(slot.timestampNanos, settings.tcpHalfOpenIdleNanos()), f.closed());
        }
        tcp.onQuotedSegment(f, slot);
        if (packets != null)
        {
            packets.onQuotedPacket(f, slot, f.isFromClient(slot.srcHi, slot.srcLo, slot.quotedSrcPort));
        }
        // The quoted segment does not move the idle time; a close it makes files the flow as closed.
        table.schedule(f, f.expiresNanos(), f.closed());
    }

    /**
     * When a flow last seen at {@code timestampNanos} becomes idle. A frame without a timestamp
     * (0: a pcapng simple packet block, or a capture that did not record time) says nothing about
     * time, so the flow cannot time out until a timed frame of it comes.
     */
    private long expiry(final long timestampNanos, final long idleNanos)
    {
        return timestampNanos == 0 ? Long.MAX_VALUE : Math.max(now, timestampNanos) + idleNanos;
    }

    private Flow newFlow(final DecodedFrame slot, final int hash, final int protocol)
    {
        return newFlow(slot, hash, protocol, slot.srcHi, slot.srcLo, slot.srcPort, slot.dstHi, slot.dstLo, slot.dstPort);
    }

    private Flow newFlow(
        final DecodedFrame slot, final int hash, final int protocol,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        if (table.isFull())
        {
            // Closed connections go first, and say how they closed: only their linger is cut short.
            // Then the flow nearest its idle timeout; one already past it ends as idle.
            final Flow victim = table.evictionCandidate();
            if (victim.expiresNanos() < now)
            {
                endIdle(victim);
            }
            else
            {
                flowsEvicted++;
                emitFinal(victim, victim.protocol() == IpProtocol.TCP ? tcp.endReasonAtEnd(victim, EndReason.EVICTED) :
                    EndReason.EVICTED);
            }
        }
        flowsCreated++;
        final Flow f = table.insert(hash, protocol, slot.ipVersion, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort,
            slot.tunnelKey);
        f.begin(slot);
        return f;
    }

    /** Judges the connection into its cursor, for the record about to be written. */
    private void judge(final Flow f)
    {
        verdictDetail.setLength(0);
        final Verdict v = VerdictRules.judge(f, settings.lossyRetransmitRate(), verdictDetail);
        f.verdict(v, verdictDetail.toString());
    }

    private void emitFinal(final Flow f, final EndReason reason)
    {
        judge(f);
        listener.onRecord(f, true, reason);
        table.remove(f);
    }

    /** Interim records written for long connections. */
    public long interimRecords()
    {
        return interimRecords;
    }

    /**
     * The distribution of every RTT sample this shard measured, microseconds. Owned by the shard's
     * thread: read it once the shard is finished, or copy it on that thread.
     */
    public Histogram rttMicros()
    {
        return rttMicros;
    }

    public int activeFlows()
    {
        return table.size();
    }

    public long framesSeen()
    {
        return framesSeen;
    }

    public long flowsCreated()
    {
        return flowsCreated;
    }

    public long flowsEvicted()
    {
        return flowsEvicted;
    }

    public long flowsTimedOut()
    {
        return flowsTimedOut;
    }

    /**
     * TCP and UDP packets without their transport header (cut by the snap length), which no
     * connection could take. (The name is older than fragment reassembly, when non-first fragments
     * were counted here.)
     */
    public long fragmentsWithoutTransport()
    {
        return fragmentsWithoutTransport;
    }

    /** TLS hellos split across segments that were not read: the shard's pool of hello buffers was empty. */
    public long tlsHellosWithoutBuffer()
    {
        return tcp.hellos().hellosWithoutBuffer();
    }

    /** Hello buffers lent to this shard's connections now. */
    public int tlsHelloBuffersInUse()
    {
        return tcp.hellos().buffersInUse();
    }

    public long icmpErrorsMatched()
    {
        return icmpErrorsMatched;
    }

    /**
     * Adds this shard's anomaly counts to {@code counts}, indexed by {@link ShardAnomaly} code (the
     * fragment ones are this shard's view of every fragment; see {@link ShardAnomaly#countsOf}).
     */
    @Override
    public void anomalyCounts(final long[] counts)
    {
        fragments.anomalyCounts(counts);
        counts[ShardAnomaly.EXCESSIVE_PENDING_TLS_HELLOS] += tcp.hellos().hellosWithoutBuffer();
        counts[ShardAnomaly.EXCESSIVE_TLS_HELLO_LENGTH] += tcp.hellos().hellosTooLong();
        counts[ShardAnomaly.EXCESSIVE_ICMP_QUOTED_CONNECTIONS] += icmpQuotesWithoutRoom;
    }

    /** IP fragment frames this shard looked at (every shard looks at every fragment). */
    public long fragmentsSeen()
    {
        return fragments.fragmentsSeen();
    }

    /** Reassembled datagrams this shard put on a connection (each datagram counts in one shard). */
    public long datagramsReassembled()
    {
        return datagramsReassembled;
    }

    /** Datagrams given up because their fragments did not all come within the reassembly timeout. */
    public long datagramsTimedOut()
    {
        return fragments.datagramsTimedOut();
    }

    /** Datagrams given up because too many were waiting for fragments. */
    public long datagramsEvicted()
    {
        return fragments.datagramsEvicted();
    }

    /** Datagrams dropped as inconsistent (too long, contradicting lengths, too many holes). */
    public long datagramsDiscarded()
    {
        return fragments.datagramsDiscarded();
    }

    /** Datagrams still missing fragments at the end of the input. */
    public long datagramsUnfinished()
    {
        return fragments.datagramsUnfinished();
    }

    /** Fragments cut by the snap length, left out of reassembly. */
    public long fragmentsNotCaptured()
    {
        return fragments.fragmentsNotCaptured();
    }

    /** Fragments that carried bytes already received: duplicates and overlaps. */
    public long overlappingFragments()
    {
        return fragments.overlappingFragments();
    }

    /** Datagrams waiting for fragments now. */
    public int pendingDatagrams()
    {
        return fragments.pending();
    }
}
