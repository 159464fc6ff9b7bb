package io.linerate.aggregate;

import io.linerate.aggregate.flow.FlowDescriptor;

import java.util.concurrent.TimeUnit;

/**
 * Flow-tracking settings of a shard. Times are packet time: on replay they follow the capture's
 * timestamps, so a replay at any speed gives the same records.
 *
 * @param maxFlowsPerShard hard cap of a shard's flow table; the least recently seen flow is evicted
 * @param tcpEstablishedIdleNanos idle timeout of a TCP connection past its handshake (or midstream)
 * @param tcpHalfOpenIdleNanos idle timeout of a TCP connection whose handshake did not complete
 * @param tcpClosedLingerNanos how long a closed (FIN both ways, or RST) connection still takes its
 *                             late packets (last ACKs, retransmitted FINs) before its final record
 * @param udpIdleNanos idle timeout of UDP flows
 * @param otherIdleNanos idle timeout of ICMP and other IP flows
 * @param activeTimeoutNanos a flow still active this long after its start (or its last interim
 *                           record) gets an interim record with its totals so far
 * @param lossyRetransmitRate retransmit rate above which a connection's verdict is {@code lossy}
 */
public record FlowSettings(
    int maxFlowsPerShard,
    long tcpEstablishedIdleNanos,
    long tcpHalfOpenIdleNanos,
    long tcpClosedLingerNanos,
    long udpIdleNanos,
    long otherIdleNanos,
    long activeTimeoutNanos,
    double lossyRetransmitRate)
{
    public static final int DEFAULT_MAX_FLOWS = 1 << 20;

    /** Off-heap bytes a flow takes: its record in the shard's slab. */
    public static final long RECORD_BYTES_PER_FLOW = FlowDescriptor.RECORD_LENGTH;

    /**
     * Heap a flow may take, for choosing the flow cap: its table slots and timer links (~40 bytes),
     * and for a busy connection its extras (TLS names, RTT samples past the record's three, up to
     * ~1.3 KB with both directions' histograms): most flows take far less.
     */
    public static final long HEAP_BYTES_PER_FLOW = 1024;

    /**
     * The share of the heap, and of the direct memory the slab is allocated from, the flows may fill:
     * the rest is the ring, the outputs and the collector's room.
     */
    public static final double HEAP_SHARE_FOR_FLOWS = 0.6;

    /**
     * The flow cap a JVM whose heap is {@code maxHeapBytes} holds without running out of memory, with
     * the JVM's default direct memory limit (the heap's size): see {@link #maxFlowsForMemory}.
     */
    public static int maxFlowsForHeap(final long maxHeapBytes)
    {
        return maxFlowsForMemory(maxHeapBytes, maxHeapBytes);
    }

    /**
     * The flow cap a heap of {@code maxHeapBytes} and a direct memory limit of {@code maxDirectBytes}
     * hold: {@link #HEAP_SHARE_FOR_FLOWS} of each, at {@link #HEAP_BYTES_PER_FLOW} of heap and
     * {@link #RECORD_BYTES_PER_FLOW} of direct memory a flow, at most {@link #DEFAULT_MAX_FLOWS}, at
     * least 1,024.
     */
    public static int maxFlowsForMemory(final long maxHeapBytes, final long maxDirectBytes)
    {
        final long byHeap = (long)(maxHeapBytes * HEAP_SHARE_FOR_FLOWS) / HEAP_BYTES_PER_FLOW;
        final long byDirect = (long)(maxDirectBytes * HEAP_SHARE_FOR_FLOWS) / RECORD_BYTES_PER_FLOW;
        return (int)Math.max(1024, Math.min(DEFAULT_MAX_FLOWS, Math.min(byHeap, byDirect)));
    }

    public FlowSettings
    {
        if (maxFlowsPerShard < 1)
        {
            throw new IllegalArgumentException("max flows must be positive: " + maxFlowsPerShard);
        }
        requirePositive("tcp established idle timeout", tcpEstablishedIdleNanos);
        requirePositive("tcp half-open idle timeout", tcpHalfOpenIdleNanos);
        requirePositive("tcp closed linger", tcpClosedLingerNanos);
        requirePositive("udp idle timeout", udpIdleNanos);
        requirePositive("icmp/other idle timeout", otherIdleNanos);
        requirePositive("active timeout", activeTimeoutNanos);
        if (!(lossyRetransmitRate >= 0 && lossyRetransmitRate <= 1))
        {
            throw new IllegalArgumentException("lossy retransmit rate must be within 0..1: " + lossyRetransmitRate);
        }
    }

    /**
     * Defaults: 300 s established (Zeek's tcp_inactivity_timeout too), 30 s half-open (longer while a
     * handshake is being retried), 30 s after close, 60 s UDP and ICMP, interim records every 60 s,
     * lossy above 2% retransmitted segments. Wireshark never ends a connection on time: a session
     * quieter than the idle timeout (SMB with keep-alives every 6 minutes) needs a longer one to be
     * one record, as its {@code tcp.stream} is one.
     */
    public static FlowSettings defaults(final int shards)
    {
        return new FlowSettings(
            Math.max(1, DEFAULT_MAX_FLOWS / Math.max(1, shards)),
            TimeUnit.SECONDS.toNanos(300),
            TimeUnit.SECONDS.toNanos(30),
            TimeUnit.SECONDS.toNanos(30),
            TimeUnit.SECONDS.toNanos(60),
            TimeUnit.SECONDS.toNanos(60),
            TimeUnit.SECONDS.toNanos(60),
            0.02);
    }

    /** The shortest idle timeout of any flow (TCP closed linger included): the flow table's timer resolution follows it. */
    public long shortestIdleNanos()
    {
        return Math.min(Math.min(tcpEstablishedIdleNanos, tcpHalfOpenIdleNanos),
            Math.min(tcpClosedLingerNanos, Math.min(udpIdleNanos, otherIdleNanos)));
    }

    /** The longest idle timeout of any flow: the flow table's timer wheel spans it. */
    public long longestIdleNanos()
    {
        return Math.max(Math.max(tcpEstablishedIdleNanos, tcpHalfOpenIdleNanos),
            Math.max(tcpClosedLingerNanos, Math.max(udpIdleNanos, otherIdleNanos)));
    }

    private static void requirePositive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
