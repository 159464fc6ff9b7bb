package io.linerate.aggregate.tcp;

import static io.linerate.aggregate.view.PacketAnalysis.*;
import static io.linerate.decode.tcp.TcpFlags.ACK;
import static io.linerate.decode.tcp.TcpFlags.FIN;
import static io.linerate.decode.tcp.TcpFlags.RST;
import static io.linerate.decode.tcp.TcpFlags.SYN;
import io.linerate.aggregate.flow.FlowDescriptor;
import io.linerate.aggregate.flow.FlowHeader;
import io.linerate.decode.DecodedFrame;
import org.HdrHistogram.Histogram;

/**
 * Wireshark's TCP sequence analysis, segment by segment: each segment gets the expert-info flags
 * Wireshark's {@code tcp.analysis.*} fields would give it (retransmission, fast and spurious
 * retransmission, out-of-order, previous segment not captured, duplicate ACK, zero window, window
 * full, keep-alive, zero-window probe), counted in the sender's {@link SequenceState}; the same
 * pass measures RTT samples, bytes in flight and the advertised windows.
 *
 * <p>The rules, in Wireshark's order (a later rule may depend on an earlier one's flag):
 * <ol>
 * <li>zero-window probe: 1 byte at the next sequence number while the other side's window is 0;
 *     it skips the rules up to the duplicate ACK and does not advance the next sequence number;</li>
 * <li>zero window: window 0 on a segment without SYN, FIN or RST;</li>
 * <li>lost segment: the sequence number is beyond the next expected one (not on a RST);</li>
 * <li>keep-alive: 0 or 1 byte starting one byte before the next expected sequence number;</li>
 * <li>window full: data that reaches the right edge of the other side's advertised window;</li>
 * <li>keep-alive ACK, zero-window-probe ACK, duplicate ACK: an empty segment repeating the
 *     sender's previous ACK and window (a duplicate ACK needs a non-zero window);</li>
 * <li>retransmission family, for data, SYN or FIN that does not advance the sequence number:
 *     fast (two or more duplicate ACKs for it, within 20 ms of the last), spurious (all of it
 *     already acknowledged; this one also when it advances the sequence number, as when the capture
 *     missed the original), out-of-order (within the handshake RTT, or 3 ms, of the highest segment
 *     and not ending where it ended, SYN and FIN counting one), else a plain retransmission.</li>
 * </ol>
 */
public final class SequenceAnalyzer
{
    // The analysis flags are PacketAnalysis's (imported statically), the TCP flags decode's TcpFlags.


    /** A retransmission this soon after two duplicate ACKs asked for it is a fast one (Wireshark). */
    private static final long FAST_RETRANSMISSION_NANOS = 20_000_000L;
    /** Out-of-order window when the handshake RTT is not known (Wireshark). */
    private static final long DEFAULT_OUT_OF_ORDER_NANOS = 3_000_000L;

    private SequenceAnalyzer()
    {
    }

    /**
     * Notes the window scale a SYN or SYN-ACK announces. Scaling is in force only when both sides
     * sent the option (RFC 7323 section 2.2); a SYN or SYN-ACK without it turns it off both ways.
     */
    public static void onSynOptions(
        final SequenceState fwd, final SequenceState rev, final boolean synAck, final int windowScale)
    {
        if (windowScale >= 0)
        {
            fwd.windowScale(synAck && rev.windowScale() == SequenceState.SCALE_NONE ?
                SequenceState.SCALE_NONE : Math.min(windowScale, 14));
        }
        else
        {
            fwd.windowScale(SequenceState.SCALE_NONE);
            rev.windowScale(SequenceState.SCALE_NONE);
        }
    }

    /**
     * Analyses one segment from the side {@code fwd} describes.
     *
     * @param seq            sequence number relative to the sender's base sequence number
     * @param ack            acknowledgement relative to the receiver's base (the raw field without ACK)
     * @param header         the flow's header: its handshake RTT ({@code <= 0} when not known) is read
     *                       only to classify a resent segment (it is not in the line a packet reads)
     * @param tsBoth         true when both sides use TCP timestamps (RFC 7323), so an ACK's echo
     *                       tells which copy of a retransmitted segment it answers
     * @param shardRtt       the shard's distribution of every RTT sample, microseconds
     * @return the segment's analysis flags
     */
    public static int onSegment(
        final SequenceState fwd,
        final SequenceState rev,
        final DecodedFrame slot,
        final int seq,
        final int ack,
        final FlowHeader header,
        final boolean tsBoth,
        final Histogram shardRtt)
    {
        final int flags = slot.tcpFlags;
        final int seglen = slot.payloadLength;
        final long window = slot.window;
        final long now = slot.timestampNanos;
        final boolean synFinRst = (flags & (SYN | FIN | RST)) != 0;
        final int fwdNextSeq = fwd.nextSeq();
        final int fwdLastAck = fwd.lastAck();
        int ta = 0;

        if (seglen == 1 && seq == fwdNextSeq && rev.window() == 0)
        {
            ta = ZERO_WINDOW_PROBE;
        }
        else
        {
            if (window == 0 && !synFinRst)
            {
                ta |= ZERO_WINDOW;
            }
            if (fwdNextSeq != 0 && seq - fwdNextSeq > 0 && (flags & RST) == 0)
            {
                ta |= LOST_SEGMENT;
            }
            if ((seglen == 0 || seglen == 1) && seq == fwdNextSeq - 1 && !synFinRst)
            {
                ta |= KEEP_ALIVE;
            }
            if (seglen > 0 && rev.windowScale() != SequenceState.SCALE_UNKNOWN && !synFinRst &&
                seq + seglen == rev.lastAck() + (int)(rev.window() << Math.max(0, rev.windowScale())))
            {
                ta |= WINDOW_FULL;
            }
            final boolean repeatsAck = seglen == 0 && window == fwd.window() && seq == fwdNextSeq &&
                ack == fwdLastAck && !synFinRst;
            if (repeatsAck && window != 0 && (rev.lastSegmentFlags() & KEEP_ALIVE) != 0)
            {
                ta |= KEEP_ALIVE_ACK;
            }
            else if (repeatsAck && window == 0 && (rev.lastSegmentFlags() & ZERO_WINDOW_PROBE) != 0)
            {
                ta |= ZERO_WINDOW_PROBE_ACK;
            }
            else if (repeatsAck && window != 0)
            {
                fwd.dupAckCount(fwd.dupAckCount() + 1);
                ta |= DUPLICATE_ACK;
            }
        }
        if (ack != fwdLastAck)
        {
            // a new acknowledgement ends the run of duplicates (data repeating it does not)
            fwd.dupAckCount(0);
        }

        // a SYN or FIN takes one sequence number (RFC 9293 section 3.4)
        final int seqSpace = seglen + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
        if (seqSpace > 0 && (ta & KEEP_ALIVE) == 0)
        {
            ta |= classifyResent(fwd, rev, seq, seqSpace, seglen, now, header);
        }

        final int nextSeq = seq + seqSpace;
        if ((ta & RETRANSMISSION) != 0 && fwd.timing() && seq - fwd.timedEnd() < 0)
        {
            // Karn's rule: an ACK for data sent twice does not say which copy it answers
            fwd.timedAmbiguous(true);
        }
        if ((fwdNextSeq == 0 || nextSeq - fwdNextSeq > 0) && (ta & ZERO_WINDOW_PROBE) == 0)
        {
            if (seglen > 0 && (ta & (RETRANSMISSION | OUT_OF_ORDER)) == 0 && !fwd.timing())
            {
                // time this segment: RFC 6298 times one segment per round trip
                fwd.startTiming(nextSeq, now, slot.tsVal);
            }
            fwd.nextSeq(nextSeq);
            fwd.nextSeqNanos(now);
        }
        final int maxSeqToBeAcked = fwd.maxSeqToBeAcked();
        if ((seq == maxSeqToBeAcked || maxSeqToBeAcked == 0) && (ta & ZERO_WINDOW_PROBE) == 0)
        {
            fwd.maxSeqToBeAcked(fwd.nextSeq());
        }

        count(fwd, rev, slot, seq, ack, ta, tsBoth, shardRtt);

        fwd.window(window);
        fwd.lastAck(ack);
        fwd.lastAckNanos(now);
        fwd.lastSegmentFlags(ta);
        if ((flags & ACK) != 0)
        {
            fwd.acked(true);
        }
        return ta;
    }

    /** Wireshark's out-of-order window: the handshake RTT when known, else its default. */
    private static long outOfOrderNanos(final FlowHeader header)
    {
        final long firstRttNanos = header.handshakeRttNanos();
        return firstRttNanos > 0 ? firstRttNanos : DEFAULT_OUT_OF_ORDER_NANOS;
    }

    /**
     * Which kind of resent segment this is, if any: data, SYN or FIN that does not advance the
     * sequence number, or data the receiver acknowledged already.
     */
    private static int classifyResent(
        final SequenceState fwd, final SequenceState rev, final int seq, final int seqSpace, final int seglen,
        final long now, final FlowHeader header)
    {
        final int fwdNextSeq = fwd.nextSeq();
        final int revLastAck = rev.lastAck();
        final boolean notAdvanced = fwdNextSeq != 0 && seq - fwdNextSeq < 0;
        if (notAdvanced && rev.dupAckCount() >= 2 && revLastAck == seq &&
            now - rev.lastAckNanos() < FAST_RETRANSMISSION_NANOS)
        {
            return FAST_RETRANSMISSION | RETRANSMISSION;
        }
        if (seglen > 0 && revLastAck != 0 && seq + seglen - revLastAck <= 0)
        {
            // all of it acknowledged already: spurious, even where the capture missed the original
            return SPURIOUS_RETRANSMISSION | RETRANSMISSION;
        }
        if (notAdvanced && now - fwd.nextSeqNanos() < outOfOrderNanos(header) && fwdNextSeq != seq + seqSpace)
        {
            return OUT_OF_ORDER;
        }
        return notAdvanced ? RETRANSMISSION : 0;
    }

    /** Adds the segment's flags to its sender's counts, and its windows, in-flight data and RTT. */
    private static void count(
        final SequenceState fwd, final SequenceState rev, final DecodedFrame slot, final int seq, final int ack,
        final int ta, final boolean tsBoth, final Histogram shardRtt)
    {
        final int flags = slot.tcpFlags;
        final int seglen = slot.payloadLength;
        if (ta != 0)
        {
            countEvents(fwd, ta, seglen);
        }
        if (seglen > 0)
        {
            fwd.add(FlowDescriptor.DATA_SEGMENTS, 1);
            // data (or a probe) from this side proves the other side's zero window held it back
            if (rev.zeroWindowSinceNanos() >= 0)
            {
                rev.zeroWindowHeldData(true);
            }
            final long pending = rev.zeroWindowPendingNanos();
            if (pending != 0)
            {
                rev.addZeroWindowStallNanos(pending);
                rev.zeroWindowPendingNanos(0);
            }
            if (rev.acked())
            {
                // Wireshark's bytes in flight: from the oldest byte not acknowledged to the highest
                // sequence number sent (a retransmission too), less what the receiver's last SACK
                // blocks report received; 32-bit arithmetic, a SYN or FIN's sequence number no byte
                final long inFlight = (fwd.nextSeq() - rev.lastAck() - rev.lastSackedBytes()) & 0xFFFFFFFFL;
                if (inFlight > 0 && inFlight < 2_000_000_000L)
                {
                    final long bytes = (flags & (SYN | FIN)) != 0 ? inFlight - 1 : inFlight;
                    if (bytes > fwd.maxBytesInFlight())
                    {
                        fwd.putInt(FlowDescriptor.MAX_BYTES_IN_FLIGHT, (int)bytes);
                    }
                }
            }
        }
        final int sackBlocks = slot.sackBlockCount;
        long sacked = 0;
        if (sackBlocks != 0)
        {
            fwd.addInt(FlowDescriptor.SACK_BLOCKS, sackBlocks);
            for (int i = 0; i < sackBlocks; i++)
            {
                sacked += (slot.sackRight[i] - slot.sackLeft[i]) & 0xFFFFFFFFL;
            }
        }
        fwd.lastSackedBytes(sacked);

        if ((flags & RST) == 0)
        {
            noteZeroWindow(fwd, rev, slot, ack, ta);
            // a SYN's window is never scaled (RFC 7323 section 2.2)
            final int scale = fwd.windowScale();
            final long scaled = (flags & SYN) != 0 || scale < 0 ? slot.window : (long)slot.window << scale;
            if (scaled < fwd.windowMin())
            {
                fwd.putInt(FlowDescriptor.WINDOW_MIN, (int)scaled);
            }
            if (scaled > fwd.windowMax())
            {
                fwd.putInt(FlowDescriptor.WINDOW_MAX, (int)scaled);
            }
            fwd.add(FlowDescriptor.WINDOW_SUM, scaled);
            fwd.add(FlowDescriptor.WINDOW_COUNT, 1);
        }

        if ((flags & ACK) != 0 && rev.timing() && ack - rev.timedEnd() >= 0)
        {
            rev.timing(false);
            if (!rev.timedAmbiguous() || tsBoth && slot.timestampsPresent && slot.tsEcr == rev.timedTsVal())
            {
                final long micros = (slot.timestampNanos - rev.timedNanos()) / 1000;
                if (micros >= 0)
                {
                    rev.recordRtt(micros);
                    shardRtt.recordValue(Math.min(micros, shardRtt.getHighestTrackableValue()));
                }
            }
        }
    }

    /** Counts the expert-info events a segment was flagged with in its sender's event line. */
    private static void countEvents(final SequenceState fwd, final int ta, final int seglen)
    {
        if ((ta & RETRANSMISSION) != 0)
        {
            fwd.increment(FlowDescriptor.RETRANSMISSIONS);
            fwd.add(FlowDescriptor.RETRANSMITTED_BYTES, seglen);
            if (seglen > 0)
            {
                fwd.increment(FlowDescriptor.RETRANSMITTED_DATA_SEGMENTS);
            }
            if ((ta & FAST_RETRANSMISSION) != 0)
            {
                fwd.incrementRare(FlowDescriptor.FAST_RETRANSMISSIONS);
            }
            if ((ta & SPURIOUS_RETRANSMISSION) != 0)
            {
                fwd.incrementRare(FlowDescriptor.SPURIOUS_RETRANSMISSIONS);
            }
        }
        if ((ta & OUT_OF_ORDER) != 0)
        {
            fwd.increment(FlowDescriptor.OUT_OF_ORDER);
        }
        if ((ta & LOST_SEGMENT) != 0)
        {
            fwd.increment(FlowDescriptor.LOST_SEGMENTS);
        }
        if ((ta & DUPLICATE_ACK) != 0)
        {
            fwd.increment(FlowDescriptor.DUP_ACKS);
        }
        if ((ta & ZERO_WINDOW) != 0)
        {
            fwd.increment(FlowDescriptor.ZERO_WINDOWS);
        }
        if ((ta & WINDOW_FULL) != 0)
        {
            fwd.increment(FlowDescriptor.WINDOW_FULL);
        }
        if ((ta & KEEP_ALIVE) != 0)
        {
            fwd.increment(FlowDescriptor.KEEP_ALIVES);
        }
    }

    /**
     * A zero window stalls the other side from the first zero window to the next open one, when the
     * other side had data to send: data not yet acknowledged when the window closed, a probe while
     * closed, or new data once it opened (counted then).
     */
    private static void noteZeroWindow(
        final SequenceState fwd, final SequenceState rev, final DecodedFrame slot, final int ack, final int ta)
    {
        if ((ta & ZERO_WINDOW) != 0)
        {
            if (fwd.zeroWindowSinceNanos() < 0)
            {
                fwd.zeroWindowSinceNanos(slot.timestampNanos);
                fwd.zeroWindowHeldData(rev.nextSeq() - ack > 0);
            }
        }
        else if (slot.window != 0)
        {
            final long since = fwd.zeroWindowSinceNanos();
            if (since >= 0)
            {
                final long closed = slot.timestampNanos - since;
                if (fwd.zeroWindowHeldData())
                {
                    fwd.addZeroWindowStallNanos(closed);
                }
                else
                {
                    fwd.zeroWindowPendingNanos(fwd.zeroWindowPendingNanos() + closed);
                }
                fwd.zeroWindowSinceNanos(-1);
            }
        }
    }
}
