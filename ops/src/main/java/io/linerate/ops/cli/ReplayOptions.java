package io.linerate.ops.cli;

import io.linerate.decode.DecodeSettings;
import io.linerate.ingest.merge.InputPlan;
import io.linerate.ops.metrics.WebConfig;
import io.linerate.sink.kafka.KafkaTopic;
import io.linerate.sink.spill.SpillRetention;

import java.net.InetSocketAddress;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated {@code linerate replay} command line. Times are nanoseconds of packet time, except
 * {@code kafkaDrainTimeoutNanos} (wall clock). {@code kafkaConfig} is null when not given, so is
 * {@code metrics} (the Prometheus endpoint's address) when there is no endpoint, {@code metricsWebConfig}
 * (its TLS and users) when it is plain HTTP for anyone, and so is
 * {@code filter}, the tcpdump filter expression frames must pass. {@code speed} is the replay's
 * {@code --speed} (max, original, Nx, Ngbit). {@code files} may hold {@code -} (standard input) and
 * directories; {@code mergeMode} says how several are read ({@code --merge}, {@code --no-merge}).
 */
public record ReplayOptions(
    List<Path> files,
    long count,
    List<String> outputs,
    int decoders,
    int shards,
    int ringSize,
    String waitStrategy,
    String sensor,
    int maxFlows,
    long tcpIdleNanos,
    long tcpHalfOpenIdleNanos,
    long tcpClosedLingerNanos,
    long udpIdleNanos,
    long otherIdleNanos,
    int summaryRows,
    Path spill,
    SpillRetention spillRetention,
    long kafkaDrainTimeoutNanos,
    Path kafkaConfig,
    long activeTimeoutNanos,
    double lossyRetransmitRate,
    KafkaTopic kafkaTopic,
    InetSocketAddress metrics,
    WebConfig metricsWebConfig,
    String filter,
    String speed,
    InputPlan.Mode mergeMode,
    DecodeSettings decode)
{
}
