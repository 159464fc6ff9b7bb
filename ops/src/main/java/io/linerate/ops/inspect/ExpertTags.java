package io.linerate.ops.inspect;

import io.linerate.aggregate.view.PacketAnalysis;

/**
 * Wireshark's expert-info tags of a TCP segment, as its packet list shows them, from the
 * {@link SequenceAnalyzer} flags the records are counted from. A fast or spurious retransmission
 * shows as that, not also as a plain retransmission (Wireshark's column does the same).
 */
public final class ExpertTags
{
    private ExpertTags()
    {
    }

    /**
     * Appends the tags, each as {@code " [TCP ...]"}.
     *
     * @param dupAckFrame the frame the duplicate ACK repeats (Wireshark's {@code tcp.analysis.duplicate_ack_frame})
     * @param dupAckNumber which duplicate it is ({@code tcp.analysis.duplicate_ack_num})
     */
    public static StringBuilder append(final StringBuilder out, final int flags, final long dupAckFrame,
        final int dupAckNumber)
    {
        if ((flags & PacketAnalysis.FAST_RETRANSMISSION) != 0)
        {
            out.append(" [TCP Fast Retransmission]");
        }
        else if ((flags & PacketAnalysis.SPURIOUS_RETRANSMISSION) != 0)
        {
            out.append(" [TCP Spurious Retransmission]");
        }
        else if ((flags & PacketAnalysis.RETRANSMISSION) != 0)
        {
            out.append(" [TCP Retransmission]");
        }
        if ((flags & PacketAnalysis.OUT_OF_ORDER) != 0)
        {
            out.append(" [TCP Out-Of-Order]");
        }
        if ((flags & PacketAnalysis.LOST_SEGMENT) != 0)
        {
            out.append(" [TCP Previous segment not captured]");
        }
        if ((flags & PacketAnalysis.KEEP_ALIVE) != 0)
        {
            out.append(" [TCP Keep-Alive]");
        }
        if ((flags & PacketAnalysis.WINDOW_FULL) != 0)
        {
            out.append(" [TCP Window Full]");
        }
        if ((flags & PacketAnalysis.KEEP_ALIVE_ACK) != 0)
        {
            out.append(" [TCP Keep-Alive ACK]");
        }
        if ((flags & PacketAnalysis.DUPLICATE_ACK) != 0)
        {
            out.append(" [TCP Dup ACK ").append(dupAckFrame).append('#').append(dupAckNumber).append(']');
        }
        if ((flags & PacketAnalysis.ZERO_WINDOW_PROBE) != 0)
        {
            out.append(" [TCP ZeroWindowProbe]");
        }
        if ((flags & PacketAnalysis.ZERO_WINDOW) != 0)
        {
            out.append(" [TCP ZeroWindow]");
        }
        if ((flags & PacketAnalysis.ZERO_WINDOW_PROBE_ACK) != 0)
        {
            out.append(" [TCP ZeroWindowProbeAck]");
        }
        return out;
    }
}
