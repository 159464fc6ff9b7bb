package io.linerate.aggregate.view;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Address text is RFC 5952's canonical form, the one tshark and Zeek print. */
class InetTextTest
{
    @ParameterizedTest
    @CsvSource({
        "192.168.0.1, 192.168.0.1",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "fe80:0:0:0:200:86ff:fe05:80da, fe80::200:86ff:fe05:80da",
        "1:0:0:0:0:0:0:0, 1::",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:0",
    })
    void canonicalText(final String address, final String expected) throws Exception
    {
        final byte[] a = InetAddress.getByName(address).getAddress();
        if (a.length == 4)
        {
            assertEquals(expected, InetText.toString(4, 0, ByteBuffer.wrap(a).getInt() & 0xFFFFFFFFL));
        }
        else
        {
            final ByteBuffer b = ByteBuffer.wrap(a);
            assertEquals(expected, InetText.toString(6, b.getLong(0), b.getLong(8)));
        }
    }
}
