package io.linerate.perf.generate;

import io.linerate.decode.tcp.TcpFlags;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Writes synthetic traffic with known truth: a classic pcap (Ethernet, microsecond time stamps) and,
 * for every connection, what an analyser must report about it ({@link ConnectionTruth}).
 * Deterministic: the same {@link GeneratorSettings} (seed included) give the same bytes.
 *
 * <p>Three modes ({@link GeneratorSettings.Mode}):
 * <ul>
 * <li>{@code tcp}: whole TCP connections (3-way handshake with a chosen SYN to SYN-ACK and SYN-ACK
 *     to ACK split, a request and a response in MSS-sized segments with ACKs, FIN or RST close),
 *     some refused (SYN, RST/ACK), some unanswered (SYN retransmitted after 1, 2, 4 s), some with a
 *     SYN retried once before the answer, some with a data segment re-sent; plus DNS-like UDP
 *     flows. Connections start at a fixed rate and overlap in time; clients are 10.x.y.z with
 *     distinct ports, servers a few 172.16.0.x.</li>
 * <li>{@code 64b}: minimum-size frames (60 bytes, 64 with the FCS on the wire: 14.88 Mpps fill
 *     10GbE), TCP pure ACKs of many established connections, for packet-rate tests.</li>
 * <li>{@code imix}: 64, 594 and 1518-byte frames (with FCS) in the ratio 7:4:1 (a simple IMIX), TCP
 *     data and ACKs of many established connections, for bit-rate tests.</li>
 * </ul>
 *
 * <p>Frames stream to a {@link FrameSink}; only the open connections are held in memory, so files
 * of many gigabytes can be written. Time stamps strictly increase: when two packets are planned for
 * the same microsecond the later one moves to the next microsecond, and the truth reports the times
 * actually written.
 *
 * <pre>
 * java -cp perf/target/linerate-perf.jar io.linerate.perf.generate.TrafficGenerator tcp \
 *     --out /tmp/t.pcap --truth /tmp/t.jsonl --connections 200 --refused 20 --unanswered 20
 * </pre>
 */
public final class TrafficGenerator
{
    private static final int KIND_MASK = 0x07;
    private static final int FLAG_RETRANSMIT = 0x08;
    private static final int FLAG_SYN_RETRY = 0x10;
    private static final ConnectionTruth.Kind[] KINDS = ConnectionTruth.Kind.values();

    private static final int SERVER_NET_TCP = (172 << 24) | (16 << 16);
    private static final int SERVER_NET_UDP = (172 << 24) | (16 << 16) | (1 << 8);
    private static final int DNS_PORT = 53;
    private static final int HTTPS_PORT = 443;
    private static final int CLOSED_PORT = 8081;
    private static final int FILTERED_PORT = 3389;

    /** Ethernet, IPv4 and TCP headers without options. */
    private static final int TCP_HEADERS_LENGTH =
        FrameBuilder.ETHERNET_HEADER_LENGTH + FrameBuilder.IPV4_HEADER_LENGTH + FrameBuilder.TCP_HEADER_LENGTH;
    /** IMIX frame lengths without FCS (64, 594, 1518 with it), 7:4:1. */
    private static final int[] IMIX_BLOCK = {60, 60, 60, 60, 60, 60, 60, 590, 590, 590, 590, 1514};

    private final GeneratorSettings settings;
    private final FrameSink sink;
    private final Consumer<ConnectionTruth> truthListener;
    private final FrameBuilder builder = new FrameBuilder();
    private final DnsMessage dns = new DnsMessage();
    private final TrafficTruth totals = new TrafficTruth();
    private long lastMicros = Long.MIN_VALUE;

    private TrafficGenerator(final GeneratorSettings settings, final FrameSink sink,
        final Consumer<ConnectionTruth> truthListener)
    {
        this.settings = settings;
        this.sink = sink;
        this.truthListener = truthListener;
    }

    /**
     * Generates the traffic of {@code settings} into {@code sink} (which is not closed).
     *
     * @param truthListener called with each connection's truth when its last packet is written
     *                      (tcp mode) or at the end (64b, imix); may be null
     * @return the totals
     */
    public static TrafficTruth generate(final GeneratorSettings settings, final FrameSink sink,
        final Consumer<ConnectionTruth> truthListener) throws IOException
    {
        settings.validate();
        final TrafficGenerator g = new TrafficGenerator(settings, sink, truthListener == null ? t -> { } : truthListener);
        if (settings.mode() == GeneratorSettings.Mode.TCP)
        {
            g.connections();
        }
        else
        {
            g.midstream();
        }
        return g.totals;
    }

    /**
     * Writes {@code pcap} and, when {@code truthJsonLines} is not null, the truth as one JSON object
     * per line.
     */
    public static TrafficTruth writeFiles(final GeneratorSettings settings, final Path pcap, final Path truthJsonLines)
        throws IOException
    {
        try (PcapFileWriter writer = new PcapFileWriter(pcap);
            BufferedWriter truth = truthJsonLines == null ? null :
                Files.newBufferedWriter(truthJsonLines, StandardCharsets.UTF_8))
        {
            final StringBuilder line = new StringBuilder(512);
            return generate(settings, writer, truth == null ? null : t ->
            {
                line.setLength(0);
                t.appendJson(line).append('\n');
                try
                {
                    truth.append(line);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }

    // ---- tcp mode ----------------------------------------------------------------------------

    private void connections() throws IOException
    {
        final byte[] plans = assignKinds();
        final PriorityQueue<ConnectionScript> open = new PriorityQueue<>(
            Comparator.comparingLong(ConnectionScript::nextMicros).thenComparingLong(c -> c.ordinal));
        int next = 0;
        while (next < plans.length || !open.isEmpty())
        {
            if (next < plans.length && (open.isEmpty() || startMicros(next) <= open.peek().nextMicros()))
            {
                open.add(script(next, plans[next]));
                next++;
                totals.concurrent(open.size());
                continue;
            }
            final ConnectionScript c = open.poll();
            write(c.truth, c.take());
            if (c.hasNext())
            {
                open.add(c);
            }
            else
            {
                finish(c.truth);
            }
        }
    }

    /**
     * One byte per connection: its kind and extra events, in a seeded random order, so the special
     * cases are spread over the whole capture and their counts are exact.
     */
    private byte[] assignKinds()
    {
        final GeneratorSettings s = settings;
        final int connections = s.connections();
        final byte[] plans = new byte[connections + s.udpFlows()];
        int i = 0;
        for (int k = 0; k < s.refused(); k++)
        {
            plans[i++] = (byte)ConnectionTruth.Kind.REFUSED.ordinal();
        }
        for (int k = 0; k < s.unanswered(); k++)
        {
            plans[i++] = (byte)ConnectionTruth.Kind.UNANSWERED.ordinal();
        }
        final int firstCompleted = i;
        final int completed = connections - firstCompleted;
        for (int k = 0; k < completed; k++)
        {
            plans[i++] = (byte)(k < s.rstClose() ? ConnectionTruth.Kind.RST : ConnectionTruth.Kind.FIN).ordinal();
        }
        // Retransmissions from the front of the completed ones, SYN retries from the back: they only
        // meet on the same connection when together they outnumber the completed connections.
        for (int k = 0; k < s.retransmitted(); k++)
        {
            plans[firstCompleted + k] |= FLAG_RETRANSMIT;
        }
        for (int k = 0; k < s.synRetried(); k++)
        {
            plans[firstCompleted + completed - 1 - k] |= FLAG_SYN_RETRY;
        }
        while (i < plans.length)
        {
            plans[i++] = (byte)ConnectionTruth.Kind.UDP.ordinal();
        }
        final SplittableRandom rng = new SplittableRandom(s.seed());
        for (int k = plans.length - 1; k > 0; k--)
        {
            final int j = rng.nextInt(k + 1);
            final byte b = plans[k];
            plans[k] = plans[j];
            plans[j] = b;
        }
        return plans;
    }

    private long startMicros(final int ordinal)
    {
        return settings.startMicros() + ordinal * 1_000_000L / settings.connectionRate();
    }

    private ConnectionScript script(final int ordinal, final byte plan)
    {
        final GeneratorSettings s = settings;
        final ConnectionTruth.Kind kind = KINDS[plan & KIND_MASK];
        // Each connection draws from its own generator: changing one setting of one kind of
        // connection does not reshuffle all the others.
        final SplittableRandom rng = new SplittableRandom(mix(s.seed(), ordinal));
        final int clientIp = clientIp(ordinal % s.clients());
        final int clientPort = clientPort(ordinal);
        final int server = ordinal % s.servers();
        if (kind == ConnectionTruth.Kind.UDP)
        {
            final ConnectionTruth t = new ConnectionTruth(kind, clientIp, clientPort, SERVER_NET_UDP | (1 + server), DNS_PORT);
            return ConnectionScript.udp(s, ordinal, t, startMicros(ordinal), rng);
        }
        final int serverPort;
        switch (kind)
        {
            case REFUSED:
                serverPort = CLOSED_PORT;
                break;
            case UNANSWERED:
                serverPort = FILTERED_PORT;
                break;
            default:
                serverPort = HTTPS_PORT;
        }
        final ConnectionTruth t = new ConnectionTruth(kind, clientIp, clientPort, SERVER_NET_TCP | (1 + server), serverPort);
        return ConnectionScript.tcp(s, ordinal, t, startMicros(ordinal), (plan & FLAG_RETRANSMIT) != 0,
            (plan & FLAG_SYN_RETRY) != 0, rng);
    }

    private void write(final ConnectionTruth t, final ConnectionScript.Segment seg) throws IOException
    {
        final long micros = Math.max(seg.micros(), lastMicros + 1);
        lastMicros = micros;
        final boolean fromClient = seg.fromClient();
        final int src = fromClient ? t.clientIp : t.serverIp;
        final int dst = fromClient ? t.serverIp : t.clientIp;
        final int srcPort = fromClient ? t.clientPort : t.serverPort;
        final int dstPort = fromClient ? t.serverPort : t.clientPort;
        final int flags = seg.flags();
        final int length = t.tcp ?
            builder.tcp(src, srcPort, dst, dstPort, seg.seq(), seg.ack(), flags, ConnectionScript.window(seg),
                (flags & TcpFlags.SYN) != 0 ? settings.mss() : 0, seg.payload(), seg.seq()) :
            builder.udp(src, srcPort, dst, dstPort, dns.message(seg.seq(), !fromClient), seg.payload());
        emit(micros, length);

        t.seen(micros);
        final ConnectionTruth.Direction d = fromClient ? t.c2s : t.s2c;
        d.count(length, seg.payload());
        d.fin |= t.tcp && (flags & TcpFlags.FIN) != 0;
        d.rst |= t.tcp && (flags & TcpFlags.RST) != 0;
        switch (seg.role())
        {
            case ConnectionScript.ROLE_SYN:
                if (t.synCount > 0)
                {
                    d.retransmitted(seg.seq(), 0, fromClient ? t.s2c : t.c2s);
                }
                t.synCount++;
                t.lastSynMicros = micros;
                break;
            case ConnectionScript.ROLE_SYN_ACK:
                t.synAckCount++;
                t.synAckMicros = micros;
                break;
            case ConnectionScript.ROLE_HANDSHAKE_ACK:
                t.handshakeAckMicros = micros;
                break;
            case ConnectionScript.ROLE_REFUSAL:
                t.refusalMicros = micros;
                break;
            case ConnectionScript.ROLE_RETRANSMISSION:
                d.retransmitted(seg.seq(), seg.payload(), fromClient ? t.s2c : t.c2s);
                break;
            default:
                break;
        }
        if (t.tcp && (flags & TcpFlags.ACK) != 0)
        {
            d.lastAck = seg.ack();
        }
    }

    // ---- 64b and imix modes --------------------------------------------------------------------

    private void midstream() throws IOException
    {
        final GeneratorSettings s = settings;
        final boolean imix = s.mode() == GeneratorSettings.Mode.IMIX;
        final int flows = s.flows();
        final SplittableRandom rng = new SplittableRandom(s.seed());
        final ConnectionTruth[] truths = new ConnectionTruth[flows];
        // Next sequence number of each side: [2f] the client's, [2f + 1] the server's.
        final long[] nextSeq = new long[2 * flows];
        final int[] block = IMIX_BLOCK.clone();
        final int ackOnly = FrameBuilder.tcpFrameLength(0);
        final long start = s.startMicros();
        final long gap = s.frameGapMicros();

        for (long k = 0; k < s.frames(); k++)
        {
            final int f = rng.nextInt(flows);
            ConnectionTruth t = truths[f];
            if (t == null)
            {
                t = new ConnectionTruth(ConnectionTruth.Kind.MIDSTREAM, clientIp(f % s.clients()), clientPort(f),
                    SERVER_NET_TCP | (1 + f % s.servers()), HTTPS_PORT);
                truths[f] = t;
                nextSeq[2 * f] = rng.nextLong() & 0xFFFF_FFFFL;
                nextSeq[2 * f + 1] = rng.nextLong() & 0xFFFF_FFFFL;
            }
            final int size;
            if (imix)
            {
                final int slot = (int)(k % block.length);
                if (slot == 0)
                {
                    shuffle(block, rng);
                }
                size = block[slot];
            }
            else
            {
                size = ackOnly;
            }
            final int payload = size == ackOnly ? 0 : size - TCP_HEADERS_LENGTH;
            // Bulk data flows mostly from the server; pure ACKs from either side.
            final boolean fromClient = payload == 0 ? rng.nextBoolean() : rng.nextInt(4) == 0;
            final int self = 2 * f + (fromClient ? 0 : 1);
            final int peer = 2 * f + (fromClient ? 1 : 0);
            if (payload == 0 && !imix)
            {
                // 64b: every ACK acknowledges another full segment of the other side's data.
                nextSeq[peer] = (nextSeq[peer] + 1448) & 0xFFFF_FFFFL;
            }
            final long seq = nextSeq[self];
            final int length = builder.tcp(
                fromClient ? t.clientIp : t.serverIp, fromClient ? t.clientPort : t.serverPort,
                fromClient ? t.serverIp : t.clientIp, fromClient ? t.serverPort : t.clientPort,
                seq, nextSeq[peer], TcpFlags.ACK | (payload > 0 ? TcpFlags.PSH : 0), 502, 0, payload, seq);
            nextSeq[self] = (seq + payload) & 0xFFFF_FFFFL;
            final long micros = start + k * gap;
            lastMicros = micros;
            emit(micros, length);
            t.seen(micros);
            (fromClient ? t.c2s : t.s2c).count(length, payload);
        }
        long used = 0;
        for (final ConnectionTruth t : truths)
        {
            if (t != null)
            {
                used++;
                finish(t);
            }
        }
        totals.concurrent(used);
    }

    private static void shuffle(final int[] a, final SplittableRandom rng)
    {
        for (int i = a.length - 1; i > 0; i--)
        {
            final int j = rng.nextInt(i + 1);
            final int x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
    }

    // ---- common ------------------------------------------------------------------------------

    private void emit(final long micros, final int length) throws IOException
    {
        sink.frame(micros, builder.frame(), length);
        totals.frame(micros, length);
    }

    private void finish(final ConnectionTruth t)
    {
        totals.add(t);
        truthListener.accept(t);
    }

    /** Client {@code index} as 10.x.y.z, z in 1..254. */
    static int clientIp(final int index)
    {
        final int z = 1 + index % 254;
        final int y = (index / 254) % 256;
        final int x = index / (254 * 256);
        return (10 << 24) | (x << 16) | (y << 8) | z;
    }

    /** Client port of connection {@code ordinal}: distinct for every (address, port) pair in use. */
    private int clientPort(final long ordinal)
    {
        return 1024 + (int)((ordinal / settings.clients()) % GeneratorSettings.CLIENT_PORTS);
    }

    private static long mix(final long seed, final long ordinal)
    {
        long z = seed * 0x9E3779B97F4A7C15L + ordinal;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- command line ------------------------------------------------------------------------

    /**
     * {@code TrafficGenerator MODE --out FILE [--truth FILE] [settings]}: writes the capture (and the
     * truth), prints the totals. Exit 0 done, 1 an I/O error, 2 bad usage.
     */
    public static void main(final String[] args)
    {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** The command line, returning its exit code. */
    public static int run(final List<String> args, final PrintStream out, final PrintStream err)
    {
        if (args.isEmpty() || args.contains("-h") || args.contains("--help"))
        {
            (args.isEmpty() ? err : out).print(usage());
            return args.isEmpty() ? 2 : 0;
        }
        final GeneratorSettings settings = new GeneratorSettings();
        Path pcap = null;
        Path truth = null;
        try
        {
            settings.mode(GeneratorSettings.Mode.of(args.get(0)));
            final List<String> rest = settings.parse(args.subList(1, args.size()));
            final List<String> unknown = new ArrayList<>();
            for (int i = 0; i < rest.size(); i++)
            {
                final String a = rest.get(i);
                if (("--out".equals(a) || "--truth".equals(a)) && i + 1 < rest.size())
                {
                    final Path p = Path.of(rest.get(++i));
                    if ("--out".equals(a))
                    {
                        pcap = p;
                    }
                    else
                    {
                        truth = p;
                    }
                }
                else
                {
                    unknown.add(a);
                }
            }
            if (!unknown.isEmpty())
            {
                throw new IllegalArgumentException("unknown arguments " + unknown);
            }
            if (pcap == null)
            {
                throw new IllegalArgumentException("--out FILE is required");
            }
            settings.validate();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("TrafficGenerator: " + ex.getMessage());
            return 2;
        }
        try
        {
            final long started = System.nanoTime();
            final TrafficTruth totals = writeFiles(settings, pcap, truth);
            out.println("wrote " + pcap + (truth == null ? "" : " and " + truth) + " in "
                + String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - started) / 1e9)
                + " (" + settings + ")");
            out.print(totals);
            return 0;
        }
        catch (final IOException | UncheckedIOException ex)
        {
            err.println("TrafficGenerator: " + ex.getMessage());
            return 1;
        }
    }

    /** The help text. */
    public static String usage()
    {
        return "usage: TrafficGenerator tcp|64b|imix --out FILE.pcap [--truth FILE.jsonl] [settings]\n\n"
            + "Writes a classic pcap (Ethernet, microsecond time stamps) of synthetic traffic, deterministic\n"
            + "from the seed, and optionally one JSON line of truth per connection.\n\nsettings:\n"
            + GeneratorSettings.usage();
    }
}
