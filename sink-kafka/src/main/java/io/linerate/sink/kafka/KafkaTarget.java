package io.linerate.sink.kafka;

/**
 * Where {@code --out kafka:BOOTSTRAP/TOPIC} sends records: the bootstrap servers (comma-separated
 * {@code host:port}) and the topic.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param topic            the topic name
 */
public record KafkaTarget(String bootstrapServers, String topic)
{
    /** Parses {@code BOOTSTRAP/TOPIC} (the part after {@code kafka:}); throws IllegalArgumentException. */
    public static KafkaTarget parse(final String spec)
    {
        final int slash = spec.lastIndexOf('/');
        if (slash <= 0 || slash == spec.length() - 1)
        {
            throw new IllegalArgumentException("kafka output needs BOOTSTRAP/TOPIC, e.g. 127.0.0.1:9092/flows, not " + spec);
        }
        final String topic = spec.substring(slash + 1);
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}"))
        {
            throw new IllegalArgumentException("not a valid Kafka topic name: " + topic);
        }
        return new KafkaTarget(spec.substring(0, slash), topic);
    }

    @Override
    public String toString()
    {
        return bootstrapServers + "/" + topic;
    }
}
