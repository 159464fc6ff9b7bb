package io.linerate.decode.tls;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS hellos and alerts on exact bytes (RFC 8446 section 4.1.2, 4.1.3, 6; RFC 6066; RFC 7301). */
class TlsHelloFlyweightTest
{
    private final TlsHelloFlyweight tls = new TlsHelloFlyweight();

    static final class Bytes
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(final int v)
        {
            out.write(v);
            return this;
        }

        Bytes u16(final int v)
        {
            return u8(v >>> 8).u8(v & 0xFF);
        }

        Bytes u24(final int v)
        {
            return u8(v >>> 16).u16(v & 0xFFFF);
        }

        Bytes raw(final byte[] b)
        {
            out.write(b, 0, b.length);
            return this;
        }

        Bytes zeros(final int n)
        {
            return raw(new byte[n]);
        }

        byte[] bytes()
        {
            return out.toByteArray();
        }
    }

    /** A record around a handshake message around a body. */
    static byte[] handshakeRecord(final int type, final byte[] body)
    {
        final byte[] message = new Bytes().u8(type).u24(body.length).raw(body).bytes();
        return new Bytes().u8(22).u16(0x0301).u16(message.length).raw(message).bytes();
    }

    static byte[] extension(final int type, final byte[] data)
    {
        return new Bytes().u16(type).u16(data.length).raw(data).bytes();
    }

    static byte[] clientHello()
    {
        final byte[] name = "example.org".getBytes(StandardCharsets.US_ASCII);
        final byte[] sni = new Bytes().u16(name.length + 3).u8(0).u16(name.length).raw(name).bytes();
        final byte[] alpn = new Bytes().u16(12).u8(2).raw("h2".getBytes(StandardCharsets.US_ASCII))
            .u8(8).raw("http/1.1".getBytes(StandardCharsets.US_ASCII)).bytes();
        final byte[] versions = new Bytes().u8(6).u16(0x6A6A).u16(0x0304).u16(0x0303).bytes();
        final byte[] extensions = new Bytes().raw(extension(0, sni)).raw(extension(16, alpn))
            .raw(extension(43, versions)).bytes();
        final byte[] body = new Bytes().u16(0x0303).zeros(32).u8(0).u16(4).u16(0x1301).u16(0x1302).u8(1).u8(0)
            .u16(extensions.length).raw(extensions).bytes();
        return handshakeRecord(1, body);
    }

    static byte[] serverHello()
    {
        final byte[] extensions = new Bytes().raw(extension(43, new Bytes().u16(0x0304).bytes()))
            .raw(extension(16, new Bytes().u16(3).u8(2).raw("h2".getBytes(StandardCharsets.US_ASCII)).bytes())).bytes();
        final byte[] body = new Bytes().u16(0x0303).zeros(32).u8(0).u16(0x1301).u8(0)
            .u16(extensions.length).raw(extensions).bytes();
        return handshakeRecord(2, body);
    }

    @Test
    void aClientHelloGivesItsHighestOfferServerNameAndFirstAlpn()
    {
        final byte[] segment = new Bytes().zeros(7).raw(clientHello()).bytes();
        assertTrue(tls.read(segment, 7, segment.length - 7));
        assertEquals(1, tls.handshakeType());
        assertEquals(0x0304, tls.clientVersion(), "supported_versions beats legacy_version; GREASE is ignored");
        assertEquals("example.org", new String(segment, tls.sniOffset(), tls.sniLength(), StandardCharsets.US_ASCII));
        assertEquals("h2", new String(segment, tls.alpnOffset(), tls.alpnLength(), StandardCharsets.US_ASCII));
        assertEquals(-1, tls.alertLevel());
    }

    @Test
    void aServerHelloGivesTheChosenVersion()
    {
        final byte[] segment = serverHello();
        assertTrue(tls.read(segment, 0, segment.length));
        assertEquals(2, tls.handshakeType());
        assertEquals(0x0304, tls.serverVersion());
        assertEquals("h2", new String(segment, tls.alpnOffset(), tls.alpnLength(), StandardCharsets.US_ASCII));
    }

    /** A fatal protocol_version alert and then a ServerHello (TLS 1.3, "h2") in one segment. */
    static byte[] alertThenServerHello()
    {
        final byte[] alert = new Bytes().u8(21).u16(0x0303).u16(2).u8(2).u8(70).bytes();
        return new Bytes().raw(alert).raw(serverHello()).bytes();
    }

    @Test
    void aPlaintextAlertFollowedByAServerHelloGivesBoth()
    {
        final byte[] alert = new Bytes().u8(21).u16(0x0303).u16(2).u8(1).u8(112).bytes();
        final byte[] segment = new Bytes().raw(alert).raw(serverHello()).bytes();
        assertTrue(tls.read(segment, 0, segment.length));
        assertEquals(1, tls.alertLevel());
        assertEquals(112, tls.alertDescription());
        assertEquals(2, tls.handshakeType());
    }

    @Test
    void aFatalProtocolVersionAlert()
    {
        final byte[] segment = new Bytes().u8(21).u16(0x0303).u16(2).u8(2).u8(70).bytes();
        assertTrue(tls.read(segment, 0, segment.length));
        assertEquals(2, tls.alertLevel());
        assertEquals(70, tls.alertDescription());
    }

    @Test
    void encryptedAlertsCutHellosAndOtherPayloadsGiveNothing()
    {
        final byte[] encrypted = new Bytes().u8(21).u16(0x0303).u16(26).zeros(26).bytes();
        assertFalse(tls.read(encrypted, 0, encrypted.length));
        assertEquals(-1, tls.alertLevel());

        final byte[] hello = clientHello();
        assertFalse(tls.read(hello, 0, hello.length - 10), "a hello split over segments is not read");
        assertEquals(0, tls.handshakeType());

        final byte[] http = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        final byte[] whole = serverHello();
        assertTrue(tls.read(whole, 0, whole.length));
        assertFalse(tls.read(http, 0, http.length));
        assertEquals(0, tls.handshakeType(), "each read starts afresh");
        assertEquals(0, tls.serverVersion());
        assertEquals(0, tls.alpnLength());
        final byte[] appData = new Bytes().u8(23).u16(0x0303).u16(100).zeros(100).bytes();
        assertFalse(tls.read(appData, 0, appData.length));
        assertEquals(0, tls.clientVersion());
    }
}
