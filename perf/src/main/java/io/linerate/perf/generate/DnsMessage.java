package io.linerate.perf.generate;

/**
 * Writes the DNS messages of the generated UDP flows (RFC 1035 section 4.1): a recursive query for
 * the A record of {@code h<N>.example.com}, and its answer with one address from 192.0.2.0/24
 * (RFC 5737). Well-formed, so tools that dissect DNS see ordinary lookups, not malformed packets.
 *
 * <pre>
 * header (12): id | flags | qdcount 1 | ancount 0 or 1 | nscount 0 | arcount 0
 * question:    QNAME (labels) | QTYPE A (1) | QCLASS IN (1)
 * answer:      name pointer c00c | TYPE A | CLASS IN | TTL 300 | RDLENGTH 4 | address
 * </pre>
 *
 * <p>One instance per generator; the returned buffer is reused.
 */
final class DnsMessage
{
    private static final int HEADER_LENGTH = 12;
    private static final int FLAGS_QUERY = 0x0100;
    private static final int FLAGS_RESPONSE = 0x8180;
    private static final byte[] DOMAIN = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0};
    /** QTYPE and QCLASS of the question. */
    private static final int QUESTION_TAIL = 4;
    /** Pointer to the question's name, TYPE, CLASS, TTL, RDLENGTH, IPv4 address. */
    private static final int ANSWER_LENGTH = 2 + 2 + 2 + 4 + 2 + 4;
    private static final int HOSTS = 100_000;

    private final byte[] message = new byte[512];

    /** Length of the query ({@code response} false) or answer for query number {@code query}. */
    static int length(final long query, final boolean response)
    {
        return HEADER_LENGTH + 1 + host(query).length() + DOMAIN.length + QUESTION_TAIL + (response ? ANSWER_LENGTH : 0);
    }

    /** Writes the query or the answer for query number {@code query}; valid until the next call. */
    byte[] message(final long query, final boolean response)
    {
        final byte[] m = message;
        putShort(0, (int)query);
        putShort(2, response ? FLAGS_RESPONSE : FLAGS_QUERY);
        putShort(4, 1);
        putShort(6, response ? 1 : 0);
        putShort(8, 0);
        putShort(10, 0);
        final String host = host(query);
        int p = HEADER_LENGTH;
        m[p++] = (byte)host.length();
        for (int i = 0; i < host.length(); i++)
        {
            m[p++] = (byte)host.charAt(i);
        }
        System.arraycopy(DOMAIN, 0, m, p, DOMAIN.length);
        p += DOMAIN.length;
        putShort(p, 1);
        putShort(p + 2, 1);
        p += QUESTION_TAIL;
        if (response)
        {
            putShort(p, 0xC000 | HEADER_LENGTH);
            putShort(p + 2, 1);
            putShort(p + 4, 1);
            putShort(p + 6, 0);
            putShort(p + 8, 300);
            putShort(p + 10, 4);
            m[p + 12] = (byte)192;
            m[p + 13] = 0;
            m[p + 14] = 2;
            m[p + 15] = (byte)(1 + query % 254);
        }
        return m;
    }

    private static String host(final long query)
    {
        return "h" + (query % HOSTS);
    }

    private void putShort(final int offset, final int value)
    {
        message[offset] = (byte)(value >>> 8);
        message[offset + 1] = (byte)value;
    }
}
