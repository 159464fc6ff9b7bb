package io.linerate.ops.filter;

import io.linerate.ops.Json;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --where} keeps the connections Wireshark keeps: for each filter, on each of a choice of
 * corpus captures (HTTP, TLS with server names and alerts, retransmissions, resets, a SYN scan,
 * ICMP errors, IPv6, VLANs), the TCP connections whose final records {@code replay --where FILTER}
 * writes are exactly the {@code tcp.stream}s of the packets {@code tshark -Y FILTER} shows.
 *
 * <p>Records are put on tshark's streams as tshark-compare does it: each stream's client, server and
 * start (the first packet: a SYN's sender is the client, a SYN-ACK's receiver, else the higher port),
 * and the records of the same client and server in order of their start.
 */
@Tag("slow")
public class WhereTsharkTest
{
    static final List<String> CAPTURES = List.of(
        "real/chrissanders/http_espn_fail.pcapng",
        "real/chrissanders/synscan.pcapng",
        "real/pcapplusplus/tls.pcap",
        "real/pcapplusplus/four_ipv6_http_streams.pcap",
        "real/zeek/smtp.pcap",
        "real/zeek/smb__smb_v2_only_non_zero_reserved1.pcap",
        "real/zeek/mixed-vlan-mpls.pcap",
        "real/zeek/http__vnd.ms-cab-compressed-multi-conn.pcap",
        "real/zeek/tls__google-cert-repeat.pcap",
        "real/zeek/mysql__auth.pcap",
        "real/pcapplusplus/650HttpResponses.pcap",
        "real/zeek/tls__missing-intermediate.pcap");

    static final List<String> FILTERS = List.of(
        "tcp.port == 80",
        "tcp.port eq 443",
        "tcp.dstport == 80",
        "tcp.srcport == 443",
        "ip.addr == 10.0.0.0/8",
        "ip.addr == 192.168.0.0/16 && tcp.port == 80",
        "ip.src == 192.168.0.0/16 and tcp.dstport in {80, 443}",
        "tcp.port in {21..25, 135, 139, 445}",
        "!(ip.addr == 192.168.0.0/16)",
        "not tcp.port == 80",
        "tcp.port != 443",
        "tcp.srcport > 1024 && tcp.dstport < 1024",
        "tcp.flags.reset == 1",
        "tcp.flags.syn == 1 && tcp.flags.ack == 0",
        "tcp.flags.fin == 1 || tcp.flags.reset == 1",
        "tcp.analysis.retransmission",
        "tcp.analysis.fast_retransmission",
        "tcp.analysis.duplicate_ack",
        "tcp.analysis.out_of_order",
        "tcp.analysis.lost_segment",
        "tcp.analysis.zero_window",
        "tcp.analysis.window_full || tcp.analysis.keep_alive",
        "tcp.analysis.spurious_retransmission",
        "tcp.analysis.retransmission && tcp.port == 80",
        "tcp.len > 1000",
        "tls.handshake.extensions_server_name",
        "tls.handshake.extensions_server_name contains \"google\"",
        "tls.alert_message.desc",
        "http.request.method == \"GET\"",
        "http.response.code >= 400",
        "http.request.method in {\"POST\", \"PUT\"} || http.response.code == 304",
        "icmp.type == 3",
        "ipv6.addr",
        "vlan.id");

    @TempDir
    static Path tmp;

    /** Per capture: tshark's streams, and the flow_id → stream of every final TCP record. */
    static final Map<String, Map<String, Integer>> STREAM_OF_FLOW = new HashMap<>();

    static Path corpus()
    {
        return Path.of(System.getProperty("linerate.corpus", "../../shared/corpus"));
    }

    @BeforeAll
    static void mapRecordsToStreams() throws Exception
    {
        Assumptions.assumeTrue(Files.isDirectory(corpus().resolve("real")), "no corpus at " + corpus());
        Assumptions.assumeTrue(haveTshark(), "no tshark");
        for (final String capture : CAPTURES)
        {
            STREAM_OF_FLOW.put(capture, streamsOfRecords(corpus().resolve(capture)));
        }
    }

    @TestFactory
    Stream<DynamicTest> theConnectionsKeptAreTsharksStreams()
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final String filter : FILTERS)
        {
            tests.add(DynamicTest.dynamicTest(filter, () ->
            {
                final StringBuilder differences = new StringBuilder();
                int streams = 0;
                for (final String capture : CAPTURES)
                {
                    final Path file = corpus().resolve(capture);
                    final Set<Integer> want = tsharkStreams(file, filter);
                    final Set<Integer> got = linerateStreams(capture, filter);
                    streams += want.size();
                    if (!want.equals(got))
                    {
                        final Set<Integer> missing = new TreeSet<>(want);
                        missing.removeAll(got);
                        final Set<Integer> extra = new TreeSet<>(got);
                        extra.removeAll(want);
                        differences.append(capture).append(": tshark ").append(want.size()).append(" streams, linerate ")
                            .append(got.size()).append("; only tshark: ").append(first(missing)).append(", only linerate: ")
                            .append(first(extra)).append('\n');
                    }
                }
                assertEquals("", differences.toString(), filter + " (" + streams + " streams kept by tshark)");
            }));
        }
        return tests.stream();
    }

    private static String first(final Set<Integer> s)
    {
        return s.stream().limit(12).toList() + (s.size() > 12 ? "..." : "");
    }

    /** The tcp.streams of the packets tshark -Y shows. */
    static Set<Integer> tsharkStreams(final Path capture, final String filter) throws Exception
    {
        final Set<Integer> out = new TreeSet<>();
        for (final String line : tshark(capture, "-Y", filter, "-T", "fields", "-e", "tcp.stream"))
        {
            for (final String s : line.split(","))
            {
                if (!s.isBlank())
                {
                    out.add(Integer.parseInt(s.trim()));
                }
            }
        }
        return out;
    }

    /** The streams of the final TCP records replay --where writes. */
    static Set<Integer> linerateStreams(final String capture, final String filter) throws Exception
    {
        final Path flows = tmp.resolve("where.jsonl");
        final MainTest.Run r = MainTest.run("replay", corpus().resolve(capture).toString(), "--out", "jsonl:" + flows,
            "--where", filter);
        assertEquals(0, r.exit(), r.err());
        final Map<String, Integer> streamOf = STREAM_OF_FLOW.get(capture);
        final Set<Integer> out = new TreeSet<>();
        for (final String line : Files.readAllLines(flows))
        {
            final Map<String, Object> rec = Json.object(line);
            if ("tcp".equals(rec.get("transport")) && "final".equals(rec.get("record_type")))
            {
                final Integer stream = streamOf.get((String)rec.get("flow_id"));
                assertTrue(stream != null, capture + ": a record tshark has no stream for: " + line);
                out.add(stream);
            }
        }
        return out;
    }

    /** Every final TCP record of the capture, by flow_id, on its tshark stream. */
    static Map<String, Integer> streamsOfRecords(final Path capture) throws Exception
    {
        // tshark's streams: client, server and start, from each stream's first packet.
        final Map<Integer, String> keyOfStream = new HashMap<>();
        final Map<Integer, Double> startOfStream = new HashMap<>();
        for (final String line : tshark(capture, "-Y", "tcp", "-T", "fields", "-E", "occurrence=f", "-e", "tcp.stream",
            "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e", "ipv6.dst",
            "-e", "tcp.dstport", "-e", "tcp.flags.syn", "-e", "tcp.flags.ack"))
        {
            final String[] f = line.split("\t", -1);
            if (f[0].isEmpty())
            {
                continue;
            }
            final int stream = Integer.parseInt(f[0]);
            if (keyOfStream.containsKey(stream))
            {
                continue;
            }
            final String src = ip(f[2].isEmpty() ? f[3] : f[2]) + "/" + f[4];
            final String dst = ip(f[5].isEmpty() ? f[6] : f[5]) + "/" + f[7];
            final boolean syn = "1".equals(f[8]) || "True".equals(f[8]);
            final boolean ack = "1".equals(f[9]) || "True".equals(f[9]);
            final boolean clientSent = syn && !ack || !syn && Integer.parseInt(f[4]) >= Integer.parseInt(f[7]);
            keyOfStream.put(stream, clientSent ? src + " " + dst : dst + " " + src);
            startOfStream.put(stream, Double.parseDouble(f[1]));
        }
        // The records, without a filter.
        final Path flows = tmp.resolve("all.jsonl");
        final MainTest.Run r = MainTest.run("replay", capture.toString(), "--out", "jsonl:" + flows);
        assertEquals(0, r.exit(), r.err());
        final Map<String, List<Map<String, Object>>> recordsOfKey = new HashMap<>();
        for (final String line : Files.readAllLines(flows))
        {
            final Map<String, Object> rec = Json.object(line);
            if ("tcp".equals(rec.get("transport")) && "final".equals(rec.get("record_type")))
            {
                final String key = ip((String)Json.at(rec, "client.ip")) + "/" + Json.at(rec, "client.port") + " " +
                    ip((String)Json.at(rec, "server.ip")) + "/" + Json.at(rec, "server.port");
                recordsOfKey.computeIfAbsent(key, k -> new ArrayList<>()).add(rec);
            }
        }
        recordsOfKey.values().forEach(l -> l.sort(Comparator.comparingLong(rec -> Json.num(rec, "start_us"))));
        final Map<String, Integer> out = new HashMap<>();
        final Map<String, Integer> used = new HashMap<>();
        keyOfStream.keySet().stream().sorted().forEach(stream ->
        {
            final String key = keyOfStream.get(stream);
            final List<Map<String, Object>> recs = recordsOfKey.getOrDefault(key, List.of());
            final int n = used.merge(key, 1, Integer::sum) - 1;
            if (n < recs.size())
            {
                out.put((String)recs.get(n).get("flow_id"), stream);
            }
        });
        return out;
    }

    /** An address in one spelling (tshark and linerate may write IPv6 differently). */
    static String ip(final String text)
    {
        try
        {
            return InetAddress.getByName(text).getHostAddress();
        }
        catch (final IOException ex)
        {
            return text;
        }
    }

    static List<String> tshark(final Path capture, final String... args) throws Exception
    {
        final List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString()));
        cmd.addAll(List.of(args));
        final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "tshark timed out");
        assertEquals(0, p.exitValue(), "tshark " + cmd);
        return out.lines().toList();
    }

    static boolean haveTshark()
    {
        try
        {
            final Process p = new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }
}
