package io.linerate.decode.tls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.linerate.decode.DecodedFrame;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the TLS hello and alert reader with any TCP payload. An input is: byte 0, where the payload
 * starts in the frame (0 to 255: the bytes before it are the input's own, as headers would be); the
 * rest, the payload, at the end of an array of exactly that size. Checked: no exception; the server
 * name and ALPN protocol it points at lie inside the payload (the record encoder copies them from
 * there); versions are 16-bit, the alert's level and description bytes; nothing is found where no
 * hello or alert was claimed; reading the same payload twice, another in between, gives the same fields.
 */
class TlsHelloFlyweightFuzzTest
{
    /** A fatal alert and then a ServerHello choosing TLS 1.3 and "h2": read between the two reads of an input. */
    private static final byte[] HELLO_AND_ALERT = TlsHelloFlyweightTest.alertThenServerHello();

    private final TlsHelloFlyweight tls = new TlsHelloFlyweight();

    @FuzzTest(maxDuration = "10s")
    void payload(final byte[] input)
    {
        if (input.length < 1)
        {
            return;
        }
        final int offset = Math.min(input[0] & 0xFF, input.length - 1);
        final byte[] frame = Arrays.copyOfRange(input, 1, input.length);
        final int length = frame.length - offset;

        final boolean found = tls.read(frame, offset, length);
        final DecodedFrame slot = new DecodedFrame();
        slot.clearDecoded();
        slot.copyTls(tls);
        inside(slot.tlsSniOffset, slot.tlsSniLength, offset, length, "server name");
        inside(slot.tlsAlpnOffset, slot.tlsAlpnLength, offset, length, "ALPN protocol");
        assertTrue(slot.tlsClientVersion >= 0 && slot.tlsClientVersion <= 0xFFFF, "client version");
        assertTrue(slot.tlsServerVersion >= 0 && slot.tlsServerVersion <= 0xFFFF, "server version");
        assertTrue(slot.tlsAlertLevel >= -1 && slot.tlsAlertLevel <= 0xFF, "alert level");
        assertTrue(slot.tlsAlertDescription >= -1 && slot.tlsAlertDescription <= 0xFF, "alert description");
        if (!found)
        {
            assertEquals(0, slot.tlsHandshakeType, "a hello noted although none was found");
            assertEquals(-1, slot.tlsAlertLevel, "an alert noted although none was found");
        }

        // Read again, after another payload: the same fields, nothing left of the other one.
        tls.read(HELLO_AND_ALERT, 0, HELLO_AND_ALERT.length);
        assertEquals(found, tls.read(frame, offset, length));
        final DecodedFrame again = new DecodedFrame();
        again.clearDecoded();
        again.copyTls(tls);
        assertEquals(slot.tlsHandshakeType, again.tlsHandshakeType);
        assertEquals(slot.tlsClientVersion, again.tlsClientVersion);
        assertEquals(slot.tlsServerVersion, again.tlsServerVersion);
        assertEquals(slot.tlsSniOffset, again.tlsSniOffset);
        assertEquals(slot.tlsSniLength, again.tlsSniLength);
        assertEquals(slot.tlsAlpnOffset, again.tlsAlpnOffset);
        assertEquals(slot.tlsAlpnLength, again.tlsAlpnLength);
        assertEquals(slot.tlsAlertLevel, again.tlsAlertLevel);
        assertEquals(slot.tlsAlertDescription, again.tlsAlertDescription);
    }

    private static void inside(final int at, final int length, final int offset, final int payload, final String what)
    {
        if (length != 0)
        {
            assertTrue(length > 0 && at >= offset && at + length <= offset + payload,
                what + " at " + at + "+" + length + " outside the payload at " + offset + "+" + payload);
        }
    }
}
