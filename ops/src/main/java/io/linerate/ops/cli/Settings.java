package io.linerate.ops.cli;

import io.linerate.aggregate.FlowSettings;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.DecodeSettings;
import io.linerate.ingest.bpf.BpfCompileException;
import io.linerate.ingest.bpf.FrameFilter;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.merge.InputPlan;
import io.linerate.ingest.pacing.ReplayPacer;
import io.linerate.ops.filter.ConnectionFields;
import io.linerate.ops.filter.DisplayFilter;
import io.linerate.ops.filter.FilterException;
import io.linerate.ops.log.Logs;
import io.linerate.ops.metrics.WebConfig;
import io.linerate.sink.kafka.KafkaTarget;
import io.linerate.sink.kafka.KafkaTopic;
import io.linerate.sink.spill.SpillRetention;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every setting of the command line in one place ({@link #ALL}): each with its flags, help group,
 * default, parser and help line ({@link Setting}), and the conclusion of a command's values (those of
 * its command line over those of its configuration file, see {@link CommandLines}) into the
 * {@link CaptureOptions} and {@link ReplayOptions} the pipeline runs with: the checks that take more
 * than one setting, and the values derived from others (Aeron's {@code Context.conclude()}).
 */
public final class Settings
{
    /** The commands that run the pipeline over files. */
    public static final String REPLAY_COMMAND = "replay";
    public static final String CAPTURE_COMMAND = "capture";
    public static final String PACKETS_COMMAND = "packets";
    public static final String FOLLOW_COMMAND = "follow";

    /** Every command that runs the pipeline: they all take its settings. */
    static final List<String> PIPELINE = List.of(REPLAY_COMMAND, CAPTURE_COMMAND, PACKETS_COMMAND, FOLLOW_COMMAND);
    /** The commands that read files. */
    static final List<String> FILES = List.of(REPLAY_COMMAND, PACKETS_COMMAND, FOLLOW_COMMAND);
    static final List<String> CAPTURE = List.of(CAPTURE_COMMAND);
    /** Every command. */
    static final List<String> EVERY = List.of(REPLAY_COMMAND, CAPTURE_COMMAND, PACKETS_COMMAND, FOLLOW_COMMAND,
        "interfaces", "completion");

    private static final Pattern FLOW_ID = Pattern.compile("[0-9A-Za-z+/=:-]+");
    private static final int MAX_SNAPLEN = 262_144;

    // Input.
    public static final Setting<Path> READ = Setting.repeatable(List.of("-r", "--read"), "FILE", Group.INPUT, FILES, null,
        (name, value) -> Path.of(value),
        "read FILE, as tcpdump -r (repeatable, the same as naming it after the command; - is standard input)");
    public static final Setting<Long> COUNT = Setting.computed(List.of("-c", "--count"), "COUNT", Group.INPUT, PIPELINE,
        "all", () -> Long.MAX_VALUE, Settings::positiveLong,
        "stop after COUNT frames (over all files; captured frames on capture)");
    public static final Setting<String> FILTER = Setting.option(List.of("--filter"), "EXPR", Group.INPUT, PIPELINE, null,
        (name, value) -> value,
        "the tcpdump filter expression (pcap-filter(7)), as the words after the files or the options; " +
            "for a configuration file");
    public static final Setting<Boolean> MERGE = Setting.flag(List.of("--merge"), Group.INPUT, FILES,
        "interleave the frames of every file by time stamp, as mergecap (by default files that overlap in time " +
            "are merged, rotated files of one capture read in sequence)");
    public static final Setting<Boolean> NO_MERGE = Setting.flag(List.of("--no-merge"), Group.INPUT, FILES,
        "read the files one after another, in the order given (a directory's captures in time order)");
    public static final Setting<String> SPEED = Setting.option(List.of("--speed"), "PACE", Group.INPUT,
        List.of(REPLAY_COMMAND), "max", Settings::speed,
        "max, original (as time-stamped), Nx (N times faster), or a wire rate, 10gbit (preamble and gap counted)");

    // Analysis.
    public static final Setting<String> SENSOR = Setting.computed(List.of("--sensor"), "NAME", Group.ANALYSIS, PIPELINE,
        "the host name", Settings::hostName, (name, value) -> value, "capture point name written in every record");
    public static final Setting<Integer> MAX_FLOWS = Setting.computed(List.of("--max-flows"), "N", Group.ANALYSIS,
        PIPELINE, "what " + Math.round(FlowSettings.HEAP_SHARE_FOR_FLOWS * 100) + "% of the heap and of direct memory hold at " +
            FlowSettings.HEAP_BYTES_PER_FLOW + " and " + FlowSettings.RECORD_BYTES_PER_FLOW + " bytes a flow, at most " +
            FlowSettings.DEFAULT_MAX_FLOWS + " (" + FlowSettings.maxFlowsForHeap(2L << 30) + " with -Xmx2g)",
        // Chosen with the heap and the direct memory limit, so the cap binds before either runs out.
        () -> FlowSettings.maxFlowsForMemory(Runtime.getRuntime().maxMemory(), maxDirectMemory()),
        (name, value) -> (int)range(name, value, 1, 1 << 28),
        "hard cap on concurrent flows (all shards); when full, a lingering closed connection goes first, " +
            "else the flow nearest its idle timeout");
    public static final Setting<Long> TCP_IDLE = Setting.option(List.of("--tcp-idle"), "SECONDS", Group.ANALYSIS,
        PIPELINE, "300", Settings::secondsAsNanos, "idle timeout of an established TCP connection (packet time)");
    public static final Setting<Long> TCP_HALF_OPEN_IDLE = Setting.option(List.of("--tcp-half-open-idle"), "SECONDS",
        Group.ANALYSIS, PIPELINE, "30", Settings::secondsAsNanos,
        "idle timeout of a TCP connection whose handshake did not complete");
    public static final Setting<Long> TCP_CLOSED_LINGER = Setting.option(List.of("--tcp-closed-linger"), "SECONDS",
        Group.ANALYSIS, PIPELINE, "30", Settings::secondsAsNanos,
        "how long a closed TCP connection still takes late packets before its final record");
    public static final Setting<Long> UDP_IDLE = Setting.option(List.of("--udp-idle"), "SECONDS", Group.ANALYSIS,
        PIPELINE, "60", Settings::secondsAsNanos, "idle timeout of UDP flows");
    public static final Setting<Long> OTHER_IDLE = Setting.option(List.of("--other-idle"), "SECONDS", Group.ANALYSIS,
        PIPELINE, "60", Settings::secondsAsNanos, "idle timeout of ICMP and other IP flows");
    public static final Setting<Long> ACTIVE_TIMEOUT = Setting.option(List.of("--active-timeout"), "SECONDS",
        Group.ANALYSIS, PIPELINE, "60", Settings::secondsAsNanos,
        "a connection still active this long after its start or its last interim record gets an interim record");
    /** {@code --active-timeout} of {@code linerate top} when not given: an open connection's row moves every second. */
    public static final String TOP_ACTIVE_TIMEOUT = "1";
    public static final Setting<Double> LOSSY_THRESHOLD = Setting.option(List.of("--lossy-threshold"), "RATE",
        Group.ANALYSIS, PIPELINE, "0.02", Settings::fraction,
        "retransmit rate (retransmitted / data segments) above which a connection's verdict is lossy");
    public static final Setting<DisplayFilter> WHERE = Setting.option(List.of("--where"), "EXPR", Group.ANALYSIS,
        PIPELINE, null, (name, value) -> where(value),
        "keep only the connections this Wireshark display filter matches (ip.addr == 10.0.0.0/8 && " +
            "tcp.analysis.retransmission, verdict != \"ok\"), in every output");
    public static final Setting<Integer> TUNNEL_DEPTH = Setting.option(List.of("--tunnel-depth"), "N", Group.ANALYSIS,
        PIPELINE, "8", (name, value) -> (int)range(name, value, 0, DecodeCursor.MAX_TUNNEL_DEPTH),
        "tunnels (GRE, VXLAN, Geneve, GTP-U, IP in IP, ...) opened to the innermost IP packet of a frame; 0: none " +
            "(a tunnel's packets stay its outer flow's); a frame with more is the anomaly tunnel_too_deep");
    public static final Setting<Integer> VXLAN_PORT = Setting.computed(List.of("--vxlan-port"), "PORT", Group.ANALYSIS,
        PIPELINE, null, () -> 0, (name, value) -> (int)range(name, value, 1, 65535),
        "a UDP port VXLAN is also taken on, besides 4789 (Linux's old default: 8472)");
    public static final Setting<Boolean> TUNNEL_KEY = Setting.option(List.of("--tunnel-key"), "yes|no", Group.ANALYSIS,
        PIPELINE, "yes", Settings::yes,
        "tell connections in tunnels apart by the VNI, GRE key or session that names both directions (two " +
            "tenants' equal inner 5-tuples are two connections); no: by the inner 5-tuple alone");

    // Outputs.
    public static final Setting<String> OUT = Setting.repeatable(List.of("--out"), "SPEC", Group.OUTPUTS, PIPELINE,
        "summary on a terminal, else jsonl:-", Settings::validateOut,
        "where records go, repeatable: jsonl:PATH (- for stdout), kafka:BOOTSTRAP/TOPIC, summary");
    public static final Setting<Integer> SUMMARY_ROWS = Setting.option(List.of("--summary-rows"), "N", Group.OUTPUTS,
        PIPELINE, "50", (name, value) -> (int)range(name, value, 0, 1_000_000),
        "connections listed in the summary table (totals always count all)");
    public static final Setting<Path> REPORT = Setting.option(List.of("--report"), "FILE.html", Group.OUTPUTS, PIPELINE,
        null, (name, value) -> Path.of(value),
        "write a self-contained HTML page of the run: charts and tables of verdicts, RTTs, rates over time, " +
            "top connections with their Wireshark display filters, handshake failures, TLS, malformed frames, drops");
    public static final Setting<Boolean> QUIET = Setting.flag(List.of("-q", "--quiet"), Group.OUTPUTS, PIPELINE,
        "no progress line on a terminal's stderr, no closing lines (pace, filter, capture drops)");
    public static final Setting<InetSocketAddress> METRICS = Setting.option(List.of("--metrics"), "[HOST:]PORT",
        Group.OUTPUTS, PIPELINE, null, Settings::listenAddress,
        "serve Prometheus metrics at http://HOST:PORT/metrics while running (PORT alone: every interface; 0: any free port)");
    public static final Setting<WebConfig> METRICS_WEB_CONFIG = Setting.option(List.of("--metrics-web-config"), "FILE",
        Group.OUTPUTS, PIPELINE, null, Settings::webConfig,
        "TLS and basic auth of --metrics: a Prometheus exporter toolkit web config (tls_server_config, " +
            "basic_auth_users with bcrypt hashes)");
    public static final Setting<String> LOG_LEVEL = Setting.option(List.of("--log-level"), "LEVEL", Group.OUTPUTS,
        PIPELINE, "off", Settings::logLevel,
        "log events on stderr from this level up: off, error, warn, info (start, device, Kafka, end), debug");
    public static final Setting<String> LOG_FORMAT = Setting.option(List.of("--log-format"), "text|json", Group.OUTPUTS,
        PIPELINE, "text", Settings::logFormat, "the log's lines: plain text, or one JSON object a line");

    // Kafka.
    public static final Setting<Path> SPILL = Setting.option(List.of("--spill"), "DIR", Group.KAFKA, PIPELINE,
        "./linerate-spill", (name, value) -> Path.of(value),
        "Chronicle Queue spill of the Kafka output; records not yet acknowledged wait here across runs");
    public static final Setting<Long> SPILL_MAX_BYTES = Setting.option(List.of("--spill-max-bytes"), "BYTES", Group.KAFKA,
        PIPELINE, "1073741824", Settings::positiveLong,
        "spill retention: hourly cycle files already sent to Kafka are deleted, oldest first, while the spill is larger");
    public static final Setting<Long> SPILL_MAX_AGE = Setting.option(List.of("--spill-max-age"), "SECONDS", Group.KAFKA,
        PIPELINE, "86400", (name, value) -> range(name, value, 1, 10L * 365 * 86_400),
        "spill retention: hourly cycle files already sent to Kafka are deleted once they ended longer ago");
    public static final Setting<Long> KAFKA_DRAIN_TIMEOUT = Setting.option(List.of("--kafka-drain-timeout"), "SECONDS",
        Group.KAFKA, PIPELINE, "60", (name, value) -> range(name, value, 0, 86_400),
        "at the end of input, how long to wait for Kafka to acknowledge the backlog (the rest stays in the spill)");
    public static final Setting<Path> KAFKA_CONFIG = Setting.option(List.of("--kafka-config"), "FILE", Group.KAFKA,
        PIPELINE, null, Settings::readableFile,
        "Kafka client properties (TLS, SASL, tuning) passed to the producer and admin client");
    public static final Setting<Boolean> KAFKA_CREATE_TOPIC = Setting.option(List.of("--kafka-create-topic"), "yes|no",
        Group.KAFKA, PIPELINE, "yes", Settings::yes,
        "create the Kafka topic if it is missing; with no, a missing topic is an error and records wait in the spill");
    public static final Setting<Integer> KAFKA_PARTITIONS = Setting.computed(List.of("--kafka-partitions"), "N",
        Group.KAFKA, PIPELINE, "the broker's num.partitions", () -> KafkaTopic.BROKER_DEFAULT,
        (name, value) -> (int)range(name, value, 1, 1_000_000), "partitions of a topic linerate creates");
    public static final Setting<Integer> KAFKA_REPLICATION_FACTOR = Setting.computed(List.of("--kafka-replication-factor"),
        "N", Group.KAFKA, PIPELINE, "the broker's default.replication.factor", () -> KafkaTopic.BROKER_DEFAULT,
        (name, value) -> (int)range(name, value, 1, Short.MAX_VALUE), "replication factor of a topic linerate creates");

    // Capture.
    public static final Setting<String> INTERFACE = Setting.option(List.of("-i", "--interface"), "IFACE", Group.CAPTURE,
        CAPTURE, null, (name, value) -> value,
        "the device to capture on (linerate interfaces lists them; any: all, as Linux cooked frames)");
    public static final Setting<Integer> SNAPLEN = Setting.option(List.of("-s", "--snapshot-length"), "SNAPLEN",
        Group.CAPTURE, CAPTURE, String.valueOf(MAX_SNAPLEN), Settings::snaplen, "bytes kept of each frame (0: 262144)");
    public static final Setting<Boolean> NO_PROMISC = Setting.flag(List.of("-p", "--no-promiscuous-mode"), Group.CAPTURE,
        CAPTURE, "do not put the interface into promiscuous mode");
    public static final Setting<Boolean> IMMEDIATE = Setting.flag(List.of("--immediate-mode"), Group.CAPTURE, CAPTURE,
        "hand each frame over as it arrives, not a kernel block at a time (up to 100 ms later); costs buffer room");
    public static final Setting<Integer> BUFFER_SIZE = Setting.option(List.of("-B", "--buffer-size"), "KIB", Group.CAPTURE,
        CAPTURE, "32768", (name, value) -> (int)range(name, value, 1, 1 << 21),
        "the kernel's capture buffer, in KiB (frames arriving while it is full are kernel drops)");
    public static final Setting<Long> DURATION = Setting.computed(List.of("--duration"), "SECONDS", Group.CAPTURE, CAPTURE,
        null, () -> Long.MAX_VALUE, Settings::secondsAsNanos, "stop after this long (also: -c, SIGINT, SIGTERM)");
    public static final Setting<Path> WRITE = Setting.option(List.of("-w", "--write"), "FILE", Group.CAPTURE, CAPTURE,
        null, (name, value) -> Path.of(value),
        "also write the captured frames to FILE as pcap (nanosecond time stamps), ring drops included");
    public static final Setting<Long> FILE_SIZE = Setting.computed(List.of("-C", "--file-size"), "MB", Group.CAPTURE,
        CAPTURE, null, () -> 0L, Settings::positiveLong,
        "with -w: start a new file (FILE1, FILE2...) once the current one is larger than MB million bytes");
    public static final Setting<Integer> FILE_COUNT = Setting.computed(List.of("-W", "--file-count"), "N", Group.CAPTURE,
        CAPTURE, null, () -> 0, (name, value) -> (int)range(name, value, 1, 1_000_000),
        "with -C: keep N files (FILE0..), overwriting the oldest, like tcpdump");
    public static final Setting<String> USER = Setting.option(List.of("-Z", "--relinquish-privileges"), "USER",
        Group.CAPTURE, CAPTURE, null, (name, value) -> value, "once the device is open, give up root and run as USER");

    // Performance.
    public static final Setting<PipelineMode> PIPELINE_MODE = Setting.option(List.of("--pipeline"), "MODE",
        Group.PERFORMANCE, List.of(REPLAY_COMMAND), "auto", Settings::pipelineMode,
        "ring: one thread reads (and decodes) every frame into the ring and the shards take theirs from it; " +
            "run-to-completion: each shard's thread reads the files itself and analyses the frames that hash to " +
            "it, no hand-off (files only, at --speed max, with --decoders 0); auto: run-to-completion where it " +
            "can run and there are two or more shards, else ring");
    public static final Setting<Integer> DECODERS = Setting.option(List.of("--decoders"), "N", Group.PERFORMANCE,
        PIPELINE, "0", (name, value) -> (int)range(name, value, 0, 64),
        "decoder threads on the ring; 0 decodes on the reader (capture) thread before the ring");
    public static final Setting<Integer> SHARDS = Setting.computed(List.of("--shards"), "M", Group.PERFORMANCE, PIPELINE,
        "one per processor with --pipeline run-to-completion, else 1", () -> ReplayOptions.SHARDS_AUTO,
        (name, value) -> (int)range(name, value, 1, 64), "flow shard threads (symmetric flow hash % M)");
    public static final Setting<Integer> RING_SIZE = Setting.option(List.of("--ring-size"), "SLOTS", Group.PERFORMANCE,
        PIPELINE, "8192", Settings::ringSize, "frame slots in the ring (a power of two)");
    public static final Setting<String> WAIT = Setting.option(List.of("--wait"), "STRATEGY", Group.PERFORMANCE, PIPELINE,
        "yield", Settings::waitStrategy,
        "how ring threads wait: block, sleep, yield, spin (spin only with a core per thread)");
    public static final Setting<Integer> CPU = Setting.computed(List.of("--cpu"), "N", Group.PERFORMANCE, CAPTURE, null,
        () -> -1, (name, value) -> (int)range(name, value, 0, Runtime.getRuntime().availableProcessors() - 1),
        "pin the capture thread to CPU N (sched_setaffinity)");

    // The connection of packets and follow.
    public static final Setting<String> FLOW = Setting.option(List.of("--flow"), "ID", Group.CONNECTION,
        List.of(PACKETS_COMMAND, FOLLOW_COMMAND), null, Settings::flowId,
        "the connection whose flow_id, record_id or community_id is ID");
    public static final Setting<Boolean> ABSOLUTE_SEQUENCE = Setting.flag(List.of("-S", "--absolute-tcp-sequence-numbers"),
        Group.CONNECTION, List.of(PACKETS_COMMAND),
        "absolute TCP sequence numbers, as tcpdump -S (default: relative to each side's first, as Wireshark)");
    public static final Setting<Boolean> NUMBER = Setting.flag(List.of("-#", "--number"), Group.CONNECTION,
        List.of(PACKETS_COMMAND), "start each line with the frame's number in the input, as tcpdump -#");
    public static final Setting<String> AS = Setting.option(List.of("--as"), "ascii|hex|raw", Group.CONNECTION,
        List.of(FOLLOW_COMMAND), "ascii", Settings::followMode,
        "how the bytes are shown, as tshark -z follow,tcp,MODE,N shows them");

    // General.
    public static final Setting<Path> CONFIG = Setting.option(List.of("--config"), "FILE", Group.GENERAL, PIPELINE, null,
        (name, value) -> Path.of(value),
        "take settings from FILE too: key = value lines, each key an option's long name without the dashes " +
            "(count = 5, out = jsonl:flows.jsonl); the command line overrides it").commandLineOnly();
    public static final Setting<Boolean> HELP = Setting.action(List.of("-h", "--help"), Group.GENERAL, EVERY,
        "this help");
    public static final Setting<Boolean> VERSION = Setting.action(List.of("-V", "--version"), Group.GENERAL, EVERY,
        "the version of linerate");

    /** Every setting, in the order of the help within each group. */
    public static final List<Setting<?>> ALL = List.of(
        READ, COUNT, FILTER, MERGE, NO_MERGE, SPEED,
        SENSOR, MAX_FLOWS, TCP_IDLE, TCP_HALF_OPEN_IDLE, TCP_CLOSED_LINGER, UDP_IDLE, OTHER_IDLE, ACTIVE_TIMEOUT,
        LOSSY_THRESHOLD, WHERE, TUNNEL_DEPTH, VXLAN_PORT, TUNNEL_KEY,
        OUT, SUMMARY_ROWS, REPORT, QUIET, METRICS, METRICS_WEB_CONFIG, LOG_LEVEL, LOG_FORMAT,
        SPILL, SPILL_MAX_BYTES, SPILL_MAX_AGE, KAFKA_DRAIN_TIMEOUT, KAFKA_CONFIG, KAFKA_CREATE_TOPIC, KAFKA_PARTITIONS,
        KAFKA_REPLICATION_FACTOR,
        INTERFACE, SNAPLEN, NO_PROMISC, IMMEDIATE, BUFFER_SIZE, DURATION, WRITE, FILE_SIZE, FILE_COUNT, USER,
        PIPELINE_MODE, DECODERS, SHARDS, RING_SIZE, WAIT, CPU,
        FLOW, ABSOLUTE_SEQUENCE, NUMBER, AS,
        CONFIG, HELP, VERSION);

    private Settings()
    {
    }

    /** The settings {@code command} takes, in the order of {@link #ALL}. */
    public static List<Setting<?>> of(final String command)
    {
        return ALL.stream().filter(s -> s.commands().contains(command)).toList();
    }

    /** Parses the arguments after {@code replay}; null when they ask for the help or the version. */
    public static ReplayOptions parseReplay(final List<String> args, final boolean stdoutIsTerminal)
        throws UsageException
    {
        final SettingValues values = CommandLines.parse(REPLAY_COMMAND, args);
        return values.answered() ? null : options(values, stdoutIsTerminal).pipeline();
    }

    /** Parses the arguments after {@code capture}; null when they ask for the help or the version. */
    public static CaptureOptions parseCapture(final List<String> args, final boolean stdoutIsTerminal)
        throws UsageException
    {
        final SettingValues values = CommandLines.parse(CAPTURE_COMMAND, args);
        return values.answered() ? null : options(values, stdoutIsTerminal);
    }

    /**
     * The options of a parsed command line: files and filter expression from its words (tcpdump's
     * habit: files first; the first word that is not an existing file, nor -, starts the filter
     * expression; a capture has no files), and the checks that take several settings.
     */
    public static CaptureOptions options(final SettingValues values, final boolean stdoutIsTerminal)
        throws UsageException
    {
        final String command = values.command();
        final boolean capture = command.equals(CAPTURE_COMMAND);
        // The command line's files (-r and the words) replace the configuration file's (read = ...).
        final List<Path> configured = capture || values.givenOnCommandLine(READ) ? List.of() : values.fromFile(READ);
        final List<Path> named = new ArrayList<>(capture ? List.of() : values.givenOnCommandLine(READ) ?
            values.all(READ) : List.of());
        final List<String> filterWords = new ArrayList<>();
        for (final String word : values.words())
        {
            if (!capture && filterWords.isEmpty() &&
                (named.isEmpty() && configured.isEmpty() || "-".equals(word) || Files.exists(Path.of(word))))
            {
                named.add(Path.of(word));
            }
            else
            {
                filterWords.add(word);
            }
        }
        final List<Path> files = named.isEmpty() ? configured : named;
        if (!capture && files.isEmpty())
        {
            throw new UsageException(command + " needs at least one capture file (- for standard input)");
        }
        if (files.stream().filter(f -> f.toString().equals("-")).count() > 1)
        {
            throw new UsageException("standard input (-) can be read only once");
        }
        if (!filterWords.isEmpty() && values.givenOnCommandLine(FILTER))
        {
            throw new UsageException("give the filter expression once: --filter EXPR or the words after the " +
                (capture ? "options" : "files"));
        }
        if (capture && values.get(INTERFACE) == null)
        {
            throw new UsageException("capture needs -i IFACE (linerate interfaces lists them)");
        }
        if (values.get(METRICS_WEB_CONFIG) != null && values.get(METRICS) == null)
        {
            throw new UsageException("--metrics-web-config needs --metrics [HOST:]PORT");
        }
        if (values.get(WRITE) == null && (values.given(FILE_SIZE) || values.given(FILE_COUNT)))
        {
            throw new UsageException("-C and -W need -w FILE");
        }
        if (values.given(FILE_COUNT) && !values.given(FILE_SIZE))
        {
            throw new UsageException("-W needs -C MB (tcpdump's rule: the count limits rotated files)");
        }
        if (values.get(MERGE) && values.get(NO_MERGE))
        {
            throw new UsageException("--merge and --no-merge exclude each other");
        }
        final InputPlan.Mode mergeMode = values.get(MERGE) ? InputPlan.Mode.MERGE :
            values.get(NO_MERGE) ? InputPlan.Mode.CONCAT : InputPlan.Mode.AUTO;
        // A capture's filter is compiled on the device's own handle when it opens.
        final String filter = filter(filterWords.isEmpty() ? values.get(FILTER) : String.join(" ", filterWords), !capture);
        final List<String> outs = new ArrayList<>(values.all(OUT));
        if (outs.stream().filter(o -> o.startsWith("kafka:")).count() > 1)
        {
            throw new UsageException("one kafka output per run (its spill is --spill DIR)");
        }
        if (outs.isEmpty())
        {
            outs.add(stdoutIsTerminal ? "summary" : "jsonl:-");
        }
        final PipelineMode pipelineMode = values.get(PIPELINE_MODE);
        final String speed = values.get(SPEED);
        final int decoders = values.get(DECODERS);
        if (pipelineMode == PipelineMode.RUN_TO_COMPLETION)
        {
            // Every shard's thread opens the inputs itself: each must be a file it can open again.
            if (files.contains(CaptureFiles.STANDARD_INPUT))
            {
                throw new UsageException("--pipeline run-to-completion reads files, not standard input (use ring)");
            }
            if (!SPEED.defaultValue().equals(speed))
            {
                throw new UsageException("--pipeline run-to-completion replays at --speed max (pacing needs ring)");
            }
            if (decoders > 0)
            {
                throw new UsageException("--pipeline run-to-completion decodes on the shards' threads: --decoders 0");
            }
        }
        final ReplayOptions pipeline = new ReplayOptions(List.copyOf(files), values.get(COUNT), List.copyOf(outs), decoders,
            values.get(SHARDS), pipelineMode, values.get(RING_SIZE), values.get(WAIT), values.get(SENSOR),
            values.get(MAX_FLOWS), values.get(TCP_IDLE), values.get(TCP_HALF_OPEN_IDLE), values.get(TCP_CLOSED_LINGER),
            values.get(UDP_IDLE), values.get(OTHER_IDLE), values.get(SUMMARY_ROWS), values.get(SPILL),
            new SpillRetention(values.get(SPILL_MAX_BYTES), Duration.ofSeconds(values.get(SPILL_MAX_AGE))),
            values.get(KAFKA_DRAIN_TIMEOUT) * 1_000_000_000L, values.get(KAFKA_CONFIG), values.get(ACTIVE_TIMEOUT),
            values.get(LOSSY_THRESHOLD),
            new KafkaTopic(values.get(KAFKA_CREATE_TOPIC), values.get(KAFKA_PARTITIONS), values.get(KAFKA_REPLICATION_FACTOR)),
            values.get(METRICS), values.get(METRICS_WEB_CONFIG), filter, speed, mergeMode, values.get(REPORT),
            values.get(QUIET), values.get(LOG_LEVEL), values.get(LOG_FORMAT), values.get(WHERE),
            new DecodeSettings(values.get(TUNNEL_DEPTH), values.get(VXLAN_PORT), values.get(TUNNEL_KEY)));
        return new CaptureOptions(pipeline, values.get(INTERFACE), values.get(SNAPLEN), !values.get(NO_PROMISC),
            values.get(IMMEDIATE), values.get(BUFFER_SIZE) * 1024, values.get(CPU), values.get(DURATION), values.get(WRITE),
            values.get(FILE_SIZE), values.get(FILE_COUNT), values.get(USER));
    }

    private static String speed(final String name, final String value) throws UsageException
    {
        try
        {
            ReplayPacer.of(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        return value;
    }

    private static int snaplen(final String name, final String value) throws UsageException
    {
        final int snaplen = (int)range(name, value, 0, MAX_SNAPLEN);
        return snaplen == 0 ? MAX_SNAPLEN : snaplen;
    }

    private static int ringSize(final String name, final String value) throws UsageException
    {
        final int ringSize = (int)range(name, value, 2, 1 << 24);
        if (Integer.bitCount(ringSize) != 1)
        {
            throw new UsageException(name + " must be a power of two: " + value);
        }
        return ringSize;
    }

    private static String waitStrategy(final String name, final String value) throws UsageException
    {
        if (!List.of("block", "sleep", "yield", "spin").contains(value))
        {
            throw new UsageException(name + " must be block, sleep, yield or spin: " + value);
        }
        return value;
    }

    private static PipelineMode pipelineMode(final String name, final String value) throws UsageException
    {
        return PipelineMode.of(value)
            .orElseThrow(() -> new UsageException(name + " must be auto, ring or run-to-completion: " + value));
    }

    private static String logLevel(final String name, final String value) throws UsageException
    {
        if (!Logs.LEVELS.contains(value))
        {
            throw new UsageException(name + " must be one of " + String.join(", ", Logs.LEVELS) + ": " + value);
        }
        return value;
    }

    private static String logFormat(final String name, final String value) throws UsageException
    {
        if (!Logs.FORMATS.contains(value))
        {
            throw new UsageException(name + " must be text or json: " + value);
        }
        return value;
    }

    private static String flowId(final String name, final String value) throws UsageException
    {
        if (!FLOW_ID.matcher(value).matches())
        {
            throw new UsageException(name + " takes a flow_id, record_id or community_id, not " + value);
        }
        return value;
    }

    private static String followMode(final String name, final String value) throws UsageException
    {
        if (!List.of("ascii", "hex", "raw").contains(value))
        {
            throw new UsageException(name + " takes ascii, hex or raw, not " + value);
        }
        return value;
    }

    private static Path readableFile(final String name, final String value) throws UsageException
    {
        final Path file = Path.of(value);
        if (!Files.isReadable(file))
        {
            throw new UsageException(name + ": cannot read " + value);
        }
        return file;
    }

    private static WebConfig webConfig(final String name, final String value) throws UsageException
    {
        try
        {
            return WebConfig.read(Path.of(value));
        }
        catch (final IOException ex)
        {
            throw new UsageException(name + ": " + (ex instanceof NoSuchFileException ? "no such file " + value :
                ex.getMessage()));
        }
    }

    private static long secondsAsNanos(final String name, final String value) throws UsageException
    {
        return nanos(seconds(name, value));
    }

    /**
     * The filter expression from the words after the files (tcpdump joins them with spaces), checked
     * by libpcap's compiler now so a bad one is a usage error with libpcap's message; null for none.
     */
    private static String filter(final String expression, final boolean check) throws UsageException
    {
        if (expression == null || expression.isBlank())
        {
            return null;
        }
        if (!check)
        {
            return expression;
        }
        try
        {
            FrameFilter.compile(expression);
        }
        catch (final BpfCompileException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        catch (final UnsatisfiedLinkError ex)
        {
            throw new UsageException("filter expressions need libpcap: " + ex.getMessage());
        }
        return expression;
    }

    /** A --where display filter, compiled now so a bad one is a usage error marking where it went wrong. */
    public static DisplayFilter where(final String expression) throws UsageException
    {
        try
        {
            return DisplayFilter.compile(expression, new ConnectionFields());
        }
        catch (final FilterException ex)
        {
            throw new UsageException("--where: " + ex.describe());
        }
    }

    private static String validateOut(final String name, final String spec) throws UsageException
    {
        if ("summary".equals(spec) || spec.startsWith("jsonl:") && spec.length() > "jsonl:".length())
        {
            return spec;
        }
        if (spec.startsWith("kafka:"))
        {
            try
            {
                KafkaTarget.parse(spec.substring("kafka:".length()));
                return spec;
            }
            catch (final IllegalArgumentException ex)
            {
                throw new UsageException("--out " + ex.getMessage());
            }
        }
        throw new UsageException("--out takes jsonl:PATH (- for stdout), kafka:BOOTSTRAP/TOPIC or summary, not " + spec);
    }

    private static boolean yes(final String flag, final String value) throws UsageException
    {
        switch (value)
        {
            case "yes": return true;
            case "no": return false;
            default: throw new UsageException(flag + " takes yes or no, not " + value);
        }
    }

    /** {@code PORT} (every interface) or {@code HOST:PORT}, {@code [IPv6]:PORT}; the host is resolved now. */
    private static InetSocketAddress listenAddress(final String flag, final String value) throws UsageException
    {
        final int colon = value.lastIndexOf(':');
        final int port = (int)range(flag, value.substring(colon + 1), 0, 65_535);
        if (colon < 0)
        {
            return new InetSocketAddress(port);
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final InetSocketAddress address = new InetSocketAddress(host, port);
        if (host.isEmpty() || address.isUnresolved())
        {
            throw new UsageException(flag + ": unknown host in " + value);
        }
        return address;
    }

    private static long positiveLong(final String flag, final String value) throws UsageException
    {
        return range(flag, value, 1, Long.MAX_VALUE);
    }

    private static long range(final String flag, final String value, final long min, final long max)
        throws UsageException
    {
        final long v;
        try
        {
            v = Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(flag + " needs a number, not " + value);
        }
        if (v < min || v > max)
        {
            throw new UsageException(flag + " must be between " + min + " and " + max + ": " + value);
        }
        return v;
    }

    private static double fraction(final String flag, final String value) throws UsageException
    {
        final double v;
        try
        {
            v = Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(flag + " needs a number between 0 and 1, not " + value);
        }
        if (!(v >= 0 && v <= 1))
        {
            throw new UsageException(flag + " must be between 0 and 1: " + value);
        }
        return v;
    }

    private static double seconds(final String flag, final String value) throws UsageException
    {
        final double v;
        try
        {
            v = Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(flag + " needs a number of seconds, not " + value);
        }
        if (!(v > 0) || v > 86_400 * 365)
        {
            throw new UsageException(flag + " must be a positive number of seconds: " + value);
        }
        return v;
    }

    private static long nanos(final double seconds)
    {
        return Math.round(seconds * 1e9);
    }

    static String hostName()
    {
        final String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank())
        {
            return env;
        }
        try
        {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (final java.io.IOException ex)
        {
            return "localhost";
        }
    }

    /** The JVM's direct memory limit (-XX:MaxDirectMemorySize; by default the heap's maximum). */
    static long maxDirectMemory()
    {
        final long heap = Runtime.getRuntime().maxMemory();
        try
        {
            final com.sun.management.HotSpotDiagnosticMXBean vm =
                java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            final long set = Long.parseLong(vm.getVMOption("MaxDirectMemorySize").getValue());
            return set > 0 ? set : heap;
        }
        catch (final RuntimeException ex)
        {
            return heap;
        }
    }
}
