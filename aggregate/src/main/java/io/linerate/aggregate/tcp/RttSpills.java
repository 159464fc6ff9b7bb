package io.linerate.aggregate.tcp;

/**
 * Where a direction's RTT samples go once its record's three are not enough: a side table of the
 * shard's, by flow index, so a flow without many samples holds none.
 */
public interface RttSpills
{
    /** The samples of the client's ({@code client}) or the server's data of flow {@code index}, made ready. */
    RttSummary rtt(int index, boolean client);

    /** The same, or null when that direction has spilled no samples. */
    RttSummary rttIfAny(int index, boolean client);
}
