package io.linerate.aggregate;

import com.lmax.disruptor.EventHandler;
import io.linerate.aggregate.view.EndReason;
import io.linerate.decode.DecodedFrame;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ring handler of flow shard {@code ordinal} of {@code shardCount}: it takes the frames whose
 * symmetric flow hash falls on it, so both directions of a connection meet in one shard, and lets
 * every frame's time drive its idle timeouts. IP fragments are the exception: a non-first fragment
 * has no ports, so its hash is not its connection's; every shard takes every fragment for
 * reassembly, and the datagram goes to the shard its connection hashes to
 * ({@link FlowShard#onFragment}).
 *
 * <p>Frames reach it decoded: by decoder handlers ahead of it on the ring, or by the thread that
 * read them (a {@code FrameStage}), which on a small machine saves a hand-off per frame.
 */
public final class ShardHandler implements EventHandler<DecodedFrame>
{
    /**
     * Frames analysed together: their flows' cache lines are loaded for all of them first
     * ({@link FlowShard#warm}), then each is analysed in order. The ring's batch bounds it too.
     */
    public static final int BATCH = 16;

    private final FlowShard shard;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final DecodedFrame[] batch = new DecodedFrame[BATCH];
    private int batched;
    /** The outputs hear of every ({@code mask} + 1)th end of batch ({@link #flushOutputsEvery}). */
    private int outputFlushMask;
    private int batchesEnded;

    public ShardHandler(final int ordinal, final int shardCount, final FlowShard shard)
    {
        this.shard = shard;
        shard.placeAs(ordinal, shardCount);
    }

    /**
     * Tells the outputs of only every {@code batches}th end of batch (a power of two; 1, the default,
     * tells them of each), which is when a file output writes what it holds. On the ring an end of
     * batch is the shard catching up with the input, and a record written then is on its way at once.
     * A replay run to completion ends a batch every {@link #BATCH} frames with more input right
     * behind: there a write per batch was a system call per record or two once records come during
     * the run (95,683 writes for churn's 250,000 records with a 5 s linger, 6,219 with 30 s), and the
     * output then waits for a fuller buffer. The end of the input always reaches the outputs.
     */
    public void flushOutputsEvery(final int batches)
    {
        if (batches < 1 || Integer.bitCount(batches) != 1)
        {
            throw new IllegalArgumentException("a power of two: " + batches);
        }
        outputFlushMask = batches - 1;
    }

    /**
     * Collects the frame; every {@link #BATCH} frames, at the end of the ring's batch and at the end
     * of the input, warms and then analyses what was collected. (The ring does not hand a slot back to
     * the reader before the handler has returned from the last event of its batch, so the collected
     * slots stay valid.)
     */
    @Override
    public void onEvent(final DecodedFrame slot, final long sequence, final boolean endOfBatch)
    {
        batch[batched++] = slot;
        if (batched < BATCH && !endOfBatch && !slot.endOfInput)
        {
            return;
        }
        final int n = batched;
        batched = 0;
        shard.warm(batch, n);
        RuntimeException failed = null;
        for (int i = 0; i < n; i++)
        {
            try
            {
                onFrame(batch[i]);
            }
            catch (final RuntimeException ex)
            {
                // One frame's failure is the exception handler's to count: the rest of the batch goes on.
                if (failed == null)
                {
                    failed = ex;
                }
            }
            batch[i] = null;
        }
        if (endOfBatch && (batchesEnded++ & outputFlushMask) == 0)
        {
            shard.endOfBatch();
        }
        if (failed != null)
        {
            throw failed;
        }
    }

    private void onFrame(final DecodedFrame slot)
    {
        if (slot.endOfInput)
        {
            try
            {
                shard.flushAll(EndReason.END_OF_INPUT);
            }
            finally
            {
                finished.countDown();
            }
            return;
        }
        // The frame first updates its own flow, then the clock moves: a packet that arrives after a
        // long gap keeps its connection alive instead of ending it (Wireshark never splits a
        // connection on time; other flows idle past their timeout still end here).
        if (slot.fragment)
        {
            shard.onFragment(slot);
        }
        else if (shard.takes(slot))
        {
            shard.onFrame(slot);
        }
        shard.advanceTime(slot.timestampNanos);
    }

    /**
     * Waits until the end-of-input frame has been handled and every record handed to the outputs.
     * (The ring's own shutdown cannot tell: a handler thread that has not started yet counts as
     * having no backlog.)
     *
     * @return false when the time ran out first
     */
    public boolean awaitFinished(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return finished.await(timeout, unit);
    }

    public FlowShard shard()
    {
        return shard;
    }

}
