package io.linerate.ops.kafka;

import io.linerate.ops.Json;
import io.linerate.ops.Main;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --out kafka:} against a real Kafka 4.1.1 broker in its own process, started and stopped with
 * {@code ops/kafka/broker.sh} (the script users run), so an outage is a real one.
 */
@Tag("slow")
class KafkaExportTest
{
    private static final Path CAPTURE = Path.of("..", "samples", "loopback-http.pcap");
    private static final Path BROKER_SCRIPT = Path.of("kafka", "broker.sh");
    /** Connections (TCP, UDP, ICMP) in the capture: each has exactly one final record. */
    private static final int CONNECTIONS = 7;

    @TempDir
    static Path brokerData;
    static int port;

    @TempDir
    Path work;

    @BeforeAll
    static void startBroker() throws Exception
    {
        port = freePortPair();
        broker("start");
    }

    @AfterAll
    static void stopBroker() throws Exception
    {
        broker("stop");
    }

    @Test
    void withTheBrokerUpTheTopicHoldsOneFinalRecordPerConnection() throws Exception
    {
        final String topic = "flows-up";
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, replay(topic, work.resolve("spill"), err), err.toString());
        assertOneFinalRecordPerConnection(consumeAll(topic, CONNECTIONS));
        assertTrue(err.toString().contains("acknowledged " + CONNECTIONS + ", backlog 0"), err.toString());
    }

    @Test
    void withTheBrokerDownAtStartRecordsArriveWhenItComesBack() throws Exception
    {
        final String topic = "flows-late";
        broker("stop");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> replay(topic, work.resolve("spill"), err));
        try
        {
            TimeUnit.SECONDS.sleep(10);
            assertTrue(!run.isDone(), "linerate waits for the broker (drain timeout 60 s)");
        }
        finally
        {
            broker("start");
        }
        assertEquals(0, run.get(90, TimeUnit.SECONDS), err.toString());
        assertOneFinalRecordPerConnection(consumeAll(topic, CONNECTIONS));
        final String log = err.toString();
        assertTrue(log.contains("records wait in the spill; retrying"), log);
        assertTrue(log.contains("acknowledged " + CONNECTIONS + ", backlog 0"), log);
    }

    @Test
    void recordsLeftInTheSpillAreSentByTheNextRun() throws Exception
    {
        final String topic = "flows-resumed";
        final Path spill = work.resolve("spill");
        broker("stop");
        final ByteArrayOutputStream firstErr = new ByteArrayOutputStream();
        try
        {
            // Broker down and no time to wait: every record stays in the spill.
            assertEquals(0, replay(topic, spill, firstErr, "--kafka-drain-timeout", "0"), firstErr.toString());
            assertTrue(firstErr.toString().contains("backlog " + CONNECTIONS), firstErr.toString());
        }
        finally
        {
            broker("start");
        }
        // The next run with the same spill sends them first, then its own: each connection twice,
        // with the same record_id (how downstream drops the duplicate).
        final ByteArrayOutputStream secondErr = new ByteArrayOutputStream();
        assertEquals(0, replay(topic, spill, secondErr), secondErr.toString());
        assertTrue(secondErr.toString().contains(CONNECTIONS + " records left in the spill"), secondErr.toString());
        final List<ConsumerRecord<byte[], byte[]>> records = consumeAll(topic, 2 * CONNECTIONS);
        assertEquals(2 * CONNECTIONS, records.size());
        final Map<String, ConsumerRecord<byte[], byte[]>> byId = new java.util.LinkedHashMap<>();
        for (final ConsumerRecord<byte[], byte[]> r : records)
        {
            byId.putIfAbsent((String)Json.object(new String(r.value(), StandardCharsets.UTF_8)).get("record_id"), r);
        }
        assertEquals(CONNECTIONS, byId.size(), "duplicates carry the same record_id");
        assertOneFinalRecordPerConnection(new ArrayList<>(byId.values()));
    }

    private static int replay(final String topic, final Path spill, final ByteArrayOutputStream err,
        final String... extra)
    {
        final List<String> args = new ArrayList<>(List.of("replay", CAPTURE.toString(),
            "--out", "kafka:127.0.0.1:" + port + "/" + topic, "--spill", spill.toString(), "--sensor", "test"));
        args.addAll(List.of(extra));
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        return Main.run(args, new PrintStream(new ByteArrayOutputStream()), errStream, false);
    }

    private static void assertOneFinalRecordPerConnection(final List<ConsumerRecord<byte[], byte[]>> records)
    {
        assertEquals(CONNECTIONS, records.size());
        final Set<String> flows = new HashSet<>();
        for (final ConsumerRecord<byte[], byte[]> r : records)
        {
            final Map<String, Object> value = Json.object(new String(r.value(), StandardCharsets.UTF_8));
            assertEquals("final", value.get("record_type"));
            assertEquals(value.get("community_id"), new String(r.key(), StandardCharsets.UTF_8));
            assertEquals("linerate.flow/1", new String(r.headers().lastHeader("schema").value(), StandardCharsets.UTF_8));
            assertTrue(flows.add((String)value.get("flow_id")), "one final record per connection");
        }
    }

    /** Reads the topic from the beginning until {@code expected} records came, or 30 s passed (then a little longer). */
    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(final String topic, final int expected)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30)))
            {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline)
            {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected)
                {
                    // Anything more would be a duplicate: give it a moment to show.
                    consumer.poll(Duration.ofSeconds(1)).forEach(out::add);
                    break;
                }
            }
        }
        return out;
    }

    private static void broker(final String command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(BROKER_SCRIPT.toString(), command, brokerData.toString(),
            Integer.toString(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "broker.sh " + command + " finished");
        assertEquals(0, p.exitValue(), "broker.sh " + command);
    }

    /** A port whose successor is free too (the broker's controller listens on port + 1). */
    private static int freePortPair() throws IOException
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try (ServerSocket a = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
            {
                final int candidate = a.getLocalPort();
                if (candidate < 65535)
                {
                    try (ServerSocket b = new ServerSocket(candidate + 1, 1, java.net.InetAddress.getLoopbackAddress()))
                    {
                        return candidate;
                    }
                    catch (final IOException busy)
                    {
                        // try another
                    }
                }
            }
        }
        throw new IOException("no free pair of loopback ports");
    }
}
