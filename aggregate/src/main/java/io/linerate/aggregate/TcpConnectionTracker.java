package io.linerate.aggregate;

import io.linerate.aggregate.flow.DirectionStats;
import io.linerate.aggregate.flow.FlowDescriptor;
import io.linerate.aggregate.flow.FlowHeader;
import io.linerate.aggregate.tcp.Handshake;
import io.linerate.aggregate.tcp.SequenceAnalyzer;
import io.linerate.aggregate.tcp.SequenceState;
import io.linerate.aggregate.tls.HelloReassembler;
import io.linerate.aggregate.verdict.VerdictRules;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.zeek.ZeekHistory;
import io.linerate.decode.DecodedFrame;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import static io.linerate.decode.tcp.TcpFlags.ACK;
import static io.linerate.decode.tcp.TcpFlags.FIN;
import static io.linerate.decode.tcp.TcpFlags.RST;
import static io.linerate.decode.tcp.TcpFlags.SYN;

/**
 * Tracks TCP connections segment by segment: who opened them, their handshake, their close, and when
 * the same 4-tuple starts a new connection (a port reused after close), the way Wireshark splits
 * {@code tcp.stream}s so that records and Wireshark's conversations match one to one.
 */
public final class TcpConnectionTracker
{

    /** Added to a doubled retransmission interval: timers fire a little late under load. */
    private static final long BACKOFF_SLACK_NANOS = 1_000_000_000L;

    private final FlowSettings settings;
    private final Histogram rttMicros;
    private final HelloReassembler hellos = new HelloReassembler();
    /** The sender's and the receiver's direction of the segment being tracked, and Zeek's view. */
    private final SequenceState fwd = new SequenceState();
    private final SequenceState rev = new SequenceState();
    private final ZeekHistory zeek = new ZeekHistory();
    /** The analysis flags of the last segment {@link #onSegment} took (0 when it was not analysed). */
    private int lastAnalysis;

    /** The shard's reassembler of hellos split across segments (its pool and counters). */
    public HelloReassembler hellos()
    {
        return hellos;
    }

    /**
     * The {@link SequenceAnalyzer} flags of the segment {@link #onSegment} took last: what Wireshark's
     * {@code tcp.analysis.*} fields say of it; 0 when it took no part in sequence analysis.
     */
    public int lastAnalysis()
    {
        return lastAnalysis;
    }

    /**
     * @param rttMicros where every RTT sample of the shard's connections goes, microseconds
     */
    public TcpConnectionTracker(final FlowSettings settings, final Histogram rttMicros)
    {
        this.settings = settings;
        this.rttMicros = rttMicros;
    }

    /**
     * Names the client of a new connection from its first segment: the SYN's sender, the SYN-ACK's
     * receiver, else (capture started mid-connection) the side with the higher port, ties going to
     * the first sender, as Wireshark does.
     */
    public static void assignRoles(final Flow f, final DecodedFrame slot)
    {
        final int flags = slot.tcpFlags;
        if ((flags & (SYN | ACK)) == SYN)
        {
            f.assignRoles(slot, true, false);
        }
        else if ((flags & (SYN | ACK)) == (SYN | ACK))
        {
            f.assignRoles(slot, false, false);
        }
        else
        {
            f.assignRoles(slot, slot.srcPort >= slot.dstPort, true);
        }
    }

    /**
     * True when this segment opens a new connection on the tuple of {@code f}: a SYN (without ACK)
     * whose sequence number differs from the one its sender started the existing connection from.
     * A SYN with the same sequence number is a retransmission, even after a close, as in Wireshark's
     * {@code tcp.stream} split; no timer is involved.
     */
    public boolean startsNewConnection(final Flow f, final DecodedFrame slot)
    {
        if ((slot.tcpFlags & (SYN | ACK)) != SYN)
        {
            return false;
        }
        final DirectionStats d = f.isFromClient(slot) ? f.c2s() : f.s2c();
        return d.baseSeq() >= 0 && d.baseSeq() != slot.seq;
    }

    /**
     * Updates the connection with one of its segments.
     *
     * <p>The work is done on the flow's record, through the tracker's own flyweights pointed at it
     * (the table gives its place): the flow's object is looked up, and touched, only for what the
     * record does not hold (a handshake that can still change, TLS and HTTP metadata, RTT samples,
     * Zeek's letters), so a plain ACK of an established connection touches the record alone.
     *
     * @param index the connection's flow in {@code table}
     * @return how long the connection may now stay idle before it ends, nanoseconds
     */
    public long onSegment(final Connections table, final int index, final DecodedFrame slot)
    {
        final int flags = slot.tcpFlags;
        final FlowHeader h = table.header(index);
        final boolean fromClient = h.isFromClient(slot);
        final UnsafeBuffer record = h.buffer();
        final int at = h.record();
        final SequenceState fwd = this.fwd;
        final SequenceState rev = this.rev;
        fwd.wrap(record, at + (fromClient ? FlowDescriptor.C2S_OFFSET : FlowDescriptor.S2C_OFFSET), table, index,
            fromClient);
        rev.wrap(record, at + (fromClient ? FlowDescriptor.S2C_OFFSET : FlowDescriptor.C2S_OFFSET), table, index,
            !fromClient);
        h.seen(slot.timestampNanos);
        fwd.count(slot.wireLength, slot.payloadLength);
        fwd.noteFlags((flags & FIN) != 0, (flags & RST) != 0);
        final boolean baseReplaced = noteBaseSequences(fwd, rev, slot);
        zeek.wrap(record, at + FlowDescriptor.ZEEK_OFFSET);
        zeek.onSegment(slot, fromClient);
        if (slot.httpMethod != 0 || slot.httpStatus >= 0)
        {
            table.flow(index).noteHttp(slot.httpMethod, slot.httpStatus, fromClient);
        }
        if (slot.tlsHandshakeType != 0 || slot.tlsAlertLevel >= 0)
        {
            table.flow(index).noteTls(slot, fromClient);
        }
        if (slot.payloadLength > 0 &&
            (h.helloBuffered() || slot.tlsHandshakeType == 0 && HelloReassembler.mayStartHello(slot)))
        {
            hellos.onSegment(table.flow(index), slot, fromClient);
        }

        // The handshake is looked at only while it can still change: on a long connection's data
        // and ACKs the record's flags say everything (the flow's object is not touched).
        final int synAck = flags & (SYN | ACK);
        if (synAck != ACK || !h.handshakeSettled() || (flags & RST) != 0)
        {
            final Flow f = table.flow(index);
            final Handshake hs = f.handshake();
            if (synAck == SYN)
            {
                hs.onPureSyn(slot.timestampNanos);
                if (fromClient)
                {
                    hs.onSyn(slot);
                }
            }
            else if (synAck == (SYN | ACK))
            {
                if (!fromClient)
                {
                    hs.onSynAck(slot);
                }
            }
            else if (synAck == ACK)
            {
                hs.onAck(slot.timestampNanos, fromClient);
            }
            if ((flags & RST) != 0 && !fromClient && hs.status() == Handshake.SYN_SENT)
            {
                hs.onRefused();
            }
            f.handshakeChanged();
        }
        // The flyweight over the header is the table's, and the calls above may have used it.
        final FlowHeader header = table.header(index);
        lastAnalysis = 0;
        if (!slot.fragment && !slot.tcpHeaderCut)
        {
            lastAnalysis = analyseSequence(header, slot, fwd, rev, baseReplaced);
        }

        final boolean closed;
        if (header.closed())
        {
            closed = true;
        }
        else if ((flags & (FIN | RST)) != 0 && ((fwd.fin() && rev.fin()) || fwd.rst() || rev.rst()))
        {
            header.flag(FlowDescriptor.CLOSED, true);
            closed = true;
        }
        else
        {
            closed = false;
        }
        final long idle;
        if (closed)
        {
            idle = settings.tcpClosedLingerNanos();
        }
        else if (!header.halfOpen())
        {
            idle = settings.tcpEstablishedIdleNanos();
        }
        else
        {
            // A handshake still being retried stays open while its backoff says another try is due.
            idle = Math.max(settings.tcpHalfOpenIdleNanos(),
                2 * table.flow(index).handshake().backoffNanos() + BACKOFF_SLACK_NANOS);
        }
        return idle;
    }

    /**
     * Wireshark's sequence analysis of the segment, on sequence numbers relative to each side's
     * base (so "0" means "not seen yet" as in Wireshark). Fragments carry no reliable segment length
     * and are left out, as their sequence numbers are.
     */
    private int analyseSequence(
        final FlowHeader h, final DecodedFrame slot, final SequenceState fwd, final SequenceState rev,
        final boolean restart)
    {
        final int flags = slot.tcpFlags;
        if (restart)
        {
            fwd.restart();
        }
        if ((flags & SYN) != 0)
        {
            SequenceAnalyzer.onSynOptions(fwd, rev, (flags & ACK) != 0, slot.windowScale);
        }
        final int seq = (int)(slot.seq - fwd.baseSeq());
        final int ack = (flags & ACK) != 0 ? (int)(slot.ack - rev.baseSeq()) : (int)slot.ack;
        return SequenceAnalyzer.onSegment(fwd, rev, slot, seq, ack, h, h.timestamps(), rttMicros);
    }

    /**
     * A TCP header quoted by an ICMP error with at least its first 16 bytes: Wireshark dissects it
     * as a packet of the connection it quotes (creating the connection when none is known), so it is
     * counted there with no payload. It travels back towards the quoted packet's sender, so it is
     * counted as the client's only when the client's own host sent it from the client's port (the
     * reporter's address with the quoted source port, as tshark's fields pair them). It sets no
     * sequence state; a quoted SYN still restarts the handshake RTT, as in Wireshark.
     */
    public void onQuotedSegment(final Flow f, final DecodedFrame slot)
    {
        final boolean fromClient = f.isFromClient(slot.srcHi, slot.srcLo, slot.quotedSrcPort);
        final int flags = slot.quotedTcpFlags;
        final DirectionStats d = f.count(slot.timestampNanos, slot.wireLength, 0, fromClient);
        d.noteFlags((flags & FIN) != 0, (flags & RST) != 0);
        if ((flags & (SYN | ACK)) == SYN)
        {
            final Handshake hs = f.handshake();
            hs.onPureSyn(slot.timestampNanos);
            f.handshakeChanged();
        }
    }

    /** Roles of a connection first seen as a header quoted by an ICMP error, by the same rules. */
    public static void assignQuotedRoles(final Flow f, final DecodedFrame slot)
    {
        final int synAck = slot.quotedTcpFlags & (SYN | ACK);
        final boolean senderIsClient = synAck == SYN ||
            synAck != (SYN | ACK) && slot.quotedSrcPort >= slot.quotedDstPort;
        f.assignRoles(slot.quotedSrcHi, slot.quotedSrcLo, slot.quotedSrcPort,
            slot.quotedDstHi, slot.quotedDstLo, slot.quotedDstPort, senderIsClient, synAck != SYN && synAck != (SYN | ACK));
    }

    /**
     * Each side's starting sequence number, which tells a retransmitted SYN from a new connection.
     * It comes from the side's first segment (its SYN's sequence number, else one less than its first
     * sequence number), or from the other side's first ACK (one less than the acknowledged number),
     * whichever is seen first. A SYN-ACK with a new sequence number replaces it (the server answered
     * a new attempt). Fragments carry no reliable segment length and set nothing.
     *
     * @return true when a SYN-ACK replaced its sender's base: its sequence analysis starts again
     */
    private static boolean noteBaseSequences(final DirectionStats fwd, final DirectionStats rev,
        final DecodedFrame slot)
    {
        if (slot.fragment || slot.tcpHeaderCut)
        {
            return false;
        }
        boolean replaced = false;
        final int flags = slot.tcpFlags;
        if (fwd.baseSeq() < 0)
        {
            fwd.baseSeq((flags & SYN) != 0 ? slot.seq : (slot.seq - 1) & 0xFFFFFFFFL);
        }
        else if ((flags & (SYN | ACK)) == (SYN | ACK) && fwd.baseSeq() != slot.seq)
        {
            fwd.baseSeq(slot.seq);
            replaced = true;
        }
        if (rev.baseSeq() < 0 && (flags & ACK) != 0)
        {
            rev.baseSeq((slot.ack - 1) & 0xFFFFFFFFL);
        }
        return replaced;
    }

    /** Why a connection ends when its tuple is taken by a new connection. */
    public EndReason endReasonOnReuse(final Flow f)
    {
        return closeReason(f, EndReason.IDLE_TIMEOUT);
    }

    /** Why a connection ends when its idle timeout fires. */
    public EndReason endReasonWhenIdle(final Flow f)
    {
        return closeReason(f, EndReason.IDLE_TIMEOUT);
    }

    /** Why a connection ends at the end of the input: a closed one says how it closed. */
    public EndReason endReasonAtEnd(final Flow f, final EndReason otherwise)
    {
        return closeReason(f, otherwise);
    }

    private static EndReason closeReason(final Flow f, final EndReason otherwise)
    {
        if (f.c2s().rst() || f.s2c().rst())
        {
            return EndReason.RST;
        }
        if (f.c2s().fin() && f.s2c().fin())
        {
            return EndReason.FIN;
        }
        if (otherwise != EndReason.EVICTED && f.handshake().status() != Handshake.COMPLETE && VerdictRules.icmpError(f))
        {
            // an attempt an ICMP error answered, and nothing after it: that error ended it
            return EndReason.ICMP_ERROR;
        }
        return otherwise;
    }
}
