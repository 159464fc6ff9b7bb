package io.linerate.aggregate;

import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;

import java.util.ArrayList;
import java.util.List;

/** Keeps a copy of the facts of every record a shard emits, for assertions. */
public final class RecordingListener implements FlowRecordListener
{
    /** What a test checks of a record (the flow object itself is reused after the call). */
    public record Rec(boolean isFinal, EndReason reason, int protocol, long client, int clientPort, long server,
                      int serverPort, boolean inferred, long c2sPackets, long s2cPackets, long c2sPayload,
                      long s2cPayload, boolean c2sFin, boolean s2cFin, boolean c2sRst, boolean s2cRst,
                      String handshake, int syns, int synAcks, long rttNanos, long firstNanos, long lastNanos,
                      int icmpType, int icmpCode, int httpMethod, int httpStatus)
    {
    }

    public final List<Rec> records = new ArrayList<>();
    /** Per record: TLS alert level, description, 1 when from the server, client version. */
    public final List<int[]> tls = new ArrayList<>();
    /** Per record: Zeek's conn_state and history. */
    public final List<String[]> zeek = new ArrayList<>();

    @Override
    public void onRecord(final FlowView f, final boolean isFinal, final EndReason endReason)
    {
        zeek.add(new String[] {f.zeekState(), history(f)});
        tls.add(new int[] {f.tlsAlertLevel(), f.tlsAlertDescription(), f.tlsAlertFromServer() ? 1 : 0,
            f.tlsClientVersion()});
        records.add(new Rec(isFinal, endReason, f.protocol(), f.clientLo(), f.clientPort(), f.serverLo(),
            f.serverPort(), f.rolesInferred(), f.c2s().packets(), f.s2c().packets(), f.c2s().payloadBytes(),
            f.s2c().payloadBytes(), f.c2s().fin(), f.s2c().fin(), f.c2s().rst(), f.s2c().rst(),
            f.handshake().statusName(), f.handshake().synCount(), f.handshake().synAckCount(),
            f.handshake().rttNanos(), f.firstNanos(), f.lastNanos(), f.icmpType(), f.icmpCode(),
            f.httpMethod(), f.httpStatus()));
    }

    private static String history(final FlowView f)
    {
        final StringBuilder letters = new StringBuilder();
        for (int i = 0; i < f.historyLength(); i++)
        {
            letters.append(f.historyLetter(i));
        }
        return letters.toString();
    }
}
