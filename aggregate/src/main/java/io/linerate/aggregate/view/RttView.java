package io.linerate.aggregate.view;

/** RTT samples of one direction of a connection: what the record's {@code rtt_us} object shows. */
public interface RttView
{
    /** Samples taken (0: none, and the other values mean nothing). */
    long count();

    long minMicros();

    long maxMicros();

    long meanMicros();

    /** The sample at {@code quantile} (0..1): exact over the first samples, then within a histogram bucket. */
    long percentileMicros(double quantile);
}
