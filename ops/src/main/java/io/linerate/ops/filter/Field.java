package io.linerate.ops.filter;

/**
 * A field a display filter can name.
 *
 * @param name   as written in a filter ({@code tcp.port}, {@code c2s.retransmissions})
 * @param type   what it holds
 * @param perPacket true when each packet has its own values (a connection matches when some packet
 *               does); false when the connection has one set of values (its record's)
 * @param id     the catalog's number for it, handed back to {@link FilterInput#values}
 * @param microseconds true when its integers are microseconds, so a duration literal ({@code 100ms}) compares with it
 */
public record Field(String name, FieldType type, boolean perPacket, int id, boolean microseconds)
{
}
