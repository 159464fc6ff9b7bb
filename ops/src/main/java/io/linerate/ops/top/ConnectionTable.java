package io.linerate.ops.top;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.ops.filter.ConnectionFields;
import io.linerate.ops.inspect.PacketList;
import io.linerate.sink.record.FlowRecordEncoder;

import java.time.ZoneId;
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
public final class ConnectionTable implements FlowRecordListener, PacketList.Lines
{
    /** Finished connections kept; live ones are bounded by the flow table's own cap. */
    public static final int MAX_FINISHED = 100_000;
    /** {@link #keepPackets}: the first lines of a connection kept, the rest counted. */
    public static final int MAX_PACKET_LINES = 500;
    /** {@link #keepPackets}: the connections whose lines are kept, the lines of the earliest let go first. */
    public static final int MAX_PACKET_LOGS = 2_000;

    private final ConnectionFields.RecordInput input;
    private final ConcurrentHashMap<String, Connection> byId = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> finished = new ConcurrentLinkedQueue<>();
    private final AtomicInteger finishedCount = new AtomicInteger();
    private long arrivals;
    /** {@link #keepPackets}: the packet list that feeds {@link #line}; null when packets are not kept. */
    private PacketList packetList;
    /** By the packet list's connection numbers: the flow id and the log of each connection open. */
    private final List<PacketLog> open = new ArrayList<>();
    private final ConcurrentHashMap<String, PacketLog> logs = new ConcurrentHashMap<>();
    private final java.util.ArrayDeque<String> logged = new java.util.ArrayDeque<>();

    /**
     * @param sensor the sensor name the records carry
     */
    public ConnectionTable(final String sensor)
    {
        this.input = new ConnectionFields.RecordInput(sensor);
    }

    /**
     * Keeps every connection's packet lines in memory ({@code linerate top} on a live capture, which
     * cannot be read again): returns the run's packet listener, {@code linerate packets}'
     * {@link PacketList} writing here.
     */
    public PacketList keepPackets(final ZoneId zone)
    {
        packetList = new PacketList(this, false, zone);
        return packetList;
    }

    @Override
    public boolean open(final FlowView flow, final int connection)
    {
        final PacketLog log = new PacketLog();
        while (open.size() <= connection)
        {
            open.add(null);
        }
        open.set(connection, log);
        final String id = FlowRecordEncoder.flowId(flow);
        logs.put(id, log);
        logged.add(id);
        if (logged.size() > MAX_PACKET_LOGS)
        {
            logs.remove(logged.poll());
        }
        return true;
    }

    @Override
    public void line(final int connection, final CharSequence line)
    {
        open.get(connection).add(line);
    }

    /** The packet lines kept of the connection {@code flowId} ({@link #keepPackets}); null when none. */
    public PacketLog packets(final String flowId)
    {
        return logs.get(flowId);
    }

    @Override
    public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
    {
        if (isFinal && packetList != null)
        {
            // After its last packet: its number goes to the next connection.
            packetList.release(flow);
        }
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

    /** The first {@link #MAX_PACKET_LINES} packet lines of a connection, and how many there were. */
    public static final class PacketLog
    {
        private final List<String> lines = new ArrayList<>();
        private long count;

        synchronized void add(final CharSequence line)
        {
            if (lines.size() < MAX_PACKET_LINES)
            {
                lines.add(line.toString());
            }
            count++;
        }

        /** The lines kept so far. */
        public synchronized List<String> lines()
        {
            return List.copyOf(lines);
        }

        /** The packets seen so far, those not kept too. */
        public synchronized long count()
        {
            return count;
        }
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
