package io.linerate.decode;

/**
 * The symmetric flow hash that puts both directions of a connection on the same shard
 * (after gopacket's {@code Flow.FastHash}).
 *
 * <p>Each endpoint (address, port) is packed into 64 bits; the two are ordered (smaller first) and
 * combined with the IP protocol, then mixed once by the MurmurHash3 64-bit finalizer. Swapping the
 * endpoints swaps the two before they are ordered, so A→B and B→A give the same value by
 * construction, and {@code hash % M} spreads evenly for any shard count M, powers of two included.
 * The result is never negative: a shard index is {@code hash % M}.
 *
 * <p>An IPv4 endpoint (address in the low 32 bits, {@code hi == 0}) is packed without loss, so two
 * distinct IPv4 endpoints never pack alike; an IPv6 address's halves are folded together first.
 * One mix, not one per endpoint as well: every frame is hashed (run to completion, by each shard's
 * thread), and the two endpoint mixes were two thirds of its cost.
 */
public final class FlowHash
{
    private static final long ADDRESS_HIGH_MULTIPLIER = 0x9E37_79B9_7F4A_7C15L;
    private static final long LOW_ENDPOINT_MULTIPLIER = 0xC2B2_AE3D_27D4_EB4FL;
    private static final long PROTOCOL_MULTIPLIER = 0x1656_67B1_9E37_79F9L;

    private FlowHash()
    {
    }

    /**
     * Hash of a flow; the same for {@code (a, b)} and {@code (b, a)}.
     *
     * @param protocol IP protocol number (-1 when unknown)
     * @param aHi      high 64 bits of endpoint a's address (0 for IPv4)
     * @param aLo      low 64 bits of endpoint a's address (the IPv4 address)
     * @param aPort    endpoint a's port (0 where the protocol has none)
     * @param bHi      high 64 bits of endpoint b's address
     * @param bLo      low 64 bits of endpoint b's address
     * @param bPort    endpoint b's port
     * @return a non-negative hash
     */
    public static int hash(
        final int protocol,
        final long aHi,
        final long aLo,
        final int aPort,
        final long bHi,
        final long bLo,
        final int bPort)
    {
        final long a = endpoint(aHi, aLo, aPort);
        final long b = endpoint(bHi, bLo, bPort);
        final long low = Math.min(a, b);
        final long high = Math.max(a, b);
        final long flow = mix(low * LOW_ENDPOINT_MULTIPLIER + high + protocol * PROTOCOL_MULTIPLIER);
        return (int)(flow >>> 33);
    }

    private static long endpoint(final long hi, final long lo, final int port)
    {
        // lo rotated by 16 keeps an IPv4 address (bits 0..31) clear of the port (bits 0..15).
        return hi * ADDRESS_HIGH_MULTIPLIER ^ Long.rotateLeft(lo, 16) ^ (port & 0xFFFFL);
    }

    /** MurmurHash3's fmix64: a bijection in which every input bit affects every output bit. */
    private static long mix(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return h;
    }
}
