package io.linerate.decode;

/**
 * One layer of the decode chain, with one contract (gopacket's {@code DecodingLayer}): decode the
 * header that starts at {@code offset} in the cursor's frame, write what it found into the slot,
 * and say which layer comes next and where its header starts ({@link DecodeCursor#next}).
 *
 * <p>A layer that finds its header malformed sets {@link DecodeCursor#anomaly} and returns
 * {@link Layer#END}; one whose payload is not followed (ARP, SCTP) counts it and returns
 * {@link Layer#END}. Layer decoders are preallocated, one of each per {@link PacketDecoder}, and
 * hold nothing between frames but their flyweights.
 */
public interface LayerDecoder
{
    /**
     * @param cursor the frame being decoded
     * @param offset where this layer's header starts in {@link DecodeCursor#buffer}
     * @return the next layer (a {@link Layer} id), whose header starts at {@link DecodeCursor#next},
     *     or {@link Layer#END}
     */
    int decode(DecodeCursor cursor, int offset);
}
