package io.linerate.ops.filter;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.PacketListener;
import io.linerate.decode.DecodedFrame;

/**
 * {@code --where}: passes on the records of the connections a display filter keeps, for one shard.
 * Per-packet fields are evaluated on every packet of the shard (it must then be the shard's
 * {@link PacketListener}), their outcomes kept in the connection's packet marks
 * ({@link Flow#packetMarks}); the record is kept when the filter matches it with those.
 */
public final class WhereFilter implements FlowRecordListener, PacketListener
{
    private final DisplayFilter filter;
    private final DisplayFilter.Matcher matcher;
    private final ConnectionFields.PacketInput packet = new ConnectionFields.PacketInput();
    private final ConnectionFields.RecordInput record;
    private final FlowRecordListener downstream;
    private long kept;
    private long dropped;

    /**
     * @param sensor     the sensor name the records carry
     * @param downstream where the kept records go
     */
    public WhereFilter(final DisplayFilter filter, final String sensor, final FlowRecordListener downstream)
    {
        this.filter = filter;
        this.matcher = filter.matcher();
        this.record = new ConnectionFields.RecordInput(sensor);
        this.downstream = downstream;
    }

    /** True when the shard must show it every packet. */
    public boolean needsPackets()
    {
        return filter.perPacket();
    }

    @Override
    public void onPacket(final FlowView flow, final DecodedFrame slot, final boolean fromClient, final int analysis)
    {
        flow.packetMarks(flow.packetMarks() | matcher.packetMatches(packet.packet(slot, analysis)));
    }

    @Override
    public void onQuotedPacket(final FlowView flow, final DecodedFrame slot, final boolean fromClient)
    {
        flow.packetMarks(flow.packetMarks() | matcher.packetMatches(packet.quoted(slot)));
    }

    @Override
    public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
    {
        if (matcher.matches(flow.packetMarks(), record.record(flow, isFinal, endReason)))
        {
            kept++;
            downstream.onRecord(flow, isFinal, endReason);
        }
        else
        {
            dropped++;
        }
    }

    @Override
    public void onEndOfBatch()
    {
        downstream.onEndOfBatch();
    }

    /** Records passed on (read once the shard is finished). */
    public long kept()
    {
        return kept;
    }

    /** Records the filter left out (read once the shard is finished). */
    public long dropped()
    {
        return dropped;
    }
}
