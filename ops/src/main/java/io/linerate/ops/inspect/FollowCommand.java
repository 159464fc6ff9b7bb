package io.linerate.ops.inspect;

import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.PacketListener;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import io.linerate.ops.pipeline.Replay;
import io.linerate.ops.pipeline.StopRequest;
import io.linerate.sink.record.FlowRecordEncoder;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code linerate follow FILE... (--flow ID | --where EXPR | ADDR:PORT ADDR:PORT) [--as ascii|hex|raw]}:
 * each selected TCP connection's payload as {@code tshark -q -z follow,tcp,MODE,N} prints it, N being
 * its {@code tcp.stream} (TCP connections numbered from 0 in the order of their first segment), and
 * each UDP flow's as {@code follow,udp,MODE,N} does. The payload leaves the process only here, on
 * this explicit request.
 */
public final class FollowCommand implements PacketListener
{
    private static final long DECIDED = PacketList.DECIDED;
    private static final long SELECTED = PacketList.SELECTED;

    private final Set<String> selected;
    private final List<TcpStreamFollower> streams = new ArrayList<>();
    private int tcpStreams;
    private int udpStreams;

    private FollowCommand(final Set<String> selected)
    {
        this.selected = selected;
    }

    /** Runs it; returns the exit code (1 also when no TCP connection matched). */
    public static int run(final Selection selection, final InputStream in, final PrintStream out, final PrintStream err,
        final StopRequest stop) throws IOException
    {
        final int[] exit = new int[1];
        final Set<String> ids = selection.find(in, out, err, stop, exit);
        if (exit[0] != 0)
        {
            return exit[0];
        }
        final FollowCommand follow = new FollowCommand(ids);
        final int code = new Replay(selection.options(), in, out, err, stop).tap(null, follow).run();
        if (follow.streams.isEmpty())
        {
            err.println("linerate: no TCP or UDP connection matches");
            return code == 0 ? 1 : code;
        }
        final PrintStream text = new PrintStream(new BufferedOutputStream(out, 1 << 16), false, StandardCharsets.UTF_8);
        for (final TcpStreamFollower s : follow.streams)
        {
            text.print(s.render(selection.as()));
        }
        text.flush();
        return code;
    }

    @Override
    public void onPacket(final FlowView flow, final DecodedFrame slot, final boolean fromClient, final int analysis)
    {
        final boolean tcp = slot.ipProtocol == IpProtocol.TCP;
        if (!tcp && slot.ipProtocol != IpProtocol.UDP)
        {
            return;
        }
        long m = flow.packetMarks();
        if ((m & DECIDED) == 0)
        {
            // Wireshark numbers TCP (and UDP) streams in the order of their first packet.
            final int index = tcp ? tcpStreams++ : udpStreams++;
            m = DECIDED;
            if (selected.contains(FlowRecordEncoder.flowId(flow)))
            {
                // the follower's number in the marks' low 32 bits: a view does not outlive its call, marks do
                m |= SELECTED | streams.size();
                streams.add(new TcpStreamFollower(tcp ? "tcp" : "udp", index));
            }
            flow.packetMarks(m);
        }
        if ((m & SELECTED) == 0 || slot.tcpHeaderCut)
        {
            return;
        }
        final int captured = Math.max(0, Math.min(slot.payloadLength, slot.captureLength - slot.payloadOffset));
        if (!tcp)
        {
            streams.get((int)m).onDatagram(slot.ipVersion, slot.srcHi, slot.srcLo, slot.srcPort, slot.dstHi, slot.dstLo,
                slot.dstPort, slot.data, slot.payloadOffset, slot.payloadOffset < 0 ? 0 : captured);
            return;
        }
        streams.get((int)m).onSegment(slot.ipVersion, slot.srcHi, slot.srcLo, slot.srcPort, slot.dstHi, slot.dstLo,
            slot.dstPort, (slot.tcpFlags & TcpFlags.SYN) != 0, slot.seq, slot.ack, slot.payloadLength, slot.data,
            slot.payloadOffset, slot.payloadOffset < 0 ? 0 : captured);
    }
}
