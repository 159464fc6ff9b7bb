package io.linerate.ops.cli;

import io.linerate.decode.DecodeSettings;
import io.linerate.ingest.merge.InputPlan;
import io.linerate.ops.filter.DisplayFilter;
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
 * {@code shards} is {@link #SHARDS_AUTO} when not given: the pipeline chooses it.
 * {@code report} is where {@code --report} writes the HTML page, null for none; {@code quiet} leaves out
 * the progress line and the closing lines; {@code logLevel} and {@code logFormat} are the event log's.
 * {@code where} is the {@code --where} display filter the records must pass, null when none.
 */
public record ReplayOptions(
    List<Path> files,
    long count,
    List<String> outputs,
    int decoders,
    int shards,
    PipelineMode pipelineMode,
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
    Path report,
    boolean quiet,
    String logLevel,
    String logFormat,
    DisplayFilter where,
    DecodeSettings decode)
{
    /** {@code shards} when {@code --shards} was not given. */
    public static final int SHARDS_AUTO = 0;

    /**
     * These settings for a pass that looks at connections rather than writes records ({@code linerate
     * packets}, {@code follow}): no output, one shard on the ring (packets in the order of the input),
     * the reader decoding, no report or progress line, and {@code where} as the connections' filter
     * (null for none).
     */
    public ReplayOptions inspecting(final DisplayFilter selection)
    {
        return new ReplayOptions(files, count, List.of(), 0, 1, PipelineMode.RING, ringSize, waitStrategy, sensor,
            maxFlows, tcpIdleNanos, tcpHalfOpenIdleNanos, tcpClosedLingerNanos, udpIdleNanos, otherIdleNanos, summaryRows,
            spill, spillRetention, kafkaDrainTimeoutNanos, kafkaConfig, activeTimeoutNanos, lossyRetransmitRate, kafkaTopic,
            null, null, filter, Settings.SPEED.defaultValue(), mergeMode, null, true, Settings.LOG_LEVEL.defaultValue(),
            Settings.LOG_FORMAT.defaultValue(), selection, decode);
    }

    /**
     * These settings for {@code linerate top}, which shows the records on the terminal: one shard
     * (records and packets reach the view in the order of the input), no output that writes on
     * standard output (the screen is there), no progress line or closing lines, and {@code where} as
     * the records' filter (null: none; top filters what it shows, its filter line starts with
     * {@code --where}).
     */
    public ReplayOptions watching(final DisplayFilter where)
    {
        final List<String> kept = outputs.stream().filter(o -> !o.equals("summary") && !o.equals("jsonl:-")).toList();
        return new ReplayOptions(files, count, kept, decoders, 1, pipelineMode, ringSize, waitStrategy, sensor,
            maxFlows, tcpIdleNanos, tcpHalfOpenIdleNanos, tcpClosedLingerNanos, udpIdleNanos, otherIdleNanos, summaryRows,
            spill, spillRetention, kafkaDrainTimeoutNanos, kafkaConfig, activeTimeoutNanos, lossyRetransmitRate, kafkaTopic,
            metrics, metricsWebConfig, filter, speed, mergeMode, report, true, logLevel, logFormat, where, decode);
    }
}
