package io.linerate.aggregate.view;

/**
 * Receives the records a flow shard emits. Called on the shard's thread; the {@link FlowView} is only
 * valid during the call (its storage is reused for the next connection), so a listener encodes what
 * it needs before returning. One listener instance per shard, so no locking is needed inside it.
 */
public interface FlowRecordListener
{
    /**
     * A record for {@code flow}.
     *
     * @param flow      the connection, with totals so far
     * @param isFinal   true for the one final record of the connection, false for an interim one
     * @param endReason why the connection ended (final records), null for interim records
     */
    void onRecord(FlowView flow, boolean isFinal, EndReason endReason);

    /** The shard reached the end of a batch of frames: a good moment to flush buffered output. */
    default void onEndOfBatch()
    {
    }
}
