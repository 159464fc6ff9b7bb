package io.linerate.ops.pipeline;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.FlowRecordListener;

import java.util.List;

/** Hands each record of a shard to every output of the run, in order. */
final class Fanout implements FlowRecordListener
{
    private final FlowRecordListener[] listeners;

    Fanout(final List<FlowRecordListener> listeners)
    {
        this.listeners = listeners.toArray(new FlowRecordListener[0]);
    }

    @Override
    public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
    {
        for (final FlowRecordListener l : listeners)
        {
            l.onRecord(flow, isFinal, endReason);
        }
    }

    @Override
    public void onEndOfBatch()
    {
        for (final FlowRecordListener l : listeners)
        {
            l.onEndOfBatch();
        }
    }
}
