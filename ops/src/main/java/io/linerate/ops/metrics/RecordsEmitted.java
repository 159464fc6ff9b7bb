package io.linerate.ops.metrics;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.Verdict;

/**
 * Counts the records one shard emits, final and interim, and the final ones by verdict, for the
 * metrics. One per shard thread: plain fields written by that thread, read by the endpoint's.
 */
public final class RecordsEmitted implements FlowRecordListener
{
    private long finalRecords;
    private long interimRecords;
    /** Final records by verdict, indexed by {@link Verdict#ordinal()}. */
    private final long[] verdicts = new long[Verdict.values().length];

    @Override
    public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
    {
        if (isFinal)
        {
            finalRecords++;
            verdicts[flow.verdict().ordinal()]++;
        }
        else
        {
            interimRecords++;
        }
    }

    @Override
    public void onEndOfBatch()
    {
    }

    public long finalRecords()
    {
        return finalRecords;
    }

    public long interimRecords()
    {
        return interimRecords;
    }

    /** Final records whose verdict is {@code verdict}. */
    public long finalRecords(final Verdict verdict)
    {
        return verdicts[verdict.ordinal()];
    }
}
