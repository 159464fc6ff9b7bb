package io.linerate.ops.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetricsRegistryTest
{
    @Test
    void writesTheTextExpositionFormatWithValuesReadAtEachScrape()
    {
        final AtomicLong frames = new AtomicLong(12);
        final long[] byReason = {3, 0};
        final MetricsRegistry registry = new MetricsRegistry()
            .counter("linerate_frames_read_total", "Frames read", frames::get)
            .gauge("linerate_flows_active", "Flows now", () -> -2)
            .counters("linerate_decode_anomalies_total", "Frames not analysed, by reason", "reason", samples ->
            {
                samples.sample("truncated_tcp_header", byReason[0]);
                samples.sample("bad_ip_version", byReason[1]);
            });
        assertEquals("""
            # HELP linerate_frames_read_total Frames read
            # TYPE linerate_frames_read_total counter
            linerate_frames_read_total 12
            # HELP linerate_flows_active Flows now
            # TYPE linerate_flows_active gauge
            linerate_flows_active -2
            # HELP linerate_decode_anomalies_total Frames not analysed, by reason
            # TYPE linerate_decode_anomalies_total counter
            linerate_decode_anomalies_total{reason="truncated_tcp_header"} 3
            linerate_decode_anomalies_total{reason="bad_ip_version"} 0
            """, text(registry));
        frames.set(13);
        byReason[1] = 7;
        final String again = text(registry);
        assertEquals(true, again.contains("\nlinerate_frames_read_total 13\n"), again);
        assertEquals(true, again.contains("\nlinerate_decode_anomalies_total{reason=\"bad_ip_version\"} 7\n"), again);
    }

    @Test
    void fractionalValuesAreWrittenAsFloats()
    {
        final MetricsRegistry registry = new MetricsRegistry()
            .doubleCounter("linerate_process_cpu_seconds_total", "CPU", () -> 1.25)
            .doubleGauge("linerate_jvm_gc_pause_seconds_max", "Longest", () -> 0.004)
            .doubleCounters("linerate_jvm_gc_collection_seconds_total", "GC time", "gc", s -> s.sample("G1 Young", 0.5));
        assertEquals("""
            # HELP linerate_process_cpu_seconds_total CPU
            # TYPE linerate_process_cpu_seconds_total counter
            linerate_process_cpu_seconds_total 1.25
            # HELP linerate_jvm_gc_pause_seconds_max Longest
            # TYPE linerate_jvm_gc_pause_seconds_max gauge
            linerate_jvm_gc_pause_seconds_max 0.004
            # HELP linerate_jvm_gc_collection_seconds_total GC time
            # TYPE linerate_jvm_gc_collection_seconds_total counter
            linerate_jvm_gc_collection_seconds_total{gc="G1 Young"} 0.5
            """, text(registry));
    }

    @Test
    void escapesHelpAndLabelValues()
    {
        final MetricsRegistry registry = new MetricsRegistry()
            .gauges("linerate_test", "a \\ b\nc \"d\"", "name", s -> s.sample("x\"y\\z\nw", 1));
        assertEquals("""
            # HELP linerate_test a \\\\ b\\nc "d"
            # TYPE linerate_test gauge
            linerate_test{name="x\\"y\\\\z\\nw"} 1
            """, text(registry));
    }

    @Test
    void refusesNamesPrometheusWouldNotTakeAndDuplicates()
    {
        final MetricsRegistry registry = new MetricsRegistry().counter("linerate_a_total", "a", () -> 1);
        assertThrows(IllegalArgumentException.class, () -> registry.counter("linerate_a_total", "again", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> registry.gauge("linerate-b", "dash", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> registry.gauge("9b", "digit first", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> registry.counter("linerate_c", "no _total", () -> 1));
        assertThrows(IllegalArgumentException.class,
            () -> registry.counters("linerate_d_total", "label", "__reserved", s -> { }));
        assertEquals(java.util.List.of("linerate_a_total"), registry.names());
    }

    private static String text(final MetricsRegistry registry)
    {
        final StringBuilder sb = new StringBuilder();
        registry.writeTo(sb);
        return sb.toString();
    }
}
