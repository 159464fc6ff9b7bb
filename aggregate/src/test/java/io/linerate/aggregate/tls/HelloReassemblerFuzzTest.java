package io.linerate.aggregate.tls;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linerate.aggregate.FlowSettings;
import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.Frames;
import io.linerate.aggregate.WireFrames;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.tls.TlsHelloFlyweight;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the reassembly of TLS hellos split across TCP segments, through a flow shard: one connection's
 * handshake, then a ClientHello and a ServerHello record (handshake headers with consistent lengths
 * around fuzzed bodies, or the fuzzed bytes as they come) cut into fuzzed segments. In chaos mode the
 * segments also come twice, out of order, with gaps, cut by the snap length, from both sides at once.
 *
 * <p>Checked: no exception; the connection's hello buffer is given back when the connection ends (no
 * buffer leaks from the shard's pool); and in order mode (every segment once, in order, whole, the first
 * at least 2 bytes) the server name, ALPN protocol and client version of the reassembled ClientHello are
 * exactly what {@link TlsHelloFlyweight} reads from the whole record at once (for a record of at most
 * 16 KiB with consistent lengths).
 */
class HelloReassemblerFuzzTest
{
    private static final long CLIENT = Frames.ip(10, 0, 0, 1);
    private static final long SERVER = Frames.ip(10, 0, 0, 2);
    private static final int CLIENT_PORT = 40000;
    private static final int SERVER_PORT = 443;
    private static final int CLIENT_ISN = 1000;
    private static final int SERVER_ISN = 9000;
    private static final int MAX_RECORD = 5 + (1 << 14);

    record Tls(String sni, String alpn, int clientVersion)
    {
    }

    @FuzzTest(maxDuration = "10s")
    void splitHellos(final FuzzedDataProvider data)
    {
        final boolean inOrder = data.consumeBoolean();
        final boolean framed = data.consumeInt(0, 7) != 0;
        final byte[] clientHello = record(data, TlsHelloFlyweight.CLIENT_HELLO, framed);
        final byte[] serverHello = record(data, TlsHelloFlyweight.SERVER_HELLO, data.consumeInt(0, 7) != 0);

        final List<Tls> records = new ArrayList<>();
        final FlowRecordListener listener = (final FlowView f, final boolean isFinal, final EndReason reason) ->
            records.add(new Tls(f.tlsSni(), f.tlsAlpn(), f.tlsClientVersion()));
        final FlowShard shard = new FlowShard(FlowSettings.defaults(1), listener);
        final WireFrames frames = new WireFrames();
        final long[] nanos = {1_000_000_000L};
        send(shard, frames, nanos, true, Frames.SYN, CLIENT_ISN, 0, new byte[0], Integer.MAX_VALUE);
        send(shard, frames, nanos, false, Frames.SYN | Frames.ACK, SERVER_ISN, CLIENT_ISN + 1, new byte[0],
            Integer.MAX_VALUE);
        send(shard, frames, nanos, true, Frames.ACK, CLIENT_ISN + 1, SERVER_ISN + 1, new byte[0], Integer.MAX_VALUE);

        final List<Segment> client = segments(data, clientHello, true, inOrder);
        final List<Segment> server = segments(data, serverHello, false, inOrder);
        final List<Segment> all = new ArrayList<>(client);
        if (inOrder)
        {
            all.addAll(server);
        }
        else
        {
            // Both sides' segments interleaved, some twice, some never.
            for (final Segment s : server)
            {
                all.add(data.consumeInt(0, all.size()), s);
            }
            for (int i = data.consumeInt(0, 4); i > 0 && !all.isEmpty(); i--)
            {
                final Segment s = all.get(data.consumeInt(0, all.size() - 1));
                if (data.consumeBoolean())
                {
                    all.add(data.consumeInt(0, all.size()), s);
                }
                else
                {
                    all.remove(s);
                }
            }
        }
        for (final Segment s : all)
        {
            send(shard, frames, nanos, s.fromClient, Frames.ACK | Frames.PSH, s.seq,
                s.fromClient ? SERVER_ISN + 1 : CLIENT_ISN + 1, s.bytes, s.snapLength);
            assertTrue(shard.tlsHelloBuffersInUse() <= 1, "one connection holds at most one hello buffer");
        }
        shard.flushAll(EndReason.END_OF_INPUT);
        assertEquals(0, shard.tlsHelloBuffersInUse(), "the hello buffer was not given back");
        assertEquals(1, records.size(), "one connection, one record");

        // A hello is collected up to one record's 16 KiB (RFC 8446 section 5.1); beyond, it is not read.
        if (inOrder && framed && clientHello.length <= MAX_RECORD && client.get(0).bytes.length >= 2)
        {
            final DecodedFrame whole = new DecodedFrame();
            whole.clearDecoded();
            whole.data = clientHello;
            final TlsHelloFlyweight hello = new TlsHelloFlyweight();
            if (hello.read(clientHello, 0, clientHello.length))
            {
                whole.copyTls(hello);
            }
            final Tls expected = new Tls(
                whole.tlsSniLength > 0 ?
                    new String(clientHello, whole.tlsSniOffset, whole.tlsSniLength, StandardCharsets.US_ASCII) : null,
                whole.tlsAlpnLength > 0 ?
                    new String(clientHello, whole.tlsAlpnOffset, whole.tlsAlpnLength, StandardCharsets.US_ASCII) : null,
                whole.tlsHandshakeType == TlsHelloFlyweight.CLIENT_HELLO ? whole.tlsClientVersion : 0);
            final Tls got = records.get(0);
            assertEquals(expected.sni(), got.sni(), "server name of the hello read across segments");
            assertEquals(expected.clientVersion(), got.clientVersion(), "client version read across segments");
            if (expected.alpn() != null && serverHello.length == 0)
            {
                assertEquals(expected.alpn(), got.alpn(), "ALPN offer read across segments");
            }
        }
    }

    /** A handshake record: a hello with consistent lengths around fuzzed bytes, or fuzzed bytes alone. */
    private static byte[] record(final FuzzedDataProvider data, final int type, final boolean framed)
    {
        final byte[] body = data.consumeBytes(data.consumeInt(0, 20_000));
        if (!framed)
        {
            return body;
        }
        final byte[] record = new byte[9 + body.length];
        record[0] = TlsHelloFlyweight.CONTENT_HANDSHAKE;
        record[1] = 3;
        record[2] = 1;
        final int recordLength = Math.min(0xFFFF, 4 + body.length);
        record[3] = (byte)(recordLength >>> 8);
        record[4] = (byte)recordLength;
        record[5] = (byte)type;
        record[6] = (byte)(body.length >>> 16);
        record[7] = (byte)(body.length >>> 8);
        record[8] = (byte)body.length;
        System.arraycopy(body, 0, record, 9, body.length);
        return record;
    }

    record Segment(boolean fromClient, long seq, byte[] bytes, int snapLength)
    {
    }

    private static List<Segment> segments(final FuzzedDataProvider data, final byte[] record, final boolean fromClient,
        final boolean inOrder)
    {
        final List<Segment> segments = new ArrayList<>();
        final long isn = (fromClient ? CLIENT_ISN : SERVER_ISN) + 1;
        int at = 0;
        while (at < record.length)
        {
            final int length = Math.min(record.length - at, data.consumeInt(at == 0 && inOrder ? 2 : 1, 3000));
            final int snapLength = !inOrder && data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 200) : Integer.MAX_VALUE;
            final long seq = inOrder || data.consumeBoolean() ? isn + at : isn + data.consumeInt(-100, 25_000);
            segments.add(new Segment(fromClient, seq, Arrays.copyOfRange(record, at, at + length), snapLength));
            at += length;
        }
        return segments;
    }

    private static void send(final FlowShard shard, final WireFrames frames, final long[] nanos,
        final boolean fromClient, final int flags, final long seq, final long ack, final byte[] payload,
        final int snapLength)
    {
        nanos[0] += 1_000;
        final DecodedFrame slot = fromClient ?
            frames.tcp(nanos[0], false, CLIENT, CLIENT_PORT, SERVER, SERVER_PORT, flags, seq, ack, 65535,
                new byte[0], payload, snapLength) :
            frames.tcp(nanos[0], false, SERVER, SERVER_PORT, CLIENT, CLIENT_PORT, flags, seq, ack, 65535,
                new byte[0], payload, snapLength);
        shard.onFrame(slot);
        shard.advanceTime(slot.timestampNanos);
    }
}
