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
import java.util.Locale;

/**
 * The command line in one place: every setting's flags, default and help ({@link #ALL}), and the
 * parsing and validation of a {@code replay} command into a {@link ReplayOptions}.
 */
public final class Settings
{
    /** The pipeline's settings: both commands take them. */
    private static final List<String> REPLAY = List.of("replay", "capture");
    private static final List<String> CAPTURE = List.of("capture");
    private static final List<String> REPLAY_ONLY = List.of("replay");

    public static final Setting COUNT = new Setting(List.of("-c", "--count"), "COUNT", null,
        "stop after COUNT frames (over all files; captured frames on capture)", REPLAY);
    public static final Setting OUT = new Setting(List.of("--out"), "SPEC", "summary on a terminal, else jsonl:-",
        "where records go, repeatable: jsonl:PATH (- for stdout), kafka:BOOTSTRAP/TOPIC, summary", REPLAY);
    public static final Setting SPILL = new Setting(List.of("--spill"), "DIR", "./linerate-spill",
        "Chronicle Queue spill of the Kafka output; records not yet acknowledged wait here across runs", REPLAY);
    public static final Setting SPILL_MAX_BYTES = new Setting(List.of("--spill-max-bytes"), "BYTES", "1073741824",
        "spill retention: hourly cycle files already sent to Kafka are deleted, oldest first, while the spill is larger",
        REPLAY);
    public static final Setting SPILL_MAX_AGE = new Setting(List.of("--spill-max-age"), "SECONDS", "86400",
        "spill retention: hourly cycle files already sent to Kafka are deleted once they ended longer ago", REPLAY);
    public static final Setting KAFKA_DRAIN_TIMEOUT = new Setting(List.of("--kafka-drain-timeout"), "SECONDS", "60",
        "at the end of input, how long to wait for Kafka to acknowledge the backlog (the rest stays in the spill)",
        REPLAY);
    public static final Setting KAFKA_CONFIG = new Setting(List.of("--kafka-config"), "FILE", null,
        "Kafka client properties (TLS, SASL, tuning) passed to the producer and admin client", REPLAY);
    public static final Setting KAFKA_CREATE_TOPIC = new Setting(List.of("--kafka-create-topic"), "yes|no", "yes",
        "create the Kafka topic if it is missing; with no, a missing topic is an error and records wait in the spill",
        REPLAY);
    public static final Setting KAFKA_PARTITIONS = new Setting(List.of("--kafka-partitions"), "N",
        "the broker's num.partitions", "partitions of a topic linerate creates", REPLAY);
    public static final Setting KAFKA_REPLICATION_FACTOR = new Setting(List.of("--kafka-replication-factor"), "N",
        "the broker's default.replication.factor", "replication factor of a topic linerate creates", REPLAY);
    public static final Setting METRICS = new Setting(List.of("--metrics"), "[HOST:]PORT", null,
        "serve Prometheus metrics at http://HOST:PORT/metrics while running (PORT alone: every interface; 0: any free port)",
        REPLAY);
    public static final Setting METRICS_WEB_CONFIG = new Setting(List.of("--metrics-web-config"), "FILE", null,
        "TLS and basic auth of --metrics: a Prometheus exporter toolkit web config (tls_server_config, " +
            "basic_auth_users with bcrypt hashes)",
        REPLAY);
    public static final Setting DECODERS = new Setting(List.of("--decoders"), "N", "0",
        "decoder threads on the ring; 0 decodes on the reader (capture) thread before the ring", REPLAY);
    public static final Setting SHARDS = new Setting(List.of("--shards"), "M",
        "one per processor with --pipeline run-to-completion, else 1",
        "flow shard threads (symmetric flow hash % M)", REPLAY);
    public static final Setting PIPELINE = new Setting(List.of("--pipeline"), "MODE", "auto",
        "ring: one thread reads (and decodes) every frame into the ring and the shards take theirs from it; " +
            "run-to-completion: each shard's thread reads the files itself and analyses the frames that hash to " +
            "it, no hand-off (files only, at --speed max, with --decoders 0); auto: run-to-completion where it " +
            "can run and there are two or more shards, else ring", REPLAY_ONLY);
    public static final Setting RING_SIZE = new Setting(List.of("--ring-size"), "SLOTS", "8192",
        "frame slots in the ring (a power of two)", REPLAY);
    public static final Setting WAIT = new Setting(List.of("--wait"), "STRATEGY", "yield",
        "how ring threads wait: block, sleep, yield, spin (spin only with a core per thread)", REPLAY);
    public static final Setting SENSOR = new Setting(List.of("--sensor"), "NAME", "the host name",
        "capture point name written in every record", REPLAY);
    public static final Setting MAX_FLOWS = new Setting(List.of("--max-flows"), "N",
        "what " + Math.round(FlowSettings.HEAP_SHARE_FOR_FLOWS * 100) + "% of the heap and of direct memory hold at " +
            FlowSettings.HEAP_BYTES_PER_FLOW + " and " + FlowSettings.RECORD_BYTES_PER_FLOW + " bytes a flow, at most " +
            FlowSettings.DEFAULT_MAX_FLOWS + " (" + FlowSettings.maxFlowsForHeap(2L << 30) + " with -Xmx2g)",
        "hard cap on concurrent flows (all shards); when full, a lingering closed connection goes first, " +
            "else the flow nearest its idle timeout", REPLAY);
    public static final Setting TCP_IDLE = new Setting(List.of("--tcp-idle"), "SECONDS", "300",
        "idle timeout of an established TCP connection (packet time)", REPLAY);
    public static final Setting TCP_HALF_OPEN_IDLE = new Setting(List.of("--tcp-half-open-idle"), "SECONDS", "30",
        "idle timeout of a TCP connection whose handshake did not complete", REPLAY);
    public static final Setting TCP_CLOSED_LINGER = new Setting(List.of("--tcp-closed-linger"), "SECONDS", "30",
        "how long a closed TCP connection still takes late packets before its final record", REPLAY);
    public static final Setting UDP_IDLE = new Setting(List.of("--udp-idle"), "SECONDS", "60",
        "idle timeout of UDP flows", REPLAY);
    public static final Setting OTHER_IDLE = new Setting(List.of("--other-idle"), "SECONDS", "60",
        "idle timeout of ICMP and other IP flows", REPLAY);
    public static final Setting ACTIVE_TIMEOUT = new Setting(List.of("--active-timeout"), "SECONDS", "60",
        "a connection still active this long after its start or its last interim record gets an interim record",
        REPLAY);
    /** {@code --active-timeout} of {@code linerate top} when not given: an open connection's row moves every second. */
    public static final String TOP_ACTIVE_TIMEOUT = "1";
    public static final Setting LOSSY_THRESHOLD = new Setting(List.of("--lossy-threshold"), "RATE", "0.02",
        "retransmit rate (retransmitted / data segments) above which a connection's verdict is lossy", REPLAY);
    public static final Setting SUMMARY_ROWS = new Setting(List.of("--summary-rows"), "N", "50",
        "connections listed in the summary table (totals always count all)", REPLAY);
    public static final Setting REPORT = new Setting(List.of("--report"), "FILE.html", null,
        "write a self-contained HTML page of the run: charts and tables of verdicts, RTTs, rates over time, " +
            "top connections with their Wireshark display filters, handshake failures, TLS, malformed frames, drops",
        REPLAY);
    public static final Setting QUIET = new Setting(List.of("-q", "--quiet"), null, null,
        "no progress line on a terminal's stderr, no closing lines (pace, filter, capture drops)", REPLAY);
    public static final Setting WHERE = new Setting(List.of("--where"), "EXPR", null,
        "keep only the connections this Wireshark display filter matches (ip.addr == 10.0.0.0/8 && " +
            "tcp.analysis.retransmission, verdict != \"ok\"), in every output", REPLAY);
    public static final Setting FLOW = new Setting(List.of("--flow"), "ID", null,
        "the connection whose flow_id, record_id or community_id is ID", List.of("packets", "follow"));
    public static final Setting ABSOLUTE_SEQUENCE = new Setting(List.of("-S", "--absolute-tcp-sequence-numbers"), null,
        null, "absolute TCP sequence numbers, as tcpdump -S (default: relative to each side's first, as Wireshark)",
        List.of("packets"));
    public static final Setting NUMBER = new Setting(List.of("-#", "--number"), null, null,
        "start each line with the frame's number in the input, as tcpdump -#", List.of("packets"));
    public static final Setting AS = new Setting(List.of("--as"), "ascii|hex|raw", "ascii",
        "how the bytes are shown, as tshark -z follow,tcp,MODE,N shows them", List.of("follow"));
    public static final Setting LOG_LEVEL = new Setting(List.of("--log-level"), "LEVEL", "off",
        "log events on stderr from this level up: off, error, warn, info (start, device, Kafka, end), debug", REPLAY);
    public static final Setting LOG_FORMAT = new Setting(List.of("--log-format"), "text|json", "text",
        "the log's lines: plain text, or one JSON object a line", REPLAY);
    public static final Setting TUNNEL_DEPTH = new Setting(List.of("--tunnel-depth"), "N", "8",
        "tunnels (GRE, VXLAN, Geneve, GTP-U, IP in IP, ...) opened to the innermost IP packet of a frame; 0: none " +
            "(a tunnel's packets stay its outer flow's); a frame with more is the anomaly tunnel_too_deep", REPLAY);
    public static final Setting VXLAN_PORT = new Setting(List.of("--vxlan-port"), "PORT", null,
        "a UDP port VXLAN is also taken on, besides 4789 (Linux's old default: 8472)", REPLAY);
    public static final Setting TUNNEL_KEY = new Setting(List.of("--tunnel-key"), "yes|no", "yes",
        "tell connections in tunnels apart by the VNI, GRE key or session that names both directions (two " +
            "tenants' equal inner 5-tuples are two connections); no: by the inner 5-tuple alone", REPLAY);
    public static final Setting HELP = new Setting(List.of("-h", "--help"), null, null, "this help", REPLAY);

    public static final Setting READ = new Setting(List.of("-r"), "FILE", null,
        "read FILE, as tcpdump -r (repeatable, the same as naming it after replay; - is standard input)",
        REPLAY_ONLY);
    public static final Setting MERGE = new Setting(List.of("--merge"), null, null,
        "interleave the frames of every file by time stamp, as mergecap (by default files that overlap in time " +
            "are merged, rotated files of one capture read in sequence)", REPLAY_ONLY);
    public static final Setting NO_MERGE = new Setting(List.of("--no-merge"), null, null,
        "read the files one after another, in the order given (a directory's captures in time order)",
        REPLAY_ONLY);
    public static final Setting SPEED = new Setting(List.of("--speed"), "PACE", "max",
        "max, original (as time-stamped), Nx (N times faster), or a wire rate, 10gbit (preamble and gap counted)",
        REPLAY_ONLY);

    public static final Setting INTERFACE = new Setting(List.of("-i", "--interface"), "IFACE", null,
        "the device to capture on (linerate interfaces lists them; any: all, as Linux cooked frames)", CAPTURE);
    public static final Setting SNAPLEN = new Setting(List.of("-s", "--snapshot-length"), "SNAPLEN", "262144",
        "bytes kept of each frame (0: 262144)", CAPTURE);
    public static final Setting NO_PROMISC = new Setting(List.of("-p", "--no-promiscuous-mode"), null, null,
        "do not put the interface into promiscuous mode", CAPTURE);
    public static final Setting IMMEDIATE = new Setting(List.of("--immediate-mode"), null, null,
        "hand each frame over as it arrives, not a kernel block at a time (up to 100 ms later); costs buffer room",
        CAPTURE);
    public static final Setting BUFFER_SIZE = new Setting(List.of("-B", "--buffer-size"), "KIB", "32768",
        "the kernel's capture buffer, in KiB (frames arriving while it is full are kernel drops)", CAPTURE);
    public static final Setting CPU = new Setting(List.of("--cpu"), "N", null,
        "pin the capture thread to CPU N (sched_setaffinity)", CAPTURE);
    public static final Setting DURATION = new Setting(List.of("--duration"), "SECONDS", null,
        "stop after this long (also: -c, SIGINT, SIGTERM)", CAPTURE);
    public static final Setting WRITE = new Setting(List.of("-w"), "FILE", null,
        "also write the captured frames to FILE as pcap (nanosecond time stamps), ring drops included", CAPTURE);
    public static final Setting FILE_SIZE = new Setting(List.of("-C"), "MB", null,
        "with -w: start a new file (FILE1, FILE2...) once the current one is larger than MB million bytes", CAPTURE);
    public static final Setting FILE_COUNT = new Setting(List.of("-W"), "N", null,
        "with -C: keep N files (FILE0..), overwriting the oldest, like tcpdump", CAPTURE);
    public static final Setting USER = new Setting(List.of("-Z", "--relinquish-privileges"), "USER", null,
        "once the device is open, give up root and run as USER", CAPTURE);

    public static final List<Setting> ALL = List.of(
        COUNT, OUT, SPILL, SPILL_MAX_BYTES, SPILL_MAX_AGE, KAFKA_DRAIN_TIMEOUT, KAFKA_CONFIG, DECODERS, SHARDS, PIPELINE, RING_SIZE, WAIT, SENSOR, MAX_FLOWS, TCP_IDLE, TCP_HALF_OPEN_IDLE,
        KAFKA_CREATE_TOPIC, KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR, METRICS, METRICS_WEB_CONFIG,
        TCP_CLOSED_LINGER, UDP_IDLE, OTHER_IDLE, ACTIVE_TIMEOUT, LOSSY_THRESHOLD, SUMMARY_ROWS, REPORT, QUIET, WHERE, LOG_LEVEL, LOG_FORMAT,
        TUNNEL_DEPTH, VXLAN_PORT, TUNNEL_KEY, HELP,
        READ, MERGE, NO_MERGE, FLOW, ABSOLUTE_SEQUENCE, NUMBER, AS,
        SPEED, INTERFACE, SNAPLEN, NO_PROMISC, IMMEDIATE, BUFFER_SIZE, CPU, DURATION, WRITE, FILE_SIZE, FILE_COUNT, USER);

    private Settings()
    {
    }

    /** The usage text: commands, then every setting with its default. */
    public static String usage()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("usage: linerate replay FILE|DIR|-... [options] [filter expression]\n");
        sb.append("       linerate capture -i IFACE [options] [filter expression]\n");
        sb.append("       linerate interfaces\n");
        sb.append("       linerate top FILE... | -i IFACE [options]      the connections on the terminal, updating (q quits; ")
            .append(ACTIVE_TIMEOUT.name()).append(' ').append(TOP_ACTIVE_TIMEOUT).append(" unless given)\n");
        sb.append("       linerate packets FILE... (--flow ID | --where EXPR | ADDR:PORT ADDR:PORT) [-S] [-#] [options]\n");
        sb.append("       linerate follow FILE... (--flow ID | --where EXPR | ADDR:PORT ADDR:PORT) [--as ascii|hex|raw] [options]\n");
        sb.append("       linerate --help\n\n");
        sb.append("Replays pcap/pcapng captures, or captures live from a device, into one linerate.flow/1 record per connection.\n");
        sb.append("Captures may be compressed (gzip, zstd, lz4, xz, bzip2); - reads standard input; ");
        sb.append("several files are merged by time.\n\n");
        sb.append("options:\n");
        for (final Setting s : ALL)
        {
            final String flags = String.join(", ", s.flags()) + (s.takesArgument() ? " " + s.argument() : "");
            sb.append(String.format(Locale.ROOT, "  %-28s %s%s", flags, s.commands().equals(REPLAY) ? "" :
                "(" + String.join(", ", s.commands()) + ") ", s.help()));
            if (s.defaultValue() != null)
            {
                sb.append(" [default: ").append(s.defaultValue()).append(']');
            }
            sb.append('\n');
        }
        sb.append("\nexit codes: 0 done, 1 bad input (missing, damaged or unsupported capture), 2 bad usage\n");
        return sb.toString();
    }

    /** Parses the arguments after {@code replay}; null when they ask for the help. */
    public static ReplayOptions parseReplay(final List<String> args, final boolean stdoutIsTerminal)
        throws UsageException
    {
        final CaptureOptions parsed = parse("replay", args, stdoutIsTerminal);
        return parsed == null ? null : parsed.pipeline();
    }

    /** Parses the arguments after {@code capture}; null when they ask for the help. */
    public static CaptureOptions parseCapture(final List<String> args, final boolean stdoutIsTerminal)
        throws UsageException
    {
        return parse("capture", args, stdoutIsTerminal);
    }

    private static CaptureOptions parse(final String command, final List<String> args, final boolean stdoutIsTerminal)
        throws UsageException
    {
        final boolean capture = command.equals("capture");
        final List<Path> files = new ArrayList<>();
        final List<String> outs = new ArrayList<>();
        final List<String> filterWords = new ArrayList<>();
        // Defaults come from the settings' own declarations, so --help always tells the truth.
        long count = Long.MAX_VALUE;
        int decoders = Integer.parseInt(DECODERS.defaultValue());
        int shards = ReplayOptions.SHARDS_AUTO;
        PipelineMode pipelineMode = PipelineMode.AUTO;
        int ringSize = Integer.parseInt(RING_SIZE.defaultValue());
        String wait = WAIT.defaultValue();
        String sensor = null;
        // Chosen with the heap and the direct memory limit, so the cap binds before either runs out.
        int maxFlows = FlowSettings.maxFlowsForMemory(Runtime.getRuntime().maxMemory(), maxDirectMemory());
        double tcpIdle = Double.parseDouble(TCP_IDLE.defaultValue());
        double tcpHalfOpen = Double.parseDouble(TCP_HALF_OPEN_IDLE.defaultValue());
        double tcpClosed = Double.parseDouble(TCP_CLOSED_LINGER.defaultValue());
        double udpIdle = Double.parseDouble(UDP_IDLE.defaultValue());
        double otherIdle = Double.parseDouble(OTHER_IDLE.defaultValue());
        double activeTimeout = Double.parseDouble(ACTIVE_TIMEOUT.defaultValue());
        double lossyThreshold = Double.parseDouble(LOSSY_THRESHOLD.defaultValue());
        int summaryRows = Integer.parseInt(SUMMARY_ROWS.defaultValue());
        Path spill = Path.of(SPILL.defaultValue());
        double kafkaDrainTimeout = Double.parseDouble(KAFKA_DRAIN_TIMEOUT.defaultValue());
        Path kafkaConfig = null;
        long spillMaxBytes = Long.parseLong(SPILL_MAX_BYTES.defaultValue());
        double spillMaxAge = Double.parseDouble(SPILL_MAX_AGE.defaultValue());
        boolean kafkaCreateTopic = yes(KAFKA_CREATE_TOPIC.name(), KAFKA_CREATE_TOPIC.defaultValue());
        int tunnelDepth = Integer.parseInt(TUNNEL_DEPTH.defaultValue());
        int vxlanPort = 0;
        boolean tunnelKey = yes(TUNNEL_KEY.name(), TUNNEL_KEY.defaultValue());
        int kafkaPartitions = KafkaTopic.BROKER_DEFAULT;
        int kafkaReplicationFactor = KafkaTopic.BROKER_DEFAULT;
        InetSocketAddress metrics = null;
        WebConfig metricsWebConfig = null;
        boolean help = false;
        DisplayFilter where = null;
        String device = null;
        int snaplen = Integer.parseInt(SNAPLEN.defaultValue());
        boolean promiscuous = true;
        boolean immediate = false;
        int bufferKib = Integer.parseInt(BUFFER_SIZE.defaultValue());
        int cpu = -1;
        long duration = Long.MAX_VALUE;
        Path write = null;
        long fileSize = 0;
        int fileCount = 0;
        String user = null;
        String speed = SPEED.defaultValue();
        InputPlan.Mode mergeMode = InputPlan.Mode.AUTO;
        Path report = null;
        boolean quiet = false;
        String logLevel = LOG_LEVEL.defaultValue();
        String logFormat = LOG_FORMAT.defaultValue();

        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            final Setting s = find(arg);
            if (s == null)
            {
                if (arg.startsWith("-") && arg.length() > 1)
                {
                    throw new UsageException("unknown option " + arg + " (see linerate --help)");
                }
                // tcpdump's habit: files first; the first word that is not an existing file (nor -,
                // standard input) starts the filter expression. A capture has no files: every word is
                // the filter's.
                if (!capture && filterWords.isEmpty() &&
                    (files.isEmpty() || "-".equals(arg) || Files.exists(Path.of(arg))))
                {
                    files.add(Path.of(arg));
                }
                else
                {
                    filterWords.add(arg);
                }
                continue;
            }
            if (!s.commands().contains(command))
            {
                throw new UsageException(arg + " is an option of " + String.join(", ", s.commands()) + ", not of " +
                    command + " (see linerate --help)");
            }
            if (s == HELP)
            {
                help = true;
                continue;
            }
            if (s == QUIET)
            {
                quiet = true;
                continue;
            }
            if (s == NO_PROMISC)
            {
                promiscuous = false;
                continue;
            }
            if (s == IMMEDIATE)
            {
                immediate = true;
                continue;
            }
            if (s == MERGE || s == NO_MERGE)
            {
                final InputPlan.Mode mode = s == MERGE ? InputPlan.Mode.MERGE : InputPlan.Mode.CONCAT;
                if (mergeMode != InputPlan.Mode.AUTO && mergeMode != mode)
                {
                    throw new UsageException("--merge and --no-merge exclude each other");
                }
                mergeMode = mode;
                continue;
            }
            if (i + 1 >= args.size())
            {
                throw new UsageException(arg + " needs " + s.argument());
            }
            final String value = args.get(++i);
            if (s == READ)
            {
                files.add(Path.of(value));
            }
            else if (s == COUNT)
            {
                count = positiveLong(arg, value);
            }
            else if (s == OUT)
            {
                outs.add(validateOut(value));
            }
            else if (s == WHERE)
            {
                where = where(value);
            }
            else if (s == SPILL)
            {
                spill = Path.of(value);
            }
            else if (s == SPILL_MAX_BYTES)
            {
                spillMaxBytes = positiveLong(arg, value);
            }
            else if (s == SPILL_MAX_AGE)
            {
                spillMaxAge = range(arg, value, 1, 10L * 365 * 86_400);
            }
            else if (s == KAFKA_DRAIN_TIMEOUT)
            {
                kafkaDrainTimeout = range(arg, value, 0, 86_400);
            }
            else if (s == KAFKA_CONFIG)
            {
                kafkaConfig = Path.of(value);
                if (!Files.isReadable(kafkaConfig))
                {
                    throw new UsageException(arg + ": cannot read " + value);
                }
            }
            else if (s == TUNNEL_DEPTH)
            {
                tunnelDepth = (int)range(arg, value, 0, DecodeCursor.MAX_TUNNEL_DEPTH);
            }
            else if (s == VXLAN_PORT)
            {
                vxlanPort = (int)range(arg, value, 1, 65535);
            }
            else if (s == TUNNEL_KEY)
            {
                tunnelKey = yes(arg, value);
            }
            else if (s == KAFKA_CREATE_TOPIC)
            {
                kafkaCreateTopic = yes(arg, value);
            }
            else if (s == KAFKA_PARTITIONS)
            {
                kafkaPartitions = (int)range(arg, value, 1, 1_000_000);
            }
            else if (s == KAFKA_REPLICATION_FACTOR)
            {
                kafkaReplicationFactor = (int)range(arg, value, 1, Short.MAX_VALUE);
            }
            else if (s == METRICS)
            {
                metrics = listenAddress(arg, value);
            }
            else if (s == METRICS_WEB_CONFIG)
            {
                try
                {
                    metricsWebConfig = WebConfig.read(Path.of(value));
                }
                catch (final IOException ex)
                {
                    throw new UsageException(arg + ": " + (ex instanceof NoSuchFileException ?
                        "no such file " + value : ex.getMessage()));
                }
            }
            else if (s == DECODERS)
            {
                decoders = (int)range(arg, value, 0, 64);
            }
            else if (s == SHARDS)
            {
                shards = (int)range(arg, value, 1, 64);
            }
            else if (s == PIPELINE)
            {
                pipelineMode = PipelineMode.of(value)
                    .orElseThrow(() -> new UsageException(arg + " must be auto, ring or run-to-completion: " + value));
            }
            else if (s == RING_SIZE)
            {
                ringSize = (int)range(arg, value, 2, 1 << 24);
                if (Integer.bitCount(ringSize) != 1)
                {
                    throw new UsageException(arg + " must be a power of two: " + value);
                }
            }
            else if (s == WAIT)
            {
                if (!List.of("block", "sleep", "yield", "spin").contains(value))
                {
                    throw new UsageException(arg + " must be block, sleep, yield or spin: " + value);
                }
                wait = value;
            }
            else if (s == SENSOR)
            {
                sensor = value;
            }
            else if (s == MAX_FLOWS)
            {
                maxFlows = (int)range(arg, value, 1, 1 << 28);
            }
            else if (s == TCP_IDLE)
            {
                tcpIdle = seconds(arg, value);
            }
            else if (s == TCP_HALF_OPEN_IDLE)
            {
                tcpHalfOpen = seconds(arg, value);
            }
            else if (s == TCP_CLOSED_LINGER)
            {
                tcpClosed = seconds(arg, value);
            }
            else if (s == UDP_IDLE)
            {
                udpIdle = seconds(arg, value);
            }
            else if (s == OTHER_IDLE)
            {
                otherIdle = seconds(arg, value);
            }
            else if (s == ACTIVE_TIMEOUT)
            {
                activeTimeout = seconds(arg, value);
            }
            else if (s == LOSSY_THRESHOLD)
            {
                lossyThreshold = fraction(arg, value);
            }
            else if (s == SUMMARY_ROWS)
            {
                summaryRows = (int)range(arg, value, 0, 1_000_000);
            }
            else if (s == LOG_LEVEL)
            {
                if (!Logs.LEVELS.contains(value))
                {
                    throw new UsageException(arg + " must be one of " + String.join(", ", Logs.LEVELS) + ": " + value);
                }
                logLevel = value;
            }
            else if (s == LOG_FORMAT)
            {
                if (!Logs.FORMATS.contains(value))
                {
                    throw new UsageException(arg + " must be text or json: " + value);
                }
                logFormat = value;
            }
            else if (s == REPORT)
            {
                report = Path.of(value);
            }
            else if (s == SPEED)
            {
                try
                {
                    ReplayPacer.of(value);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new UsageException(ex.getMessage());
                }
                speed = value;
            }
            else if (s == INTERFACE)
            {
                device = value;
            }
            else if (s == SNAPLEN)
            {
                snaplen = (int)range(arg, value, 0, 262_144);
                snaplen = snaplen == 0 ? 262_144 : snaplen;
            }
            else if (s == BUFFER_SIZE)
            {
                bufferKib = (int)range(arg, value, 1, 1 << 21);
            }
            else if (s == CPU)
            {
                cpu = (int)range(arg, value, 0, Runtime.getRuntime().availableProcessors() - 1);
            }
            else if (s == DURATION)
            {
                duration = nanos(seconds(arg, value));
            }
            else if (s == WRITE)
            {
                write = Path.of(value);
            }
            else if (s == FILE_SIZE)
            {
                fileSize = positiveLong(arg, value);
            }
            else if (s == FILE_COUNT)
            {
                fileCount = (int)range(arg, value, 1, 1_000_000);
            }
            else if (s == USER)
            {
                user = value;
            }
        }
        if (help)
        {
            return null;
        }
        if (!capture && files.isEmpty())
        {
            throw new UsageException("replay needs at least one capture file (- for standard input)");
        }
        if (files.stream().filter(f -> f.toString().equals("-")).count() > 1)
        {
            throw new UsageException("standard input (-) can be read only once");
        }
        if (capture && device == null)
        {
            throw new UsageException("capture needs -i IFACE (linerate interfaces lists them)");
        }
        if (metricsWebConfig != null && metrics == null)
        {
            throw new UsageException("--metrics-web-config needs --metrics [HOST:]PORT");
        }
        if (write == null && (fileSize > 0 || fileCount > 0))
        {
            throw new UsageException("-C and -W need -w FILE");
        }
        if (fileCount > 0 && fileSize == 0)
        {
            throw new UsageException("-W needs -C MB (tcpdump's rule: the count limits rotated files)");
        }
        // A capture's filter is compiled on the device's own handle when it opens.
        final String filter = filter(filterWords, !capture);
        if (outs.stream().filter(o -> o.startsWith("kafka:")).count() > 1)
        {
            throw new UsageException("one kafka output per run (its spill is --spill DIR)");
        }
        if (outs.isEmpty())
        {
            outs.add(stdoutIsTerminal ? "summary" : "jsonl:-");
        }
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
        final ReplayOptions pipeline = new ReplayOptions(List.copyOf(files), count, List.copyOf(outs), decoders, shards,
            pipelineMode, ringSize, wait,
            sensor == null ? hostName() : sensor, maxFlows, nanos(tcpIdle), nanos(tcpHalfOpen), nanos(tcpClosed),
            nanos(udpIdle), nanos(otherIdle), summaryRows, spill,
            new SpillRetention(spillMaxBytes, Duration.ofNanos(nanos(spillMaxAge))), nanos(kafkaDrainTimeout), kafkaConfig,
            nanos(activeTimeout), lossyThreshold,
            new KafkaTopic(kafkaCreateTopic, kafkaPartitions, kafkaReplicationFactor), metrics, metricsWebConfig, filter,
            speed, mergeMode, report, quiet, logLevel, logFormat, where,
            new DecodeSettings(tunnelDepth, vxlanPort, tunnelKey));
        return new CaptureOptions(pipeline, device, snaplen, promiscuous, immediate, bufferKib * 1024, cpu, duration, write,
            fileSize, fileCount, user);
    }

    /**
     * The filter expression from the words after the files (tcpdump joins them with spaces), checked
     * by libpcap's compiler now so a bad one is a usage error with libpcap's message; null for none.
     */
    private static String filter(final List<String> words, final boolean check) throws UsageException
    {
        if (words.isEmpty())
        {
            return null;
        }
        final String expression = String.join(" ", words);
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

    private static Setting find(final String arg)
    {
        for (final Setting s : ALL)
        {
            if (s.flags().contains(arg))
            {
                return s;
            }
        }
        return null;
    }

    private static String validateOut(final String spec) throws UsageException
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

    private static String hostName()
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
