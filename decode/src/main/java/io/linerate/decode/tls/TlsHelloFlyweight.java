package io.linerate.decode.tls;

/**
 * Flyweight over the TLS records a TCP segment starts with (RFC 8446 section 5.1, RFC 5246 section
 * 6.2): it finds a ClientHello or ServerHello handshake message (section 4.1.2, 4.1.3) or a
 * plaintext Alert (section 6) and says what an engineer asks of it: the offered and chosen
 * versions (with the supported_versions extension, section 4.2.1), the server name (RFC 6066
 * section 3) and the ALPN protocol (RFC 7301 section 3.1) as offsets into the buffer, and the
 * alert's level and description. It reads and never writes: the caller copies what it keeps
 * ({@code DecodedFrame.copyTls}). Nothing is copied and nothing allocated; only handshake metadata
 * is read, never application data.
 *
 * <pre>
 * TLSPlaintext:  content_type(1) legacy_record_version(2) length(2) fragment
 * Handshake:     msg_type(1) length(3) body
 * ClientHello:   legacy_version(2) random(32) session_id<0..32> cipher_suites<2..2^16-2>
 *                legacy_compression_methods<1..2^8-1> extensions<8..2^16-1>
 * ServerHello:   legacy_version(2) random(32) legacy_session_id_echo<0..32> cipher_suite(2)
 *                legacy_compression_method(1) extensions<6..2^16-1>
 * Extension:     extension_type(2) extension_data<0..2^16-1>
 * Alert:         level(1) description(1)
 * </pre>
 *
 * A hello split over several segments is not read here (the first segment alone does not hold it).
 */
public final class TlsHelloFlyweight
{
    public static final int CONTENT_ALERT = 21;
    public static final int CONTENT_HANDSHAKE = 22;
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;
    private static final int RECORD_HEADER_LENGTH = 5;
    private static final int HANDSHAKE_HEADER_LENGTH = 4;
    private static final int RANDOM_LENGTH = 32;
    private static final int EXT_SERVER_NAME = 0;
    private static final int EXT_ALPN = 16;
    private static final int EXT_SUPPORTED_VERSIONS = 43;
    private static final int HOST_NAME = 0;
    private static final int MAX_RECORDS = 4;

    private byte[] buffer;
    private int end;
    private int handshakeType;
    private int clientVersion;
    private int serverVersion;
    private int sniOffset;
    private int sniLength;
    private int alpnOffset;
    private int alpnLength;
    private int alertLevel = -1;
    private int alertDescription = -1;

    /**
     * Reads the TLS records at the start of a TCP payload; the accessors then say what they hold
     * (until the next read).
     *
     * @param offset where the payload starts in {@code buffer}
     * @param length bytes of payload captured
     * @return true when a hello or an alert was found
     */
    public boolean read(final byte[] buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.end = offset + length;
        handshakeType = 0;
        clientVersion = serverVersion = 0;
        sniOffset = sniLength = 0;
        alpnOffset = alpnLength = 0;
        alertLevel = alertDescription = -1;
        boolean found = false;
        int record = offset;
        // A segment may carry several records (an alert and then a ServerHello, say); a few are read.
        for (int i = 0; i < MAX_RECORDS && record + RECORD_HEADER_LENGTH <= end && isRecordHeader(record); i++)
        {
            final int recordLength = u16(record + 3);
            found |= record(u8(record), record + RECORD_HEADER_LENGTH, recordLength);
            record += RECORD_HEADER_LENGTH + recordLength;
        }
        return found;
    }

    /** The hello found: {@link #CLIENT_HELLO}, {@link #SERVER_HELLO}, or 0 for none. */
    public int handshakeType()
    {
        return handshakeType;
    }

    /** Highest version the ClientHello offers (supported_versions included), 0 when none. */
    public int clientVersion()
    {
        return clientVersion;
    }

    /** Version the ServerHello chose (supported_versions included), 0 when none. */
    public int serverVersion()
    {
        return serverVersion;
    }

    /** Offset in the buffer of the ClientHello's server name (SNI host_name), 0 when none. */
    public int sniOffset()
    {
        return sniOffset;
    }

    /** Length of the server name, 0 when none. */
    public int sniLength()
    {
        return sniLength;
    }

    /** Offset in the buffer of the first ALPN protocol (the client's first offer, the server's choice). */
    public int alpnOffset()
    {
        return alpnOffset;
    }

    /** Length of that protocol name, 0 when none. */
    public int alpnLength()
    {
        return alpnLength;
    }

    /** Level of the first plaintext alert, -1 when none. */
    public int alertLevel()
    {
        return alertLevel;
    }

    /** Description of the first plaintext alert, -1 when none. */
    public int alertDescription()
    {
        return alertDescription;
    }

    private boolean record(final int contentType, final int body, final int recordLength)
    {
        if (contentType == CONTENT_ALERT)
        {
            // A plaintext alert is exactly two bytes; an encrypted one (after ChangeCipherSpec, or
            // any TLS 1.3 alert after the ServerHello) is longer and its contents are not readable.
            if (recordLength == 2 && body + 2 <= end && alertLevel < 0)
            {
                alertLevel = u8(body);
                alertDescription = u8(body + 1);
                return true;
            }
            return false;
        }
        if (contentType != CONTENT_HANDSHAKE || body + HANDSHAKE_HEADER_LENGTH > end || handshakeType != 0)
        {
            return false;
        }
        final int type = u8(body);
        final int messageEnd = body + HANDSHAKE_HEADER_LENGTH + u24(body + 1);
        if ((type != CLIENT_HELLO && type != SERVER_HELLO) || messageEnd > end ||
            messageEnd > body + recordLength)
        {
            return false;
        }
        return hello(body + HANDSHAKE_HEADER_LENGTH, messageEnd, type == CLIENT_HELLO);
    }

    /**
     * A ClientHello or ServerHello: both start with legacy_version, random and a session id; then the
     * client lists cipher suites and compression methods, the server names one of each.
     */
    private boolean hello(final int start, final int messageEnd, final boolean clientHello)
    {
        int p = start;
        if (p + 2 + RANDOM_LENGTH + 1 > messageEnd)
        {
            return false;
        }
        final int legacyVersion = u16(p);
        p += 2 + RANDOM_LENGTH;
        p += 1 + u8(p);
        if (clientHello)
        {
            if (p + 2 > messageEnd)
            {
                return false;
            }
            p += 2 + u16(p);
            if (p + 1 > messageEnd)
            {
                return false;
            }
            p += 1 + u8(p);
        }
        else
        {
            p += 2 + 1;
            if (p > messageEnd)
            {
                return false;
            }
        }
        if (clientHello)
        {
            handshakeType = CLIENT_HELLO;
            clientVersion = legacyVersion;
        }
        else
        {
            handshakeType = SERVER_HELLO;
            serverVersion = legacyVersion;
        }
        extensions(p, messageEnd, clientHello);
        return true;
    }

    /**
     * Walks a hello's extensions block (a two-byte length, then type-length-value entries) and takes
     * what each hello says: the ClientHello's server name, ALPN offer and supported versions, the
     * ServerHello's chosen version and ALPN protocol.
     */
    private void extensions(final int start, final int messageEnd, final boolean clientHello)
    {
        if (start + 2 > messageEnd)
        {
            return;
        }
        final int extensionsEnd = Math.min(messageEnd, start + 2 + u16(start));
        int p = start + 2;
        while (p + 4 <= extensionsEnd)
        {
            final int type = u16(p);
            final int dataLength = u16(p + 2);
            final int data = p + 4;
            if (data + dataLength > extensionsEnd)
            {
                return;
            }
            if (type == EXT_ALPN && dataLength >= 3)
            {
                alpn(data, dataLength);
            }
            else if (type == EXT_SUPPORTED_VERSIONS && !clientHello && dataLength == 2)
            {
                serverVersion = u16(data);
            }
            else if (type == EXT_SUPPORTED_VERSIONS && clientHello && dataLength >= 1)
            {
                // The highest version offered, GREASE values (RFC 8701: 0x?A?A) aside.
                final int listEnd = Math.min(data + dataLength, data + 1 + u8(data));
                for (int v = data + 1; v + 2 <= listEnd; v += 2)
                {
                    final int version = u16(v);
                    if ((version & 0x0F0F) != 0x0A0A && rank(version) > rank(clientVersion))
                    {
                        clientVersion = version;
                    }
                }
            }
            else if (type == EXT_SERVER_NAME && clientHello && dataLength >= 5 && u8(data + 2) == HOST_NAME)
            {
                final int nameLength = u16(data + 3);
                if (data + 5 + nameLength <= data + dataLength)
                {
                    sniOffset = data + 5;
                    sniLength = nameLength;
                }
            }
            p = data + dataLength;
        }
    }

    /**
     * Orders versions: SSL 3.0 to TLS 1.3 by value, a TLS 1.3 draft (0x7Fnn) just below TLS 1.3,
     * anything else below all of them.
     */
    private static int rank(final int version)
    {
        if ((version & 0xFF00) == 0x7F00)
        {
            return 0x0303 * 256 + (version & 0xFF);
        }
        return version >= 0x0300 && version <= 0x03FF ? version * 256 : 0;
    }

    /** The first protocol of an ALPN list (the server's list holds exactly the one it chose). */
    private void alpn(final int data, final int dataLength)
    {
        final int nameLength = u8(data + 2);
        if (nameLength > 0 && data + 3 + nameLength <= data + dataLength)
        {
            alpnOffset = data + 3;
            alpnLength = nameLength;
        }
    }

    private boolean isRecordHeader(final int offset)
    {
        final int type = u8(offset);
        return type >= 20 && type <= 23 && u8(offset + 1) == 3 && u8(offset + 2) <= 4;
    }

    private int u8(final int index)
    {
        return index < end ? buffer[index] & 0xFF : 0;
    }

    private int u16(final int index)
    {
        return (u8(index) << 8) | u8(index + 1);
    }

    private int u24(final int index)
    {
        return (u8(index) << 16) | (u8(index + 1) << 8) | u8(index + 2);
    }
}
