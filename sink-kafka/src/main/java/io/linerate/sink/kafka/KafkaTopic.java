package io.linerate.sink.kafka;

/**
 * What the Kafka output does about its topic: {@code --kafka-create-topic},
 * {@code --kafka-partitions}, {@code --kafka-replication-factor}.
 *
 * <p>With {@code create}, a missing topic is created before the first send with the given
 * partitions and replication factor ({@link #BROKER_DEFAULT} for the broker's {@code num.partitions}
 * and {@code default.replication.factor}); an existing topic is used as it is. Without it, a missing
 * topic is an error that is reported and counted as a send error, and the records wait in the spill
 * until someone creates the topic (or the run ends and the next one sends them).
 *
 * @param create            whether linerate creates a missing topic
 * @param partitions        partitions of a created topic, or {@link #BROKER_DEFAULT}
 * @param replicationFactor replication factor of a created topic, or {@link #BROKER_DEFAULT}
 */
public record KafkaTopic(boolean create, int partitions, int replicationFactor)
{
    /** Leaves the value to the broker's configuration. */
    public static final int BROKER_DEFAULT = -1;

    /** Created if missing, with the broker's defaults. */
    public static final KafkaTopic CREATE_WITH_BROKER_DEFAULTS = new KafkaTopic(true, BROKER_DEFAULT, BROKER_DEFAULT);

    /** Validates: partitions and replication factor positive or {@link #BROKER_DEFAULT}. */
    public KafkaTopic
    {
        if (partitions != BROKER_DEFAULT && partitions < 1 || replicationFactor != BROKER_DEFAULT &&
            (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE))
        {
            throw new IllegalArgumentException("topic partitions and replication factor must be positive, not " +
                partitions + " and " + replicationFactor);
        }
    }
}
