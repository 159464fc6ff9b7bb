package io.linerate.sink.kafka;

import io.linerate.sink.record.FlowRecordEncoder;
import io.linerate.sink.spill.RecordSpill;
import io.linerate.sink.spill.SpillCursor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kafka sender thread: tails the spill and produces its records to Kafka, at least once.
 *
 * <p>It reads a batch from the {@link SpillCursor}, sends it with the idempotent producer, waits for
 * every acknowledgement, and only then commits the cursor. Any failure (broker down, a timeout, a
 * refused record) rewinds the cursor and sends the batch again after a backoff (100 ms doubling to
 * 5 s) with a new producer, so a record is never given up; a re-sent record has the same
 * {@code record_id}, which is how downstream drops duplicates. Before the first send the topic is
 * created if missing, or, when that is not allowed ({@link KafkaTopic}), checked: a missing topic is
 * a failure like the others (reported once, counted, retried), so the records wait in the spill.
 */
final class SpillSender implements Runnable
{
    static final byte[] SCHEMA_HEADER = FlowRecordEncoder.SCHEMA.getBytes(StandardCharsets.UTF_8);

    private static final int MAX_BATCH_RECORDS = 5_000;
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final long IDLE_MS = 5;
    private static final int DELIVERY_TIMEOUT_MS = 30_000;
    private static final int ADMIN_TIMEOUT_MS = 6_000;
    /** How often the spill's retention runs (it lists the directory). */
    private static final long RETENTION_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final KafkaTarget target;
    private final KafkaTopic topic;
    private final Properties clientProperties;
    private final RecordSpill spill;
    private final SpillCursor cursor;
    private final KafkaSinkCounters counters;
    private final PrintStream err;

    private volatile boolean inputClosed;
    private volatile boolean stopping;
    private volatile boolean drained;

    private KafkaProducer<byte[], byte[]> producer;
    private boolean topicReady;
    private String lastError;
    /** Kafka has acknowledged records of this run: a later failure is a lost connection, not a first one. */
    private boolean connected;
    private static final Logger LOG = LoggerFactory.getLogger(SpillSender.class);
    private long nextRetentionNs = System.nanoTime();

    SpillSender(final KafkaTarget target, final KafkaTopic topic, final Properties clientProperties,
        final RecordSpill spill, final SpillCursor cursor, final KafkaSinkCounters counters, final PrintStream err)
    {
        this.target = target;
        this.topic = topic;
        this.clientProperties = clientProperties;
        this.spill = spill;
        this.cursor = cursor;
        this.counters = counters;
        this.err = err;
    }

    /** No more records will be spilled: once the cursor reaches the end, the sender is drained. */
    void inputClosed()
    {
        inputClosed = true;
    }

    /** True when input is closed and every spilled record was acknowledged. */
    boolean drained()
    {
        return drained;
    }

    /** Stops at the next step; unacknowledged records stay in the spill for the next run. */
    void stop()
    {
        stopping = true;
    }

    @Override
    public void run()
    {
        long backoffMs = MIN_BACKOFF_MS;
        final List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(MAX_BATCH_RECORDS);
        final List<Future<RecordMetadata>> acks = new ArrayList<>(MAX_BATCH_RECORDS);
        // The cursor was made (and positioned) on the thread that opened the output.
        cursor.takeOver();
        try
        {
            while (!stopping)
            {
                try
                {
                    // Read inputClosed before looking for records: a record spilled before the input
                    // closed is then always seen by the read below.
                    final boolean closedBeforeRead = inputClosed;
                    ensureTopic();
                    batch.clear();
                    long batchBytes = 0;
                    while (batch.size() < MAX_BATCH_RECORDS && cursor.next())
                    {
                        batch.add(record(cursor.key(), cursor.value()));
                        batchBytes += cursor.recordBytes();
                    }
                    if (batch.isEmpty())
                    {
                        if (closedBeforeRead)
                        {
                            drained = true;
                        }
                        Thread.sleep(IDLE_MS);
                        continue;
                    }
                    send(batch, acks);
                    cursor.commit();
                    counters.acknowledgedBytes.addAndGet(batchBytes);
                    counters.acknowledged.addAndGet(batch.size());
                    if (lastError != null)
                    {
                        err.println("linerate: kafka " + target + ": sending again");
                        LOG.info("kafka {}: back: sending again after {}", target, lastError);
                        lastError = null;
                        connected = true;
                    }
                    else if (!connected)
                    {
                        LOG.info("kafka {}: connected: the first {} records acknowledged", target, batch.size());
                        connected = true;
                    }
                    backoffMs = MIN_BACKOFF_MS;
                    applyRetention();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                catch (final RuntimeException | ExecutionException | TimeoutException ex)
                {
                    counters.sendErrors.incrementAndGet();
                    report(ex);
                    closeProducer(Duration.ZERO);
                    cursor.rewind();
                    sleepUnlessStopping(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            // Whatever is in flight now is not committed: it is sent again by the next run.
            closeProducer(Duration.ZERO);
        }
    }

    /** Deletes sent cycle files beyond the spill's limits, every 10 s at most; a failure is said, not fatal. */
    private void applyRetention()
    {
        final long now = System.nanoTime();
        if (now - nextRetentionNs < 0)
        {
            return;
        }
        nextRetentionNs = now + RETENTION_INTERVAL_NS;
        try
        {
            spill.applyRetention(cursor);
        }
        catch (final IOException | RuntimeException ex)
        {
            err.println("linerate: kafka " + target + ": spill retention in " + spill.directory() + " failed: " + ex);
        }
    }

    private void send(final List<ProducerRecord<byte[], byte[]>> batch, final List<Future<RecordMetadata>> acks)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        final KafkaProducer<byte[], byte[]> p = producer();
        acks.clear();
        for (final ProducerRecord<byte[], byte[]> r : batch)
        {
            acks.add(p.send(r));
            counters.sent.incrementAndGet();
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DELIVERY_TIMEOUT_MS + 5_000);
        for (final Future<RecordMetadata> ack : acks)
        {
            while (true)
            {
                if (stopping)
                {
                    throw new InterruptedException("stopped while waiting for acknowledgements");
                }
                try
                {
                    ack.get(100, TimeUnit.MILLISECONDS);
                    break;
                }
                catch (final TimeoutException ex)
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        throw ex;
                    }
                }
            }
        }
    }

    private ProducerRecord<byte[], byte[]> record(final String key, final String value)
    {
        final RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("schema", SCHEMA_HEADER));
        return new ProducerRecord<>(target.topic(), null, key.getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8), headers);
    }

    private void ensureTopic() throws InterruptedException, ExecutionException, TimeoutException
    {
        if (topicReady)
        {
            return;
        }
        final Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        try (Admin admin = Admin.create(p))
        {
            if (topic.create())
            {
                createTopic(admin);
            }
            else
            {
                checkTopic(admin);
            }
        }
        topicReady = true;
    }

    private void createTopic(final Admin admin) throws InterruptedException, ExecutionException, TimeoutException
    {
        final NewTopic newTopic = new NewTopic(target.topic(),
            topic.partitions() == KafkaTopic.BROKER_DEFAULT ? Optional.empty() : Optional.of(topic.partitions()),
            topic.replicationFactor() == KafkaTopic.BROKER_DEFAULT ? Optional.empty() :
                Optional.of((short)topic.replicationFactor()));
        try
        {
            admin.createTopics(List.of(newTopic)).all().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            err.println("linerate: kafka " + target + ": created the topic (" +
                (topic.partitions() == KafkaTopic.BROKER_DEFAULT ? "the broker's default partitions" :
                    topic.partitions() + " partitions") + ", replication factor " +
                (topic.replicationFactor() == KafkaTopic.BROKER_DEFAULT ? "the broker's default" :
                    Integer.toString(topic.replicationFactor())) + ")");
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof TopicExistsException)
            {
                return;
            }
            // Not allowed to create topics (an ACL), yet the topic may well be there.
            try
            {
                checkTopic(admin);
            }
            catch (final ExecutionException | MissingTopicException notThere)
            {
                throw ex;
            }
        }
    }

    private void checkTopic(final Admin admin) throws InterruptedException, ExecutionException, TimeoutException
    {
        try
        {
            admin.describeTopics(List.of(target.topic())).allTopicNames().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException)
            {
                throw new MissingTopicException("topic " + target.topic() +
                    " does not exist and --kafka-create-topic is no: create it (records wait in the spill)");
            }
            throw ex;
        }
    }

    /** The topic is missing and linerate may not create it. */
    static final class MissingTopicException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        MissingTopicException(final String message)
        {
            super(message);
        }
    }

    private KafkaProducer<byte[], byte[]> producer()
    {
        if (producer == null)
        {
            final Properties p = new Properties();
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.putAll(KafkaOutput.tunedProducerSettings());
            // Fail fast when the broker is away: the spill holds the records, the sender retries.
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
            p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "linerate-" + target.topic());
            // The user's file (TLS, SASL, tuning) overrides the defaults above.
            p.putAll(clientProperties);
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private void closeProducer(final Duration timeout)
    {
        if (producer != null)
        {
            try
            {
                producer.close(timeout);
            }
            catch (final RuntimeException ignored)
            {
                // Closing a producer that lost its broker: nothing more to do.
            }
            producer = null;
        }
    }

    private void report(final Exception ex)
    {
        final Throwable cause = ex instanceof ExecutionException && ex.getCause() != null ? ex.getCause() : ex;
        final String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (!message.equals(lastError))
        {
            err.println("linerate: kafka " + target + ": " + message + " (records wait in the spill; retrying)");
            LOG.warn("kafka {}: {}: {} (records wait in the spill; retrying)", target,
                connected ? "lost" : "cannot connect", message);
            lastError = message;
        }
    }

    private void sleepUnlessStopping(final long millis) throws InterruptedException
    {
        final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!stopping && System.nanoTime() - until < 0)
        {
            Thread.sleep(Math.min(50, millis));
        }
    }
}
