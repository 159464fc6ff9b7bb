package io.linerate.ops;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record of a tunnelled connection, from real captures of the shared corpus: its client and
 * server are the inner connection's, and its tunnel list is what tshark dissects around the first
 * packet (outer addresses, VNI, TEID, labels, session id), outermost first. Skipped without the
 * corpus (a failure of ops/test.sh under CI=true).
 */
@Tag("slow")
class TunnelRecordTest
{
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        real/zeek/tunnels__vxlan-encapsulated-http.pcap | 172.16.11.201 | 54.86.237.188 | [{"type":"vxlan","outer_src":"10.1.200.131","outer_dst":"10.1.1.172","vni":1}]
        real/zeek/tunnels__gre-sample.pcap | 66.59.111.190 | 172.28.2.3 | [{"type":"gre","outer_src":"172.27.1.66","outer_dst":"66.59.109.137"}]
        real/pcapplusplus/IPv4-encapsulated-IPv6.pcap | 2002:5183:4383::5183:4383 | 2001:638:902:1:201:2ff:fee2:7596 | [{"type":"ip-in-ip","outer_src":"139.18.25.33","outer_dst":"81.131.67.131"}]
        real/zeek/tunnels__4in6.pcap | 70.55.213.211 | 192.88.99.1 | [{"type":"ip-in-ip","outer_src":"2002:4637:d5d3::4637:d5d3","outer_dst":"2001:4860:0:2001::68"}]
        real/zeek/pppoe-over-qinq.pcap | 1.1.1.1 | 2.2.2.2 | [{"type":"pppoe","session_id":3847}]
        zeek/gtp-different-dl-ul.pcap | 10.131.17.170 | 173.199.115.168 | [{"type":"gtp-u","outer_src":"167.55.105.244","outer_dst":"207.233.125.40","teid":2655042127}]
        """)
    void theRecordIsTheInnerConnectionWithItsTunnels(
        final String capture, final String client, final String server, final String tunnels) throws Exception
    {
        final Path file = CorpusConformanceTest.corpus().resolve(capture);
        Assumptions.assumeTrue(Files.isRegularFile(file), "no " + file);
        final Path flows = tmp.resolve("flows.jsonl");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of("replay", file.toString(), "--out", "jsonl:" + flows),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));

        final List<String> tcp = Files.readAllLines(flows).stream()
            .filter(r -> r.contains("\"transport\":\"tcp\"") && r.contains("\"record_type\":\"final\""))
            .filter(r -> r.contains("\"client\":{\"ip\":\"" + client + "\""))
            .filter(r -> r.contains("\"server\":{\"ip\":\"" + server + "\""))
            .toList();
        assertEquals(1, tcp.size(), "one final record of " + client + " to " + server + " in " + Files.readString(flows));
        assertTrue(tcp.get(0).contains(",\"tunnel\":" + tunnels), tcp.get(0));
    }
}
