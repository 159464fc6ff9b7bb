package io.linerate.ops.top;

import io.linerate.ops.filter.ConnectionFields;
import io.linerate.ops.filter.DisplayFilter;

import java.util.List;
import java.util.Map;

/**
 * One connection as {@code linerate top} shows it: its latest record, and the columns of the table
 * read from that record's fields (absent ones are -1 or null, as the record leaves them out).
 *
 * <p>The screen's thread remembers here whether the current filter keeps it, so a filter is
 * evaluated once per record, not once per second.
 */
public final class Connection
{
    private final ConnectionFields.Snapshot record;
    private final boolean isFinal;
    private final long arrival;
    private final String flowId;
    private final long startMicros;
    private final String transport;
    private final String client;
    private final String server;
    private final String verdict;
    private final String state;
    private final long retransmissions;
    private final long rttMicros;
    private final long bytes;
    private DisplayFilter judgedBy;
    private boolean kept;

    private Connection(final ConnectionFields.Snapshot record, final boolean isFinal, final long arrival,
        final Map<String, List<Object>> f)
    {
        this.record = record;
        this.isFinal = isFinal;
        this.arrival = arrival;
        this.flowId = text(f, "flow_id");
        this.startMicros = number(f, "start_us");
        this.transport = text(f, "transport");
        this.client = endpoint(f, "client");
        this.server = endpoint(f, "server");
        this.verdict = text(f, "verdict");
        this.state = text(f, "state");
        final long c2s = number(f, "c2s.retransmissions");
        final long s2c = number(f, "s2c.retransmissions");
        this.retransmissions = c2s < 0 && s2c < 0 ? -1 : Math.max(0, c2s) + Math.max(0, s2c);
        this.rttMicros = number(f, "handshake.rtt_us");
        this.bytes = Math.max(0, number(f, "c2s.bytes")) + Math.max(0, number(f, "s2c.bytes"));
    }

    /** The connection as {@code record} shows it; {@code arrival} orders records as they came. */
    static Connection of(final ConnectionFields.Snapshot record, final boolean isFinal, final long arrival)
    {
        return new Connection(record, isFinal, arrival, record.paths());
    }

    private static String text(final Map<String, List<Object>> f, final String path)
    {
        final List<Object> v = f.get(path);
        return v == null || v.isEmpty() ? null : String.valueOf(v.get(0));
    }

    private static long number(final Map<String, List<Object>> f, final String path)
    {
        final List<Object> v = f.get(path);
        return v == null || v.isEmpty() || !(v.get(0) instanceof Number) ? -1 : ((Number)v.get(0)).longValue();
    }

    /** {@code ip:port}, {@code [ipv6]:port}, or the address alone (ICMP). */
    private static String endpoint(final Map<String, List<Object>> f, final String side)
    {
        final String ip = text(f, side + ".ip");
        final String port = text(f, side + ".port");
        if (ip == null)
        {
            return "";
        }
        if (port == null)
        {
            return ip;
        }
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** True when {@code filter} keeps it (null: no filter); remembered for the same filter. */
    boolean keptBy(final DisplayFilter filter)
    {
        if (filter == null)
        {
            return true;
        }
        if (judgedBy != filter)
        {
            kept = record.matches(filter);
            judgedBy = filter;
        }
        return kept;
    }

    /** The record, as the JSON outputs write it. */
    public String json()
    {
        return record.json();
    }

    public boolean isFinal()
    {
        return isFinal;
    }

    /** The order records came in: the table's tie-breaker. */
    public long arrival()
    {
        return arrival;
    }

    public String flowId()
    {
        return flowId;
    }

    public long startMicros()
    {
        return startMicros;
    }

    public String transport()
    {
        return transport;
    }

    public String client()
    {
        return client;
    }

    public String server()
    {
        return server;
    }

    public String verdict()
    {
        return verdict;
    }

    /** Zeek's conn_state. */
    public String state()
    {
        return state;
    }

    /** Both directions' retransmissions; -1 for a flow without TCP analysis. */
    public long retransmissions()
    {
        return retransmissions;
    }

    /** The handshake's RTT; -1 when there was none. */
    public long rttMicros()
    {
        return rttMicros;
    }

    /** Both directions' bytes on the wire. */
    public long bytes()
    {
        return bytes;
    }
}
