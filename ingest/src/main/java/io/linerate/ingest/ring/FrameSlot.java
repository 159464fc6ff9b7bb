package io.linerate.ingest.ring;

/**
 * One preallocated event of the ring: a captured frame, copied once from the file or the capture
 * library, and what the capture says of it (time, lengths, link type, where it was in its file).
 *
 * <p>The reader (the only producer) writes every field of it for every frame, so nothing leaks from
 * the frame that used the slot before. What a decoder finds in the frame is not ingest's business:
 * the slots a pipeline makes are of decode's subclass ({@code io.linerate.decode.DecodedFrame}), which
 * holds the decoded fields, and the readers fill any slot.
 */
public class FrameSlot
{
    /** Frames of up to this many bytes fit without growing the buffer. */
    public static final int INITIAL_CAPACITY = 2048;

    /** Capture time, nanoseconds since the Unix epoch. */
    public long timestampNanos;
    /** Bytes captured, valid in {@link #data}[0, captureLength). */
    public int captureLength;
    /** Length of the frame on the wire (the pcap "original length"). */
    public int wireLength;
    /** LINKTYPE_* of the frame (low 16 bits of the pcap header field, or the pcapng IDB's). */
    public int linkType;
    /** pcapng interface id, 0 for pcap and live capture. */
    public int interfaceId;
    /** 1-based number of the frame in the input, as tcpdump/Wireshark number them. */
    public long frameNumber;
    /** Byte offset of the frame's record in its file (-1 for live capture). */
    public long fileOffset;
    /** Frame bytes; grows (power of two) the first time a larger frame lands in this slot. */
    public byte[] data = new byte[INITIAL_CAPACITY];
    /** Set by the producer on the last slot of the input: shards flush every connection. */
    public boolean endOfInput;

    /** Makes sure {@link #data} holds at least {@code length} bytes; contents are not kept. */
    public void ensureCapacity(final int length)
    {
        if (data.length < length)
        {
            data = new byte[Integer.highestOneBit(Math.max(length, 2) - 1) << 1];
        }
    }
}
