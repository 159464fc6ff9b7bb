package io.linerate.ops.metrics;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.FlowRecordListener;

/**
 * Counts the records one shard emits, final and interim, for the metrics. One per shard thread:
 * plain fields written by that thread, read by the endpoint's.
 */
public final class RecordsEmitted implements FlowRecordListener
{
    private long finalRecords;
    private long interimRecords;

    @Override
    public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
    {
        if (isFinal)
        {
            finalRecords++;
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
}
