package io.linerate.ingest.os;

import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Pins the calling thread to one CPU ({@code sched_setaffinity} on the thread, Linux), so the capture
 * thread keeps its core's caches and is not moved behind the pipeline's other threads.
 */
public final class CpuAffinity
{
    /** Bytes of the CPU mask passed to the kernel: room for 1024 CPUs, glibc's {@code cpu_set_t}. */
    private static final int MASK_BYTES = 128;

    private CpuAffinity()
    {
    }

    /**
     * Pins the calling thread to {@code cpu}.
     *
     * @throws IllegalArgumentException when the CPU does not exist or is not allowed to this process
     */
    public static void pinCurrentThread(final int cpu)
    {
        if (cpu < 0 || cpu >= MASK_BYTES * 8)
        {
            throw new IllegalArgumentException("no CPU " + cpu);
        }
        final LibC libc = LibC.get();
        final Pointer mask = Memory.allocateDirect(LibC.runtime(), MASK_BYTES, true);
        mask.putByte(cpu / 8, (byte)(1 << (cpu % 8)));
        if (libc.sched_setaffinity(0, MASK_BYTES, mask) != 0)
        {
            final int errno = LastError.getLastError(LibC.runtime());
            throw new IllegalArgumentException("cannot pin to CPU " + cpu + ": " + libc.strerror(errno));
        }
    }

    /** The CPUs the calling thread may run on. */
    public static java.util.BitSet currentThreadCpus()
    {
        final Pointer mask = Memory.allocateDirect(LibC.runtime(), MASK_BYTES, true);
        if (LibC.get().sched_getaffinity(0, MASK_BYTES, mask) != 0)
        {
            throw new IllegalStateException("sched_getaffinity failed");
        }
        final byte[] bytes = new byte[MASK_BYTES];
        mask.get(0, bytes, 0, MASK_BYTES);
        return java.util.BitSet.valueOf(bytes);
    }
}
