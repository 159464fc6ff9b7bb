package io.linerate.perf.sink;

import io.linerate.perf.generate.TrafficGenerator;
import io.linerate.sink.kafka.KafkaOutput;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka sink alone, in records per second into a real local broker ({@code ops/kafka/broker.sh},
 * Kafka 4.1.1 KRaft on loopback):
 * <ul>
 * <li><b>without the spill</b>: the records of a replay, already encoded, produced straight to Kafka
 *     by one producer with linerate's settings (idempotent, acks=all, lz4, 256 KiB batches);</li>
 * <li><b>with the spill</b>: {@code linerate replay --out kafka:...}, every record appended to the
 *     Chronicle Queue spill and sent by the sender thread, timed to the end of the drain, next to the
 *     same replay with {@code --out jsonl:/dev/null} (the replay's own share of that time).</li>
 * </ul>
 * Run from the repository root: {@code java -cp perf/target/linerate-perf.jar
 * io.linerate.perf.sink.SinkBenchmark [CONNECTIONS] [--port PORT] [--matrix [--rounds N]]}. It prints
 * numbers and never fails a build.
 *
 * <p>{@code --matrix} measures the producer settings that linerate's defaults are chosen from:
 * every combination of compression (none, lz4, zstd), {@code batch.size} and {@code linger.ms}, each
 * (a) produced straight by one producer and (b) sent by linerate's Kafka output from a spill that
 * already holds every record (the sender alone: read, send, wait for the acknowledgements, commit),
 * plus the bytes the broker stored for the topic (what compression saved). The combinations run
 * round-robin {@code --rounds} times (default 3), so a noisy moment spreads over all of them; the
 * table has the best and the median of each. {@code --compressions lz4,zstd}, {@code --batch-sizes
 * 262144,1048576} and {@code --lingers 0,5} narrow the matrix to the candidates.
 */
public final class SinkBenchmark
{
    private static final Pattern COMMUNITY_ID = Pattern.compile("\"community_id\":\"([^\"]+)\"");

    private SinkBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try
        {
            measure(args);
        }
        finally
        {
            System.out.flush();
        }
    }

    private static void measure(final String[] args) throws Exception
    {
        int connections = 50_000;
        int port = 29092;
        boolean matrix = false;
        int rounds = 3;
        List<String> compressions = SettingsMatrix.COMPRESSIONS;
        List<Integer> batchSizes = SettingsMatrix.BATCH_SIZES;
        List<Integer> lingers = SettingsMatrix.LINGERS;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--port": port = Integer.parseInt(args[++i]); break;
                case "--matrix": matrix = true; break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--compressions": compressions = List.of(args[++i].split(",")); break;
                case "--batch-sizes": batchSizes = numbers(args[++i]); break;
                case "--lingers": lingers = numbers(args[++i]); break;
                case "--help":
                    System.out.println("usage: SinkBenchmark [CONNECTIONS] [--port PORT] [--matrix [--rounds N] "
                        + "[--compressions C,...] [--batch-sizes BYTES,...] [--lingers MS,...]]");
                    return;
                default: connections = Integer.parseInt(args[i]);
            }
        }
        final PrintStream out = System.out;
        final Path work = Files.createTempDirectory("linerate-sink-bench");
        final Path capture = work.resolve("tcp.pcap");
        final Path records = work.resolve("records.jsonl");
        final Path brokerDir = work.resolve("kafka");
        final String bootstrap = "127.0.0.1:" + port;

        check(TrafficGenerator.run(List.of("tcp", "--out", capture.toString(), "--connections",
            Integer.toString(connections), "--rate", "50000"), out, System.err) == 0, "generator failed");
        run(linerate("replay", capture.toString(), "--out", "jsonl:" + records, "--sensor", "bench"));
        final List<String> lines = Files.readAllLines(records);
        out.printf(Locale.ROOT, "records: %,d (%,d connections generated)%n", lines.size(), connections);

        run(List.of("ops/kafka/broker.sh", "start", brokerDir.toString(), Integer.toString(port)));
        try
        {
            if (matrix)
            {
                new SettingsMatrix(bootstrap, brokerDir.resolve("kraft-logs"), work, lines, out)
                    .run(rounds, compressions, batchSizes, lingers);
                return;
            }
            final double direct = direct(bootstrap, "bench-direct", lines);
            out.printf(Locale.ROOT, "without spill (one producer):        %,12.0f records/s%n", direct);

            final long replayOnly = timed(linerate("replay", capture.toString(), "--out",
                "jsonl:/dev/null", "--sensor", "bench"));
            final long spilled = timed(linerate("replay", capture.toString(), "--out",
                "kafka:" + bootstrap + "/bench-spill", "--spill", work.resolve("spill").toString(), "--sensor", "bench"));
            out.printf(Locale.ROOT, "with spill (replay + spill + send):   %,12.0f records/s  (%.2f s; the replay alone to "
                + "/dev/null: %.2f s)%n", lines.size() / (spilled / 1e9), spilled / 1e9, replayOnly / 1e9);
        }
        finally
        {
            run(List.of("ops/kafka/broker.sh", "stop", brokerDir.toString()));
            try (java.util.stream.Stream<Path> walk = Files.walk(work))
            {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static List<Integer> numbers(final String csv)
    {
        final List<Integer> n = new ArrayList<>();
        for (final String s : csv.split(","))
        {
            n.add(Integer.parseInt(s));
        }
        return n;
    }

    /** Produces every line once with linerate's producer settings; returns records per second. */
    static double direct(final String bootstrap, final String topic, final List<String> lines)
    {
        return direct(bootstrap, topic, encode(lines), KafkaOutput.tunedProducerSettings());
    }

    /** Each line as {key = its community_id, value = the line}, in UTF-8. */
    static List<byte[][]> encode(final List<String> lines)
    {
        final List<byte[][]> encoded = new ArrayList<>(lines.size());
        for (final String line : lines)
        {
            encoded.add(new byte[][] {communityId(line).getBytes(StandardCharsets.UTF_8),
                line.getBytes(StandardCharsets.UTF_8)});
        }
        return encoded;
    }

    static String communityId(final String line)
    {
        final Matcher m = COMMUNITY_ID.matcher(line);
        check(m.find(), "a record without community_id");
        return m.group(1);
    }

    /**
     * Produces every record once with the idempotent producer ({@code acks=all}) and {@code settings}
     * (compression, batching) on top; returns records per second.
     */
    static double direct(final String bootstrap, final String topic, final List<byte[][]> encoded,
        final Properties settings)
    {
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putAll(settings);
        // The benchmark broker does not create topics on first use (neither does a production one).
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all().get(60, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot create topic " + topic, ex);
        }
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            producer.send(new ProducerRecord<>(topic, encoded.get(0)[0], encoded.get(0)[1])); // topic, metadata
            producer.flush();
            final long start = System.nanoTime();
            for (final byte[][] r : encoded)
            {
                producer.send(new ProducerRecord<>(topic, r[0], r[1]));
            }
            producer.flush();
            return encoded.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** The shaded jar as the launcher runs it (its manifest opens what Chronicle needs). */
    private static List<String> linerate(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("java", "-Xmx2g", "-Dchronicle.analytics.disable=true",
            "-jar", "ops/target/linerate.jar"));
        command.addAll(List.of(args));
        return command;
    }

    private static long timed(final List<String> command) throws IOException, InterruptedException
    {
        final long start = System.nanoTime();
        run(command);
        return System.nanoTime() - start;
    }

    private static void run(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        check(p.waitFor(30, TimeUnit.MINUTES) && p.exitValue() == 0, String.join(" ", command) + " failed");
    }

    static void check(final boolean ok, final String what)
    {
        if (!ok)
        {
            throw new IllegalStateException(what);
        }
    }
}
