package io.linerate.sink.kafka;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.sink.record.FlowRecordEncoder;
import io.linerate.sink.record.JsonBuffer;
import io.linerate.sink.spill.RecordSpill;
import io.linerate.sink.spill.SpillBacklog;
import io.linerate.sink.spill.SpillRetention;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code --out kafka:BOOTSTRAP/TOPIC}: flow records to Kafka through a durable spill.
 *
 * <p>Each shard thread writes through its own {@link #listener()}, which encodes the record and
 * appends it to the spill (a Chronicle Queue, written ahead of any send). One sender thread tails the
 * spill and produces to Kafka, committing its position only after the broker acknowledged (see
 * {@link SpillSender}): key = {@code community_id} (UTF-8), value = the {@code linerate.flow/1} JSON,
 * header {@code schema: linerate.flow/1}. Kafka down, slow or restarting only grows the backlog.
 *
 * <p>{@link #close()} waits up to the drain timeout for the backlog; what is left stays in the spill
 * and is sent by the next run that uses the same spill directory.
 */
public final class KafkaOutput implements AutoCloseable
{
    /** The spill cursor's name: its committed position persists in the spill directory. */
    public static final String SENDER_NAME = "kafka-sender";

    private final KafkaTarget target;
    private final String sensor;
    private final RecordSpill spill;
    private final Duration drainTimeout;
    private volatile boolean stopWaiting;
    private final PrintStream err;
    private final KafkaSinkCounters counters = new KafkaSinkCounters();
    private final SpillSender sender;
    private final Thread senderThread;
    private boolean closed;

    private KafkaOutput(final KafkaTarget target, final KafkaTopic topic, final String sensor, final RecordSpill spill,
        final Properties clientProperties, final Duration drainTimeout, final PrintStream err)
    {
        this.target = target;
        this.sensor = sensor;
        this.spill = spill;
        this.drainTimeout = drainTimeout;
        this.err = err;
        final var cursor = spill.cursor(SENDER_NAME);
        final SpillBacklog left = spill.backlog(cursor);
        counters.backlogBytesAtStart.set(left.bytes());
        counters.backlogAtStart.set(left.records());
        if (left.records() > 0)
        {
            err.println("linerate: kafka " + target + ": " + left.records() + " records left in the spill " +
                spill.directory() + " by an earlier run (" + left.bytes() + " bytes) are sent first");
        }
        sender = new SpillSender(target, topic, clientProperties, spill, cursor, counters, err);
        senderThread = new Thread(sender, "linerate-kafka-sender");
        senderThread.setDaemon(true);
    }

    /**
     * Opens the spill in {@code spillDirectory} and starts the sender.
     *
     * @param target           bootstrap servers and topic
     * @param topic            whether and how the topic is created
     * @param sensor           the capture point name written in every record
     * @param spillDirectory   the Chronicle Queue directory (created if missing)
     * @param retention        how much of the spill is kept once sent
     * @param clientProperties extra Kafka client settings (TLS, SASL, tuning); may be empty
     * @param drainTimeout     how long {@link #close()} waits for the backlog
     * @param err              where problems and the final counters are reported
     */
    public static KafkaOutput open(final KafkaTarget target, final KafkaTopic topic, final String sensor, final Path spillDirectory,
        final SpillRetention retention, final Properties clientProperties, final Duration drainTimeout, final PrintStream err) throws IOException
    {
        final RecordSpill spill = RecordSpill.open(spillDirectory, retention);
        final KafkaOutput output;
        try
        {
            output = new KafkaOutput(target, topic, sensor, spill, clientProperties, drainTimeout, err);
        }
        catch (final RuntimeException ex)
        {
            spill.close();
            throw ex;
        }
        output.senderThread.start();
        return output;
    }

    /**
     * The producer's compression and batching, chosen by measurement against a local broker
     * ({@code perf}'s {@code SinkBenchmark --matrix}, perf/RESULTS.md "Kafka producer settings"): lz4
     * (zstd stores 39 % fewer bytes but costs the producer 30-40 % more CPU), 256 KiB batches (the
     * smallest size on the plateau; 16-64 KiB are slower), 5 ms linger (level with 0, and fills
     * batches when records trickle in; 20 ms is slower). {@code --kafka-config} overrides each.
     */
    public static Properties tunedProducerSettings()
    {
        final Properties p = new Properties();
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return p;
    }

    /** A listener for one shard thread. */
    public FlowRecordListener listener()
    {
        return new ShardSpiller();
    }

    /**
     * Ends the wait of {@link #close()} for the backlog now (the run was asked to stop): what Kafka
     * has not acknowledged stays in the spill for the next run. Any thread may call it.
     */
    public void stopWaiting()
    {
        stopWaiting = true;
    }

    /** The counters (live). */
    public KafkaSinkCounters counters()
    {
        return counters;
    }

    /**
     * Ends the input: waits up to the drain timeout for every record to be acknowledged, stops the
     * sender and closes the spill. Prints the counters on {@code err}.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        sender.inputClosed();
        final long deadline = System.nanoTime() + drainTimeout.toNanos();
        try
        {
            while (!sender.drained() && !stopWaiting && System.nanoTime() - deadline < 0 && senderThread.isAlive())
            {
                Thread.sleep(10);
            }
            sender.stop();
            senderThread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            sender.stop();
        }
        if (senderThread.isAlive())
        {
            err.println("linerate: kafka " + target + ": the sender did not stop; the spill is left open");
        }
        else
        {
            spill.close();
        }
        err.println("linerate: kafka " + target + ": " + counters);
        if (counters.backlog() > 0)
        {
            err.println("linerate: kafka " + target + ": " + counters.backlog() + " records (" + counters.backlogBytes() +
                " bytes) not acknowledged " + (stopWaiting ? "when the run was stopped" : "within " +
                drainTimeout.toSeconds() + " s") + " stay in the spill " + spill.directory() +
                " and are sent by the next run with the same --spill");
        }
    }

    private final class ShardSpiller implements FlowRecordListener
    {
        private final FlowRecordEncoder encoder = new FlowRecordEncoder(sensor);
        private final JsonBuffer value = new JsonBuffer(2048);
        private RecordSpill.Writer writer;

        @Override
        public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
        {
            encoder.encode(value.clear(), flow, isFinal, endReason);
            try
            {
                if (writer == null)
                {
                    // Created on the shard thread: a Chronicle appender belongs to one thread.
                    writer = spill.writer();
                }
                counters.spilledBytes.addAndGet(writer.append(encoder.lastCommunityId(value), value.toString()));
                counters.spilled.incrementAndGet();
            }
            catch (final RuntimeException ex)
            {
                // Disk full or a damaged spill: counted and said once, never a crash of the shard.
                if (counters.spillErrors.getAndIncrement() == 0)
                {
                    err.println("linerate: kafka " + target + ": cannot write the spill " + spill.directory() +
                        ": " + ex + " (records are being lost; counted as spill errors)");
                }
            }
        }

        @Override
        public void onEndOfBatch()
        {
            // Every append is already in the queue's memory-mapped file; nothing to flush.
        }
    }
}
