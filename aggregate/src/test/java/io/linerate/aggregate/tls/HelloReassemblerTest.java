package io.linerate.aggregate.tls;

import io.linerate.aggregate.Connections;
import io.linerate.aggregate.Flow;
import io.linerate.aggregate.FlowSettings;
import io.linerate.aggregate.FlowShard;
import io.linerate.aggregate.Frames;
import io.linerate.aggregate.flow.FlowTable;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.ShardAnomaly;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.tls.TlsHelloFlyweight;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.linerate.aggregate.Frames.ACK;
import static io.linerate.aggregate.Frames.PSH;
import static io.linerate.aggregate.Frames.SYN;
import static io.linerate.aggregate.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Hellos that span TCP segments (RFC 8446 section 5.1): the record header, the hello, or both cut
 * across segments, on exact bytes.
 */
class HelloReassemblerTest
{
    static final long C = ip(10, 0, 0, 1);
    static final long S = ip(10, 0, 0, 2);

    record Tls(int clientVersion, int serverVersion, String sni, String alpn)
    {
    }

    final Frames frames = new Frames();
    final TlsHelloFlyweight decoder = new TlsHelloFlyweight();
    final List<Tls> records = new ArrayList<>();
    final FlowRecordListener listener = (final FlowView f, final boolean isFinal, final EndReason reason) ->
        records.add(new Tls(f.tlsClientVersion(), f.tlsServerVersion(), f.tlsSni(), f.tlsAlpn()));
    final FlowShard shard = new FlowShard(FlowSettings.defaults(1), listener);
    long clientSeq = 1001;
    long serverSeq = 5001;
    long micros = 1_000;

    static ByteArrayOutputStream out()
    {
        return new ByteArrayOutputStream();
    }

    static void u8(final ByteArrayOutputStream o, final int v)
    {
        o.write(v);
    }

    static void u16(final ByteArrayOutputStream o, final int v)
    {
        o.write(v >>> 8);
        o.write(v & 0xFF);
    }

    static void u24(final ByteArrayOutputStream o, final int v)
    {
        o.write(v >>> 16);
        u16(o, v & 0xFFFF);
    }

    static void ext(final ByteArrayOutputStream o, final int type, final byte[] data)
    {
        u16(o, type);
        u16(o, data.length);
        o.writeBytes(data);
    }

    static byte[] record(final int type, final byte[] body)
    {
        final ByteArrayOutputStream r = out();
        u8(r, 22);
        u16(r, 0x0301);
        u16(r, 4 + body.length);
        u8(r, type);
        u24(r, body.length);
        r.writeBytes(body);
        return r.toByteArray();
    }

    /** A TLS 1.3 ClientHello for {@code name} with a key share of {@code keyShareBytes} (as ML-KEM makes). */
    static byte[] clientHello(final String name, final int keyShareBytes)
    {
        final ByteArrayOutputStream exts = out();
        final byte[] host = name.getBytes(StandardCharsets.US_ASCII);
        final ByteArrayOutputStream sni = out();
        u16(sni, host.length + 3);
        u8(sni, 0);
        u16(sni, host.length);
        sni.writeBytes(host);
        ext(exts, 0, sni.toByteArray());
        ext(exts, 16, new byte[] {0, 3, 2, 'h', '2'});
        ext(exts, 43, new byte[] {4, 3, 4, 3, 3});                   // supported_versions: TLS 1.3, 1.2
        ext(exts, 51, new byte[keyShareBytes]);                      // key_share (contents not read)
        final ByteArrayOutputStream body = out();
        u16(body, 0x0303);
        body.writeBytes(new byte[32]);                               // random
        u8(body, 0);                                                 // session id
        u16(body, 2);
        u16(body, 0x1301);                                           // one cipher suite
        u8(body, 1);
        u8(body, 0);                                                 // null compression
        u16(body, exts.size());
        body.writeBytes(exts.toByteArray());
        return record(1, body.toByteArray());
    }

    static byte[] serverHello()
    {
        final ByteArrayOutputStream exts = out();
        ext(exts, 43, new byte[] {3, 4});
        final ByteArrayOutputStream body = out();
        u16(body, 0x0303);
        body.writeBytes(new byte[32]);
        u8(body, 0);
        u16(body, 0x1301);
        u8(body, 0);
        u16(body, exts.size());
        body.writeBytes(exts.toByteArray());
        return record(2, body.toByteArray());
    }

    DecodedFrame segment(final boolean fromClient, final byte[] payload)
    {
        final DecodedFrame s = fromClient ?
            frames.tcp(micros, C, 40000, S, 443, PSH | ACK, clientSeq, serverSeq, payload.length) :
            frames.tcp(micros, S, 443, C, 40000, PSH | ACK, serverSeq, clientSeq, payload.length);
        s.data = payload;
        s.payloadOffset = 0;
        s.captureLength = payload.length;
        // what the decoder writes of a segment's TLS: a hello or alert whole in it, else nothing
        if (decoder.read(payload, 0, payload.length))
        {
            s.copyTls(decoder);
        }
        micros += 100;
        if (fromClient)
        {
            clientSeq += payload.length;
        }
        else
        {
            serverSeq += payload.length;
        }
        return s;
    }

    void feed(final DecodedFrame s)
    {
        shard.onFrame(s);
        shard.advanceTime(s.timestampNanos);
    }

    void handshake()
    {
        feed(frames.tcp(0, C, 40000, S, 443, SYN, clientSeq - 1, 0, 0));
        feed(frames.tcp(200, S, 443, C, 40000, SYN | ACK, serverSeq - 1, clientSeq, 0));
        feed(frames.tcp(400, C, 40000, S, 443, ACK, clientSeq, serverSeq, 0));
    }

    /** Sends {@code bytes} from one side in segments cut at {@code cuts}. */
    void send(final boolean fromClient, final byte[] bytes, final int... cuts)
    {
        int from = 0;
        for (final int cut : cuts)
        {
            feed(segment(fromClient, Arrays.copyOfRange(bytes, from, cut)));
            from = cut;
        }
        feed(segment(fromClient, Arrays.copyOfRange(bytes, from, bytes.length)));
    }

    Tls end()
    {
        shard.flushAll(EndReason.END_OF_INPUT);
        assertEquals(1, records.size());
        return records.get(0);
    }

    @Test
    void aClientHelloInTwoSegmentsIsRead()
    {
        final byte[] hello = clientHello("split.example", 1800);
        handshake();
        send(true, hello, 1448);
        send(false, serverHello());
        final Tls tls = end();
        assertEquals(0x0304, tls.clientVersion());
        assertEquals("split.example", tls.sni());
        assertEquals(0x0304, tls.serverVersion());
        assertEquals("h2", tls.alpn());
    }

    @Test
    void aRecordHeaderCutAfterThreeBytesIsRead()
    {
        final byte[] hello = clientHello("three.example", 100);
        handshake();
        send(true, hello, 3, 40);
        final Tls tls = end();
        assertEquals("three.example", tls.sni());
        assertEquals(0x0304, tls.clientVersion());
    }

    @Test
    void aRecordWhoseFirstSegmentCarriesOneByteIsRead()
    {
        final byte[] hello = clientHello("one.example", 100);
        handshake();
        send(true, hello, 1);
        final Tls tls = end();
        assertEquals("one.example", tls.sni());
        assertEquals(0x0304, tls.clientVersion());
        assertEquals(0, shard.tlsHelloBuffersInUse());
    }

    @Test
    void everyCutOfTheRecordAndHandshakeHeadersIsRead()
    {
        // 1..8 bytes in the first segment: inside the record header (5 bytes) or the handshake
        // header (4), and then one byte a segment up to the body.
        for (int first = 1; first <= 8; first++)
        {
            records.clear();
            final byte[] hello = clientHello("cut" + first + ".example", 100);
            handshake();
            final int[] cuts = new int[9 - first + 1];
            for (int i = 0; i < cuts.length; i++)
            {
                cuts[i] = first + i;
            }
            send(true, hello, cuts);
            assertEquals("cut" + first + ".example", end().sni(), "first segment of " + first + " bytes");
            clientSeq += 100_000; // the next connection on the same tuple
        }
    }

    @Test
    void aLoneByteOfTwentyTwoThatStartsNoRecordGivesTheBufferBack()
    {
        handshake();
        send(true, new byte[] {22});
        send(true, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, shard.tlsHelloBuffersInUse());
        final Tls tls = end();
        assertEquals(0, tls.clientVersion());
    }

    @Test
    void aServerHelloInTwoSegmentsIsRead()
    {
        handshake();
        send(true, clientHello("a.example", 10));
        send(false, serverHello(), 20);
        assertEquals(0x0304, end().serverVersion());
    }

    @Test
    void aMissingSegmentAbandonsTheHello()
    {
        final byte[] hello = clientHello("gap.example", 3000);
        handshake();
        feed(segment(true, Arrays.copyOfRange(hello, 0, 1448)));
        clientSeq += 1448;                                           // the second segment is not captured
        feed(segment(true, Arrays.copyOfRange(hello, 2896, hello.length)));
        final Tls tls = end();
        assertEquals(0, tls.clientVersion());
        assertNull(tls.sni());
    }

    @Test
    void aRetransmittedFirstPartDoesNotSpoilTheHello()
    {
        final byte[] hello = clientHello("again.example", 1800);
        handshake();
        feed(segment(true, Arrays.copyOfRange(hello, 0, 1448)));
        clientSeq -= 1448;
        feed(segment(true, Arrays.copyOfRange(hello, 0, 1448)));     // the same bytes again
        feed(segment(true, Arrays.copyOfRange(hello, 1448, hello.length)));
        assertEquals("again.example", end().sni());
    }

    @Test
    void aConnectionThatEndsWhileCollectingGivesItsBufferBack()
    {
        handshake();
        feed(segment(true, Arrays.copyOfRange(clientHello("cut.example", 1800), 0, 1448)));
        end();
        assertEquals(0, shard.tlsHelloBuffersInUse());
    }

    @Test
    void aHelloLongerThanOneRecordIsNotCollectedAndCounted()
    {
        // A ClientHello claiming 20,000 bytes: more than a record's 2^14 (RFC 8446 section 5.1).
        final byte[] hello = clientHello("long.example", 20_000);
        handshake();
        send(true, hello, 1448, 2896);
        final Tls tls = end();
        assertEquals(0, tls.clientVersion());
        assertNull(tls.sni());
        assertEquals(1, anomalies()[ShardAnomaly.EXCESSIVE_TLS_HELLO_LENGTH]);
        assertEquals(0, shard.tlsHelloBuffersInUse(), "the buffer is back in the pool");
    }

    @Test
    void theShardCountsHellosThatFoundThePoolEmpty()
    {
        // Connections on other ports, each leaving the first part of its hello in a buffer.
        final byte[] first = Arrays.copyOfRange(clientHello("flood.example", 1800), 0, 1448);
        final int connections = HelloReassembler.DEFAULT_POOL_SIZE + 3;
        for (int port = 1; port <= connections; port++)
        {
            final DecodedFrame s = frames.tcp(micros, C, port, S, 443, PSH | ACK, 1001, 5001, first.length);
            s.data = first;
            s.payloadOffset = 0;
            s.captureLength = first.length;
            feed(s);
        }
        assertEquals(HelloReassembler.DEFAULT_POOL_SIZE, shard.tlsHelloBuffersInUse(), "the pool is the bound");
        assertEquals(3, anomalies()[ShardAnomaly.EXCESSIVE_PENDING_TLS_HELLOS]);
        shard.flushAll(EndReason.END_OF_INPUT);
        assertEquals(0, shard.tlsHelloBuffersInUse());
    }

    long[] anomalies()
    {
        final long[] counts = new long[ShardAnomaly.COUNT + 1];
        shard.anomalyCounts(counts);
        return counts;
    }

    @Test
    void aHelloThatFindsThePoolEmptyIsCountedAndTheBufferComesBackWhenTheOtherIsRead()
    {
        final HelloReassembler hellos = new HelloReassembler(1);
        // two connections of a table: a flow's state lives in its table's record
        final Connections table = new Connections(new FlowTable(4));
        final Flow a = table.insert(1, 6, 4, 0, 1, 1000, 0, 2, 443, 0);
        final Flow b = table.insert(2, 6, 4, 0, 1, 1001, 0, 2, 443, 0);
        final byte[] hello = clientHello("pool.example", 1800);
        hellos.onSegment(a, segment(true, Arrays.copyOfRange(hello, 0, 1448)), true);
        final long bSeq = clientSeq;
        clientSeq -= 1448;                                           // b starts its own hello
        hellos.onSegment(b, segment(true, Arrays.copyOfRange(hello, 0, 1448)), true);
        assertEquals(1, hellos.hellosWithoutBuffer(), "one buffer, lent to a");
        assertEquals(1, hellos.buffersInUse());
        clientSeq = bSeq;
        hellos.onSegment(a, segment(true, Arrays.copyOfRange(hello, 1448, hello.length)), true);
        assertEquals("pool.example", a.tlsSni());
        assertEquals(0, hellos.buffersInUse(), "read, and given back");
        assertNull(b.tlsSni());
    }
}
