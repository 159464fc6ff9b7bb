package io.linerate.perf.sink;

import io.linerate.perf.generate.TrafficGenerator;
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
 * io.linerate.perf.sink.SinkBenchmark [CONNECTIONS]}. It prints numbers and never fails a build.
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
        final int connections = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        final PrintStream out = System.out;
        final Path work = Files.createTempDirectory("linerate-sink-bench");
        final Path capture = work.resolve("tcp.pcap");
        final Path records = work.resolve("records.jsonl");
        final Path brokerDir = work.resolve("kafka");
        final int port = 29092;
        final String bootstrap = "127.0.0.1:" + port;

        check(TrafficGenerator.run(List.of("tcp", "--out", capture.toString(), "--connections",
            Integer.toString(connections), "--rate", "50000"), out, System.err) == 0, "generator failed");
        run(linerate("replay", capture.toString(), "--out", "jsonl:" + records, "--sensor", "bench"));
        final List<String> lines = Files.readAllLines(records);
        out.printf(Locale.ROOT, "records: %,d (%,d connections generated)%n", lines.size(), connections);

        run(List.of("ops/kafka/broker.sh", "start", brokerDir.toString(), Integer.toString(port)));
        try
        {
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

    /** Produces every line once with linerate's producer settings; returns records per second. */
    static double direct(final String bootstrap, final String topic, final List<String> lines)
    {
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        final List<byte[][]> encoded = new ArrayList<>(lines.size());
        for (final String line : lines)
        {
            final Matcher m = COMMUNITY_ID.matcher(line);
            encoded.add(new byte[][] {m.find() ? m.group(1).getBytes(StandardCharsets.UTF_8) : null,
                line.getBytes(StandardCharsets.UTF_8)});
        }
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

    private static void check(final boolean ok, final String what)
    {
        if (!ok)
        {
            throw new IllegalStateException(what);
        }
    }
}
