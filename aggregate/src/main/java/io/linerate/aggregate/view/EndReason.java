package io.linerate.aggregate.view;

/** Why a connection's final record was written ({@code end_reason} in {@code linerate.flow/1}). */
public enum EndReason
{
    /** Both sides closed with FIN, or a new connection reused the tuple after a FIN close. */
    FIN("fin"),
    /** A RST ended the connection. */
    RST("rst"),
    /** No packet for longer than the idle timeout of the connection's state. */
    IDLE_TIMEOUT("idle_timeout"),
    /** The flow table was full and this was the least recently seen connection. */
    EVICTED("evicted"),
    /** The input ended (end of file, packet count reached, capture stopped). */
    END_OF_INPUT("end_of_input"),
    /** An ICMP error ended the connection attempt. */
    ICMP_ERROR("icmp_error");

    private final String wireName;

    EndReason(final String wireName)
    {
        this.wireName = wireName;
    }

    /** The name written in records. */
    public String wireName()
    {
        return wireName;
    }
}
