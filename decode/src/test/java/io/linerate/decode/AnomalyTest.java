package io.linerate.decode;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnomalyTest
{
    @Test
    void namesAreUniqueStableAndRoundTrip()
    {
        final Set<String> names = new HashSet<>();
        for (int code = 0; code <= Anomaly.COUNT; code++)
        {
            final String name = Anomaly.name(code);
            assertTrue(name.matches("[a-z0-9_]+"), name);
            assertTrue(names.add(name), "duplicate " + name);
            assertEquals(code, Anomaly.code(name));
        }
        assertEquals("none", Anomaly.name(Anomaly.NONE));
        assertEquals("unsupported_link_type", Anomaly.name(Anomaly.UNSUPPORTED_LINK_TYPE));
        assertEquals("truncated_tcp_header", Anomaly.name(Anomaly.TRUNCATED_TCP_HEADER));
        assertEquals("bad_ip_header_length", Anomaly.name(Anomaly.BAD_IP_HEADER_LENGTH));
        assertEquals("bad_icmp_quote", Anomaly.name(Anomaly.BAD_ICMP_QUOTE));
        assertEquals("truncated_mpls", Anomaly.name(Anomaly.TRUNCATED_MPLS));
        assertEquals("tunnel_loop", Anomaly.name(Anomaly.TUNNEL_LOOP));
        assertEquals("truncated_ieee80211", Anomaly.name(Anomaly.COUNT));
        assertEquals(-1, Anomaly.code("no_such_anomaly"));
        assertThrows(IllegalArgumentException.class, () -> Anomaly.name(Anomaly.COUNT + 1));
        assertThrows(IllegalArgumentException.class, () -> Anomaly.name(-1));
        assertEquals(Anomaly.COUNT + 1, new PacketDecoder().anomalyCounts().length);
    }

    @Test
    void censusNamesAreUniqueAndRoundTrip()
    {
        final Set<String> names = new HashSet<>();
        for (int code = 0; code < Census.COUNT; code++)
        {
            final String name = Census.name(code);
            assertTrue(name.matches("[a-z0-9_]+"), name);
            assertTrue(names.add(name), "duplicate " + name);
            assertEquals(code, Census.code(name));
        }
        assertEquals("ip_length_from_wire", Census.name(Census.IP_LENGTH_FROM_WIRE));
        assertEquals("ip_length_clamped_to_frame", Census.name(Census.IP_LENGTH_CLAMPED_TO_FRAME));
        assertEquals("tunnelled", Census.name(Census.COUNT - 1));
        assertThrows(IllegalArgumentException.class, () -> Census.name(Census.COUNT));
        assertEquals(Census.COUNT, new PacketDecoder().censusCounts().length);
    }
}
