package io.linerate.ops.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The metrics a running linerate serves ({@link MetricsEndpoint}): named counters and gauges whose
 * values are read when scraped, written out in Prometheus' text exposition format (version 0.0.4).
 *
 * <p>Registering costs nothing on the hot path: a metric is a function that reads a value the
 * pipeline keeps anyway (a plain {@code long} written by one thread, an {@code AtomicLong}, a
 * {@code LongAdder}), called on the endpoint's thread at each scrape. Values read from another
 * thread's plain fields may be a little stale; a 64-bit JVM does not tear them.
 *
 * <p>To add metrics (a stage's own counters, a live capture's ring and kernel drops), register them
 * where that stage is wired, before or while the endpoint runs:
 * <pre>{@code
 * registry.counter("linerate_capture_kernel_drops_total", "Frames the kernel dropped before linerate saw them",
 *     capture::kernelDrops);
 * registry.counters("linerate_decode_anomalies_total", "Frames not analysed, by reason", "reason",
 *     samples -> samples.sample("truncated_tcp_header", decoder.truncatedTcp()));
 * }</pre>
 * Names follow Prometheus' conventions: {@code linerate_} first, {@code _total} last on counters,
 * units in the name ({@code _bytes}). A name is registered once.
 */
public final class MetricsRegistry
{
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final List<Family> families = new ArrayList<>();

    /** The kind of a metric, as the {@code # TYPE} line says it. */
    enum Type
    {
        COUNTER, GAUGE, HISTOGRAM
    }

    /**
     * A histogram as a scrape reads it: how many observations were at most each bound (cumulative, in
     * the order of the bounds), how many there were in all, and their sum.
     */
    public record HistogramSnapshot(long[] cumulative, long count, double sum)
    {
    }

    /** Receives the samples of a labelled family at a scrape. */
    @FunctionalInterface
    public interface Samples
    {
        /** One sample: the label's value and the metric's value. */
        void sample(String labelValue, long value);
    }

    /** Receives the samples of a labelled family whose values are not whole numbers (seconds). */
    @FunctionalInterface
    public interface DoubleSamples
    {
        void sample(String labelValue, double value);
    }

    /** Writes the samples of a labelled family of fractional values, each with its label value. */
    @FunctionalInterface
    public interface LabelledDoubles
    {
        void writeTo(DoubleSamples samples);
    }

    /** Writes the samples of a labelled family, each with its label value. */
    @FunctionalInterface
    public interface LabelledValues
    {
        void writeTo(Samples samples);
    }

    /**
     * A counter: a value that only grows while the process runs (frames read, records sent).
     *
     * @param name  e.g. {@code linerate_frames_read_total}
     * @param help  one line for {@code # HELP}
     * @param value read at each scrape
     */
    public MetricsRegistry counter(final String name, final String help, final LongSupplier value)
    {
        return add(new Family(name, help, Type.COUNTER, null, s -> s.sample(null, value.getAsLong())));
    }

    /** A gauge: a value that goes up and down (flows active, the backlog). */
    public MetricsRegistry gauge(final String name, final String help, final LongSupplier value)
    {
        return add(new Family(name, help, Type.GAUGE, null, s -> s.sample(null, value.getAsLong())));
    }

    /** A counter of a fractional quantity in its base unit (CPU seconds). */
    public MetricsRegistry doubleCounter(final String name, final String help, final java.util.function.DoubleSupplier value)
    {
        return add(Family.ofDoubles(name, help, Type.COUNTER, null, s -> s.sample(null, value.getAsDouble())));
    }

    /** A gauge of a fractional quantity in its base unit (the longest pause in seconds). */
    public MetricsRegistry doubleGauge(final String name, final String help, final java.util.function.DoubleSupplier value)
    {
        return add(Family.ofDoubles(name, help, Type.GAUGE, null, s -> s.sample(null, value.getAsDouble())));
    }

    /** A family of fractional counters told apart by one label (GC time by collector). */
    public MetricsRegistry doubleCounters(final String name, final String help, final String label,
        final LabelledDoubles values)
    {
        return add(Family.ofDoubles(name, help, Type.COUNTER, label, values));
    }

    /** A family of counters told apart by one label, e.g. anomalies by {@code reason}. */
    public MetricsRegistry counters(final String name, final String help, final String label, final LabelledValues values)
    {
        return add(new Family(name, help, Type.COUNTER, label, values));
    }

    /** A family of gauges told apart by one label. */
    public MetricsRegistry gauges(final String name, final String help, final String label, final LabelledValues values)
    {
        return add(new Family(name, help, Type.GAUGE, label, values));
    }

    /**
     * A histogram: observations counted in buckets of upper {@code bounds} (in the metric's unit,
     * ascending), written as Prometheus' {@code _bucket{le}}, {@code _sum} and {@code _count} series.
     *
     * @param name   e.g. {@code linerate_rtt_seconds}
     * @param values read at each scrape
     */
    public MetricsRegistry histogram(final String name, final String help, final double[] bounds,
        final java.util.function.Supplier<HistogramSnapshot> values)
    {
        final double[] les = bounds.clone();
        for (int i = 1; i < les.length; i++)
        {
            if (!(les[i] > les[i - 1]))
            {
                throw new IllegalArgumentException("a histogram's bounds ascend: " + name);
            }
        }
        return add(Family.ofHistogram(name, help, les, values));
    }

    /** The names registered, in order. */
    public synchronized List<String> names()
    {
        final List<String> names = new ArrayList<>();
        for (final Family f : families)
        {
            names.add(f.name);
        }
        return names;
    }

    /** Writes every metric's current value in the text exposition format, in the order registered. */
    public void writeTo(final StringBuilder out)
    {
        final List<Family> snapshot;
        synchronized (this)
        {
            snapshot = new ArrayList<>(families);
        }
        for (final Family f : snapshot)
        {
            out.append("# HELP ").append(f.name).append(' ');
            escape(out, f.help, false);
            out.append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.type.name().toLowerCase(Locale.ROOT)).append('\n');
            if (f.histogram != null)
            {
                writeHistogram(out, f);
            }
            else if (f.values != null)
            {
                f.values.writeTo((labelValue, value) -> sample(out, f, labelValue).append(value).append('\n'));
            }
            else
            {
                f.doubles.writeTo((labelValue, value) -> sample(out, f, labelValue).append(value).append('\n'));
            }
        }
    }

    /** A histogram's buckets (cumulative, then +Inf), sum and count, from one snapshot so they agree. */
    private static void writeHistogram(final StringBuilder out, final Family f)
    {
        final HistogramSnapshot h = f.histogram.get();
        long last = 0;
        for (int i = 0; i < f.bounds.length; i++)
        {
            // Read while the shards record: never let a bucket fall below the one before it.
            last = Math.max(last, h.cumulative()[i]);
            out.append(f.name).append("_bucket{le=\"").append(java.math.BigDecimal.valueOf(f.bounds[i]).toPlainString())
                .append("\"} ").append(last).append('\n');
        }
        final long count = Math.max(last, h.count());
        out.append(f.name).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
        out.append(f.name).append("_sum ").append(h.sum()).append('\n');
        out.append(f.name).append("_count ").append(count).append('\n');
    }

    /** The sample's name and labels, and the space before its value. */
    private static StringBuilder sample(final StringBuilder out, final Family f, final String labelValue)
    {
        out.append(f.name);
        if (f.label != null)
        {
            out.append('{').append(f.label).append("=\"");
            escape(out, labelValue, true);
            out.append("\"}");
        }
        return out.append(' ');
    }

    private synchronized MetricsRegistry add(final Family family)
    {
        for (final Family f : families)
        {
            if (f.name.equals(family.name))
            {
                throw new IllegalArgumentException("metric " + family.name + " is registered already");
            }
        }
        families.add(family);
        return this;
    }

    /** Help text escapes backslash and newline; label values also the double quote. */
    private static void escape(final StringBuilder out, final String s, final boolean quote)
    {
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '\\')
            {
                out.append("\\\\");
            }
            else if (c == '\n')
            {
                out.append("\\n");
            }
            else if (c == '"' && quote)
            {
                out.append("\\\"");
            }
            else
            {
                out.append(c);
            }
        }
    }

    private static final class Family
    {
        final String name;
        final String help;
        final Type type;
        final String label;
        final LabelledValues values;
        final LabelledDoubles doubles;
        final java.util.function.Supplier<HistogramSnapshot> histogram;
        final double[] bounds;

        Family(final String name, final String help, final Type type, final String label, final LabelledValues values)
        {
            this(name, help, type, label, values, null);
        }

        static Family ofHistogram(final String name, final String help, final double[] bounds,
            final java.util.function.Supplier<HistogramSnapshot> histogram)
        {
            return new Family(name, help, Type.HISTOGRAM, null, null, null, histogram, bounds);
        }

        static Family ofDoubles(final String name, final String help, final Type type, final String label,
            final LabelledDoubles doubles)
        {
            return new Family(name, help, type, label, null, doubles);
        }

        private Family(final String name, final String help, final Type type, final String label,
            final LabelledValues values, final LabelledDoubles doubles)
        {
            this(name, help, type, label, values, doubles, null, null);
        }

        private Family(final String name, final String help, final Type type, final String label,
            final LabelledValues values, final LabelledDoubles doubles,
            final java.util.function.Supplier<HistogramSnapshot> histogram, final double[] bounds)
        {
            if (!NAME.matcher(name).matches())
            {
                throw new IllegalArgumentException("not a Prometheus metric name: " + name);
            }
            if (label != null && (!LABEL.matcher(label).matches() || label.startsWith("__")))
            {
                throw new IllegalArgumentException("not a Prometheus label name: " + label);
            }
            if (type == Type.COUNTER && !name.endsWith("_total"))
            {
                throw new IllegalArgumentException("a counter's name ends with _total: " + name);
            }
            this.name = name;
            this.help = help;
            this.type = type;
            this.label = label;
            if (type == Type.HISTOGRAM && (name.endsWith("_total") || name.endsWith("_bucket") ||
                name.endsWith("_sum") || name.endsWith("_count")))
            {
                throw new IllegalArgumentException("a histogram's name has no suffix of its series: " + name);
            }
            this.values = values;
            this.doubles = doubles;
            this.histogram = histogram;
            this.bounds = bounds;
        }
    }
}
