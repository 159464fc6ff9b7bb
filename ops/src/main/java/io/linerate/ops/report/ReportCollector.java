package io.linerate.ops.report;

import io.linerate.aggregate.view.DirectionView;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.HandshakeView;
import io.linerate.aggregate.view.InetText;
import io.linerate.aggregate.view.RttView;
import io.linerate.aggregate.view.TlsNames;
import io.linerate.aggregate.view.Verdict;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.sink.record.FlowRecordEncoder;
import org.HdrHistogram.Histogram;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --report}, one shard's part: reads every record as the shard writes it (the same numbers
 * the JSON record carries) and keeps what the report draws, each bounded whatever the run's length:
 * counts by verdict and transport, the handshake RTT distribution, the timeline, the top connections,
 * handshake failures by server, TLS versions and alerts. {@link HtmlReport} merges the shards' parts.
 * Called on the shard's thread only.
 */
public final class ReportCollector implements FlowRecordListener
{
    /** Connections listed in each top table. */
    public static final int TOP = 25;
    /** Connections with a verdict other than ok that are listed (the earliest). */
    public static final int PROBLEMS = 100;
    /** Servers kept per shard in the handshake failure table; failures at others are counted together. */
    static final int MAX_SERVERS = 10_000;
    /** Verdicts that say a connection (TCP, or TLS over it) never got through its handshake. */
    static final EnumSet<Verdict> HANDSHAKE_FAILURES = EnumSet.of(Verdict.SYN_UNANSWERED, Verdict.REFUSED,
        Verdict.ICMP_UNREACHABLE, Verdict.HANDSHAKE_INCOMPLETE, Verdict.TLS_ALERT);

    final long[] verdicts = new long[Verdict.values().length];
    /** Final records by transport name (tcp, udp, icmp, ...). */
    final Map<String, Long> transports = new TreeMap<>();
    long finals;
    long interims;
    long packets;
    long bytes;
    long firstNanos = Long.MAX_VALUE;
    long lastNanos = Long.MIN_VALUE;
    /** Every handshake RTT of the shard's connections, microseconds, as the records round them. */
    final Histogram handshakeRttMicros = new Histogram(3_600_000_000L, 3);
    final Timeline timeline = new Timeline();
    final TopConnections byRetransmissions = new TopConnections(TOP);
    final TopConnections byRtt = new TopConnections(TOP);
    final TopConnections byBytes = new TopConnections(TOP);
    /** Problem connections, the earliest first (key: minus the first frame). */
    final TopConnections problems = new TopConnections(PROBLEMS);
    long problemCount;
    /** Server endpoint to its handshake failures by verdict ordinal. */
    final Map<String, long[]> failuresByServer = new HashMap<>();
    final long[] failuresElsewhere = new long[Verdict.values().length];
    final Map<String, Long> tlsVersions = new TreeMap<>();
    final Map<String, Long> tlsClientVersions = new TreeMap<>();
    final Map<String, Long> tlsAlerts = new TreeMap<>();
    /** Where the previous record of a connection with interim records left off: {time, packets, data, retx}. */
    private final Map<String, long[]> reportedSoFar = new HashMap<>();

    @Override
    public void onRecord(final FlowView f, final boolean isFinal, final EndReason endReason)
    {
        final long p = f.c2s().packets() + f.s2c().packets();
        final boolean tcp = f.protocol() == IpProtocol.TCP;
        final long data = tcp ? f.c2s().dataSegments() + f.s2c().dataSegments() : 0;
        final long retx = tcp ? f.c2s().retransmittedDataSegments() +
            f.s2c().retransmittedDataSegments() : 0;
        timeline(f, isFinal, p, data, retx);
        if (!isFinal)
        {
            interims++;
            return;
        }
        finals++;
        packets += p;
        final long b = f.c2s().bytes() + f.s2c().bytes();
        bytes += b;
        firstNanos = Math.min(firstNanos, f.firstNanos());
        lastNanos = Math.max(lastNanos, f.lastNanos());
        final Verdict verdict = f.verdict();
        verdicts[verdict.ordinal()]++;
        transports.merge(FlowRecordEncoder.transportName(f.protocol()), 1L, Long::sum);
        final HandshakeView hs = tcp ? f.handshake() : null;
        final long hsRtt = hs != null && hs.seen() ? micros(hs.rttNanos()) : -1;
        if (hsRtt >= 0)
        {
            handshakeRttMicros.recordValue(Math.min(hsRtt, handshakeRttMicros.getHighestTrackableValue()));
        }
        if (f.tlsSeen())
        {
            tls(f);
        }
        ConnectionRow row = null;
        final long retransmissions = tcp ? f.c2s().retransmissions() + f.s2c().retransmissions() : 0;
        if (retransmissions > 0 && byRetransmissions.admits(retransmissions, f.firstFrame()))
        {
            row = row(f, p, b, retransmissions, hsRtt);
            byRetransmissions.add(retransmissions, row);
        }
        if (hsRtt >= 0 && byRtt.admits(hsRtt, f.firstFrame()))
        {
            row = row != null ? row : row(f, p, b, retransmissions, hsRtt);
            byRtt.add(hsRtt, row);
        }
        if (byBytes.admits(b, f.firstFrame()))
        {
            row = row != null ? row : row(f, p, b, retransmissions, hsRtt);
            byBytes.add(b, row);
        }
        if (verdict != Verdict.OK)
        {
            problemCount++;
            if (problems.admits(-f.firstFrame(), f.firstFrame()))
            {
                row = row != null ? row : row(f, p, b, retransmissions, hsRtt);
                problems.add(-f.firstFrame(), row);
            }
        }
        if (HANDSHAKE_FAILURES.contains(verdict))
        {
            final String server = server(f);
            long[] counts = failuresByServer.get(server);
            if (counts == null && failuresByServer.size() < MAX_SERVERS)
            {
                counts = new long[Verdict.values().length];
                failuresByServer.put(server, counts);
            }
            (counts != null ? counts : failuresElsewhere)[verdict.ordinal()]++;
        }
    }

    /** Spreads the packets since the connection's previous record over the time since then. */
    private void timeline(final FlowView f, final boolean isFinal, final long p, final long data, final long retx)
    {
        if (f.interimCount() == 0 && isFinal)
        {
            timeline.add(f.firstNanos(), f.lastNanos(), p, data, retx);
            return;
        }
        final String id = FlowRecordEncoder.flowId(f);
        final long[] before = isFinal ? reportedSoFar.remove(id) : reportedSoFar.get(id);
        final long from = before == null ? f.firstNanos() : before[0];
        if (before == null)
        {
            timeline.add(from, f.lastNanos(), p, data, retx);
        }
        else
        {
            timeline.add(from, f.lastNanos(), p - before[1], data - before[2], retx - before[3]);
        }
        if (!isFinal)
        {
            reportedSoFar.put(id, new long[] {f.lastNanos(), p, data, retx});
        }
    }

    private void tls(final FlowView f)
    {
        if (f.tlsServerVersion() != 0)
        {
            tlsVersions.merge(TlsNames.versionName(f.tlsServerVersion()), 1L, Long::sum);
        }
        if (f.tlsClientVersion() != 0)
        {
            tlsClientVersions.merge(TlsNames.versionName(f.tlsClientVersion()), 1L, Long::sum);
        }
        if (f.tlsAlertLevel() >= 0)
        {
            final String level = f.tlsAlertLevel() == 2 ? "fatal" : f.tlsAlertLevel() == 1 ? "warning" :
                "level_" + f.tlsAlertLevel();
            tlsAlerts.merge(TlsNames.alertName(f.tlsAlertDescription()) + " (" + level + ", from " +
                (f.tlsAlertFromServer() ? "server" : "client") + ")", 1L, Long::sum);
        }
    }

    private static String server(final FlowView f)
    {
        final boolean ports = f.hasPorts();
        return ConnectionRow.endpoint(f.ipVersion(), InetText.toString(f.ipVersion(), f.serverHi(), f.serverLo()),
            ports ? f.serverPort() : -1);
    }

    private static ConnectionRow row(final FlowView f, final long packets, final long bytes, final long retransmissions,
        final long hsRtt)
    {
        final boolean ports = f.hasPorts();
        final String client = InetText.toString(f.ipVersion(), f.clientHi(), f.clientLo());
        final String server = InetText.toString(f.ipVersion(), f.serverHi(), f.serverLo());
        final int clientPort = ports ? f.clientPort() : -1;
        final int serverPort = ports ? f.serverPort() : -1;
        final boolean tcp = f.protocol() == IpProtocol.TCP;
        return new ConnectionRow(FlowRecordEncoder.flowId(f), f.firstFrame(), f.firstNanos(), f.lastNanos(),
            f.protocol(), f.ipVersion(), client, clientPort, server, serverPort, f.verdict().wireName(),
            f.verdictDetail(), packets, bytes, retransmissions, f.retransmitRate(), hsRtt,
            tcp ? p99(f.c2s()) : -1, tcp ? p99(f.s2c()) : -1,
            ConnectionRow.displayFilter(f.ipVersion(), f.protocol(), client, clientPort, server, serverPort),
            f.clientHi(), f.clientLo(), f.serverHi(), f.serverLo(), f.tunnelKey());
    }

    private static long p99(final DirectionView s)
    {
        final RttView rtt = s.rtt();
        return rtt.count() > 0 ? rtt.percentileMicros(0.99) : -1;
    }

    /** Nanoseconds to microseconds as the record rounds them; -1 for none. */
    private static long micros(final long nanos)
    {
        return nanos == HandshakeView.UNSET ? -1 : Math.floorDiv(nanos + 500, 1000);
    }
}
