package io.linerate.ingest.os;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pinning takes effect on the calling thread only, as the kernel reports it back. */
class CpuAffinityTest
{
    @Test
    void aThreadPinnedToACpuRunsOnlyThere() throws Exception
    {
        final BitSet before = CpuAffinity.currentThreadCpus();
        final int cpu = before.previousSetBit(before.length());
        final ExecutorService pinned = Executors.newSingleThreadExecutor();
        try
        {
            final BitSet after = pinned.submit(() ->
            {
                CpuAffinity.pinCurrentThread(cpu);
                return CpuAffinity.currentThreadCpus();
            }).get(10, TimeUnit.SECONDS);
            final BitSet expected = new BitSet();
            expected.set(cpu);
            assertEquals(expected, after);
        }
        finally
        {
            pinned.shutdown();
        }
        assertEquals(before, CpuAffinity.currentThreadCpus(), "other threads keep their CPUs");
    }

    @Test
    void aCpuThatDoesNotExistIsRefused()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CpuAffinity.pinCurrentThread(1000));
        assertTrue(ex.getMessage().contains("1000"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuAffinity.pinCurrentThread(-1));
    }
}
