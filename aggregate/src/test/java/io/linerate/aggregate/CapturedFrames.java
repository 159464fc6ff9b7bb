package io.linerate.aggregate;

import io.linerate.decode.DecodedFrame;
import io.linerate.decode.PacketDecoder;

/**
 * Frame bytes made into ring slots as a capture hands them over: cut at the snap length, stamped,
 * numbered one after another, and decoded in the slot by the real {@link PacketDecoder}. The frame
 * builders ({@link WireFrames}, {@link FragmentFrames}) build different packets but must turn them
 * into slots alike, or a shard test would see frames no capture makes; with them the big-endian
 * writers they build headers with.
 */
public final class CapturedFrames
{
    private final PacketDecoder decoder;
    private long frameNumber;

    /** Slots decoded by {@code decoder}, numbered from 1. */
    public CapturedFrames(final PacketDecoder decoder)
    {
        this.decoder = decoder;
    }

    /**
     * {@code frame} (Ethernet) captured at {@code nanos}, at most {@code snapLength} bytes of it (the
     * wire length stays the frame's), decoded.
     */
    public DecodedFrame decoded(final long nanos, final byte[] frame, final int snapLength)
    {
        final int captureLength = Math.max(0, Math.min(frame.length, snapLength));
        final DecodedFrame s = new DecodedFrame();
        s.ensureCapacity(captureLength);
        System.arraycopy(frame, 0, s.data, 0, captureLength);
        s.linkType = 1;
        s.captureLength = captureLength;
        s.wireLength = frame.length;
        s.timestampNanos = nanos;
        s.frameNumber = ++frameNumber;
        decoder.decode(s);
        return s;
    }

    static void put16(final byte[] b, final int at, final int v)
    {
        b[at] = (byte)(v >>> 8);
        b[at + 1] = (byte)v;
    }

    static void put32(final byte[] b, final int at, final long v)
    {
        put16(b, at, (int)(v >>> 16) & 0xFFFF);
        put16(b, at + 2, (int)v & 0xFFFF);
    }

    static void put64(final byte[] b, final int at, final long v)
    {
        put32(b, at, v >>> 32);
        put32(b, at + 4, v & 0xFFFF_FFFFL);
    }
}
