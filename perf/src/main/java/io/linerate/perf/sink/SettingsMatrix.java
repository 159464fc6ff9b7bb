package io.linerate.perf.sink;

import io.linerate.sink.kafka.KafkaOutput;
import io.linerate.sink.kafka.KafkaSinkCounters;
import io.linerate.sink.kafka.KafkaTarget;
import io.linerate.sink.kafka.KafkaTopic;
import io.linerate.sink.spill.RecordSpill;
import io.linerate.sink.spill.SpillRetention;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code SinkBenchmark --matrix}: compression, {@code batch.size} and {@code linger.ms} against a
 * real broker, for the producer alone and for linerate's Kafka output draining a full spill.
 */
final class SettingsMatrix
{
    static final List<String> COMPRESSIONS = List.of("none", "lz4", "zstd");
    static final List<Integer> BATCH_SIZES = List.of(16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024);
    static final List<Integer> LINGERS = List.of(0, 5, 20);

    private final String bootstrap;
    private final Path brokerLogs;
    private final Path work;
    private final List<String> lines;
    private final List<byte[][]> encoded;
    private final PrintStream out;
    private int topics;

    SettingsMatrix(final String bootstrap, final Path brokerLogs, final Path work, final List<String> lines,
        final PrintStream out)
    {
        this.bootstrap = bootstrap;
        this.brokerLogs = brokerLogs;
        this.work = work;
        this.lines = lines;
        this.encoded = SinkBenchmark.encode(lines);
        this.out = out;
    }

    private record Setting(String compression, int batchSize, int lingerMs)
    {
        Properties properties()
        {
            final Properties p = new Properties();
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchSize));
            p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
            return p;
        }

        @Override
        public String toString()
        {
            return String.format(Locale.ROOT, "%-4s %4d KiB %2d ms", compression, batchSize / 1024, lingerMs);
        }
    }

    void run(final int rounds, final List<String> compressions, final List<Integer> batchSizes,
        final List<Integer> lingers) throws Exception
    {
        final List<Setting> settings = new ArrayList<>();
        for (final String c : compressions)
        {
            for (final int b : batchSizes)
            {
                for (final int l : lingers)
                {
                    settings.add(new Setting(c, b, l));
                }
            }
        }
        long recordBytes = 0;
        for (final byte[][] r : encoded)
        {
            recordBytes += r[0].length + r[1].length;
        }
        out.printf(Locale.ROOT, "%,d records, %,d bytes of keys and values (%.0f bytes a record); %d settings x %d rounds%n",
            encoded.size(), recordBytes, (double)recordBytes / encoded.size(), settings.size(), rounds);

        // Warm-up, untimed: the JIT, the broker's first segments.
        direct(settings.get(0));
        spilled(settings.get(0));

        final double[][] direct = new double[settings.size()][rounds];
        final double[][] spilled = new double[settings.size()][rounds];
        final long[] stored = new long[settings.size()];
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < settings.size(); i++)
            {
                final Setting s = settings.get(i);
                final String topic = direct(s);
                direct[i][round] = lastRate;
                stored[i] = topicBytes(topic);
                spilled(s);
                spilled[i][round] = lastRate;
                out.printf(Locale.ROOT, "round %d  %s  producer %,9.0f/s  linerate output %,9.0f/s%s  stored %,d bytes%n",
                    round + 1, s, direct[i][round], spilled[i][round],
                    lastSendErrors > 0 ? " (" + lastSendErrors + " send errors)" : "", stored[i]);
            }
        }
        out.println();
        out.println("| compression | batch.size | linger.ms | producer alone, records/s (best / median) | " +
            "linerate's output from the spill, records/s (best / median) | broker bytes per record |");
        out.println("|---|---|---|---|---|---|");
        for (int i = 0; i < settings.size(); i++)
        {
            final Setting s = settings.get(i);
            out.printf(Locale.ROOT, "| %s | %d KiB | %d | %,.0f / %,.0f | %,.0f / %,.0f | %.0f |%n", s.compression(),
                s.batchSize() / 1024, s.lingerMs(), best(direct[i]), median(direct[i]), best(spilled[i]),
                median(spilled[i]), (double)stored[i] / encoded.size());
        }
    }

    private double lastRate;
    private long lastSendErrors;

    /** The producer alone; returns the topic it wrote. */
    private String direct(final Setting s)
    {
        final String topic = "matrix-direct-" + topics++;
        lastRate = SinkBenchmark.direct(bootstrap, topic, encoded, s.properties());
        return topic;
    }

    /**
     * linerate's Kafka output with {@code s} as its client properties, opened on a spill that holds
     * every record already: the time from opening to the last acknowledgement.
     */
    private void spilled(final Setting s) throws IOException
    {
        final Path spillDir = work.resolve("matrix-spill-" + topics);
        final String topic = "matrix-spill-" + topics++;
        try (RecordSpill spill = RecordSpill.open(spillDir))
        {
            final RecordSpill.Writer writer = spill.writer();
            for (final String line : lines)
            {
                writer.append(SinkBenchmark.communityId(line), line);
            }
        }
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final long start = System.nanoTime();
        final KafkaOutput output = KafkaOutput.open(new KafkaTarget(bootstrap, topic),
            KafkaTopic.CREATE_WITH_BROKER_DEFAULTS, "bench", spillDir, SpillRetention.UNLIMITED, s.properties(),
            Duration.ofMinutes(10), new PrintStream(log, true));
        output.close();
        final long elapsed = System.nanoTime() - start;
        final KafkaSinkCounters c = output.counters();
        // A send error (a broker stall) is retried and costs time: it stays in the figure, and is said.
        SinkBenchmark.check(c.acknowledged() == lines.size() && c.backlog() == 0,
            "the output did not send every record: " + log);
        lastSendErrors = c.sendErrors();
        lastRate = lines.size() / (elapsed / 1e9);
        delete(spillDir);
    }

    /** Bytes of the topic's log segments on the broker's disk. */
    private long topicBytes(final String topic) throws IOException
    {
        long bytes = 0;
        try (Stream<Path> dirs = Files.list(brokerLogs))
        {
            for (final Path dir : (Iterable<Path>)dirs::iterator)
            {
                if (dir.getFileName().toString().matches(java.util.regex.Pattern.quote(topic) + "-\\d+"))
                {
                    try (Stream<Path> files = Files.list(dir))
                    {
                        for (final Path f : (Iterable<Path>)files::iterator)
                        {
                            if (f.getFileName().toString().endsWith(".log"))
                            {
                                bytes += Files.size(f);
                            }
                        }
                    }
                }
            }
        }
        return bytes;
    }

    private static double best(final double[] rates)
    {
        return Arrays.stream(rates).max().orElse(0);
    }

    private static double median(final double[] rates)
    {
        final double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] :
            (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> walk = Files.walk(dir))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
