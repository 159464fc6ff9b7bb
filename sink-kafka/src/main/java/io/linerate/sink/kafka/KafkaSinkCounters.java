package io.linerate.sink.kafka;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kafka output's counters. {@code spilled} counts records written to the spill by this process,
 * {@code sent} records handed to the producer (a re-send after a failure counts again),
 * {@code acknowledged} records the broker acknowledged and the spill committed, {@code backlog}
 * records in the spill not acknowledged yet (including those left by an earlier run).
 */
public final class KafkaSinkCounters
{
    final AtomicLong spilled = new AtomicLong();
    final AtomicLong spillErrors = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong sendErrors = new AtomicLong();
    final AtomicLong backlogAtStart = new AtomicLong();

    /** Records written to the spill. */
    public long spilled()
    {
        return spilled.get();
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

    /** Failed send attempts (a broker down, a timeout); each is retried. */
    public long sendErrors()
    {
        return sendErrors.get();
    }

    /** Records in the spill waiting for an acknowledgement. */
    public long backlog()
    {
        return backlogAtStart.get() + spilled.get() - acknowledged.get();
    }

    @Override
    public String toString()
    {
        return "spilled " + spilled() + ", sent " + sent() + ", acknowledged " + acknowledged() + ", backlog " +
            backlog() + ", send errors " + sendErrors() + (spillErrors() > 0 ? ", spill errors " + spillErrors() : "");
    }
}
