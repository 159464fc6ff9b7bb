package io.linerate.aggregate.view;

/**
 * Stable names and codes of what a flow shard notes about the traffic beyond what a decoder sees
 * in one frame ({@link io.linerate.decode.Anomaly}): inconsistent fragments, and every cap that keeps
 * a peer from pushing a shard's memory, each counted where it binds. Zeek's weird.log name is taken
 * where Zeek has one ({@code fragment_overlap}, {@code fragment_size_inconsistency},
 * {@code excessively_large_fragment}, {@code incompletely_captured_fragment}); a cap Zeek does not
 * have gets a name in the manner of its limit weirds ({@code HTTP_excessive_pipelining},
 * {@code smtp_excessive_pending_cmds}).
 *
 * <p>Codes run 1..{@link #COUNT}, so an array of {@code COUNT + 1} counters is indexed by code. Codes
 * and names never change meaning; new ones are added at the end.
 *
 * <p>Every shard follows every fragment (a non-first fragment has no ports to pick a shard by), so the
 * fragment anomalies are each shard's view of all the fragments, the same in every shard: across
 * shards they are not added up ({@link #seenByEveryShard}).
 */
public final class ShardAnomaly
{
    /** A fragment carried payload bytes already received (a duplicate, or an overlap as teardrop sends). */
    public static final int FRAGMENT_OVERLAP = 1;
    /**
     * A datagram's fragments disagree on its length: a second last fragment with another end, or bytes
     * past the end the last fragment gave. The first end is kept.
     */
    public static final int FRAGMENT_SIZE_INCONSISTENCY = 2;
    /** A fragment reaching past the 65,535 bytes an IP length field allows (a "ping of death"): dropped. */
    public static final int EXCESSIVELY_LARGE_FRAGMENT = 3;
    /** A fragment cut by the snap length: its bytes cannot be reassembled. */
    public static final int INCOMPLETELY_CAPTURED_FRAGMENT = 4;
    /**
     * Cap: a datagram took more fragments than {@code FragmentReassembler}'s per-datagram cap
     * (FreeBSD's {@code net.inet.ip.maxfragsperpacket}); it is given up.
     */
    public static final int EXCESSIVE_FRAGMENTS_PER_DATAGRAM = 5;
    /** Cap: a datagram's received bytes would need more separate ranges (holes between them) than kept: given up. */
    public static final int EXCESSIVE_FRAGMENT_HOLES = 6;
    /** Cap: a shard's pending datagrams were at their cap, so the oldest was given up for a new one. */
    public static final int EXCESSIVE_PENDING_DATAGRAMS = 7;
    /** Cap: a TLS hello split across segments found every hello buffer of the shard lent out: not read. */
    public static final int EXCESSIVE_PENDING_TLS_HELLOS = 8;
    /** Cap: a split TLS hello claimed more than one record (16 KiB) could hold: its buffer is given back unread. */
    public static final int EXCESSIVE_TLS_HELLO_LENGTH = 9;
    /**
     * Cap: an ICMP error quoted a connection the shard did not know while the flow table was full: no
     * flow was made for it, so forged errors cannot evict the connections being followed.
     */
    public static final int EXCESSIVE_ICMP_QUOTED_CONNECTIONS = 10;

    /** Number of shard anomalies; codes run 1..COUNT, counter arrays have COUNT + 1 entries. */
    public static final int COUNT = 10;

    private static final String[] NAMES =
    {
        "none",
        "fragment_overlap",
        "fragment_size_inconsistency",
        "excessively_large_fragment",
        "incompletely_captured_fragment",
        "excessive_fragments_per_datagram",
        "excessive_fragment_holes",
        "excessive_pending_datagrams",
        "excessive_pending_tls_hellos",
        "excessive_tls_hello_length",
        "excessive_icmp_quoted_connections",
    };

    private ShardAnomaly()
    {
    }

    /**
     * The stable name of a shard anomaly code.
     *
     * @throws IllegalArgumentException if {@code code} is not 1..{@link #COUNT}
     */
    public static String name(final int code)
    {
        if (code < 1 || code > COUNT)
        {
            throw new IllegalArgumentException("no shard anomaly with code " + code);
        }
        return NAMES[code];
    }

    /**
     * True for the fragment anomalies, which every shard counts alike: the pipeline's count is one
     * shard's (the largest), not their sum.
     */
    public static boolean seenByEveryShard(final int code)
    {
        return code >= FRAGMENT_OVERLAP && code <= EXCESSIVE_PENDING_DATAGRAMS;
    }

    /** What counts anomalies by code: a flow shard. */
    public interface Source
    {
        /** Adds this source's counts to {@code counts}, indexed by code. */
        void anomalyCounts(long[] counts);
    }

    /**
     * The pipeline's counts, indexed by code, from every shard's {@link Source#anomalyCounts}:
     * fragment anomalies once (the largest shard's count), the others added up.
     */
    public static long[] countsOf(final Iterable<? extends Source> shards)
    {
        final long[] total = new long[COUNT + 1];
        final long[] counts = new long[COUNT + 1];
        for (final Source shard : shards)
        {
            java.util.Arrays.fill(counts, 0);
            shard.anomalyCounts(counts);
            for (int code = 1; code <= COUNT; code++)
            {
                total[code] = seenByEveryShard(code) ? Math.max(total[code], counts[code]) : total[code] + counts[code];
            }
        }
        return total;
    }
}
