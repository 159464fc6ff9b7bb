package io.linerate.ops.pipeline;

/**
 * What a run has read, as its source counts it (the ring's producer, or the first run-to-completion
 * thread) and as the progress line, the metrics and the closing report read it.
 */
final class RunCounters
{
    /** Frames that passed the filter and went to the shards. */
    long frames;
    /** Their lengths on the wire. */
    long wireBytes;
    /** Frames read from the files, the filter's rejects included: frame numbers stay unique. */
    long framesRead;
    /** An input could not be read, or was damaged, or no frame of it could be analysed: exit code 1. */
    boolean badInput;
    /** Bytes of the files read so far (finished inputs, and where the current one is): the progress line's. */
    volatile long inputPosition;
    /** The current input's frames by link type, for the line that names those linerate cannot decode. */
    final long[] framesByLinkType = new long[65536];
}
