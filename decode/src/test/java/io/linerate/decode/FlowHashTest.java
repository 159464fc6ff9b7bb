package io.linerate.decode;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowHashTest
{
    private static final int FLOWS = 100_000;
    private static final int[] SHARD_COUNTS = {2, 3, 4, 5, 7, 8, 12, 16};

    @Test
    void sameInBothDirections()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++)
        {
            final int protocol = random.nextInt(256);
            final long aHi = i % 2 == 0 ? 0 : random.nextLong();
            final long aLo = i % 2 == 0 ? random.nextLong() & 0xFFFF_FFFFL : random.nextLong();
            final long bHi = i % 2 == 0 ? 0 : random.nextLong();
            final long bLo = i % 2 == 0 ? random.nextLong() & 0xFFFF_FFFFL : random.nextLong();
            final int aPort = random.nextInt(65536);
            final int bPort = random.nextInt(65536);

            final int forward = FlowHash.hash(protocol, aHi, aLo, aPort, bHi, bLo, bPort);
            final int reverse = FlowHash.hash(protocol, bHi, bLo, bPort, aHi, aLo, aPort);
            assertEquals(forward, reverse);
            assertTrue(forward >= 0);
        }
    }

    @Test
    void distinguishesProtocolPortsAndAddresses()
    {
        final int base = FlowHash.hash(6, 0, 0x0A00_0001L, 40000, 0, 0x0A00_0002L, 443);
        assertNotEquals(base, FlowHash.hash(17, 0, 0x0A00_0001L, 40000, 0, 0x0A00_0002L, 443));
        assertNotEquals(base, FlowHash.hash(6, 0, 0x0A00_0001L, 40001, 0, 0x0A00_0002L, 443));
        assertNotEquals(base, FlowHash.hash(6, 0, 0x0A00_0003L, 40000, 0, 0x0A00_0002L, 443));
        // Ports swapped between the endpoints is another flow.
        assertNotEquals(base, FlowHash.hash(6, 0, 0x0A00_0001L, 443, 0, 0x0A00_0002L, 40000));
        // An IPv4 address and the IPv6 address with the same low bits differ.
        assertNotEquals(base, FlowHash.hash(6, 1, 0x0A00_0001L, 40000, 0, 0x0A00_0002L, 443));
    }

    @Test
    void spreadsOneClientsEphemeralPortsEvenly()
    {
        // The hardest common case: one client, one server, consecutive source ports.
        final int[] hashes = new int[FLOWS];
        for (int i = 0; i < FLOWS; i++)
        {
            final int port = 1024 + i % 64_000;
            final long client = 0xC0A8_0001L + i / 64_000;
            hashes[i] = FlowHash.hash(6, 0, client, port, 0, 0x0A00_0001L, 443);
        }
        assertEvenlySpread(hashes);
    }

    @Test
    void spreadsConsecutiveAddressesEvenly()
    {
        final int[] hashes = new int[FLOWS];
        for (int i = 0; i < FLOWS; i++)
        {
            hashes[i] = FlowHash.hash(17, 0, 0x0A00_0000L + i, 53, 0, 0x0808_0808L, 53);
        }
        assertEvenlySpread(hashes);

        final int[] v6 = new int[FLOWS];
        for (int i = 0; i < FLOWS; i++)
        {
            v6[i] = FlowHash.hash(6, 0x2001_0db8_0000_0000L, i, 443, 0x2001_0db8_0000_0001L, 1, 55000);
        }
        assertEvenlySpread(v6);
    }

    @Test
    void fewCollisions()
    {
        final Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < FLOWS; i++)
        {
            seen.add(FlowHash.hash(6, 0, 0xC0A8_0001L, 1024 + i % 64_000, 0, 0x0A00_0000L + i / 64_000, 443));
        }
        // 100k values in 2^31: a handful of birthday collisions at most.
        assertTrue(seen.size() > FLOWS - 10, "distinct hashes: " + seen.size());
    }

    private static void assertEvenlySpread(final int[] hashes)
    {
        for (final int shards : SHARD_COUNTS)
        {
            final int[] perShard = new int[shards];
            for (final int hash : hashes)
            {
                assertTrue(hash >= 0);
                perShard[hash % shards]++;
            }
            final double expected = (double)hashes.length / shards;
            for (int shard = 0; shard < shards; shard++)
            {
                final double deviation = Math.abs(perShard[shard] - expected) / expected;
                assertTrue(deviation < 0.05,
                    "shard " + shard + " of " + shards + " has " + perShard[shard] + ", expected ~" + expected);
            }
        }
    }
}
