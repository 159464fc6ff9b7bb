package io.linerate.ingest.ring;

/**
 * Work the thread that fills a slot (the file reader or the capture thread) does on a frame just
 * before it publishes it: on a small machine a hand-off per frame costs more than decoding, so the
 * producer can decode as well (what a NIC's receive-side scaling does for the flow hash).
 */
@FunctionalInterface
public interface FrameStage<S extends FrameSlot>
{
    /** Nothing: the frame goes on the ring as it was read. */
    static <S extends FrameSlot> FrameStage<S> none()
    {
        return slot ->
        {
        };
    }

    /** Works on the frame in {@code slot}, on the producer's thread, before it is published. */
    void onFrame(S slot);
}
