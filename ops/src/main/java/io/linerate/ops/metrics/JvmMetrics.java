package io.linerate.ops.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The JVM's own metrics, read from its management beans at each scrape: heap and non-heap memory,
 * memory pools, garbage collections and their time by collector, the longest GC pause (pauses stop
 * the pipeline's threads, and a line-rate sensor drops while they last), threads, the process's CPU
 * time and open files.
 */
public final class JvmMetrics
{
    private JvmMetrics()
    {
    }

    /** Adds the JVM's metrics to {@code registry}. */
    public static void register(final MetricsRegistry registry)
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Pauses.install();
        registry
            .gauges("linerate_jvm_memory_used_bytes", "JVM memory in use, heap and nonheap", "area",
                s -> area(s, memory, MemoryUsage::getUsed))
            .gauges("linerate_jvm_memory_committed_bytes", "JVM memory committed by the operating system", "area",
                s -> area(s, memory, MemoryUsage::getCommitted))
            .gauges("linerate_jvm_memory_max_bytes", "Most JVM memory that can be used (-1: no limit)", "area",
                s -> area(s, memory, MemoryUsage::getMax))
            .gauges("linerate_jvm_memory_pool_used_bytes", "JVM memory in use, by pool", "pool", s ->
            {
                for (final MemoryPoolMXBean p : pools)
                {
                    s.sample(p.getName(), p.getUsage().getUsed());
                }
            })
            .counters("linerate_jvm_gc_collections_total", "Garbage collections, by collector", "gc", s ->
            {
                for (final GarbageCollectorMXBean gc : collectors)
                {
                    s.sample(gc.getName(), Math.max(0, gc.getCollectionCount()));
                }
            })
            .doubleCounters("linerate_jvm_gc_collection_seconds_total",
                "Time spent in garbage collections, by collector (the JVM's accumulated time)", "gc", s ->
                {
                    for (final GarbageCollectorMXBean gc : collectors)
                    {
                        s.sample(gc.getName(), Math.max(0, gc.getCollectionTime()) / 1e3);
                    }
                })
            .doubleGauge("linerate_jvm_gc_pause_seconds_max", "The longest stop-the-world GC pause since the start",
                () -> Pauses.LONGEST_MILLIS.get() / 1e3)
            .counter("linerate_jvm_gc_pauses_total", "Stop-the-world GC pauses since the start", Pauses.COUNT::get)
            .gauge("linerate_jvm_threads_live", "Live JVM threads", () -> ManagementFactory.getThreadMXBean().getThreadCount())
            .doubleCounter("linerate_process_cpu_seconds_total", "CPU time of the process, user and system",
                () -> os instanceof com.sun.management.OperatingSystemMXBean ?
                    ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() / 1e9 : 0)
            .gauge("linerate_process_open_fds", "Open file descriptors of the process",
                () -> os instanceof com.sun.management.UnixOperatingSystemMXBean ?
                    ((com.sun.management.UnixOperatingSystemMXBean)os).getOpenFileDescriptorCount() : 0)
            .gauge("linerate_process_start_time_seconds", "Start of the process, seconds since the epoch",
                () -> ManagementFactory.getRuntimeMXBean().getStartTime() / 1000);
    }

    private static void area(final MetricsRegistry.Samples s, final MemoryMXBean memory,
        final ToLongFunction<MemoryUsage> value)
    {
        s.sample("heap", value.applyAsLong(memory.getHeapMemoryUsage()));
        s.sample("nonheap", value.applyAsLong(memory.getNonHeapMemoryUsage()));
    }

    /** Every GC notification of the JVM, once per process: the pauses' count and the longest. */
    private static final class Pauses
    {
        static final AtomicLong LONGEST_MILLIS = new AtomicLong();
        static final AtomicLong COUNT = new AtomicLong();
        private static boolean installed;

        static synchronized void install()
        {
            if (installed)
            {
                return;
            }
            installed = true;
            for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
            {
                if (!(gc instanceof NotificationEmitter))
                {
                    continue;
                }
                ((NotificationEmitter)gc).addNotificationListener((notification, handback) ->
                {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
                    {
                        return;
                    }
                    final GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
                    // Concurrent cycles (G1's, ZGC's, Shenandoah's) run beside the application: not pauses.
                    if (info.getGcName().contains("Concurrent") || info.getGcName().contains("Cycles"))
                    {
                        return;
                    }
                    COUNT.incrementAndGet();
                    LONGEST_MILLIS.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
                }, null, null);
            }
        }
    }
}
