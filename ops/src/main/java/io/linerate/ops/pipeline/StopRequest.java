package io.linerate.ops.pipeline;

import sun.misc.Signal;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A request to end a run early, as the first SIGINT or SIGTERM makes it: the reader stops taking
 * frames, every connection read so far is flushed as {@code final}, and the outputs stop waiting
 * (records Kafka has not acknowledged stay in the spill for the next run). A second signal exits at
 * once, as tcpdump and tshark do.
 */
public final class StopRequest
{
    /** The exit code of a process that a second signal ended at once (128 + SIGINT, as a shell reports it). */
    public static final int EXIT_INTERRUPTED_TWICE = 130;

    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private volatile boolean requested;

    /** Whether a stop was requested. */
    public boolean requested()
    {
        return requested;
    }

    /** Requests the stop: runs every registered action once (on the caller's thread). */
    public void request()
    {
        if (requested)
        {
            return;
        }
        requested = true;
        for (final Runnable action : actions)
        {
            action.run();
        }
    }

    /** Runs {@code action} when a stop is requested (at once when it already was). */
    public void onStop(final Runnable action)
    {
        actions.add(action);
        if (requested)
        {
            action.run();
        }
    }

    /**
     * A stop request that SIGINT and SIGTERM make; the second of them halts the process at once with
     * {@link #EXIT_INTERRUPTED_TWICE}. For the process's own {@code main} only.
     */
    public static StopRequest onSignals(final PrintStream err)
    {
        final StopRequest stop = new StopRequest();
        final sun.misc.SignalHandler handler = signal ->
        {
            if (stop.requested())
            {
                err.println("linerate: SIG" + signal.getName() + " again: exiting now");
                err.flush();
                Runtime.getRuntime().halt(EXIT_INTERRUPTED_TWICE);
            }
            err.println("linerate: SIG" + signal.getName() + ": stopping (again to exit at once)");
            stop.request();
        };
        for (final String name : new String[] {"INT", "TERM"})
        {
            try
            {
                Signal.handle(new Signal(name), handler);
            }
            catch (final IllegalArgumentException ex)
            {
                // The signal is the JVM's or the OS's here (e.g. -Xrs): it keeps its default meaning.
            }
        }
        return stop;
    }
}
