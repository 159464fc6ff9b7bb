package io.linerate.perf.generate;

import io.linerate.decode.tcp.TcpFlags;
import io.linerate.decode.ip.IpProtocol;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the captures of two attacks on a capture tool's memory, for measuring that linerate's stays
 * bounded (classic pcap, Ethernet, one frame a microsecond, deterministic for a seed):
 * <ul>
 * <li>{@code synflood}: SYNs from random sources (10.0.0.0/8, random ports and sequence numbers) to
 *     172.16.0.1:80, none answered: each one a new half-open connection for the flow table.</li>
 * <li>{@code fragments}: fragmented UDP datagrams from random sources to 172.16.0.1:53, sixteen kinds
 *     in turn: seven teardrops (a fragment of 48 bytes, then a last one lying inside it, RFC 791
 *     section 3.2 leaves that overlap to the receiver; the classic attack on reassembly code), seven
 *     first fragments whose rest never comes (each waits until a cap or a timeout gives it up), one
 *     datagram of 70 eight-byte fragments with a hole between each two, and one of 130 copies of the
 *     same overlapping fragment.</li>
 * </ul>
 *
 * <pre>
 * java -cp perf/target/linerate-perf.jar io.linerate.perf.generate.FloodCaptures synflood --out syn.pcap --count 1000000
 * java -cp perf/target/linerate-perf.jar io.linerate.perf.generate.FloodCaptures fragments --out frag.pcap --count 200000
 * </pre>
 */
public final class FloodCaptures
{
    /** 172.16.0.1, the attacked server. */
    static final int SERVER = (172 << 24) | (16 << 16) | 1;
    private static final int CLIENT_NET = 10 << 24;
    private static final int HTTP_PORT = 80;
    private static final int DNS_PORT = 53;
    private static final long START_MICROS = 1_700_000_000_000_000L;

    /** Kinds of fragmented datagram, in turn: {@link #TEARDROP} and {@link #FIRST_ONLY} alternate, then the two floods. */
    private static final int KINDS = 16;
    private static final int HOLES_KIND = 14;
    private static final int OVERLAPS_KIND = 15;
    private static final int HEAD = 48;
    /** The teardrop's last fragment: bytes 24..32, inside the first fragment's 0..48. */
    private static final int TEARDROP_OFFSET = 24;
    private static final int TEARDROP_LENGTH = 8;
    /** Fragments of the datagram with holes: more separate ranges than a reassembler keeps (64). */
    public static final int HOLE_FRAGMENTS = 70;
    /** Copies of the overlapping fragment: more fragments than a datagram may have (128). */
    public static final int OVERLAP_COPIES = 130;

    private final FrameBuilder builder = new FrameBuilder();
    private final SplittableRandom random;
    private final FrameSink sink;
    private long micros = START_MICROS;

    private FloodCaptures(final FrameSink sink, final long seed)
    {
        this.sink = sink;
        this.random = new SplittableRandom(seed);
    }

    /** Writes {@code count} unanswered SYNs from random sources. */
    public static void synFlood(final FrameSink sink, final int count, final long seed) throws IOException
    {
        final FloodCaptures g = new FloodCaptures(sink, seed);
        for (int i = 0; i < count; i++)
        {
            final int length = g.builder.tcp(g.client(), 1024 + g.random.nextInt(64512), SERVER, HTTP_PORT,
                g.random.nextInt() & 0xFFFF_FFFFL, 0, TcpFlags.SYN, 64240, 1460, 0, 0);
            g.write(length);
        }
    }

    /**
     * Writes {@code count} fragmented datagrams of the sixteen kinds in turn (see the class comment).
     *
     * @return the fragment frames written
     */
    public static long fragmentFlood(final FrameSink sink, final int count, final long seed) throws IOException
    {
        final FloodCaptures g = new FloodCaptures(sink, seed);
        final byte[] payload = new byte[16 * HOLE_FRAGMENTS + 8];
        long frames = 0;
        for (int i = 0; i < count; i++)
        {
            final int src = g.client();
            final int id = g.random.nextInt(1 << 16);
            final int kind = i % KINDS;
            // The UDP header (RFC 768) in the first bytes; the length is the teardrop's whole datagram.
            Arrays.fill(payload, (byte)0x5A);
            payload[0] = (byte)(id >>> 8);
            payload[1] = (byte)id;
            payload[2] = 0;
            payload[3] = DNS_PORT;
            payload[4] = 0;
            payload[5] = TEARDROP_OFFSET + TEARDROP_LENGTH;
            payload[6] = 0;
            payload[7] = 0;
            if (kind == HOLES_KIND)
            {
                for (int k = 0; k < HOLE_FRAGMENTS; k++)
                {
                    g.write(g.builder.ipv4Fragment(src, SERVER, IpProtocol.UDP, id, payload, 16 * k + 8, 8, true));
                }
                frames += HOLE_FRAGMENTS;
            }
            else if (kind == OVERLAPS_KIND)
            {
                for (int k = 0; k < OVERLAP_COPIES; k++)
                {
                    g.write(g.builder.ipv4Fragment(src, SERVER, IpProtocol.UDP, id, payload, 0, HEAD, true));
                }
                frames += OVERLAP_COPIES;
            }
            else
            {
                g.write(g.builder.ipv4Fragment(src, SERVER, IpProtocol.UDP, id, payload, 0, HEAD, true));
                frames++;
                if (kind % 2 == 0)
                {
                    g.write(g.builder.ipv4Fragment(src, SERVER, IpProtocol.UDP, id, payload, TEARDROP_OFFSET,
                        TEARDROP_LENGTH, false));
                    frames++;
                }
            }
        }
        return frames;
    }

    /** Datagrams of {@code count} that never complete: the first fragments whose rest never comes. */
    public static int firstOnlyDatagrams(final int count)
    {
        final int whole = count / KINDS * 7;
        int rest = 0;
        for (int kind = 0; kind < count % KINDS; kind++)
        {
            rest += kind < HOLES_KIND && kind % 2 == 1 ? 1 : 0;
        }
        return whole + rest;
    }

    /** Datagrams of {@code count} of the kind {@code kind} (0..15). */
    public static int datagramsOfKind(final int count, final int kind)
    {
        return count / KINDS + (kind < count % KINDS ? 1 : 0);
    }

    /** The datagrams of {@code count} with holes between their fragments. */
    public static int holeDatagrams(final int count)
    {
        return datagramsOfKind(count, HOLES_KIND);
    }

    /** The datagrams of {@code count} made of one fragment sent again and again. */
    public static int overlapDatagrams(final int count)
    {
        return datagramsOfKind(count, OVERLAPS_KIND);
    }

    /** The teardrop datagrams of {@code count}. */
    public static int teardrops(final int count)
    {
        int n = 0;
        for (int kind = 0; kind < HOLES_KIND; kind += 2)
        {
            n += datagramsOfKind(count, kind);
        }
        return n;
    }

    private int client()
    {
        return CLIENT_NET | 1 + random.nextInt((1 << 24) - 2);
    }

    private void write(final int length) throws IOException
    {
        sink.frame(micros++, builder.frame(), length);
    }

    public static void main(final String[] args) throws IOException
    {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** The command line, returning its exit code. */
    public static int run(final List<String> args, final PrintStream out, final PrintStream err) throws IOException
    {
        if (args.contains("-h") || args.contains("--help"))
        {
            out.print(usage());
            return 0;
        }
        Path file = null;
        int count = -1;
        long seed = 1;
        for (int i = 1; i + 1 < args.size(); i += 2)
        {
            switch (args.get(i))
            {
                case "--out": file = Path.of(args.get(i + 1)); break;
                case "--count": count = Integer.parseInt(args.get(i + 1)); break;
                case "--seed": seed = Long.parseLong(args.get(i + 1)); break;
                default: err.print("unknown option " + args.get(i) + "\n" + usage()); return 2;
            }
        }
        if (args.isEmpty() || args.size() % 2 == 0 || file == null || count < 1 ||
            !List.of("synflood", "fragments").contains(args.get(0)))
        {
            err.print(usage());
            return 2;
        }
        try (PcapFileWriter w = new PcapFileWriter(file))
        {
            if (args.get(0).equals("synflood"))
            {
                synFlood(w, count, seed);
            }
            else
            {
                fragmentFlood(w, count, seed);
            }
            out.printf("%s: %,d frames, %,d bytes%n", file, w.frames(), w.bytesWritten());
        }
        return 0;
    }

    private static String usage()
    {
        return "usage: FloodCaptures synflood|fragments --out FILE.pcap --count N [--seed S]\n" +
            "  synflood:  N SYNs from random sources to 172.16.0.1:80, none answered\n" +
            "  fragments: N fragmented UDP datagrams: teardrops, first fragments alone, " +
            HOLE_FRAGMENTS + " fragments with holes, " + OVERLAP_COPIES + " overlapping copies\n";
    }
}
