package io.linerate.ops.report;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * What the report shows of a run besides its records, read from the pipeline once it has drained.
 *
 * @param source        what was read: the files, or the device
 * @param sensor        the capture point's name, as in every record
 * @param frames        frames analysed (after the filter)
 * @param wireBytes     their bytes on the wire
 * @param elapsedNanos  wall-clock time of the run
 * @param malformed     frames not analysed, by reason (every reason, zeros included)
 * @param dataRttMicros every data-to-ACK RTT sample of every shard, microseconds
 * @param drops         frames dropped, by where (ring, kernel, interface); empty for a replay, which never drops
 */
public record RunFacts(
    String source,
    String sensor,
    long frames,
    long wireBytes,
    long elapsedNanos,
    Map<String, Long> malformed,
    Histogram dataRttMicros,
    Map<String, Long> drops)
{
}
