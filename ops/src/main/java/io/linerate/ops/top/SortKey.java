package io.linerate.ops.top;

import java.util.Comparator;

/**
 * The orders of {@code linerate top}'s table, on the keys 1 to 5. Each has the direction that puts
 * what an engineer looks for first: the earliest start, a failed verdict, the most retransmissions,
 * the longest RTT, the most bytes; the same key again reverses it.
 */
public enum SortKey
{
    START("start", "earliest first", Comparator.comparingLong(Connection::startMicros)),
    VERDICT("verdict", "failures first", Comparator.comparing((Connection c) -> "ok".equals(c.verdict()))
        .thenComparing(c -> c.verdict() == null ? "" : c.verdict())),
    RETRANSMISSIONS("retransmissions", "most first", Comparator.comparingLong(Connection::retransmissions).reversed()),
    RTT("rtt", "longest first", Comparator.comparingLong(Connection::rttMicros).reversed()),
    BYTES("bytes", "most first", Comparator.comparingLong(Connection::bytes).reversed());

    private final String label;
    private final String direction;
    private final Comparator<Connection> order;

    SortKey(final String label, final String direction, final Comparator<Connection> order)
    {
        this.label = label;
        this.direction = direction;
        // Ties in the order the connections started, then as their records came.
        this.order = order.thenComparingLong(Connection::startMicros).thenComparingLong(Connection::arrival);
    }

    /** Its name on the status line. */
    public String label()
    {
        return label;
    }

    /** What comes first in this order, as the status line says it. */
    public String direction()
    {
        return direction;
    }

    /** The order; {@code reversed}: the other way round. */
    public Comparator<Connection> order(final boolean reversed)
    {
        return reversed ? order.reversed() : order;
    }
}
