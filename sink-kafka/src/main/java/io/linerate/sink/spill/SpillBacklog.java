package io.linerate.sink.spill;

/**
 * What waits in the spill behind a cursor's committed position.
 *
 * @param records records not yet committed
 * @param bytes   their size in the spill (see {@link RecordSpill.Writer#append})
 */
public record SpillBacklog(long records, long bytes)
{
}
