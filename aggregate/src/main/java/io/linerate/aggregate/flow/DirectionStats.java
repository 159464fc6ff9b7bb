package io.linerate.aggregate.flow;

/**
 * What one side of a connection sent: {@code c2s} holds the client's packets, {@code s2c} the
 * server's. Counts follow DESIGN.md's meanings: {@code bytes} is the frame length on the wire,
 * {@code payloadBytes} the transport payload, retransmissions included.
 */
public class DirectionStats
{
    long packets;
    long bytes;
    long payloadBytes;
    boolean fin;
    boolean rst;
    /** First sequence number this side used (its SYN's, else its first segment's), -1 until seen. */
    long baseSeq = -1;

    /** Notes the TCP flags this side sent. */
    public void noteFlags(final boolean finSeen, final boolean rstSeen)
    {
        fin |= finSeen;
        rst |= rstSeen;
    }

    void reset()
    {
        packets = 0;
        bytes = 0;
        payloadBytes = 0;
        fin = false;
        rst = false;
        baseSeq = -1;
    }

    /** The sequence number this side started from, -1 before its first segment. */
    public long baseSeq()
    {
        return baseSeq;
    }

    public void baseSeq(final long seq)
    {
        baseSeq = seq;
    }

    public long packets()
    {
        return packets;
    }

    public long bytes()
    {
        return bytes;
    }

    public long payloadBytes()
    {
        return payloadBytes;
    }

    /** True when this side sent a FIN. */
    public boolean fin()
    {
        return fin;
    }

    /** True when this side sent a RST. */
    public boolean rst()
    {
        return rst;
    }
}
