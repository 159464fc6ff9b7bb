package io.linerate.ops.kafka;

import io.linerate.ops.Json;
import io.linerate.ops.Main;
import io.linerate.sink.spill.RecordSpill;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
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
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
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
    /** Connections (TCP, UDP, ICMP) in the capture: each has exactly one final record. */
    private static final int CONNECTIONS = 7;
    /** Connections of the generated capture replayed while the broker is killed. */
    private static final int MANY_CONNECTIONS = 30_000;
    /** Records in the topic when the broker is killed. */
    private static final int KILL_AFTER = 3_000;
    /** Connections of the generated capture spilled by a process that is killed. */
    private static final int SOME_CONNECTIONS = 5_000;

    @TempDir
    static Path brokerData;
    static int port;

    @TempDir
    Path work;

    @BeforeAll
    static void startBroker() throws Exception
    {
        port = ScriptedBroker.freePortPair();
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
        assertTrue(err.toString().contains("acknowledged " + CONNECTIONS + ", backlog 0 (0 bytes)"), err.toString());
    }

    @Test
    void aMissingTopicIsCreatedWithThePartitionsAndReplicationFactorAsked() throws Exception
    {
        final String topic = "flows-created";
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, replay(topic, work.resolve("spill"), err, "--kafka-partitions", "5",
            "--kafka-replication-factor", "1"), err.toString());
        assertTrue(err.toString().contains("created the topic (5 partitions, replication factor 1)"), err.toString());
        try (Admin admin = admin())
        {
            final TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            assertEquals(5, d.partitions().size());
            d.partitions().forEach(p -> assertEquals(1, p.replicas().size()));
        }
        assertOneFinalRecordPerConnection(consumeAll(topic, CONNECTIONS));
        // A second run uses the topic as it is.
        final ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(0, replay(topic, work.resolve("spill"), again, "--kafka-partitions", "2"), again.toString());
        assertTrue(!again.toString().contains("created the topic"), again.toString());
        // The spill's committed position is its end now: the sender takes over a cursor made there.
        assertTrue(again.toString().contains("backlog 0 (0 bytes), send errors 0"), again.toString());
        assertEquals(2 * CONNECTIONS, consumeAll(topic, 2 * CONNECTIONS).size());
    }

    @Test
    void withoutTopicCreationAMissingTopicIsAnErrorAndTheRecordsWaitInTheSpill() throws Exception
    {
        final String topic = "flows-not-created";
        final Path spill = work.resolve("spill");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, replay(topic, spill, err, "--kafka-create-topic", "no", "--kafka-drain-timeout", "8"),
            err.toString());
        final String log = err.toString();
        assertTrue(log.contains("topic " + topic + " does not exist and --kafka-create-topic is no"), log);
        final Matcher counters = Pattern.compile("acknowledged 0, backlog " + CONNECTIONS +
            " \\((\\d+) bytes\\), send errors (\\d+)").matcher(log);
        assertTrue(counters.find(), log);
        assertTrue(Long.parseLong(counters.group(1)) > CONNECTIONS * 100, log);
        assertTrue(Long.parseLong(counters.group(2)) >= 1, "counted as a send error: " + log);
        try (Admin admin = admin())
        {
            assertTrue(!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic), "not created");
            // Once someone creates it, the next run sends the records that waited, then its own.
            admin.createTopics(List.of(new NewTopic(topic, 2, (short)1))).all().get(30, TimeUnit.SECONDS);
        }
        final ByteArrayOutputStream second = new ByteArrayOutputStream();
        assertEquals(0, replay(topic, spill, second, "--kafka-create-topic", "no"), second.toString());
        assertTrue(second.toString().contains(CONNECTIONS + " records left in the spill"), second.toString());
        assertTrue(second.toString().contains("by an earlier run (" + counters.group(1) + " bytes) are sent first"),
            second.toString());
        assertTrue(second.toString().contains("acknowledged " + 2 * CONNECTIONS + ", backlog 0 (0 bytes)"),
            second.toString());
        assertEquals(2 * CONNECTIONS, consumeAll(topic, 2 * CONNECTIONS).size());
    }

    private static Admin admin()
    {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port));
    }

    @Test
    void withTheBrokerDownAtStartRecordsArriveWhenItComesBack() throws Exception
    {
        final String topic = "flows-late";
        broker("stop");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        // A drain timeout far beyond the broker's restart, however slow the machine: the run ends as
        // soon as the backlog is delivered, and the 60 s default would race a loaded restart.
        final CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> replay(topic, work.resolve("spill"), err,
            "--kafka-drain-timeout", "600"));
        try
        {
            // Not a fixed 10 s: wait until linerate says it is waiting, then check it still runs.
            await("linerate to report the broker missing").atMost(Duration.ofMinutes(2))
                .until(() -> run.isDone() || err.toString().contains("records wait in the spill; retrying"));
            assertTrue(!run.isDone(), "linerate waits for the broker: " + err);
        }
        finally
        {
            broker("start");
        }
        assertEquals(0, run.get(4, TimeUnit.MINUTES), err.toString());
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

    @Test
    void aBrokerKilledMidRunLosesNoRecord() throws Exception
    {
        final String topic = "flows-broker-killed";
        final Path capture = work.resolve("many.pcap");
        ClosedConnectionsCapture.write(capture, MANY_CONNECTIONS);
        final Path jsonl = work.resolve("many.jsonl");
        final Path log = work.resolve("linerate.log");
        // Small producer batches, one request in flight: the export lasts seconds instead of a blink,
        // so the broker can be killed between the first acknowledged records and the last.
        final Path slowProducer = work.resolve("slow-producer.properties");
        Files.writeString(slowProducer, "batch.size=4096\nlinger.ms=0\nmax.in.flight.requests.per.connection=1\n");
        final Process linerate = startLinerate(log, "replay", capture.toString(),
            "--out", "kafka:127.0.0.1:" + port + "/" + topic, "--out", "jsonl:" + jsonl,
            "--spill", work.resolve("spill").toString(), "--sensor", "test", "--kafka-config", slowProducer.toString());
        final long inTopicAtKill;
        try
        {
            inTopicAtKill = waitForRecordsIn(topic, KILL_AFTER);
            killBroker();
            assertTrue(linerate.isAlive(), "linerate is still running when the broker dies");
            TimeUnit.SECONDS.sleep(3);
            broker("start");
            assertTrue(linerate.waitFor(120, TimeUnit.SECONDS), "linerate drains the backlog and exits");
            assertEquals(0, linerate.exitValue(), Files.readString(log));
        }
        finally
        {
            linerate.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        final Set<String> expected = recordIds(jsonl);
        assertEquals(MANY_CONNECTIONS, expected.size(), "one final record per connection");
        assertTrue(inTopicAtKill < expected.size(), "the broker died mid-run (" + inTopicAtKill + " in the topic)");
        final Map<String, Set<String>> arrived = consumeById(topic, expected);
        assertEquals(expected, arrived.keySet(), "every record_id arrives, and no other");
        arrived.forEach((id, values) -> assertEquals(1, values.size(), "duplicates of " + id + " are the same record"));
        System.out.println("broker killed with " + inTopicAtKill + " of " + expected.size() + " records in the topic; " +
            arrived.size() + " record_ids arrived; linerate said: " +
            Files.readString(log).strip());
    }

    @Test
    void recordsSpilledByAKilledProcessArriveWithTheNextRun() throws Exception
    {
        final String topic = "flows-linerate-killed";
        final Path capture = work.resolve("some.pcap");
        ClosedConnectionsCapture.write(capture, SOME_CONNECTIONS);
        final Path jsonl = work.resolve("some.jsonl");
        assertEquals(0, Main.run(List.of("replay", capture.toString(), "--out", "jsonl:" + jsonl, "--sensor", "test"),
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), false));
        final Set<String> expected = recordIds(jsonl);
        final Path spill = work.resolve("spill");
        final Path log = work.resolve("linerate.log");
        broker("stop");
        try
        {
            // Broker down: linerate spills everything, then waits for Kafka; it is SIGKILLed while it waits.
            final Process linerate = startLinerate(log, "replay", capture.toString(),
                "--out", "kafka:127.0.0.1:" + port + "/" + topic, "--spill", spill.toString(), "--sensor", "test",
                "--kafka-drain-timeout", "600");
            try
            {
                waitForSpilled(spill, expected.size(), linerate);
                assertTrue(linerate.isAlive(), Files.readString(log));
            }
            finally
            {
                linerate.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        finally
        {
            broker("start");
        }
        // The next run, on the sample capture with the same spill, sends the killed run's records first.
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Path sampleJsonl = work.resolve("sample.jsonl");
        assertEquals(0, replay(topic, spill, err, "--out", "jsonl:" + sampleJsonl), err.toString());
        assertTrue(err.toString().contains(expected.size() + " records left in the spill"), err.toString());
        final Set<String> all = new HashSet<>(expected);
        all.addAll(recordIds(sampleJsonl));
        assertEquals(expected.size() + CONNECTIONS, all.size());
        assertEquals(all, consumeById(topic, all).keySet(), "the killed run's spilled records, then the sample's");
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

    /** Reads the topic from the beginning, as {@link ScriptedBroker#consumeAll} does, over plaintext. */
    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(final String topic, final int expected)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        return ScriptedBroker.consumeAll(p, topic, expected);
    }

    /** Starts linerate ({@code io.linerate.ops.Main}) in a JVM of its own, output and errors in {@code log}. */
    private static Process startLinerate(final Path log, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Chronicle Queue's --add-opens/--add-exports and system properties, as this JVM has them.
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle"))
            {
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits (up to 60 s) until the topic holds at least {@code atLeast} records; returns how many it holds. */
    private static long waitForRecordsIn(final String topic, final long atLeast) throws InterruptedException
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() - deadline < 0)
            {
                final List<TopicPartition> partitions = new ArrayList<>();
                for (final PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(5)))
                {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
                final long n = partitions.isEmpty() ? 0 :
                    consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
                if (n >= atLeast)
                {
                    return n;
                }
                TimeUnit.MILLISECONDS.sleep(2);
            }
        }
        throw new AssertionError("no record in " + topic + " within 60 s");
    }

    /** Waits (up to 60 s) until the spill holds {@code expected} records, reading it beside the writer. */
    private static void waitForSpilled(final Path spill, final long expected, final Process writer) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long n = 0;
        while (System.nanoTime() - deadline < 0 && writer.isAlive())
        {
            if (Files.isDirectory(spill))
            {
                try (RecordSpill reader = RecordSpill.open(spill))
                {
                    n = reader.countUncommitted(reader.cursor("test-reader"));
                }
                if (n >= expected)
                {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("the spill holds " + n + " of " + expected + " records");
    }

    /** The {@code record_id} of every line of a JSON-lines output. */
    private static Set<String> recordIds(final Path jsonl) throws IOException
    {
        final Set<String> ids = new HashSet<>();
        for (final String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8))
        {
            ids.add((String)Json.object(line).get("record_id"));
        }
        return ids;
    }

    /**
     * Reads the topic from the beginning until every id of {@code expected} came (or 60 s passed, then
     * one more second for late duplicates); returns each record_id with the distinct values it came with.
     */
    private static Map<String, Set<String>> consumeById(final String topic, final Set<String> expected)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        final Map<String, Set<String>> byId = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = ScriptedBroker.fromTheBeginning(p, topic))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean last = false;
            while (true)
            {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(last ? 1_000 : 200)))
                {
                    final String value = new String(r.value(), StandardCharsets.UTF_8);
                    byId.computeIfAbsent((String)Json.object(value).get("record_id"), id -> new HashSet<>()).add(value);
                }
                if (last)
                {
                    return byId;
                }
                last = byId.keySet().containsAll(expected) || System.nanoTime() - deadline > 0;
            }
        }
    }

    /**
     * SIGKILLs the broker, as {@code broker.sh kill} does, without the script's start-up time: the
     * sender must lose it with records in flight.
     */
    private static void killBroker() throws IOException, InterruptedException
    {
        final long pid = Long.parseLong(Files.readString(brokerData.resolve("broker.pid")).trim());
        final ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().join();
        broker("kill");
    }

    private static void broker(final String command) throws IOException, InterruptedException
    {
        ScriptedBroker.script(command, brokerData, port, Map.of());
    }
}
