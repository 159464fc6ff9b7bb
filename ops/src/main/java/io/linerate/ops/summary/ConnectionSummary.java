package io.linerate.ops.summary;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.HandshakeView;
import io.linerate.aggregate.view.InetText;
import io.linerate.aggregate.view.Verdict;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.sink.record.FlowRecordEncoder;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --out summary}, one shard's part: counts every final record and keeps the first rows of the
 * connection table. {@link SummaryReport} merges the shards' parts and prints them.
 */
public final class ConnectionSummary implements FlowRecordListener
{
    /** One line of the table, kept as text: the flow object is reused after the call. */
    record Row(long startNanos, long firstFrame, String transport, String client, String server, String handshake,
               long rttNanos, long c2sPackets, long c2sBytes, long s2cPackets, long s2cBytes, String flags,
               String endReason, String verdict)
    {
    }

    private final int maxRows;
    final List<Row> rows = new ArrayList<>();
    long flows;
    long tcpFlows;
    long udpFlows;
    long icmpFlows;
    long otherFlows;
    final long[] handshakeStatus = new long[5];
    long midstream;
    long resets;
    /** Flows ended because the flow table was full (end_reason evicted). */
    long evicted;
    /** Final records by verdict, indexed by {@link Verdict#ordinal()}. */
    final long[] verdicts = new long[Verdict.values().length];

    public ConnectionSummary(final int maxRows)
    {
        this.maxRows = maxRows;
    }

    @Override
    public void onRecord(final FlowView f, final boolean isFinal, final EndReason endReason)
    {
        if (!isFinal)
        {
            return;
        }
        flows++;
        verdicts[f.verdict().ordinal()]++;
        if (endReason == EndReason.EVICTED)
        {
            evicted++;
        }
        final int p = f.protocol();
        if (p == 6)
        {
            tcpFlows++;
            if (f.handshake().seen())
            {
                handshakeStatus[f.handshake().status()]++;
            }
            else
            {
                midstream++;
            }
            if (f.c2s().rst() || f.s2c().rst())
            {
                resets++;
            }
        }
        else if (p == 17)
        {
            udpFlows++;
        }
        else if (p == 1 || p == 58)
        {
            icmpFlows++;
        }
        else
        {
            otherFlows++;
        }
        if (rows.size() < maxRows || maxRows > 0 && f.firstFrame() < rows.get(rows.size() - 1).firstFrame())
        {
            keep(f, endReason);
        }
    }

    private void keep(final FlowView f, final EndReason endReason)
    {
        final boolean ports = f.hasPorts();
        final StringBuilder c = InetText.append(new StringBuilder(), f.ipVersion(), f.clientHi(), f.clientLo());
        final StringBuilder s = InetText.append(new StringBuilder(), f.ipVersion(), f.serverHi(), f.serverLo());
        if (ports)
        {
            endpointPort(c, f.ipVersion(), f.clientPort());
            endpointPort(s, f.ipVersion(), f.serverPort());
        }
        final HandshakeView hs = f.handshake();
        final String handshake = f.protocol() != IpProtocol.TCP ? "-" : hs.seen() ? hs.statusName() : "midstream";
        final StringBuilder flags = new StringBuilder();
        if (f.protocol() == IpProtocol.TCP)
        {
            flags.append(f.c2s().fin() ? 'F' : '.').append(f.s2c().fin() ? 'F' : '.');
            flags.append(f.c2s().rst() ? 'R' : '.').append(f.s2c().rst() ? 'R' : '.');
        }
        else
        {
            flags.append('-');
        }
        final Row row = new Row(f.firstNanos(), f.firstFrame(), FlowRecordEncoder.transportName(f.protocol()),
            c.toString(), s.toString(), handshake, hs.rttNanos(), f.c2s().packets(), f.c2s().bytes(),
            f.s2c().packets(), f.s2c().bytes(), flags.toString(), endReason == null ? "" : endReason.wireName(),
            f.verdict().wireName());
        // Keep the earliest connections (by first frame): the table then reads like the capture.
        int i = rows.size();
        while (i > 0 && rows.get(i - 1).firstFrame() > row.firstFrame())
        {
            i--;
        }
        rows.add(i, row);
        if (rows.size() > maxRows)
        {
            rows.remove(rows.size() - 1);
        }
    }

    private static void endpointPort(final StringBuilder sb, final int ipVersion, final int port)
    {
        if (ipVersion == 6)
        {
            sb.insert(0, '[').append(']');
        }
        sb.append(':').append(port);
    }
}
