package io.linerate.ingest.pacing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pacing by time stamps and by wire rate, on a settable clock and on the real one. */
class ReplayPacerTest
{
    /**
     * A clock that moves 1 ns a look and by the whole sleep when the pacer sleeps, so waits end
     * without real time passing.
     */
    private static final class SteppingClock implements java.util.function.LongSupplier, java.util.function.LongConsumer
    {
        long now = 1_000_000_000L;

        @Override
        public long getAsLong()
        {
            return now += 1;
        }

        @Override
        public void accept(final long nanos)
        {
            now += nanos;
        }
    }

    private static ReplayPacer pacer(final String spec, final SteppingClock clock)
    {
        return ReplayPacer.of(spec, clock, clock);
    }

    @Test
    void maxMeansNoPacingAndNonsenseIsRefused()
    {
        assertNull(ReplayPacer.of("max"));
        for (final String bad : new String[] {"fast", "0x", "-2x", "x", "gbit", "0gbit", "10kbit", "NaNx"})
        {
            assertThrows(IllegalArgumentException.class, () -> ReplayPacer.of(bad), bad);
        }
    }

    @Test
    void tenGbitReleases64ByteFramesAt1488MillionASecond()
    {
        final SteppingClock clock = new SteppingClock();
        final ReplayPacer pacer = pacer("10gbit", clock);
        final long start = clock.now;
        for (int i = 0; i < 10_000; i++)
        {
            pacer.await(0, 60);
        }
        // 10,000 frames of 84 bytes on the wire at 0.8 ns a byte: the last starts at 9,999 * 67.2 ns.
        final long lastDue = start + 1 + (long)(9_999 * 67.2);
        assertTrue(clock.now >= lastDue && clock.now < lastDue + 3_000, clock.now - lastDue + " ns off");
        assertEquals(10_000L * 84 * 8, pacer.wireBits());
    }

    @Test
    void originalFollowsTheTimeStampsAndNxDividesThem()
    {
        final SteppingClock clock = new SteppingClock();
        final ReplayPacer original = pacer("original", clock);
        final long start = clock.now;
        original.await(5_000_000_000L, 100);
        original.await(5_250_000_000L, 100);
        assertTrue(clock.now >= start + 250_000_000L && clock.now < start + 250_010_000L, Long.toString(clock.now - start));

        final SteppingClock clock4 = new SteppingClock();
        final ReplayPacer four = pacer("4x", clock4);
        final long start4 = clock4.now;
        four.await(5_000_000_000L, 100);
        four.await(5_400_000_000L, 100);
        assertTrue(clock4.now >= start4 + 100_000_000L && clock4.now < start4 + 100_010_000L, Long.toString(clock4.now - start4));
        assertTrue(four.keptUp());
    }

    @Test
    void aReaderHeldBackIsLateAndSaysSo()
    {
        final SteppingClock clock = new SteppingClock();
        final ReplayPacer pacer = pacer("1gbit", clock);
        pacer.await(0, 1500);
        clock.now += 5_000_000; // the reader waited 5 ms for a full ring
        pacer.await(0, 1500);
        assertFalse(pacer.keptUp());
        assertEquals(1, pacer.lateFrames());
        assertTrue(pacer.report().contains("fell behind: 1 of 2 frames"), pacer.report());
    }

    @Test
    void onTheRealClockAPacedReplayTakesItsTime()
    {
        final ReplayPacer pacer = ReplayPacer.of("100mbit");
        final long start = System.nanoTime();
        // 1,000 frames of 1,230 + 20 bytes = 10,000 bits: 100 µs each at 100 Mbit/s.
        for (int i = 0; i < 1_000; i++)
        {
            pacer.await(0, 1230);
        }
        final long took = System.nanoTime() - start;
        // At least the pace; the upper bound only catches a pacer that sleeps per frame instead of to
        // each frame's due time (1,000 oversleeps of the timer's slack), with room for a busy machine.
        assertTrue(took >= 99_900_000L && took < 5_000_000_000L, took / 1_000_000 + " ms");
        assertTrue(pacer.report().startsWith("speed 100mbit: 1,000 frames in "), pacer.report());
    }
}
