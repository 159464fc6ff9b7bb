package io.linerate.ops.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The progress of a run on one terminal line of stderr, rewritten in place once a second: percent of
 * the files' bytes read, frames, packets/s and Gbit/s (over the last second; the last line over the
 * whole run), flows in the tables and the time left. Only for a terminal (a pipe or a file gets nothing); {@code --quiet} turns it off.
 * Its own daemon thread reads the pipeline's counters, as a metrics scrape does; nothing is added to
 * the packet path.
 */
public final class ProgressLine implements AutoCloseable
{
    /** What the line reads. {@code position} and {@code total} are bytes of the files; total -1 when unknown. */
    public record Counters(LongSupplier frames, LongSupplier wireBytes, LongSupplier position, LongSupplier total,
                           LongSupplier flows)
    {
    }

    private final PrintStream err;
    private final Counters counters;
    private final ScheduledExecutorService timer;
    private final long started = System.nanoTime();
    private long lastNanos = started;
    private long lastFrames;
    private long lastBytes;
    private boolean shown;

    private ProgressLine(final PrintStream err, final Counters counters)
    {
        this.err = err;
        this.counters = counters;
        this.timer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "linerate-progress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the line (drawn at once, then every second). */
    public static ProgressLine start(final PrintStream err, final Counters counters)
    {
        final ProgressLine p = new ProgressLine(err, counters);
        p.timer.scheduleAtFixedRate(p::draw, 0, 1, TimeUnit.SECONDS);
        return p;
    }

    private synchronized void draw()
    {
        final long now = System.nanoTime();
        final long frames = counters.frames().getAsLong();
        final long bytes = counters.wireBytes().getAsLong();
        final double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
        final double pps = now == lastNanos ? 0 : (frames - lastFrames) / seconds;
        final double gbps = now == lastNanos ? 0 : (bytes - lastBytes) * 8 / seconds / 1e9;
        lastNanos = now;
        lastFrames = frames;
        lastBytes = bytes;
        err.print("\r" + line(frames, pps, gbps, now) + "\033[K");
        err.flush();
        shown = true;
    }

    String line(final long frames, final double pps, final double gbps, final long now)
    {
        final StringBuilder sb = new StringBuilder("linerate: ");
        final long total = counters.total().getAsLong();
        final long position = Math.min(counters.position().getAsLong(), Math.max(total, 0));
        if (total > 0)
        {
            sb.append(String.format(Locale.ROOT, "%5.1f%%  ", 100.0 * position / total));
        }
        sb.append(String.format(Locale.ROOT, "%,d frames  %,.0f packets/s  %.2f Gbit/s  %,d flows", frames, pps, gbps,
            counters.flows().getAsLong()));
        final double elapsed = (now - started) / 1e9;
        if (total > 0 && position > 0 && position < total && elapsed > 0)
        {
            final long left = Math.round(elapsed * (total - position) / position);
            sb.append(String.format(Locale.ROOT, "  ETA %d:%02d", left / 60, left % 60));
        }
        return sb.toString();
    }

    /** Draws the line a last time (the totals) and ends it, so what follows starts on a line of its own. */
    @Override
    public void close()
    {
        timer.shutdownNow();
        try
        {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        synchronized (this)
        {
            // The last line gives the rates of the whole run.
            lastNanos = started;
            lastFrames = 0;
            lastBytes = 0;
        }
        draw();
        if (shown)
        {
            err.println();
        }
    }
}
