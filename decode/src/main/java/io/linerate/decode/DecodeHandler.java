package io.linerate.decode;

import com.lmax.disruptor.EventHandler;

/**
 * Decoder {@code ordinal} of {@code decoderCount} stateless decoders on the ring: it decodes the
 * frames whose sequence falls on it ({@code sequence % decoderCount == ordinal}), so N decoders share
 * the work without a work queue (Disruptor 4 has no WorkerPool). The flow shards are gated on all of
 * them. Every handler sees every sequence in order, so it keeps the next sequence that is its own
 * instead of dividing each frame's sequence (a 64-bit division, on every frame for every decoder).
 */
public final class DecodeHandler implements EventHandler<DecodedFrame>
{
    private final int ordinal;
    private final int decoderCount;
    private final PacketDecoder decoder;
    /** The next sequence that is this decoder's. */
    private long next;

    public DecodeHandler(final int ordinal, final int decoderCount)
    {
        this(ordinal, decoderCount, DecodeSettings.DEFAULT);
    }

    public DecodeHandler(final int ordinal, final int decoderCount, final DecodeSettings settings)
    {
        this.decoder = new PacketDecoder(settings);
        if (ordinal < 0 || ordinal >= decoderCount)
        {
            throw new IllegalArgumentException("decoder " + ordinal + " of " + decoderCount);
        }
        this.ordinal = ordinal;
        this.decoderCount = decoderCount;
        this.next = ordinal;
    }

    @Override
    public void onEvent(final DecodedFrame slot, final long sequence, final boolean endOfBatch)
    {
        if (sequence > next)
        {
            // Out of step with the sequences (a ring does not skip any): this decoder's next from here.
            next = sequence + Math.floorMod(ordinal - sequence, (long)decoderCount);
        }
        if (sequence < next)
        {
            return; // another decoder's
        }
        next += decoderCount;
        if (!slot.endOfInput)
        {
            decoder.decode(slot);
        }
    }

    /** The decoder this handler runs, for its anomaly and census counters. */
    public PacketDecoder decoder()
    {
        return decoder;
    }
}
