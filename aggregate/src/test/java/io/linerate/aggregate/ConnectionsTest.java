package io.linerate.aggregate;

import io.linerate.aggregate.flow.FlowTable;
import io.linerate.decode.DecodedFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A flow is an index: its record, and extras only when it needs them. A removed flow's index and
 * extras are reused, and nothing of the old connection may show through the new one.
 */
class ConnectionsTest
{
    @Test
    void aReusedIndexStartsWithoutTheLastConnectionsExtrasOrFacts()
    {
        final Connections c = new Connections(new FlowTable(4));
        final Flow first = c.insert(1, 6, 4, 0, 1, 1000, 0, 2, 443, 0);
        final int index = first.index();
        first.begin(tunnelledFrame());
        first.noteTls(clientHello("old.example"), true);
        first.noteHttp(1, -1, true);
        first.packetMarks(42);
        assertEquals("old.example", c.flow(index).tlsSni());
        assertEquals(1, c.flow(index).tunnels().count());
        final FlowExtras extras = c.extrasIfAny(index);
        assertNotNull(extras, "a name and a tunnel need extras");
        assertEquals(1, c.flowsWithExtras());

        c.remove(index);
        assertEquals(0, c.flowsWithExtras(), "given back with the flow");
        final Flow second = c.insert(2, 17, 4, 0, 3, 53, 0, 4, 53, 0);
        assertEquals(index, second.index(), "the free index is reused");
        assertNull(second.tlsSni());
        assertNull(second.tunnels());
        assertEquals(0, second.tlsClientVersion());
        assertEquals(0, second.httpMethod());
        assertEquals(-1, second.httpStatus());
        assertEquals(0, second.packetMarks());
        assertEquals(-1, second.icmpType());
        assertEquals(0, second.interimCount());
        assertEquals(0, second.c2s().packets());

        second.noteTls(clientHello("new.example"), true);
        assertSame(extras, c.extrasIfAny(index), "the spare extras are lent again, cleared");
        assertEquals("new.example", second.tlsSni());
        assertEquals(0, second.tunnels().count(), "the old tunnels are gone");
    }

    @Test
    void cursorsAreLentInTurnSoAFewStayGoodTogether()
    {
        final Connections c = new Connections(new FlowTable(16));
        final Flow a = c.insert(1, 6, 4, 0, 1, 1000, 0, 2, 80, 0);
        final Flow b = c.insert(2, 6, 4, 0, 1, 1001, 0, 2, 80, 0);
        assertNotSame(a, b);
        assertEquals(1000, a.header().aPort(), "a still points at its flow after b was lent");
        assertEquals(1001, b.header().aPort());
        for (int i = 0; i < 6; i++)
        {
            c.flow(1);
        }
        assertEquals(0, a.index(), "a cursor stays good while seven others are lent");
        c.flow(1);
        assertEquals(1, a.index(), "the eighth lends a's cursor again");
    }

    private static DecodedFrame tunnelledFrame()
    {
        final DecodedFrame slot = new DecodedFrame();
        slot.timestampNanos = 1_000_000_000L;
        slot.frameNumber = 7;
        slot.tunnelCount = 1;
        slot.tunnelType[0] = 1;
        slot.tunnelId[0] = 4242;
        return slot;
    }

    /** A slot as the decoder leaves it for a ClientHello naming {@code sni}. */
    private static DecodedFrame clientHello(final String sni)
    {
        final DecodedFrame slot = new DecodedFrame();
        final byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, slot.data, 100, name.length);
        slot.tlsHandshakeType = 1;
        slot.tlsClientVersion = 0x0303;
        slot.tlsSniOffset = 100;
        slot.tlsSniLength = name.length;
        slot.tlsAlertLevel = -1;
        return slot;
    }
}
