package io.linerate.ops.filter;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The display-filter language on its own: grammar, Wireshark's relations, errors with their position. */
class DisplayFilterTest
{
    private static final ConnectionFields FIELDS = new ConnectionFields();

    /** Field values by name, as a packet or a record would give them. */
    private static final class Given implements FilterInput
    {
        private final Map<String, List<Object>> values = new HashMap<>();

        Given with(final String field, final Object... vs)
        {
            values.put(field, List.of(vs));
            return this;
        }

        @Override
        public void values(final Field field, final Values out)
        {
            for (final Object v : values.getOrDefault(field.name(), List.of()))
            {
                if (v instanceof String && field.type() == FieldType.ADDRESS)
                {
                    final String s = (String)v;
                    if (s.contains(":"))
                    {
                        final long[] a = Literal.ipv6(s);
                        out.addAddress(6, a[0], a[1]);
                    }
                    else
                    {
                        out.addAddress(4, 0, Literal.ipv4(s));
                    }
                }
                else if (v instanceof String)
                {
                    out.addString((String)v);
                }
                else if (v instanceof Double)
                {
                    out.addDouble((Double)v);
                }
                else if (v instanceof Boolean)
                {
                    out.addPresence();
                }
                else
                {
                    out.addLong(((Number)v).longValue());
                }
            }
        }
    }

    private static boolean matches(final String filter, final Given connection) throws FilterException
    {
        final DisplayFilter f = DisplayFilter.compile(filter, FIELDS);
        final DisplayFilter.Matcher m = f.matcher();
        return m.matches(f.perPacket() ? m.packetMatches(connection) : 0, connection);
    }

    private static FilterException error(final String filter)
    {
        return assertThrows(FilterException.class, () -> DisplayFilter.compile(filter, FIELDS));
    }

    @Test
    void aMultiValuedFieldIsEqualWhenAnyValueIsAndUnequalWhenNoneIs() throws Exception
    {
        final Given p = new Given().with("ip.addr", "10.0.0.1", "10.0.0.2");
        assertTrue(matches("ip.addr == 10.0.0.1", p));
        assertFalse(matches("ip.addr != 10.0.0.1", p), "!= is !(==) since Wireshark 3.6");
        assertTrue(matches("ip.addr ~= 10.0.0.1", p), "~= is: some value differs");
        assertFalse(matches("ip.addr === 10.0.0.1", p), "=== is: every value equals");
        assertTrue(matches("ip.addr === 10.0.0.0/24", p));
        assertTrue(matches("ip.addr != 10.0.0.3", p));
        assertTrue(matches("ip.addr != 10.0.0.3", new Given()), "an absent field is unequal to everything");
        assertFalse(matches("ip.addr == 10.0.0.3", new Given()));
    }

    @Test
    void addressesMatchCidrBlocksOfTheirOwnVersion() throws Exception
    {
        assertTrue(matches("ip.addr == 10.0.0.0/8", new Given().with("ip.addr", "10.200.3.4")));
        assertFalse(matches("ip.addr == 10.0.0.0/9", new Given().with("ip.addr", "10.200.3.4")));
        assertTrue(matches("ip.addr == 0.0.0.0/0", new Given().with("ip.addr", "1.2.3.4")));
        assertTrue(matches("ipv6.addr == 2001:db8::/32", new Given().with("ipv6.addr", "2001:db8:0:1::5")));
        assertFalse(matches("ipv6.addr == 2001:db8::/33", new Given().with("ipv6.addr", "2001:db8:8000::5")));
        assertTrue(matches("ipv6.addr == ::ffff:10.0.0.1", new Given().with("ipv6.addr", "::ffff:a00:1")));
        assertTrue(matches("client.ip == fe80::1/128 or client.ip == 10.0.0.1", new Given().with("client.ip", "fe80::1")));
        assertTrue(matches("client.ip in {10.0.0.1, 10.0.0.2}", new Given().with("client.ip", "10.0.0.2")));
    }

    @Test
    void numbersSetsRangesAndDurations() throws Exception
    {
        final Given p = new Given().with("tcp.port", 51234L, 443L);
        assertTrue(matches("tcp.port in {80, 443}", p));
        assertTrue(matches("tcp.port in {80 443}", p), "Wireshark before 4.0 took sets without commas");
        assertTrue(matches("tcp.port in {1..1023}", p));
        assertFalse(matches("tcp.port not in {440..450}", p));
        assertTrue(matches("tcp.port > 50000 && tcp.port lt 444", p));
        assertTrue(matches("tcp.port == 0x1bb", p));
        final Given r = new Given().with("handshake.rtt_us", 1500L).with("retransmit_rate", 0.025);
        assertTrue(matches("handshake.rtt_us > 1ms && handshake.rtt_us <= 1.5ms", r));
        assertTrue(matches("handshake.rtt_us < 2000us", r));
        assertFalse(matches("handshake.rtt_us > 0.002s", r));
        assertTrue(matches("retransmit_rate > 0.02", r));
    }

    @Test
    void stringsContainMatchAndCompare() throws Exception
    {
        final Given r = new Given().with("tls.handshake.extensions_server_name", "www.example.com").with("verdict", "reset");
        assertTrue(matches("tls.handshake.extensions_server_name contains \"example\"", r));
        assertTrue(matches("tls.handshake.extensions_server_name matches \"^www\\\\.ex.*\\\\.com$\"", r));
        assertFalse(matches("tls.handshake.extensions_server_name matches \"^example\"", r));
        assertTrue(matches("verdict == reset", r), "an unquoted word is a string literal");
        assertTrue(matches("verdict in {\"refused\", \"reset\"}", r));
        assertTrue(matches("tls.handshake.extensions_server_name", r));
        assertFalse(matches("!tls.handshake.extensions_server_name", r));
    }

    @Test
    void andBindsTighterThanXorThanOrAndNotTighterStill() throws Exception
    {
        final Given p = new Given().with("tcp.srcport", 1L).with("tcp.dstport", 2L);
        assertTrue(matches("tcp.srcport == 1 or tcp.srcport == 5 and tcp.dstport == 5", p));
        assertFalse(matches("(tcp.srcport == 1 or tcp.srcport == 5) and tcp.dstport == 5", p));
        assertTrue(matches("not tcp.srcport == 5 && tcp.dstport == 2", p));
        assertFalse(matches("tcp.srcport == 1 xor tcp.dstport == 2", p));
        assertTrue(matches("tcp.srcport == 1 ^^ tcp.dstport == 3", p));
        assertTrue(matches("!(tcp.srcport == 1 && tcp.dstport == 3) || tcp.srcport == 9", p));
        assertTrue(matches("TCP.SRCPORT EQ 1".toLowerCase() + " AND tcp.dstport == 2", p), "keywords in any case");
    }

    /** A connection matches a per-packet filter when one packet does, with its connection fields as its record has them. */
    @Test
    void aConnectionMatchesWhenOnePacketDoesWithItsRecordsFields() throws Exception
    {
        final DisplayFilter f = DisplayFilter.compile(
            "tcp.flags.reset == 1 && tcp.srcport == 80 && verdict != \"ok\" || tcp.analysis.retransmission && c2s.packets > 3",
            FIELDS);
        assertTrue(f.perPacket());
        final DisplayFilter.Matcher m = f.matcher();
        final Given syn = new Given().with("tcp.flags.reset", 0L).with("tcp.srcport", 5000L);
        final Given rstFromServer = new Given().with("tcp.flags.reset", 1L).with("tcp.srcport", 80L);
        final Given rstFromClient = new Given().with("tcp.flags.reset", 1L).with("tcp.srcport", 5000L);
        final Given retransmission = new Given().with("tcp.flags.reset", 0L).with("tcp.srcport", 5000L)
            .with("tcp.analysis.retransmission", true);
        final Given reset = new Given().with("verdict", "reset").with("c2s.packets", 2L);
        final Given okBusy = new Given().with("verdict", "ok").with("c2s.packets", 9L);

        final long serverReset = m.packetMatches(syn) | m.packetMatches(rstFromServer);
        assertTrue(m.matches(serverReset, reset));
        assertFalse(m.matches(serverReset, okBusy), "the record's verdict decides");
        final long clientReset = m.packetMatches(syn) | m.packetMatches(rstFromClient);
        assertFalse(m.matches(clientReset, reset), "reset and port 80 must be the same packet's");
        final long resent = m.packetMatches(syn) | m.packetMatches(retransmission);
        assertTrue(m.matches(resent, okBusy));
        assertFalse(m.matches(resent, reset));
    }

    @Test
    void errorsSayWhatAndMarkWhere()
    {
        FilterException e = error("foo == 1");
        assertEquals("\"foo\" is neither a field nor a protocol name.\n    foo == 1\n    ^~~", e.describe());
        e = error("tcp.port == 80 &&");
        assertEquals("Unexpected end of filter expression.", e.getMessage());
        assertEquals(17, e.position());
        e = error("ip.addr == 1.2.3.300");
        assertEquals("\"1.2.3.300\" is not a valid IPv4 address.\n    ip.addr == 1.2.3.300\n               ^~~~~~~~~",
            e.describe());
        e = error("ip.addr == 10.0.0.0/33");
        assertEquals(20, e.position());
        e = error("tcp.analysis.retransmission == 1");
        assertEquals("tcp.analysis.retransmission (type=Label) cannot participate in == comparison.", e.getMessage());
        e = error("tcp.port > \"x\"");
        assertEquals(11, e.position());
        assertEquals(3, e.length());
        e = error("(tcp.port == 1");
        assertEquals(0, e.position());
        e = error("tcp.port in {80, 443");
        assertEquals(12, e.position());
        e = error("tls.handshake.extensions_server_name contains \"x");
        assertEquals(46, e.position());
        e = error("tcp.port == 80 tcp.port == 443");
        assertEquals("\"tcp.port\" was unexpected in this context.", e.getMessage());
        assertEquals(15, e.position());
        e = error("tcp.port == 100ms");
        assertTrue(e.getMessage().startsWith("tcp.port is not a time"), e.getMessage());
        e = error("verdict matches \"(\"");
        assertEquals(16, e.position());
        e = error("ip.src contains \"10\"");
        assertEquals("ip.src (type=IP address) cannot participate in contains comparison.", e.getMessage());
        e = error("ipv6.addr == 10.0.0.1");
        assertEquals("\"10.0.0.1\" is not a valid IPv6 address.", e.getMessage());
        e = error("tcp.port == tcp.srcport");
        assertEquals(12, e.position());
        e = error("tcp.port && verdict == a && state == b && history == c && duration_us > 1 && c2s.packets > 1 && " +
            "s2c.packets > 1 && roles == x");
        assertTrue(e.getMessage().startsWith("A filter with per-packet fields takes at most 6"), e.getMessage());
        e = error("tcp.port == 80 $");
        assertEquals(15, e.position());
    }
}
