package io.linerate.ops.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import io.linerate.decode.DecodedFrame;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the pipeline running past a frame that a handler fails on (an exception), and says so
 * once. An Error (out of memory, a stack overflow) ends the handler's thread and the run: its
 * connections cannot be trusted any more; {@link #failIfFatal} then ends the threads that wait on it.
 */
final class PipelineFailures implements ExceptionHandler<DecodedFrame>
{
    private static final int EMERGENCY_RESERVE_BYTES = 4 << 20;

    private final PrintStream err;
    private final AtomicLong handlerFailures = new AtomicLong();
    /** Set once a pipeline thread has died (an Error: out of memory, a stack overflow): why, and which. */
    private volatile Error fatal;
    private volatile String fatalThread;
    private volatile long fatalFrame;
    /**
     * Heap kept back for the end of a run whose pipeline ran out of memory: let go when a thread dies,
     * so the line that says so and the closing of the outputs can still allocate.
     */
    @SuppressWarnings("unused")
    private volatile byte[] emergencyReserve = new byte[EMERGENCY_RESERVE_BYTES];
    /** Run when a thread dies (a live capture stops capturing); null for nothing. */
    private volatile Runnable onFatal;

    PipelineFailures(final PrintStream err)
    {
        this.err = err;
    }

    /** Runs {@code action} when a pipeline thread dies. */
    void onFatal(final Runnable action)
    {
        this.onFatal = action;
    }

    /** A pipeline thread has died. */
    boolean fatal()
    {
        return fatal != null;
    }

    /** Frames a handler failed on (and the run went on). */
    long handlerFailures()
    {
        return handlerFailures.get();
    }

    /** Throws {@link PipelineFailure} once a pipeline thread has died. */
    void failIfFatal()
    {
        if (fatal != null)
        {
            throw new PipelineFailure("pipeline thread " + fatalThread + " failed on frame " + fatalFrame + ": " + fatal);
        }
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final DecodedFrame slot)
    {
        if (ex instanceof Error)
        {
            // No allocation here: the heap may be what ran out. The reader makes the message.
            if (fatal == null)
            {
                emergencyReserve = null;
                fatalThread = Thread.currentThread().getName();
                fatalFrame = slot == null ? -1 : slot.frameNumber;
                fatal = (Error)ex;
            }
            final Runnable action = onFatal;
            if (action != null)
            {
                action.run();
            }
            throw (Error)ex;
        }
        if (handlerFailures.getAndIncrement() == 0)
        {
            err.println("linerate: internal error on frame " + (slot == null ? "?" : slot.frameNumber) + ": " + ex);
            ex.printStackTrace(err);
        }
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        err.println("linerate: pipeline failed to start: " + ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        err.println("linerate: pipeline failed to stop cleanly: " + ex);
    }

    /** A pipeline thread died: the run cannot go on. */
    static final class PipelineFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        PipelineFailure(final String message)
        {
            super(message, null, false, false);
        }
    }
}
