package io.linerate.perf.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every setting of the {@link TrafficGenerator} in one place: its flag, default, validation and
 * help ({@link #usage()}). Mutable while being configured (fluent setters or {@link #parse}), then
 * checked as a whole by {@link #validate()}.
 */
public final class GeneratorSettings
{
    /** What kind of traffic to write. */
    public enum Mode
    {
        /** Whole TCP connections (handshake, data, close) and UDP exchanges, with known truth. */
        TCP("tcp"),
        /** Minimum-size frames (60 bytes, 64 on the wire with FCS): TCP pure ACKs of many connections. */
        MIN_FRAMES("64b"),
        /** IMIX-like: 64, 594 and 1518-byte frames (with FCS) in the ratio 7:4:1, TCP of many connections. */
        IMIX("imix");

        private final String cliName;

        Mode(final String cliName)
        {
            this.cliName = cliName;
        }

        public String cliName()
        {
            return cliName;
        }

        /** The mode named {@code name} on the command line. */
        public static Mode of(final String name)
        {
            for (final Mode m : values())
            {
                if (m.cliName.equals(name))
                {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode must be tcp, 64b or imix: " + name);
        }
    }

    /** An inclusive range of values, written {@code MIN-MAX} or a single value. */
    public record Range(long min, long max)
    {
        public Range
        {
            if (min < 0 || max < min)
            {
                throw new IllegalArgumentException("bad range " + min + "-" + max);
            }
        }

        static Range parse(final String text)
        {
            final int dash = text.indexOf('-', 1);
            return dash < 0 ? new Range(Long.parseLong(text), Long.parseLong(text)) :
                new Range(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
        }

        @Override
        public String toString()
        {
            return min == max ? Long.toString(min) : min + "-" + max;
        }
    }

    /** 2024-01-01T00:00:00Z: the first packet's time. */
    public static final long DEFAULT_START_MICROS = 1_704_067_200_000_000L;
    /** Largest number of client addresses: 10.x.y.z with z in 1..254. */
    public static final int MAX_CLIENTS = 254 * 256 * 256;
    /** Client ports are taken from 1024-65535. */
    public static final int CLIENT_PORTS = 65536 - 1024;

    private Mode mode = Mode.TCP;
    private long seed = 1;
    private long startMicros = DEFAULT_START_MICROS;
    private int clients = 65536;
    private int servers = 4;

    // tcp mode
    private int connections = 1000;
    private int refused;
    private int unanswered;
    private int retransmitted;
    private int synRetried;
    private int rstClose;
    private int udpFlows;
    private int synRetries = 3;
    private Range synToSynAckMicros = new Range(300, 3000);
    private Range synAckToAckMicros = new Range(1000, 60000);
    private Range requestBytes = new Range(100, 1200);
    private Range responseBytes = new Range(200, 20000);
    private Range thinkMicros = new Range(0, 500);
    private int mss = 1460;
    private long connectionRate = 20000;
    private long segmentGapMicros = 12;
    private long retransmitDelayMicros = 200_000;

    // 64b and imix modes
    private long frames = 1_000_000;
    private int flows = 65536;
    private long frameGapMicros = 1;

    /** One line of {@link #usage()} per setting. */
    private static final String[][] HELP = {
        {"--seed N", "1", "seed of every random choice: the same settings and seed give the same bytes"},
        {"--clients N", "65536", "client addresses, 10.x.y.z (at most " + MAX_CLIENTS + ")"},
        {"--servers N", "4", "server addresses, 172.16.0.x (TCP) and 172.16.1.x (UDP), at most 254"},
        {"--start-us MICROS", Long.toString(DEFAULT_START_MICROS), "time of the first packet, microseconds since the epoch"},
        {"--connections N", "1000", "tcp: TCP connections, all kinds together"},
        {"--refused N", "0", "tcp: of which SYN answered by RST/ACK"},
        {"--unanswered N", "0", "tcp: of which SYN never answered (retransmitted with 1, 2, 4 s backoff)"},
        {"--rst-close N", "0", "tcp: of the completed ones, closed by a RST instead of FINs"},
        {"--retransmitted N", "0", "tcp: of the completed ones, with one data segment re-sent after --retransmit-delay-us"},
        {"--syn-retried N", "0", "tcp: of the completed ones, whose first SYN went unanswered (answered after 1 s)"},
        {"--udp-flows N", "0", "tcp: UDP request/response flows (DNS-like, port 53) besides the connections"},
        {"--syn-retries N", "3", "tcp: retransmissions of an unanswered SYN (backoff 1 s, doubling)"},
        {"--syn-synack-us MIN[-MAX]", "300-3000", "tcp: SYN to SYN-ACK at the capture point (server side)"},
        {"--synack-ack-us MIN[-MAX]", "1000-60000", "tcp: SYN-ACK to ACK at the capture point (client side)"},
        {"--request-bytes MIN[-MAX]", "100-1200", "tcp: client payload per connection (at least 1)"},
        {"--response-bytes MIN[-MAX]", "200-20000", "tcp: server payload per connection (at least 1)"},
        {"--think-us MIN[-MAX]", "0-500", "tcp: server time between request and response"},
        {"--mss N", "1460", "tcp: largest segment payload (announced in SYN options), 1-1460"},
        {"--rate N", "20000", "tcp: new connections per second of packet time"},
        {"--segment-gap-us N", "12", "tcp: gap between back-to-back segments"},
        {"--retransmit-delay-us N", "200000", "tcp: delay before a re-sent data segment"},
        {"--frames N", "1000000", "64b, imix: frames to write"},
        {"--flows N", "65536", "64b, imix: TCP connections the frames belong to"},
        {"--frame-gap-us N", "1", "64b, imix: time between frames (time stamps are microseconds)"},
    };

    /** Help text: one line per setting, with its default. */
    public static String usage()
    {
        final StringBuilder sb = new StringBuilder();
        for (final String[] h : HELP)
        {
            sb.append(String.format(Locale.ROOT, "  %-28s %s [default: %s]%n", h[0], h[2], h[1]));
        }
        return sb.toString();
    }

    /**
     * Applies {@code --name value} pairs to these settings.
     *
     * @return the arguments that are not generator settings, in order
     * @throws IllegalArgumentException on a bad value or a missing one
     */
    public List<String> parse(final List<String> args)
    {
        final List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++)
        {
            final String flag = args.get(i);
            if (!isSetting(flag))
            {
                rest.add(flag);
                continue;
            }
            if (i + 1 >= args.size())
            {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            final String v = args.get(++i);
            try
            {
                apply(flag, v);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(flag + ": not a number: " + v, ex);
            }
        }
        return rest;
    }

    /** True when {@code flag} names a generator setting. */
    public static boolean isSetting(final String flag)
    {
        for (final String[] h : HELP)
        {
            if (h[0].startsWith(flag + " "))
            {
                return true;
            }
        }
        return false;
    }

    private void apply(final String flag, final String v)
    {
        switch (flag)
        {
            case "--seed": seed = Long.parseLong(v); break;
            case "--clients": clients = Integer.parseInt(v); break;
            case "--servers": servers = Integer.parseInt(v); break;
            case "--start-us": startMicros = Long.parseLong(v); break;
            case "--connections": connections = Integer.parseInt(v); break;
            case "--refused": refused = Integer.parseInt(v); break;
            case "--unanswered": unanswered = Integer.parseInt(v); break;
            case "--rst-close": rstClose = Integer.parseInt(v); break;
            case "--retransmitted": retransmitted = Integer.parseInt(v); break;
            case "--syn-retried": synRetried = Integer.parseInt(v); break;
            case "--udp-flows": udpFlows = Integer.parseInt(v); break;
            case "--syn-retries": synRetries = Integer.parseInt(v); break;
            case "--syn-synack-us": synToSynAckMicros = Range.parse(v); break;
            case "--synack-ack-us": synAckToAckMicros = Range.parse(v); break;
            case "--request-bytes": requestBytes = Range.parse(v); break;
            case "--response-bytes": responseBytes = Range.parse(v); break;
            case "--think-us": thinkMicros = Range.parse(v); break;
            case "--mss": mss = Integer.parseInt(v); break;
            case "--rate": connectionRate = Long.parseLong(v); break;
            case "--segment-gap-us": segmentGapMicros = Long.parseLong(v); break;
            case "--retransmit-delay-us": retransmitDelayMicros = Long.parseLong(v); break;
            case "--frames": frames = Long.parseLong(v); break;
            case "--flows": flows = Integer.parseInt(v); break;
            case "--frame-gap-us": frameGapMicros = Long.parseLong(v); break;
            default: throw new IllegalArgumentException("unknown generator setting " + flag);
        }
    }

    /**
     * Checks the settings as a whole.
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public GeneratorSettings validate()
    {
        require(clients >= 1 && clients <= MAX_CLIENTS, "--clients must be 1-" + MAX_CLIENTS + ": " + clients);
        require(servers >= 1 && servers <= 254, "--servers must be 1-254: " + servers);
        require(startMicros > 0, "--start-us must be positive");
        if (mode == Mode.TCP)
        {
            require(connections >= 0 && udpFlows >= 0, "--connections and --udp-flows must not be negative");
            require(refused >= 0 && unanswered >= 0 && refused + (long)unanswered <= connections,
                "--refused + --unanswered exceed --connections");
            final int completed = completedConnections();
            require(rstClose >= 0 && rstClose <= completed, "--rst-close exceeds the completed connections (" + completed + ")");
            require(retransmitted >= 0 && retransmitted <= completed,
                "--retransmitted exceeds the completed connections (" + completed + ")");
            require(synRetried >= 0 && synRetried <= completed,
                "--syn-retried exceeds the completed connections (" + completed + ")");
            require(synRetries >= 0 && synRetries <= 10, "--syn-retries must be 0-10: " + synRetries);
            require((long)connections + udpFlows <= (long)clients * CLIENT_PORTS,
                "more connections than client address and port pairs (raise --clients)");
            require(requestBytes.min() >= 1 && responseBytes.min() >= 1, "request and response must carry at least 1 byte");
            require(mss >= 1 && mss <= 1460, "--mss must be 1-1460: " + mss);
            require(connectionRate >= 1 && connectionRate <= 1_000_000, "--rate must be 1-1000000: " + connectionRate);
            require(segmentGapMicros >= 0 && retransmitDelayMicros >= 1, "--segment-gap-us >= 0, --retransmit-delay-us >= 1");
        }
        else
        {
            require(frames >= 0, "--frames must not be negative");
            require(flows >= 1 && flows <= (long)clients * CLIENT_PORTS, "--flows must be 1 to clients x 64512: " + flows);
            require(frameGapMicros >= 1, "--frame-gap-us must be at least 1 (time stamps strictly increase)");
        }
        return this;
    }

    private static void require(final boolean ok, final String message)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(message);
        }
    }

    /** TCP connections that complete their handshake (neither refused nor unanswered). */
    public int completedConnections()
    {
        return connections - refused - unanswered;
    }

    /** The settings as command-line flags (only the ones that matter for the mode). */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(mode.cliName()).append(" --seed ").append(seed);
        if (mode == Mode.TCP)
        {
            sb.append(" --connections ").append(connections).append(" --refused ").append(refused)
                .append(" --unanswered ").append(unanswered).append(" --rst-close ").append(rstClose)
                .append(" --retransmitted ").append(retransmitted).append(" --syn-retried ").append(synRetried)
                .append(" --udp-flows ").append(udpFlows).append(" --syn-synack-us ").append(synToSynAckMicros)
                .append(" --synack-ack-us ").append(synAckToAckMicros).append(" --request-bytes ").append(requestBytes)
                .append(" --response-bytes ").append(responseBytes).append(" --rate ").append(connectionRate);
        }
        else
        {
            sb.append(" --frames ").append(frames).append(" --flows ").append(flows);
        }
        return sb.toString();
    }

    public Mode mode()
    {
        return mode;
    }

    public GeneratorSettings mode(final Mode v)
    {
        mode = v;
        return this;
    }

    public long seed()
    {
        return seed;
    }

    public GeneratorSettings seed(final long v)
    {
        seed = v;
        return this;
    }

    public long startMicros()
    {
        return startMicros;
    }

    public GeneratorSettings startMicros(final long v)
    {
        startMicros = v;
        return this;
    }

    public int clients()
    {
        return clients;
    }

    public GeneratorSettings clients(final int v)
    {
        clients = v;
        return this;
    }

    public int servers()
    {
        return servers;
    }

    public GeneratorSettings servers(final int v)
    {
        servers = v;
        return this;
    }

    public int connections()
    {
        return connections;
    }

    public GeneratorSettings connections(final int v)
    {
        connections = v;
        return this;
    }

    public int refused()
    {
        return refused;
    }

    public GeneratorSettings refused(final int v)
    {
        refused = v;
        return this;
    }

    public int unanswered()
    {
        return unanswered;
    }

    public GeneratorSettings unanswered(final int v)
    {
        unanswered = v;
        return this;
    }

    public int retransmitted()
    {
        return retransmitted;
    }

    public GeneratorSettings retransmitted(final int v)
    {
        retransmitted = v;
        return this;
    }

    public int synRetried()
    {
        return synRetried;
    }

    public GeneratorSettings synRetried(final int v)
    {
        synRetried = v;
        return this;
    }

    public int rstClose()
    {
        return rstClose;
    }

    public GeneratorSettings rstClose(final int v)
    {
        rstClose = v;
        return this;
    }

    public int udpFlows()
    {
        return udpFlows;
    }

    public GeneratorSettings udpFlows(final int v)
    {
        udpFlows = v;
        return this;
    }

    public int synRetries()
    {
        return synRetries;
    }

    public GeneratorSettings synRetries(final int v)
    {
        synRetries = v;
        return this;
    }

    public Range synToSynAckMicros()
    {
        return synToSynAckMicros;
    }

    public GeneratorSettings synToSynAckMicros(final Range v)
    {
        synToSynAckMicros = v;
        return this;
    }

    public Range synAckToAckMicros()
    {
        return synAckToAckMicros;
    }

    public GeneratorSettings synAckToAckMicros(final Range v)
    {
        synAckToAckMicros = v;
        return this;
    }

    public Range requestBytes()
    {
        return requestBytes;
    }

    public GeneratorSettings requestBytes(final Range v)
    {
        requestBytes = v;
        return this;
    }

    public Range responseBytes()
    {
        return responseBytes;
    }

    public GeneratorSettings responseBytes(final Range v)
    {
        responseBytes = v;
        return this;
    }

    public Range thinkMicros()
    {
        return thinkMicros;
    }

    public GeneratorSettings thinkMicros(final Range v)
    {
        thinkMicros = v;
        return this;
    }

    public int mss()
    {
        return mss;
    }

    public GeneratorSettings mss(final int v)
    {
        mss = v;
        return this;
    }

    public long connectionRate()
    {
        return connectionRate;
    }

    public GeneratorSettings connectionRate(final long v)
    {
        connectionRate = v;
        return this;
    }

    public long segmentGapMicros()
    {
        return segmentGapMicros;
    }

    public GeneratorSettings segmentGapMicros(final long v)
    {
        segmentGapMicros = v;
        return this;
    }

    public long retransmitDelayMicros()
    {
        return retransmitDelayMicros;
    }

    public GeneratorSettings retransmitDelayMicros(final long v)
    {
        retransmitDelayMicros = v;
        return this;
    }

    public long frames()
    {
        return frames;
    }

    public GeneratorSettings frames(final long v)
    {
        frames = v;
        return this;
    }

    public int flows()
    {
        return flows;
    }

    public GeneratorSettings flows(final int v)
    {
        flows = v;
        return this;
    }

    public long frameGapMicros()
    {
        return frameGapMicros;
    }

    public GeneratorSettings frameGapMicros(final long v)
    {
        frameGapMicros = v;
        return this;
    }
}
