package io.linerate.ops.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.linerate.decode.DecodedFrame;
import io.linerate.ingest.ring.FrameStage;

/**
 * Frames from a live device ({@code linerate capture}): the capture thread publishes without
 * waiting and drops what finds the ring full (counted); SIGINT, SIGTERM, {@code -c} and
 * {@code --duration} end it.
 */
final class LiveSource implements FrameSource
{
    private final LiveCapture live;
    private final StopRequest stop;
    private final RunCounters counters;
    private final PipelineFailures failures;

    LiveSource(final LiveCapture live, final StopRequest stop, final RunCounters counters, final PipelineFailures failures)
    {
        this.live = live;
        this.stop = stop;
        this.counters = counters;
        this.failures = failures;
        // A pipeline thread that dies ends the capture: nothing would take its frames.
        failures.onFatal(live::stop);
    }

    /** The device. */
    LiveCapture capture()
    {
        return live;
    }

    @Override
    public long feed(final RingBuffer<DecodedFrame> ring, final long claimed, final FrameStage<DecodedFrame> stage)
    {
        // SIGINT, SIGTERM (and a test's request) end the capture; a second signal exits at once.
        stop.onStop(live::stop);
        long next = live.capture(ring, claimed, stage);
        if (next < 0)
        {
            next = Pipeline.claim(ring, failures);
        }
        counters.frames += live.published();
        counters.wireBytes += live.wireBytes();
        counters.badInput |= live.failed();
        return next;
    }

    @Override
    public long frames()
    {
        return live.published();
    }

    @Override
    public long wireBytes()
    {
        return live.wireBytes();
    }

    @Override
    public long bytes()
    {
        return -1;
    }

    @Override
    public long position()
    {
        return counters.inputPosition;
    }

    @Override
    public String describe()
    {
        return "capture on " + live.device();
    }
}
