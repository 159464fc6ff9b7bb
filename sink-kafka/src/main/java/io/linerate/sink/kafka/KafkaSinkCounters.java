package io.linerate.sink.kafka;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kafka output's counters, written by the shard threads (spilled) and the sender thread (the
 * rest), read by anyone (the metrics endpoint, the end-of-run report).
 *
 * <p>{@code spilled} counts records written to the spill by this process, {@code sent} records handed
 * to the producer (a re-send after a failure counts again), {@code acknowledged} records the broker
 * acknowledged and the spill committed, {@code backlog} records in the spill not acknowledged yet
 * (including those left by an earlier run). Bytes are a record's size in the spill: its key and
 * value in UTF-8 with their lengths ({@link io.linerate.sink.spill.RecordSpill.Writer#append}), what
 * Kafka carries before compression plus 2 to 6 bytes.
 */
public final class KafkaSinkCounters
{
    final AtomicLong spilled = new AtomicLong();
    final AtomicLong spilledBytes = new AtomicLong();
    final AtomicLong spillErrors = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong acknowledgedBytes = new AtomicLong();
    final AtomicLong sendErrors = new AtomicLong();
    final AtomicLong backlogAtStart = new AtomicLong();
    final AtomicLong backlogBytesAtStart = new AtomicLong();

    /** Records written to the spill. */
    public long spilled()
    {
        return spilled.get();
    }

    /** Bytes of the records written to the spill. */
    public long spilledBytes()
    {
        return spilledBytes.get();
    }

    /** Records that could not be written to the spill (disk full): lost, and said so. */
    public long spillErrors()
    {
        return spillErrors.get();
    }

    /** Records handed to the Kafka producer, re-sends included. */
    public long sent()
    {
        return sent.get();
    }

    /** Records acknowledged by Kafka and committed in the spill. */
    public long acknowledged()
    {
        return acknowledged.get();
    }

    /** Bytes of the records acknowledged by Kafka and committed in the spill. */
    public long acknowledgedBytes()
    {
        return acknowledgedBytes.get();
    }

    /**
     * Failed send attempts (a broker down, a timeout, a topic missing and not to be created); each
     * is retried.
     */
    public long sendErrors()
    {
        return sendErrors.get();
    }

    /** Records in the spill waiting for an acknowledgement. */
    public long backlog()
    {
        // Acknowledged first, as spilled only grows. The sender can still read, send and acknowledge
        // a record before its shard has counted it as spilled: never below zero for that moment.
        final long acked = acknowledged.get();
        return Math.max(0, backlogAtStart.get() + spilled.get() - acked);
    }

    /** Bytes of the records in the spill waiting for an acknowledgement. */
    public long backlogBytes()
    {
        final long acked = acknowledgedBytes.get();
        return Math.max(0, backlogBytesAtStart.get() + spilledBytes.get() - acked);
    }

    @Override
    public String toString()
    {
        return "spilled " + spilled() + ", sent " + sent() + ", acknowledged " + acknowledged() + ", backlog " +
            backlog() + " (" + backlogBytes() + " bytes), send errors " + sendErrors() + ", spill errors " + spillErrors();
    }
}
