package io.linerate.ops.top;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.ops.filter.ConnectionFields;
import io.linerate.sink.record.FlowRecordEncoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections {@code linerate top} shows: the latest record of each, final or interim, as the
 * shard hands them over. It is the run's record listener (on the shard's thread, one shard), and the
 * only place top reads a {@link FlowView} (a pass's flow ids too, {@link #flowIds}): each record is
 * kept as its JSON text and the values a display filter reads ({@link ConnectionFields.Snapshot}),
 * since the flow is reused after the call. The screen reads {@link #connections} on its own thread.
 *
 * <p>Finished connections are kept up to {@link #MAX_FINISHED}, the oldest let go first, so a live
 * capture left running holds a bounded table.
 */
public final class ConnectionTable implements FlowRecordListener
{
    /** Finished connections kept; live ones are bounded by the flow table's own cap. */
    public static final int MAX_FINISHED = 100_000;

    private final ConnectionFields.RecordInput input;
    private final ConcurrentHashMap<String, Connection> byId = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> finished = new ConcurrentLinkedQueue<>();
    private final AtomicInteger finishedCount = new AtomicInteger();
    private long arrivals;

    /**
     * @param sensor the sensor name the records carry
     */
    public ConnectionTable(final String sensor)
    {
        this.input = new ConnectionFields.RecordInput(sensor);
    }

    @Override
    public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
    {
        final ConnectionFields.Snapshot record = input.record(flow, isFinal, endReason).snapshot();
        final Connection latest = Connection.of(record, isFinal, arrivals++);
        final Connection before = byId.put(latest.flowId(), latest);
        if (before != null && before.isFinal())
        {
            // The same flow id again (a replay over the same input twice): counted once.
            return;
        }
        if (isFinal)
        {
            finished.add(latest.flowId());
            if (finishedCount.incrementAndGet() > MAX_FINISHED)
            {
                final String oldest = finished.poll();
                if (oldest != null)
                {
                    byId.remove(oldest);
                    finishedCount.decrementAndGet();
                }
            }
        }
    }

    /** A listener that adds the flow id of every record it is given to {@code into} (a pass's finds). */
    static FlowRecordListener flowIds(final Set<String> into)
    {
        return new FlowRecordListener()
        {
            @Override
            public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
            {
                into.add(FlowRecordEncoder.flowId(flow));
            }
        };
    }

    /** Every connection kept, finished and live, in no particular order. */
    public List<Connection> connections()
    {
        return new ArrayList<>(byId.values());
    }

    /** The connection with this flow id, null when none (or no longer kept). */
    public Connection get(final String flowId)
    {
        return byId.get(flowId);
    }
}
