package io.linerate.ops.cli;

import java.util.Optional;

/**
 * How a replay's frames reach the flow shards ({@code --pipeline}).
 *
 * <ul>
 *   <li>{@link #RING}: one reader thread reads and decodes every frame into the Disruptor ring, and
 *   each shard's thread takes the frames that hash to it. A live capture always runs this way.</li>
 *   <li>{@link #RUN_TO_COMPLETION}: each shard's thread reads every frame of the files itself,
 *   decodes it for its flow hash (as a NIC's receive-side scaling would), and analyses the ones that
 *   hash to it: no hand-off and no copy between threads, one thread a core. Every thread pays for
 *   reading and decoding every frame, which is cheap beside the analysis.</li>
 *   <li>{@link #AUTO}: run-to-completion where it can run (files that can be opened again, at full
 *   speed, decoded on the shards) and there are two or more shards; ring otherwise.</li>
 * </ul>
 */
public enum PipelineMode
{
    AUTO("auto"),
    RING("ring"),
    RUN_TO_COMPLETION("run-to-completion");

    private final String spelling;

    PipelineMode(final String spelling)
    {
        this.spelling = spelling;
    }

    /** The mode spelled {@code value} on the command line. */
    public static Optional<PipelineMode> of(final String value)
    {
        for (final PipelineMode m : values())
        {
            if (m.spelling.equals(value))
            {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString()
    {
        return spelling;
    }
}
