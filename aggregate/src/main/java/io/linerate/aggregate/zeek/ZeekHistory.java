package io.linerate.aggregate.zeek;

import io.linerate.aggregate.flow.FlowDescriptor;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tunnel.TunnelType;
import org.agrona.concurrent.UnsafeBuffer;

import static io.linerate.decode.tcp.TcpFlags.ACK;
import static io.linerate.decode.tcp.TcpFlags.FIN;
import static io.linerate.decode.tcp.TcpFlags.RST;
import static io.linerate.decode.tcp.TcpFlags.SYN;
import static io.linerate.aggregate.flow.FlowDescriptor.*;

/**
 * A connection's {@code state} and {@code history} as Zeek writes them in conn.log ({@code conn_state}
 * and {@code history}), with the same letters and meanings, from Zeek's originator's point of view.
 *
 * <p>Zeek's originator is the first packet's sender, unless that packet is not a pure SYN and comes
 * from a likely server port (then the roles are flipped, {@code ^}); a pure SYN answering a lone
 * SYN-ACK also flips them. Each side (Zeek's TCP endpoint) goes through Zeek's endpoint states
 * (inactive, SYN sent, SYN-ACK sent, partial, established, closed, reset) and {@code state} is
 * derived from the pair at the end. History letters, upper case for the originator, lower case for
 * the responder: {@code S} SYN, {@code H} SYN-ACK, {@code A} pure ACK, {@code D} payload, {@code F}
 * FIN, {@code R} RST, {@code I} FIN+RST, {@code Q} other multi-flag packet, each recorded once (a SYN,
 * FIN or RST again at another sequence number adds another letter); {@code T} retransmitted payload
 * and {@code W} zero window, recorded at the 1st, 10th, 100th... occurrence; {@code ^} a flip;
 * {@code X} (always upper case) once the packets' tunnels changed more often than Zeek's
 * {@code Tunnel::max_changes_per_connection}; {@code ^} also when Zeek's NTP analyzer flips the
 * roles of a datagram exchange on port 123. Zeek's inactivity timeouts end a connection as its
 * other timers do: later packets belong to Zeek's next row.
 * UDP: {@code D}/{@code d} once each; states S0, SF, SHR, OTH. Other protocols: OTH, no letters.
 *
 * <p>A flyweight over the Zeek lines of a flow record ({@link FlowDescriptor}), letters included.
 * The per-packet methods do not allocate.
 */
public final class ZeekHistory
{
    /** Zeek's endpoint states (TCP_ENDPOINT_*). */
    static final int INACTIVE = 0, SYN_SENT = 1, SYN_ACK_SENT = 2, PARTIAL = 3, ESTABLISHED = 4, CLOSED = 5,
        RESET = 6;

    /** History bits of one side (Zeek's HIST_* masks); the responder's are shifted left by 16. */
    private static final int H_SYN = 0x1, H_FIN = 0x2, H_RST = 0x4, H_FIN_RST = 0x8, H_DATA = 0x10,
        H_ACK = 0x20, H_MULTI = 0x40, H_GAP = 0x80;

    /** Sequence deltas beyond this on a SYN or RST are not trusted (Zeek's TOO_LARGE_SEQ_DELTA). */
    private static final int TOO_LARGE_SEQ_DELTA = 1048576;

    /** Zeek's tcp_reset_delay and tcp_close_delay. */
    private static final long CLOSE_DELAY_NANOS = 5_000_000_000L;
    /** Zeek's tcp_partial_close_delay. */
    private static final long PARTIAL_CLOSE_DELAY_NANOS = 3_000_000_000L;

    /** Zeek's tcp_attempt_delay. */
    private static final long ATTEMPT_DELAY_NANOS = 5_000_000_000L;

    /** Zeek's tcp_inactivity_timeout and udp_inactivity_timeout (icmp_inactivity_timeout is udp's). */
    private static final long TCP_INACTIVITY_NANOS = 300_000_000_000L, UDP_INACTIVITY_NANOS = 60_000_000_000L;

    /** Zeek's Tunnel::max_changes_per_connection: a change beyond it writes {@code X}. */
    private static final int MAX_TUNNEL_CHANGES = 5;

    /** Longest history kept; letters beyond it are dropped. */
    public static final int MAX_LETTERS = FlowDescriptor.ZEEK_HISTORY_LENGTH;


    /** Ports Zeek's default scripts put in {@code likely_server_ports} (TCP). */
    private static final long[] TCP_SERVER_PORTS = bitmap(21, 22, 23, 25, 53, 80, 81, 88, 110, 135, 139, 143, 389,
        443, 445, 465, 502, 563, 585, 587, 614, 631, 636, 989, 990, 992, 993, 995, 1080, 1883, 2811, 3128, 3268,
        3269, 3306, 3389, 5222, 5223, 5269, 5432, 6379, 6666, 6667, 6668, 6669, 8000, 8080, 8888, 20000);
    /** Ports Zeek's default scripts put in {@code likely_server_ports} (UDP). */
    private static final long[] UDP_SERVER_PORTS = bitmap(53, 67, 69, 88, 123, 137, 161, 162, 443, 500, 514, 1812,
        2123, 2152, 3544, 4500, 4789, 5060, 5072, 5353, 5355, 6081);

    /**
     * One side of the connection, Zeek's TCP_Endpoint (only what state and history need): a
     * flyweight over the side's {@value FlowDescriptor#ZEEK_END_LENGTH} bytes of the flow record.
     * {@code lastSyn}, {@code lastFin} and {@code lastRst} are relative sequence numbers kept in 32
     * bits (they are only compared for equality, and their values span less than 2^32), each with a
     * bit that says whether it was set.
     */
    static final class End
    {
        private UnsafeBuffer buffer;
        private int base;

        void wrap(final UnsafeBuffer buffer, final int base)
        {
            this.buffer = buffer;
            this.base = base;
        }

        void reset()
        {
            buffer.setMemory(base, FlowDescriptor.ZEEK_END_LENGTH, (byte)0);
            buffer.putInt(base + Z_REXMIT_THRESHOLD, 1);
            buffer.putInt(base + Z_ZERO_WINDOW_THRESHOLD, 1);
        }

        int state()
        {
            return buffer.getByte(base + Z_STATE);
        }

        int prevState()
        {
            return buffer.getByte(base + Z_PREV_STATE);
        }

        void setState(final int s)
        {
            final int state = state();
            if (s != state)
            {
                buffer.putByte(base + Z_PREV_STATE, (byte)state);
                buffer.putByte(base + Z_STATE, (byte)s);
            }
        }

        private boolean bit(final int bit)
        {
            return (buffer.getByte(base + Z_BITS) & bit) != 0;
        }

        private void bit(final int bit, final boolean on)
        {
            final int bits = buffer.getByte(base + Z_BITS);
            buffer.putByte(base + Z_BITS, (byte)(on ? bits | bit : bits & ~bit));
        }

        boolean seqKnown()
        {
            return bit(Z_SEQ_KNOWN);
        }

        int startSeq()
        {
            return buffer.getInt(base + Z_START_SEQ);
        }

        int lastSeq()
        {
            return buffer.getInt(base + Z_LAST_SEQ);
        }

        void lastSeq(final int v)
        {
            buffer.putInt(base + Z_LAST_SEQ, v);
        }

        void init(final int start, final int last)
        {
            buffer.putInt(base + Z_START_SEQ, start);
            buffer.putInt(base + Z_LAST_SEQ, last);
            bit(Z_SEQ_KNOWN, true);
        }

        /** True when the mark at {@code field} (lastSyn, lastFin, lastRst) is set and equals {@code v}. */
        boolean markIs(final int field, final int setBit, final long v)
        {
            return bit(setBit) && buffer.getInt(base + field) == (int)v;
        }

        void mark(final int field, final int setBit, final long v)
        {
            buffer.putInt(base + field, (int)v);
            bit(setBit, true);
        }

        boolean finSeen()
        {
            return bit(Z_LAST_FIN_SET);
        }

        /** Adds one to the count at {@code count} and says whether it reached the threshold at {@code threshold}
         *  (Zeek's 1st, 10th, 100th... occurrence), moving the threshold on when it did. */
        boolean countReachesThreshold(final int count, final int threshold)
        {
            final int n = buffer.getInt(base + count) + 1;
            buffer.putInt(base + count, n);
            final int t = buffer.getInt(base + threshold);
            if (n == t)
            {
                buffer.putInt(base + threshold, nextThreshold(t));
                return true;
            }
            return false;
        }

        /** True once the side sent payload (Zeek's endpoint size, which state() only compares with 0). */
        boolean payloadSeen()
        {
            return bit(Z_PAYLOAD_SEEN);
        }

        void addPayload(final int len)
        {
            if (len > 0)
            {
                bit(Z_PAYLOAD_SEEN, true);
            }
        }

        boolean udpActive()
        {
            return bit(Z_UDP_ACTIVE);
        }

        void udpActive(final boolean v)
        {
            bit(Z_UDP_ACTIVE, v);
        }

        /** Content reassembly, as Zeek's reassembler sees this side's bytes: the end of what is contiguous. */
        boolean contigKnown()
        {
            return bit(Z_CONTIG_KNOWN);
        }

        void contigKnown(final boolean v)
        {
            bit(Z_CONTIG_KNOWN, v);
        }

        int contigEnd()
        {
            return buffer.getInt(base + Z_CONTIG_END);
        }

        void contigEnd(final int v)
        {
            buffer.putInt(base + Z_CONTIG_END, v);
        }

        /** Data seen beyond a hole, and where it ends. */
        boolean hole()
        {
            return bit(Z_HOLE);
        }

        void hole(final boolean v)
        {
            bit(Z_HOLE, v);
        }

        int aheadEnd()
        {
            return buffer.getInt(base + Z_AHEAD_END);
        }

        void aheadEnd(final int v)
        {
            buffer.putInt(base + Z_AHEAD_END, v);
        }
    }

    /** The client's endpoint and the server's, over the flow record; which is Zeek's originator says origIsClient. */
    private final End clientEnd = new End();
    private final End serverEnd = new End();
    private UnsafeBuffer buffer;
    /** Where the connection's Zeek lines start in {@link #buffer}. */
    private int base;
    /**
     * Points the history at the Zeek lines of a flow record, which start at {@code base} (its
     * letters are there too).
     */
    public void wrap(final UnsafeBuffer buffer, final int base)
    {
        this.buffer = buffer;
        this.base = base;
        clientEnd.wrap(buffer, base + ZEEK_CLIENT_END);
        serverEnd.wrap(buffer, base + ZEEK_SERVER_END);
    }

    /** Zeek's originator's endpoint (the record says which side that is). */
    private End orig()
    {
        return zbit(Z_ORIG_IS_CLIENT) ? clientEnd : serverEnd;
    }

    /** Zeek's responder's endpoint. */
    private End resp()
    {
        return zbit(Z_ORIG_IS_CLIENT) ? serverEnd : clientEnd;
    }

    public void reset()
    {
        clientEnd.reset();
        serverEnd.reset();
        buffer.putInt(base + ZEEK_BITS, Z_ORIG_IS_CLIENT);
        buffer.putInt(base + ZEEK_SEEN, 0);
        buffer.putLong(base + ZEEK_ATTEMPT_DEADLINE_NANOS, Long.MAX_VALUE);
        buffer.putLong(base + ZEEK_REMOVAL_NANOS, Long.MAX_VALUE);
        buffer.putInt(base + ZEEK_LETTERS, 0);
        buffer.putInt(base + ZEEK_TUNNEL_CHANGES, 0);
        buffer.putLong(base + ZEEK_LAST_NANOS, 0);
        buffer.putLong(base + ZEEK_TUNNEL_HASH, 0);
    }

    private boolean zbit(final int bit)
    {
        return (buffer.getInt(base + ZEEK_BITS) & bit) != 0;
    }

    private void zbit(final int bit, final boolean on)
    {
        final int bits = buffer.getInt(base + ZEEK_BITS);
        buffer.putInt(base + ZEEK_BITS, on ? bits | bit : bits & ~bit);
    }

    private int seen()
    {
        return buffer.getInt(base + ZEEK_SEEN);
    }

    private void seen(final int v)
    {
        buffer.putInt(base + ZEEK_SEEN, v);
    }

    /**
     * Zeek gives up a connection attempt (its {@code tcp_attempt_delay}, 5 s after the first SYN)
     * when the responder has not sent a packet by then; later packets start a new conn.log row. The
     * record goes on, but its state and history stay those of Zeek's first row.
     */
    private long attemptDeadlineNanos()
    {
        return buffer.getLong(base + ZEEK_ATTEMPT_DEADLINE_NANOS);
    }

    /**
     * When Zeek removes the connection after it closed: 5 s after a RST (tcp_reset_delay), 5 s after
     * both FINs (tcp_close_delay), 3 s after one side's FIN while the other never spoke
     * (tcp_partial_close_delay). Later packets are Zeek's next row.
     */
    private long removalNanos()
    {
        return buffer.getLong(base + ZEEK_REMOVAL_NANOS);
    }

    /** Whether Zeek's originator is linerate's client (valid once a packet was seen). */
    public boolean originatorIsClient()
    {
        return zbit(Z_ORIG_IS_CLIENT);
    }

    /** Number of history letters. */
    public int length()
    {
        return buffer.getInt(base + ZEEK_LETTERS);
    }

    /** History letter {@code i}. */
    public char letter(final int i)
    {
        return (char)buffer.getByte(base + ZEEK_HISTORY + i);
    }

    /** The history letters (allocates: for records and tests). */
    public String history()
    {
        return buffer.getStringWithoutLengthAscii(base + ZEEK_HISTORY, length());
    }

    /** Zeek's conn_state for a connection of IP protocol {@code protocol}. */
    public String state(final int protocol)
    {
        if (protocol == IpProtocol.UDP)
        {
            if (orig().udpActive())
            {
                return resp().udpActive() ? "SF" : "S0";
            }
            return resp().udpActive() ? "SHR" : "OTH";
        }
        if (protocol != IpProtocol.TCP)
        {
            return "OTH";
        }
        final int os = orig().state();
        final int rs = resp().state();
        final boolean oInactive = os == INACTIVE || os == PARTIAL;
        final boolean rInactive = rs == INACTIVE || rs == PARTIAL;
        if (rs == RESET)
        {
            if (os == SYN_SENT || os == SYN_ACK_SENT || (os == RESET && !orig().payloadSeen() && !resp().payloadSeen()))
            {
                return "REJ";
            }
            return oInactive ? "RSTRH" : "RSTR";
        }
        if (os == RESET)
        {
            if (rInactive)
            {
                return synThenReset() ? "RSTOS0" : "OTH";
            }
            return "RSTO";
        }
        if (rs == CLOSED && os == CLOSED)
        {
            return "SF";
        }
        if (os == CLOSED)
        {
            return rInactive ? "SH" : "S2";
        }
        if (rs == CLOSED)
        {
            return oInactive ? "SHR" : "S3";
        }
        if (os == SYN_SENT && rs == INACTIVE)
        {
            return "S0";
        }
        if (os == ESTABLISHED && rs == ESTABLISHED)
        {
            return "S1";
        }
        return "OTH";
    }

    /** Zeek's test for RSTOS0: the history matches {@code ^?S[^HAFGIQ]*R.*}. */
    private boolean synThenReset()
    {
        final int length = length();
        int i = 0;
        if (i < length && letter(i) == '^')
        {
            i++;
        }
        if (i >= length || letter(i) != 'S')
        {
            return false;
        }
        for (i++; i < length; i++)
        {
            final char c = letter(i);
            if (c == 'R')
            {
                return true;
            }
            if (c == 'H' || c == 'A' || c == 'F' || c == 'G' || c == 'I' || c == 'Q')
            {
                return false;
            }
        }
        return false;
    }

    /** A UDP datagram (or another non-TCP packet: {@code udp} false) of the connection. */
    public void onDatagram(final DecodedFrame slot, final boolean fromClient, final boolean udp)
    {
        if (!zbit(Z_STARTED))
        {
            start(fromClient, udp && flipsFirst(slot, UDP_SERVER_PORTS, false));
            startPacket(slot);
        }
        else if (removedByZeek(slot.timestampNanos, UDP_INACTIVITY_NANOS))
        {
            return;
        }
        else
        {
            nextPacket(slot);
        }
        if (!udp)
        {
            return;
        }
        final boolean isOrig = fromClient == zbit(Z_ORIG_IS_CLIENT);
        (fromClient ? clientEnd : serverEnd).udpActive(true);
        check(isOrig, H_DATA, 'D');
        if (ntpFlips(slot, isOrig))
        {
            ntpFlip();
        }
    }

    /** Zeek's NTP port, where its NTP analyzer parses the datagrams. */
    private static final int NTP_PORT = 123;
    /** NTP's modes CLIENT and SERVER, and the length of NTP's standard message (RFC 5905). */
    private static final int NTP_CLIENT = 3, NTP_SERVER = 4, NTP_STANDARD_LENGTH = 48;

    /**
     * Zeek's NTP analyzer (on the responder's port 123) flips the roles, once, at the first standard
     * message in the wrong direction: a SERVER message from the originator or a CLIENT message from
     * the responder.
     */
    private boolean ntpFlips(final DecodedFrame slot, final boolean isOrig)
    {
        if (zbit(Z_NTP_FLIPPED) || (isOrig ? slot.dstPort : slot.srcPort) != NTP_PORT ||
            slot.payloadLength < NTP_STANDARD_LENGTH || slot.payloadOffset < 0 || slot.fragment ||
            slot.payloadOffset + NTP_STANDARD_LENGTH > slot.captureLength)
        {
            return false;
        }
        final int mode = slot.data[slot.payloadOffset] & 0x07;
        return isOrig ? mode == NTP_SERVER : mode == NTP_CLIENT;
    }

    /**
     * The NTP analyzer's flip comes after the datagram's letter, and swaps the endpoints only: the
     * UDP adapter's request and reply lengths (which say S0, SF, SHR) and the history bits stay
     * where they were, with the originator's and the responder's.
     */
    private void ntpFlip()
    {
        zbit(Z_NTP_FLIPPED, true);
        zbit(Z_ORIG_IS_CLIENT, !zbit(Z_ORIG_IS_CLIENT));
        final boolean clientActive = clientEnd.udpActive();
        clientEnd.udpActive(serverEnd.udpActive());
        serverEnd.udpActive(clientActive);
        add('^');
    }

    /** A TCP segment of the connection (not one quoted by an ICMP error). */
    public void onSegment(final DecodedFrame slot, final boolean fromClient)
    {
        final int flags = slot.tcpFlags;
        if (!zbit(Z_STARTED))
        {
            start(fromClient, (flags & (SYN | ACK)) != SYN && flipsFirst(slot, TCP_SERVER_PORTS, (flags & SYN) != 0));
            if ((flags & (SYN | ACK)) == SYN && slot.timestampNanos != 0)
            {
                buffer.putLong(base + ZEEK_ATTEMPT_DEADLINE_NANOS, slot.timestampNanos + ATTEMPT_DELAY_NANOS);
            }
            startPacket(slot);
        }
        else if (removedByZeek(slot.timestampNanos, TCP_INACTIVITY_NANOS))
        {
            return;
        }
        else
        {
            nextPacket(slot);
        }
        final boolean isOrig = fromClient == zbit(Z_ORIG_IS_CLIENT);
        final End e = fromClient ? clientEnd : serverEnd;
        final End p = fromClient ? serverEnd : clientEnd;
        final boolean syn = (flags & SYN) != 0, fin = (flags & FIN) != 0, rst = (flags & RST) != 0,
            ack = (flags & ACK) != 0;
        final int len = slot.fragment ? 0 : zeekPayloadLength(slot);
        final int seq = (int) slot.seq;
        int segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
        if (rst)
        {
            segLen -= len;
        }
        final int onePast = seq + segLen;
        initEndpoint(e, syn, seq, onePast);
        final long relSeq = seq - e.startSeq();

        letters(isOrig, e, flags, relSeq, len);
        if (slot.window == 0 && !rst && p.state() != CLOSED && e.state() != RESET &&
            e.countReachesThreshold(Z_ZERO_WINDOWS, Z_ZERO_WINDOW_THRESHOLD))
        {
            add(isOrig ? 'W' : 'w');
        }
        if (ack && p.state() == INACTIVE)
        {
            final int a = (int) slot.ack - 1;
            p.init(a, a);
        }
        if (syn && !rst && !e.contigKnown())
        {
            // the stream's bytes start right after the SYN
            e.contigKnown(true);
            e.contigEnd(seq + 1);
        }
        if (len > 0 && !rst && payloadCaptured(slot, len))
        {
            contents(e, syn ? seq + 1 : seq, len);
        }
        if (ack && p.contigKnown() && (int) slot.ack - p.contigEnd() > (p.finSeen() ? 1 : 0))
        {
            // The other side acknowledges bytes of p that were never seen: Zeek's reassembler gives
            // them up as a content gap (conn.log's missed_bytes), history G (originator) or g.
            check(!isOrig, H_GAP, 'G');
            p.contigEnd((int) slot.ack);
            p.hole(false);
        }
        updateLastSeq(isOrig, e, onePast, syn, fin, rst, len);
        e.addPayload(len);
        updateState(isOrig, e, p, seq, syn, fin, rst, ack, len);
        if (slot.timestampNanos != 0 && removalNanos() == Long.MAX_VALUE)
        {
            final int es = e.state();
            if (rst && es == RESET || orig().state() == CLOSED && resp().state() == CLOSED)
            {
                buffer.putLong(base + ZEEK_REMOVAL_NANOS, slot.timestampNanos + CLOSE_DELAY_NANOS);
            }
            else if (fin && es == CLOSED && (p.state() == INACTIVE || p.state() == PARTIAL))
            {
                buffer.putLong(base + ZEEK_REMOVAL_NANOS, slot.timestampNanos + PARTIAL_CLOSE_DELAY_NANOS);
            }
        }
    }

    /**
     * True once one of Zeek's timers removed the connection before a packet at {@code nowNanos}: a
     * close timer always does; the attempt timer does when the originator is still in its
     * handshake and the responder inactive at its deadline.
     */
    private boolean removedByZeek(final long nowNanos, final long inactivityNanos)
    {
        if (zbit(Z_GIVEN_UP))
        {
            return true;
        }
        final long last = buffer.getLong(base + ZEEK_LAST_NANOS);
        if (nowNanos >= removalNanos() || last != 0 && nowNanos != 0 && nowNanos - last >= inactivityNanos)
        {
            zbit(Z_GIVEN_UP, true);
            return true;
        }
        if (nowNanos >= attemptDeadlineNanos())
        {
            buffer.putLong(base + ZEEK_ATTEMPT_DEADLINE_NANOS, Long.MAX_VALUE);
            final int os = orig().state();
            final boolean givenUp = (os == SYN_SENT || os == SYN_ACK_SENT) && resp().state() == INACTIVE;
            zbit(Z_GIVEN_UP, givenUp);
            return givenUp;
        }
        return false;
    }

    /** The connection's first packet: Zeek's connection keeps its time and its tunnels. */
    private void startPacket(final DecodedFrame slot)
    {
        buffer.putLong(base + ZEEK_LAST_NANOS, slot.timestampNanos);
        tunnels(tunnelHash(slot));
    }

    /** Keeps the hash of the last packet's tunnels, and whether there were any (line 0 says so). */
    private void tunnels(final long hash)
    {
        buffer.putLong(base + ZEEK_TUNNEL_HASH, hash);
        zbit(Z_TUNNELLED, hash != 0);
    }

    /**
     * A later packet (Zeek's Connection::CheckEncapsulation, before the packet is analysed): when its
     * tunnels are not the last packet's, that is a change; the change after
     * {@link #MAX_TUNNEL_CHANGES} writes {@code X} (once) and the tunnels are no longer followed.
     */
    private void nextPacket(final DecodedFrame slot)
    {
        if (slot.timestampNanos != 0)
        {
            buffer.putLong(base + ZEEK_LAST_NANOS, slot.timestampNanos);
        }
        final long hash = tunnelHash(slot);
        if (hash == 0 ? !zbit(Z_TUNNELLED) : hash == buffer.getLong(base + ZEEK_TUNNEL_HASH))
        {
            return;
        }
        final int changes = buffer.getInt(base + ZEEK_TUNNEL_CHANGES);
        if (changes >= MAX_TUNNEL_CHANGES)
        {
            if (!zbit(Z_LIMIT_REACHED))
            {
                zbit(Z_LIMIT_REACHED, true);
                add('X');
            }
            return;
        }
        buffer.putInt(base + ZEEK_TUNNEL_CHANGES, changes + 1);
        tunnels(hash);
    }

    /**
     * Zeek's encapsulation stack of a packet as a hash, 0 for none: the tunnels with outer IP
     * endpoints (MPLS and PPPoE are link layers to Zeek), each by its type and endpoints. Zeek names
     * an IP-in-IP or GRE tunnel (ERSPAN rides in GRE) by the outer packet's addresses and takes them
     * in either order; a tunnel in UDP (VXLAN, Geneve, GTP-U, Teredo, AYIYA) by the outer UDP
     * connection, so its two directions are one tunnel, and two outer connections (GTP-U's uplink
     * and downlink on other ports) are two.
     */
    static long tunnelHash(final DecodedFrame slot)
    {
        long h = 0;
        boolean any = false;
        final int n = Math.min(slot.tunnelCount, DecodedFrame.MAX_TUNNELS);
        for (int i = 0; i < n; i++)
        {
            if (slot.tunnelIpVersion[i] == 0)
            {
                continue;
            }
            any = true;
            final int type = slot.tunnelType[i] == TunnelType.ERSPAN ? TunnelType.GRE : slot.tunnelType[i];
            long aHi = slot.tunnelSrcHi[i], aLo = slot.tunnelSrcLo[i], bHi = slot.tunnelDstHi[i], bLo = slot.tunnelDstLo[i];
            int aPort = slot.tunnelSrcPort[i], bPort = slot.tunnelDstPort[i];
            final int order = aHi != bHi ? Long.compareUnsigned(aHi, bHi) :
                aLo != bLo ? Long.compareUnsigned(aLo, bLo) : Integer.compare(aPort, bPort);
            if (order > 0)
            {
                final long hi = aHi, lo = aLo;
                final int port = aPort;
                aHi = bHi;
                aLo = bLo;
                aPort = bPort;
                bHi = hi;
                bLo = lo;
                bPort = port;
            }
            h = mix(h, type);
            h = mix(h, aHi);
            h = mix(h, aLo);
            h = mix(h, bHi);
            h = mix(h, bLo);
            h = mix(h, (long)aPort << 16 | bPort);
        }
        return h == 0 && any ? 1 : h;
    }

    private static long mix(final long h, final long v)
    {
        final long x = (h ^ v) * 0x9E37_79B9_7F4A_7C15L;
        return x ^ (x >>> 29);
    }

    /**
     * The segment's payload length as Zeek takes it: from the IPv4 total length, which Zeek trusts
     * over a shorter length of the layer around the packet (a PPPoE session's payload length, which
     * Wireshark and the record follow), as long as the packet fits in the frame. Bytes the frame
     * carries past PPPoE's length are then payload to Zeek.
     */
    private static int zeekPayloadLength(final DecodedFrame slot)
    {
        final int len = slot.payloadLength;
        final int ip = slot.networkOffset;
        if (slot.ipVersion != 4 || ip < 0 || slot.payloadOffset < 0 || slot.reassembled || slot.tcpHeaderCut ||
            ip + 4 > Math.min(slot.captureLength, slot.data.length))
        {
            return len;
        }
        final int end = ip + (((slot.data[ip + 2] & 0xFF) << 8) | (slot.data[ip + 3] & 0xFF));
        final int byIp = end - slot.payloadOffset;
        return byIp > len && end <= slot.wireLength ? byIp : len;
    }

    /**
     * Whether the segment's payload is all in the capture: Zeek gives a segment cut by the snap
     * length (truncated_tcp_payload) to no reassembler, so its bytes, once acknowledged, are a
     * content gap. A datagram reassembled from IP fragments holds only the head of its payload but
     * was captured whole, as Zeek reassembles it. A frame whose payload was not located (test
     * frames) counts as captured.
     */
    private static boolean payloadCaptured(final DecodedFrame slot, final int len)
    {
        return slot.reassembled ||
            !slot.tcpHeaderCut && (slot.payloadOffset < 0 || slot.payloadOffset + len <= slot.captureLength);
    }

    /** Follows which of a side's bytes were seen in order (the first data seen starts it). */
    private static void contents(final End e, final int from, final int len)
    {
        final int to = from + len;
        if (!e.contigKnown())
        {
            e.contigKnown(true);
            e.contigEnd(to);
            return;
        }
        final int contigEnd = e.contigEnd();
        if (from - contigEnd <= 0)
        {
            if (to - contigEnd > 0)
            {
                e.contigEnd(to);
            }
            if (e.hole())
            {
                // the hole is filled: what was seen beyond it is in order now (one hole is followed)
                if (e.aheadEnd() - e.contigEnd() > 0)
                {
                    e.contigEnd(e.aheadEnd());
                }
                e.hole(false);
            }
        }
        else if (!e.hole() || to - e.aheadEnd() > 0)
        {
            e.hole(true);
            e.aheadEnd(to);
        }
    }

    private void start(final boolean fromClient, final boolean flip)
    {
        zbit(Z_STARTED, true);
        // both endpoints are fresh: the originator's is the client's or the server's as the first packet says
        zbit(Z_ORIG_IS_CLIENT, fromClient);
        if (flip)
        {
            flip();
        }
    }

    /**
     * Zeek's likely-server-port test for a connection's first packet: its source port is a likely
     * server port and its destination is not (for TCP both may be, then a SYN-ACK or a packet from
     * the lower port flips). A datagram to a broadcast or multicast address is not flipped.
     */
    private static boolean flipsFirst(final DecodedFrame slot, final long[] ports, final boolean synAck)
    {
        if (!isSet(ports, slot.srcPort) || multicastOrBroadcast(slot))
        {
            return false;
        }
        if (isSet(ports, slot.dstPort))
        {
            // Both plausible: a SYN-ACK names its receiver the originator (as Zeek's conn.logs show
            // for a missing SYN), else the lower port is the server.
            return synAck || slot.srcPort < slot.dstPort;
        }
        return true;
    }

    private static boolean multicastOrBroadcast(final DecodedFrame slot)
    {
        if (slot.ipVersion == 4)
        {
            final long a = slot.dstLo & 0xFFFFFFFFL;
            return (a >>> 28) == 0xE || a == 0xFFFFFFFFL;
        }
        return (slot.dstHi >>> 56) == 0xFF;
    }

    private void flip()
    {
        zbit(Z_ORIG_IS_CLIENT, !zbit(Z_ORIG_IS_CLIENT));
        final int seen = seen();
        seen((seen >>> 16) | ((seen & 0xFFFF) << 16));
        add('^');
    }

    private static void initEndpoint(final End e, final boolean syn, final int seq, final int onePast)
    {
        switch (e.state())
        {
            case INACTIVE:
                if (syn)
                {
                    e.init(seq, onePast);
                }
                else
                {
                    e.init(seq - 1, seq);
                }
                break;
            case SYN_SENT:
            case SYN_ACK_SENT:
            case ESTABLISHED:
            case PARTIAL:
                if (syn && (seq != e.startSeq() || e.state() == ESTABLISHED || e.state() == PARTIAL))
                {
                    e.init(seq, onePast);
                }
                break;
            case RESET:
                if (syn && e.prevState() == INACTIVE)
                {
                    e.init(seq, onePast);
                }
                break;
            default:
                break;
        }
    }

    private void letters(final boolean isOrig, final End e, final int flags, final long relSeq, final int len)
    {
        final boolean syn = (flags & SYN) != 0, fin = (flags & FIN) != 0, rst = (flags & RST) != 0;
        final int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (bits > 1)
        {
            if (fin && rst)
            {
                check(isOrig, H_FIN_RST, 'I');
            }
            else
            {
                check(isOrig, H_MULTI, 'Q');
            }
        }
        else if (syn)
        {
            final char code = (flags & ACK) != 0 ? 'H' : 'S';
            if (check(isOrig, H_SYN, code) && !e.markIs(Z_LAST_SYN, Z_LAST_SYN_SET, relSeq))
            {
                add(isOrig ? code : Character.toLowerCase(code));
            }
            e.mark(Z_LAST_SYN, Z_LAST_SYN_SET, relSeq);
        }
        else if (fin)
        {
            if (check(isOrig, H_FIN, 'F') && !e.markIs(Z_LAST_FIN, Z_LAST_FIN_SET, relSeq + len))
            {
                add(isOrig ? 'F' : 'f');
            }
            e.mark(Z_LAST_FIN, Z_LAST_FIN_SET, relSeq + len);
        }
        else if (rst)
        {
            if (check(isOrig, H_RST, 'R') && !e.markIs(Z_LAST_RST, Z_LAST_RST_SET, relSeq))
            {
                add(isOrig ? 'R' : 'r');
            }
            e.mark(Z_LAST_RST, Z_LAST_RST_SET, relSeq);
        }
        else if (len > 0)
        {
            check(isOrig, H_DATA, 'D');
        }
        else if ((flags & ACK) != 0)
        {
            check(isOrig, H_ACK, 'A');
        }
    }

    private void updateLastSeq(final boolean isOrig, final End e, final int onePast, final boolean syn,
        final boolean fin, final boolean rst, final int len)
    {
        final int lastSeq = e.lastSeq();
        final int delta = onePast - lastSeq;
        if ((syn || rst) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA))
        {
            return;
        }
        if (fin && lastSeq == e.startSeq() + 1)
        {
            e.lastSeq(onePast);
        }
        else if (e.state() == RESET)
        {
            return;
        }
        else if (delta > 0)
        {
            e.lastSeq(onePast);
        }
        else if (len > 0 && e.countReachesThreshold(Z_REXMITS, Z_REXMIT_THRESHOLD))
        {
            add(isOrig ? 'T' : 't');
        }
    }

    private void updateState(final boolean isOrig, final End e, final End p, final int seq, final boolean syn,
        final boolean fin, final boolean rst, final boolean ack, final int len)
    {
        switch (e.state())
        {
            case INACTIVE:
                inactive(isOrig, e, p, seq, syn, fin, rst, ack, len);
                break;
            case SYN_SENT:
            case SYN_ACK_SENT:
                if (fin)
                {
                    e.setState(CLOSED);
                }
                if (rst)
                {
                    e.setState(RESET);
                }
                break;
            case ESTABLISHED:
            case PARTIAL:
                if (syn && e.state() == PARTIAL && p.state() == INACTIVE && !ack)
                {
                    e.setState(SYN_SENT);
                }
                if (fin && !rst)
                {
                    e.setState(CLOSED);
                    if (p.state() == RESET && p.prevState() == CLOSED)
                    {
                        p.setState(CLOSED);
                    }
                }
                if (rst)
                {
                    e.setState(RESET);
                }
                break;
            case CLOSED:
                if (rst && p.state() != CLOSED)
                {
                    e.setState(RESET);
                }
                break;
            default:
                break;
        }
    }

    private void inactive(final boolean isOrig, final End e, final End p, final int seq, final boolean syn,
        final boolean fin, final boolean rst, final boolean ack, final int len)
    {
        if (syn)
        {
            if (isOrig)
            {
                e.setState(ack ? SYN_ACK_SENT : SYN_SENT);
            }
            else
            {
                if (!ack && p.state() == SYN_ACK_SENT && seq == e.startSeq())
                {
                    // A SYN answered by the SYN-ACK seen first: Zeek flips the roles.
                    flip();
                    p.setState(ESTABLISHED);
                }
                if (p.state() == SYN_SENT)
                {
                    p.setState(ESTABLISHED);
                }
                e.setState(ESTABLISHED);
            }
        }
        if (fin)
        {
            e.setState(CLOSED);
        }
        if (rst)
        {
            e.setState(RESET);
        }
        if (e.state() == INACTIVE)
        {
            if (!isOrig && len == 0 && orig().state() == SYN_SENT)
            {
                return;
            }
            e.setState(ack && p.state() == ESTABLISHED ? ESTABLISHED : PARTIAL);
        }
    }

    /** Zeek's CheckHistory: records {@code code} the first time the side's bit is seen; true when seen before. */
    private boolean check(final boolean isOrig, final int bit, final char code)
    {
        final int mask = isOrig ? bit : bit << 16;
        final int seen = seen();
        if ((seen & mask) == 0)
        {
            seen(seen | mask);
            add(isOrig ? code : Character.toLowerCase(code));
            return false;
        }
        return true;
    }

    private void add(final char c)
    {
        final int length = length();
        if (length < MAX_LETTERS)
        {
            buffer.putByte(base + ZEEK_HISTORY + length, (byte)c);
            buffer.putInt(base + ZEEK_LETTERS, length + 1);
        }
    }

    private static int nextThreshold(final int t)
    {
        final long n = t * 10L;
        return n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    private static long[] bitmap(final int... ports)
    {
        final long[] b = new long[1024];
        for (final int p : ports)
        {
            b[p >>> 6] |= 1L << (p & 63);
        }
        return b;
    }

    private static boolean isSet(final long[] bitmap, final int port)
    {
        return port >= 0 && port < 65536 && (bitmap[port >>> 6] & (1L << (port & 63))) != 0;
    }
}
