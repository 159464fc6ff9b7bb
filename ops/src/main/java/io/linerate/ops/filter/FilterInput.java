package io.linerate.ops.filter;

/**
 * What a display filter reads: the values of a field on one packet or one connection. This is the
 * whole interface between the filter language and linerate's records and packets.
 */
public interface FilterInput
{
    /** Adds the values {@code field} has here to {@code out} (nothing when it is absent). */
    void values(Field field, Values out);
}
