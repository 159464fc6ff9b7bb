package io.linerate.ops.inspect;

import io.linerate.aggregate.view.DirectionView;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.InetText;
import io.linerate.aggregate.view.PacketAnalysis;
import io.linerate.aggregate.view.PacketListener;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import io.linerate.decode.tcp.TcpOptionKind;
import io.linerate.sink.record.FlowRecordEncoder;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code linerate packets}: the packets of the selected connections, one line each as
 * {@code tcpdump -n} prints them, followed by Wireshark's expert tags from the analysis the records
 * are made of ({@link ExpertTags}). Sequence and acknowledgement numbers are relative to each side's
 * first sequence number, as Wireshark shows them, or absolute with {@code -S}, as tcpdump does.
 *
 * <p>It is the shard's packet listener on the second pass: every packet of the input passes by, and
 * a connection is looked up once, at its first packet, by its flow id.
 */
public final class PacketList implements PacketListener
{
    /**
     * Where the lines go when each must be told apart by its connection ({@code linerate top} on a
     * live capture keeps every connection's lines): the connection is named once, at its first packet.
     */
    public interface Lines
    {
        /**
         * The first packet of a connection: true to list it, its lines then come under
         * {@code connection} until {@link PacketList#release} gives the number back.
         */
        boolean open(FlowView flow, int connection);

        /** A line (without its line end) of the connection numbered {@code connection}. */
        void line(int connection, CharSequence line);
    }

    /** Packet marks: this connection was looked at, and it is one of the selected. */
    static final long DECIDED = 1L << 62;
    static final long SELECTED = 1L << 61;

    private final Set<String> selected;
    private final boolean absolute;
    private final boolean numbered;
    private final PrintStream out;
    private final Lines lines;
    /** Connection numbers given back ({@link #release}), taken again before new ones. */
    private final java.util.ArrayDeque<Integer> released = new java.util.ArrayDeque<>();
    private final ZoneId zone;
    private final StringBuilder line = new StringBuilder(256);
    /**
     * Per selected connection, for the duplicate ACK numbers: state of each direction. A connection's
     * marks hold its number here in their low 32 bits (a view does not outlive its call, marks do).
     */
    private final List<long[]> dupAcks = new ArrayList<>();
    private long printed;

    /**
     * @param selected the flow ids to show
     * @param absolute absolute sequence numbers ({@code -S})
     * @param numbered each line starts with the frame number ({@code -#})
     * @param zone     the time zone of the time stamps (tcpdump's: the local one)
     */
    public PacketList(final Set<String> selected, final boolean absolute, final boolean numbered, final PrintStream out,
        final ZoneId zone)
    {
        this.selected = selected;
        this.absolute = absolute;
        this.numbered = numbered;
        this.out = out;
        this.lines = null;
        this.zone = zone;
    }

    /**
     * Every connection {@code lines} asks for, each line handed to it with the connection's number.
     *
     * @param absolute absolute sequence numbers ({@code -S})
     * @param zone     the time zone of the time stamps
     */
    public PacketList(final Lines lines, final boolean absolute, final ZoneId zone)
    {
        this.selected = Set.of();
        this.absolute = absolute;
        this.numbered = false;
        this.out = null;
        this.lines = lines;
        this.zone = zone;
    }

    /**
     * The connection ended (its final record): its number is free for another ({@link Lines} only;
     * the {@code packets} command keeps every selected connection's state to the end).
     */
    public void release(final FlowView flow)
    {
        final long m = flow.packetMarks();
        if (lines != null && (m & SELECTED) != 0)
        {
            released.push((int)m);
        }
    }

    /** Lines written. */
    public long printed()
    {
        return printed;
    }

    private boolean selected(final FlowView flow)
    {
        long m = flow.packetMarks();
        if ((m & DECIDED) == 0)
        {
            m = DECIDED;
            final int n = released.isEmpty() ? dupAcks.size() : released.peek();
            if (lines == null ? selected.contains(FlowRecordEncoder.flowId(flow)) : lines.open(flow, n))
            {
                // per direction: the frame that last moved the ACK number, duplicates since, that number
                m |= SELECTED | n;
                if (n == dupAcks.size())
                {
                    dupAcks.add(new long[6]);
                }
                else
                {
                    java.util.Arrays.fill(dupAcks.get(released.pop()), 0);
                }
            }
            flow.packetMarks(m);
        }
        return (m & SELECTED) != 0;
    }

    @Override
    public void onPacket(final FlowView flow, final DecodedFrame slot, final boolean fromClient, final int analysis)
    {
        if (!selected(flow))
        {
            return;
        }
        final StringBuilder sb = start(slot);
        if (slot.ipProtocol == IpProtocol.TCP)
        {
            tcp(sb, flow, slot, fromClient, analysis);
        }
        else if (slot.ipProtocol == IpProtocol.UDP)
        {
            sb.append(slot.srcPort).append(" > ");
            addr(sb, slot.ipVersion, slot.dstHi, slot.dstLo).append('.').append(slot.dstPort);
            sb.append(": UDP, length ").append(slot.payloadLength);
        }
        else
        {
            icmpOrOther(sb, slot);
        }
        end(flow, sb);
    }

    @Override
    public void onQuotedPacket(final FlowView flow, final DecodedFrame slot, final boolean fromClient)
    {
        if (!selected(flow))
        {
            return;
        }
        final StringBuilder sb = start(slot);
        icmpOrOther(sb, slot);
        sb.append(" (quoting ");
        addr(sb, slot.ipVersion, slot.quotedSrcHi, slot.quotedSrcLo).append('.').append(slot.quotedSrcPort).append(" > ");
        addr(sb, slot.ipVersion, slot.quotedDstHi, slot.quotedDstLo).append('.').append(slot.quotedDstPort);
        sb.append(" Flags [");
        flags(sb, slot.quotedTcpFlags).append("])");
        end(flow, sb);
    }

    /** The time stamp, the IP version and the source (with its port when the transport has ports). */
    private StringBuilder start(final DecodedFrame slot)
    {
        final StringBuilder sb = line;
        sb.setLength(0);
        if (numbered)
        {
            final String n = Long.toString(slot.frameNumber);
            sb.append(" ".repeat(Math.max(0, 5 - n.length()))).append(n).append("  ");
        }
        final long nanos = slot.timestampNanos;
        final LocalTime t = LocalTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
            Math.floorMod(nanos, 1_000_000_000L)), zone);
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond()).append('.');
        final String micros = Integer.toString(t.getNano() / 1000);
        sb.append("000000", 0, 6 - micros.length()).append(micros);
        sb.append(slot.ipVersion == 6 ? " IP6 " : " IP ");
        addr(sb, slot.ipVersion, slot.srcHi, slot.srcLo);
        if (slot.ipProtocol == IpProtocol.TCP || slot.ipProtocol == IpProtocol.UDP)
        {
            sb.append('.');
        }
        else
        {
            sb.append(" > ");
            addr(sb, slot.ipVersion, slot.dstHi, slot.dstLo).append(": ");
        }
        return sb;
    }

    private void end(final FlowView flow, final StringBuilder sb)
    {
        if (lines != null)
        {
            lines.line((int)flow.packetMarks(), sb);
        }
        else
        {
            sb.append('\n');
            out.append(sb);
        }
        printed++;
    }

    private static StringBuilder two(final StringBuilder sb, final int v)
    {
        return sb.append(v < 10 ? "0" : "").append(v);
    }

    private static StringBuilder addr(final StringBuilder sb, final int version, final long hi, final long lo)
    {
        return InetText.append(sb, version, hi, lo);
    }

    private static void icmpOrOther(final StringBuilder sb, final DecodedFrame slot)
    {
        if (slot.icmpType >= 0)
        {
            sb.append(slot.ipVersion == 6 ? "ICMP6" : "ICMP").append(" type ").append(slot.icmpType)
                .append(" code ").append(slot.icmpCode).append(", length ").append(slot.payloadLength);
        }
        else
        {
            sb.append("ip-proto-").append(slot.ipProtocol).append(' ').append(slot.payloadLength);
        }
    }

    /** tcpdump's flag letters, in its order; {@code none} when no flag is set. */
    static StringBuilder flags(final StringBuilder sb, final int flags)
    {
        final int before = sb.length();
        if ((flags & TcpFlags.FIN) != 0)
        {
            sb.append('F');
        }
        if ((flags & TcpFlags.SYN) != 0)
        {
            sb.append('S');
        }
        if ((flags & TcpFlags.RST) != 0)
        {
            sb.append('R');
        }
        if ((flags & TcpFlags.PSH) != 0)
        {
            sb.append('P');
        }
        if ((flags & TcpFlags.ACK) != 0)
        {
            sb.append('.');
        }
        if ((flags & TcpFlags.URG) != 0)
        {
            sb.append('U');
        }
        if ((flags & TcpFlags.ECE) != 0)
        {
            sb.append('E');
        }
        if ((flags & TcpFlags.CWR) != 0)
        {
            sb.append('W');
        }
        if (sb.length() == before)
        {
            sb.append("none");
        }
        return sb;
    }

    private void tcp(final StringBuilder sb, final FlowView flow, final DecodedFrame slot, final boolean fromClient,
        final int analysis)
    {
        sb.append(slot.srcPort).append(" > ");
        addr(sb, slot.ipVersion, slot.dstHi, slot.dstLo).append('.').append(slot.dstPort).append(": Flags [");
        final int fl = slot.tcpFlags;
        flags(sb, fl).append(']');
        final DirectionView fwd = fromClient ? flow.c2s() : flow.s2c();
        final DirectionView rev = fromClient ? flow.s2c() : flow.c2s();
        final long seqBase = absolute || fwd.baseSeq() < 0 ? 0 : fwd.baseSeq();
        final long ackBase = absolute || rev.baseSeq() < 0 ? 0 : rev.baseSeq();
        final int len = slot.payloadLength;
        if (len > 0 || (fl & (TcpFlags.SYN | TcpFlags.FIN | TcpFlags.RST)) != 0)
        {
            final long seq = (slot.seq - seqBase) & 0xFFFFFFFFL;
            sb.append(", seq ").append(seq);
            if (len > 0)
            {
                sb.append(':').append((seq + len) & 0xFFFFFFFFL);
            }
        }
        if ((fl & TcpFlags.ACK) != 0)
        {
            sb.append(", ack ").append((slot.ack - ackBase) & 0xFFFFFFFFL);
        }
        sb.append(", win ").append(slot.window);
        if (!slot.tcpHeaderCut)
        {
            options(sb, slot, ackBase);
        }
        sb.append(", length ").append(len);
        // Wireshark: duplicates repeat the last segment of their side that moved the acknowledgement
        // number, and are counted from it (a run of duplicates ends only when the number changes).
        final long[] dup = dupAcks.get((int)flow.packetMarks());
        final int d = fromClient ? 0 : 3;
        if (dup[d] == 0 || dup[d + 2] != slot.ack)
        {
            dup[d] = slot.frameNumber;
            dup[d + 1] = 0;
            dup[d + 2] = slot.ack;
        }
        if ((analysis & PacketAnalysis.DUPLICATE_ACK) != 0)
        {
            dup[d + 1]++;
        }
        ExpertTags.append(sb, analysis, dup[d], (int)dup[d + 1]);
    }

    /** The options as tcpdump prints them: {@code options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]}. */
    private static void options(final StringBuilder sb, final DecodedFrame slot, final long sackBase)
    {
        final byte[] b = slot.data;
        final int header = slot.transportOffset;
        final int dataOffset = ((b[header + 12] & 0xFF) >>> 4) * 4;
        int i = header + 20;
        final int end = Math.min(header + dataOffset, slot.captureLength);
        if (i >= end)
        {
            return;
        }
        sb.append(", options [");
        boolean first = true;
        while (i < end)
        {
            final int kind = b[i] & 0xFF;
            if (!first)
            {
                sb.append(',');
            }
            first = false;
            if (kind == TcpOptionKind.END_OF_OPTION_LIST)
            {
                sb.append("eol");
                break;
            }
            if (kind == TcpOptionKind.NO_OPERATION)
            {
                sb.append("nop");
                i++;
                continue;
            }
            if (i + 1 >= end)
            {
                sb.append("bad opt");
                break;
            }
            final int len = b[i + 1] & 0xFF;
            if (len < 2 || i + len > end)
            {
                sb.append("bad opt");
                break;
            }
            switch (kind)
            {
                case TcpOptionKind.MAXIMUM_SEGMENT_SIZE:
                    sb.append("mss ").append(u16(b, i + 2));
                    break;
                case TcpOptionKind.WINDOW_SCALE:
                    sb.append("wscale ").append(b[i + 2] & 0xFF);
                    break;
                case TcpOptionKind.SACK_PERMITTED:
                    sb.append("sackOK");
                    break;
                case TcpOptionKind.SACK:
                {
                    final int blocks = (len - 2) / TcpOptionKind.SACK_BLOCK_LENGTH;
                    sb.append("sack ").append(blocks).append(' ');
                    for (int k = 0; k < blocks; k++)
                    {
                        final int o = i + 2 + k * TcpOptionKind.SACK_BLOCK_LENGTH;
                        sb.append('{').append((u32(b, o) - sackBase) & 0xFFFFFFFFL).append(':')
                            .append((u32(b, o + 4) - sackBase) & 0xFFFFFFFFL).append('}');
                    }
                    break;
                }
                case TcpOptionKind.TIMESTAMPS:
                    sb.append("TS val ").append(u32(b, i + 2)).append(" ecr ").append(u32(b, i + 6));
                    break;
                default:
                    sb.append("unknown-").append(kind);
                    break;
            }
            i += len;
        }
        sb.append(']');
    }

    private static int u16(final byte[] b, final int i)
    {
        return (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
    }

    private static long u32(final byte[] b, final int i)
    {
        return ((long)(b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF) & 0xFFFFFFFFL;
    }
}
