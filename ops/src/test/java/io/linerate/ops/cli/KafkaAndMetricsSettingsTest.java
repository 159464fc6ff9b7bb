package io.linerate.ops.cli;

import io.linerate.sink.kafka.KafkaTopic;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --kafka-create-topic}, {@code --kafka-partitions}, {@code --kafka-replication-factor}, {@code --metrics}. */
class KafkaAndMetricsSettingsTest
{
    private static final String SAMPLE = "../samples/loopback-http.pcap";

    @Test
    void byDefaultTheTopicIsCreatedWithTheBrokersDefaultsAndNoEndpointRuns() throws Exception
    {
        final ReplayOptions o = parse();
        assertEquals(KafkaTopic.CREATE_WITH_BROKER_DEFAULTS, o.kafkaTopic());
        assertNull(o.metrics());
    }

    @Test
    void topicSettingsAreTaken() throws Exception
    {
        assertEquals(new KafkaTopic(false, KafkaTopic.BROKER_DEFAULT, KafkaTopic.BROKER_DEFAULT),
            parse("--kafka-create-topic", "no").kafkaTopic());
        assertEquals(new KafkaTopic(true, 12, 3),
            parse("--kafka-create-topic", "yes", "--kafka-partitions", "12", "--kafka-replication-factor", "3").kafkaTopic());
    }

    @Test
    void theMetricsAddressIsAPortOrAHostAndPort() throws Exception
    {
        assertEquals(new InetSocketAddress(9464), parse("--metrics", "9464").metrics());
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), parse("--metrics", "127.0.0.1:0").metrics());
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 9464), parse("--metrics", "[::1]:9464").metrics());
        assertEquals(new InetSocketAddress(InetAddress.getByName("localhost"), 80), parse("--metrics", "localhost:80").metrics());
    }

    @Test
    void badValuesAreUsageErrors()
    {
        for (final String[] bad : List.of(
            new String[] {"--kafka-create-topic", "maybe"},
            new String[] {"--kafka-partitions", "0"},
            new String[] {"--kafka-replication-factor", "40000"},
            new String[] {"--metrics", "70000"},
            new String[] {"--metrics", "host:"},
            new String[] {"--metrics", ":9464"},
            new String[] {"--metrics", "no-such-host.invalid:9464"}))
        {
            assertThrows(UsageException.class, () -> parse(bad), String.join(" ", bad));
        }
    }

    private static ReplayOptions parse(final String... args) throws UsageException
    {
        final List<String> all = new ArrayList<>(List.of(SAMPLE));
        all.addAll(List.of(args));
        return Settings.parseReplay(all, false);
    }
}
