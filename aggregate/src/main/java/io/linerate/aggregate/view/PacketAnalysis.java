package io.linerate.aggregate.view;

/**
 * The analysis flags of a TCP segment, as Wireshark's {@code tcp.analysis.*} fields name them: what
 * {@link PacketListener#onPacket} passes as {@code analysis}, and what a connection's counts are made
 * of. A fast or a spurious retransmission carries {@link #RETRANSMISSION} too, as
 * {@code tcp.analysis.retransmission} does.
 */
public final class PacketAnalysis
{
    public static final int RETRANSMISSION = 1;
    public static final int FAST_RETRANSMISSION = 1 << 1;
    public static final int SPURIOUS_RETRANSMISSION = 1 << 2;
    public static final int OUT_OF_ORDER = 1 << 3;
    public static final int LOST_SEGMENT = 1 << 4;
    public static final int KEEP_ALIVE = 1 << 5;
    public static final int KEEP_ALIVE_ACK = 1 << 6;
    public static final int ZERO_WINDOW_PROBE = 1 << 7;
    public static final int ZERO_WINDOW_PROBE_ACK = 1 << 8;
    public static final int DUPLICATE_ACK = 1 << 9;
    public static final int ZERO_WINDOW = 1 << 10;
    public static final int WINDOW_FULL = 1 << 11;

    private PacketAnalysis()
    {
    }
}
