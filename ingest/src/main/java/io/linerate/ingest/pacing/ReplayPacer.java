package io.linerate.ingest.pacing;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Paces a replay for capacity tests ({@code --speed}): {@code original} releases each frame when its
 * time stamp says, relative to the first; {@code Nx} N times faster; {@code 10gbit} (or any
 * {@code Ngbit}, {@code Nmbit}) as frames follow each other on a wire of that rate, each frame taking
 * its length (at least the 64-byte Ethernet minimum) plus 20 bytes of preamble, start-of-frame
 * delimiter and inter-frame gap: 64-byte frames at 10 Gbit/s are 14.88 M a second.
 *
 * <p>It also measures whether the replay kept up: the lag of a frame is how long after its due time
 * it was released; a reader held back by a full ring (the pipeline slower than the pace) shows up as
 * lag. Belongs to the reader thread; allocates nothing per frame.
 */
public final class ReplayPacer
{
    /** Ethernet's per-frame overhead on the wire: 7 bytes preamble, 1 SFD, 12 inter-frame gap. */
    public static final int WIRE_OVERHEAD_BYTES = 20;
    /** The shortest Ethernet frame on the wire (with its FCS). */
    public static final int MIN_FRAME_BYTES = 64;
    /** A frame released later than this after its due time counts as late. */
    public static final long LATE_NANOS = 1_000_000L;

    private final String spec;
    /** Time-stamp mode: wall nanoseconds per capture nanosecond (1 / N); 0 in line-rate mode. */
    private final double scale;
    /** Line-rate mode: wall nanoseconds per bit on the wire; 0 in time-stamp mode. */
    private final double nanosPerBit;
    private final LongSupplier clock;
    private final LongConsumer sleep;
    private volatile boolean cancelled;
    /** The longest single sleep: a cancel waits at most this long to be seen. */
    private static final long MAX_SLEEP_NANOS = 100_000_000L;

    private boolean started;
    private long startWall;
    private long firstStamp;
    private double nextDue;
    private long frames;
    private long wireBits;
    private long lateFrames;
    private long maxLagNanos;
    private long lastRelease;

    private ReplayPacer(final String spec, final double scale, final double nanosPerBit, final LongSupplier clock,
        final LongConsumer sleep)
    {
        this.sleep = sleep;
        this.spec = spec;
        this.scale = scale;
        this.nanosPerBit = nanosPerBit;
        this.clock = clock;
    }

    /**
     * The pacer for a {@code --speed} value, or null for {@code max} (no pacing).
     *
     * @throws IllegalArgumentException when the value is none of max, original, Nx, Ngbit, Nmbit
     */
    public static ReplayPacer of(final String spec)
    {
        return of(spec, System::nanoTime, LockSupport::parkNanos);
    }

    /**
     * As {@link #of(String)}, on the given clock (nanoseconds, monotonic) and with the given way to
     * sleep for a number of nanoseconds (long gaps sleep, the last stretch spins on the clock).
     */
    public static ReplayPacer of(final String spec, final LongSupplier clock, final LongConsumer sleep)
    {
        final String s = spec.toLowerCase(Locale.ROOT);
        if (s.equals("max"))
        {
            return null;
        }
        if (s.equals("original"))
        {
            return new ReplayPacer(spec, 1.0, 0, clock, sleep);
        }
        try
        {
            if (s.endsWith("x"))
            {
                final double factor = positive(Double.parseDouble(s.substring(0, s.length() - 1)));
                return new ReplayPacer(spec, 1.0 / factor, 0, clock, sleep);
            }
            if (s.endsWith("gbit"))
            {
                final double gbits = positive(Double.parseDouble(s.substring(0, s.length() - 4)));
                return new ReplayPacer(spec, 0, 1.0 / gbits, clock, sleep);
            }
            if (s.endsWith("mbit"))
            {
                final double mbits = positive(Double.parseDouble(s.substring(0, s.length() - 4)));
                return new ReplayPacer(spec, 0, 1000.0 / mbits, clock, sleep);
            }
        }
        catch (final NumberFormatException ex)
        {
            // Reported below with the accepted forms.
        }
        throw new IllegalArgumentException("--speed takes max, original, Nx (e.g. 10x), Ngbit or Nmbit (e.g. 10gbit), not " + spec);
    }

    /**
     * Waits until the frame is due, then counts it.
     *
     * @param timestampNanos the frame's capture time
     * @param wireLength     the frame's length on the wire (without preamble and gap)
     */
    public void await(final long timestampNanos, final int wireLength)
    {
        final long bits = (long)(Math.max(wireLength, MIN_FRAME_BYTES) + WIRE_OVERHEAD_BYTES) * 8;
        if (!started)
        {
            started = true;
            startWall = clock.getAsLong();
            firstStamp = timestampNanos;
            nextDue = 0;
        }
        final long due;
        if (nanosPerBit > 0)
        {
            // The frame starts on the wire when the previous ones have finished.
            due = startWall + (long)nextDue;
            nextDue += bits * nanosPerBit;
        }
        else
        {
            due = startWall + (long)((timestampNanos - firstStamp) * scale);
        }
        long now = clock.getAsLong();
        while (now < due && !cancelled)
        {
            final long wait = due - now;
            if (wait > 2_000_000L)
            {
                // Long gaps sleep (a tenth of a second at a time, so a cancel is seen); the last
                // stretch spins, as parkNanos overshoots by ~50 µs.
                sleep.accept(Math.min(wait - 1_000_000L, MAX_SLEEP_NANOS));
            }
            else
            {
                Thread.onSpinWait();
            }
            now = clock.getAsLong();
        }
        final long lag = now - due;
        if (lag > maxLagNanos)
        {
            maxLagNanos = lag;
        }
        if (lag > LATE_NANOS)
        {
            lateFrames++;
        }
        frames++;
        wireBits += bits;
        lastRelease = now;
    }

    /** Stops waiting, from any thread: every frame from now on is due at once (the run is ending). */
    public void cancel()
    {
        cancelled = true;
    }

    /** Frames released more than {@link #LATE_NANOS} after their due time. */
    public long lateFrames()
    {
        return lateFrames;
    }

    public long maxLagNanos()
    {
        return maxLagNanos;
    }

    public long frames()
    {
        return frames;
    }

    /** Bits on the wire of the released frames, preamble and gap included. */
    public long wireBits()
    {
        return wireBits;
    }

    /** Wall time from the first frame's release to the last's. */
    public long elapsedNanos()
    {
        return started ? lastRelease - startWall : 0;
    }

    /** True when no frame was late: the reader and the pipeline behind it kept the pace. */
    public boolean keptUp()
    {
        return lateFrames == 0;
    }

    /** One line: the pace asked for, the rate achieved, and whether the replay kept up. */
    public String report()
    {
        final double seconds = elapsedNanos() / 1e9;
        final double pps = seconds > 0 ? frames / seconds : 0;
        final double gbps = seconds > 0 ? wireBits / seconds / 1e9 : 0;
        final String target = nanosPerBit > 0 ? String.format(Locale.ROOT, " (target %.3f Gbit/s)", 1.0 / nanosPerBit) : "";
        final String verdict = keptUp()
            ? String.format(Locale.ROOT, "kept up (max lag %.3f ms)", maxLagNanos / 1e6)
            : String.format(Locale.ROOT, "fell behind: %,d of %,d frames more than 1 ms late, max lag %.3f ms",
                lateFrames, frames, maxLagNanos / 1e6);
        return String.format(Locale.ROOT, "speed %s: %,d frames in %.3f s, %,.0f frames/s, %.3f Gbit/s on the wire%s; %s",
            spec, frames, seconds, pps, gbps, target, verdict);
    }

    private static double positive(final double v)
    {
        if (!(v > 0) || Double.isInfinite(v))
        {
            throw new NumberFormatException();
        }
        return v;
    }
}
