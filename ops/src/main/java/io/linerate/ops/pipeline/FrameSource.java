package io.linerate.ops.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.linerate.decode.DecodedFrame;
import io.linerate.ingest.ring.FrameStage;

import java.io.IOException;

/**
 * Where a run's frames come from: capture files ({@link FileSource}) or a live device
 * ({@link LiveSource}). A source feeds the ring as its only producer, and says how far it has got
 * for the progress line.
 */
interface FrameSource
{
    /**
     * Feeds the ring from slot {@code claimed} on, each frame through {@code stage} (the reader's
     * decoder, or nothing) before it is published, until the input ends, {@code --count} is reached or
     * a stop is requested.
     *
     * @return the slot claimed but not published, for the end-of-input marker
     */
    long feed(RingBuffer<DecodedFrame> ring, long claimed, FrameStage<DecodedFrame> stage) throws IOException;

    /** Frames given to the pipeline so far. */
    long frames();

    /** Their bytes on the wire. */
    long wireBytes();

    /** The bytes of the inputs, -1 when unknown (standard input, a device). */
    long bytes();

    /** How many of {@link #bytes()} have been read. */
    long position();

    /** What is read, as the report names it ({@code replay of a.pcap}, {@code capture on eth0}). */
    String describe();
}
