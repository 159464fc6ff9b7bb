package io.linerate.ops.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Kafka broker in a process of its own, run with {@code ops/kafka/broker.sh} (the script users
 * run), and a consumer that reads back what linerate sent: what the Kafka tests share, whether the
 * broker's client listener is plaintext or SASL_SSL. The bounds are generous, not windows: a broker
 * and a consumer starting on a loaded 2-core machine can take tens of seconds.
 */
final class ScriptedBroker
{
    private static final Path SCRIPT = Path.of("kafka", "broker.sh");

    private ScriptedBroker()
    {
    }

    /** A port whose successor is free too (the broker's controller listens on port + 1). */
    static int freePortPair() throws IOException
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
            {
                final int candidate = a.getLocalPort();
                if (candidate < 65535)
                {
                    try (ServerSocket b = new ServerSocket(candidate + 1, 1, InetAddress.getLoopbackAddress()))
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

    /**
     * Runs {@code broker.sh command data port} with {@code environment} added to the script's, its
     * output into the test's; the script must finish, and with 0.
     */
    static void script(final String command, final Path data, final int port, final Map<String, String> environment)
        throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), command, data.toString(),
            Integer.toString(port)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        final Process p = builder.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "broker.sh " + command + " finished");
        assertEquals(0, p.exitValue(), "broker.sh " + command);
    }

    /**
     * A consumer with {@code client}'s settings (the bootstrap servers among them) assigned every
     * partition of {@code topic} and positioned at the beginning, so it reads all the topic holds.
     */
    static KafkaConsumer<byte[], byte[]> fromTheBeginning(final Properties client, final String topic)
    {
        final KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(client, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try
        {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(60)))
            {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return consumer;
        }
        catch (final RuntimeException ex)
        {
            consumer.close();
            throw ex;
        }
    }

    /**
     * Reads the topic from the beginning until {@code expected} records came (then one second more, so
     * that a duplicate shows in the caller's count), or 60 s passed.
     */
    static List<ConsumerRecord<byte[], byte[]>> consumeAll(final Properties client, final String topic, final int expected)
    {
        final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = fromTheBeginning(client, topic))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
}
