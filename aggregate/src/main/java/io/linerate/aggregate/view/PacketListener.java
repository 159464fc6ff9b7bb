package io.linerate.aggregate.view;

import io.linerate.decode.DecodedFrame;

/**
 * Sees each packet of a connection once the shard has analysed it: the connection it belongs to,
 * its direction and the expert-info flags the sequence analysis gave it (the same flags the record's
 * counts are made of). For what looks at packets, not only at records: a display filter's per-packet
 * fields, the packet list of {@code linerate packets}, the bytes of {@code linerate follow}.
 *
 * <p>Called on the shard's thread, before the packet's record (if it ends the connection) is
 * written; the slot and the flow are valid only during the call. No listener costs nothing: a shard
 * without one makes no call.
 */
public interface PacketListener
{
    /**
     * A packet of {@code flow}.
     *
     * @param flow       its connection, updated with this packet
     * @param slot       the decoded packet (a reassembled datagram for IP fragments)
     * @param fromClient true when the flow's client sent it
     * @param analysis   {@code SequenceAnalyzer} flags of a TCP segment, 0 for other packets
     */
    void onPacket(FlowView flow, DecodedFrame slot, boolean fromClient, int analysis);

    /**
     * An ICMP error quoting a TCP header of {@code flow}, counted as a packet of that connection as
     * Wireshark puts it on its {@code tcp.stream} ({@code slot.quoted*} hold the quoted header).
     *
     * @param fromClient true when it is counted in the client's direction
     */
    default void onQuotedPacket(final FlowView flow, final DecodedFrame slot, final boolean fromClient)
    {
    }
}
