package io.linerate.aggregate.tls;

import io.linerate.decode.DecodedFrame;
import io.linerate.decode.tls.TlsHelloFlyweight;

/**
 * Reads a TLS ClientHello or ServerHello that does not fit in the segment it starts in (a large
 * ClientHello with post-quantum key shares is two segments; a record header can be cut too): the
 * segment that starts the handshake record and the ones that follow it in sequence are collected
 * in the flow's {@link HelloBuffer} until the hello message is whole, then read as the decoder
 * reads a hello in one segment (RFC 8446 section 5.1: a record, and a message, may span segments).
 *
 * <p>Only handshake metadata is kept, only up to one record (16 KiB), one hello at a time per
 * connection; a missing or cut segment abandons it.
 *
 * <p>Buffers come from a bounded pool of this shard ({@link #DEFAULT_POOL_SIZE}): a connection holds
 * one only while its hello is being collected, and gives it back when the hello is read, abandoned,
 * or the connection ends. A hello that finds the pool empty is not read, and counted
 * ({@link #hellosWithoutBuffer()}, {@code excessive_pending_tls_hellos}): a flood of cut hellos cannot
 * take the shard's memory; a hello claiming more than a record is not collected
 * ({@link #hellosTooLong()}, {@code excessive_tls_hello_length}).
 */
public final class HelloReassembler
{
    private static final int RECORD_HEADER_LENGTH = 5;
    private static final int HANDSHAKE_HEADER_LENGTH = 4;
    /** RFC 8446 section 5.1: a plaintext record holds at most 2^14 bytes. */
    static final int MAX_RECORD = RECORD_HEADER_LENGTH + (1 << 14);

    /** Hellos collected at once per shard, 16 KiB each: 4 MiB. */
    public static final int DEFAULT_POOL_SIZE = 256;

    private final TlsHelloFlyweight tls = new TlsHelloFlyweight();
    private final DecodedFrame scratch = new DecodedFrame();
    private final HelloBuffer[] free;
    private int freeCount;
    private int made;
    private long hellosWithoutBuffer;
    private long hellosTooLong;

    public HelloReassembler()
    {
        this(DEFAULT_POOL_SIZE);
    }

    /** @param poolSize hellos that can be collected at once (buffers are made as first needed) */
    public HelloReassembler(final int poolSize)
    {
        free = new HelloBuffer[poolSize];
    }

    /** Split hellos not read because every buffer of the pool was taken. */
    public long hellosWithoutBuffer()
    {
        return hellosWithoutBuffer;
    }

    /** Split hellos given up because the hello message claimed more than one record can hold. */
    public long hellosTooLong()
    {
        return hellosTooLong;
    }

    /** Buffers lent to connections now. */
    public int buffersInUse()
    {
        return made - freeCount;
    }

    /** Looks at a TCP segment of {@code f} after its own TLS fields were noted. */
    public void onSegment(final TlsConnection f, final DecodedFrame slot, final boolean fromClient)
    {
        final int payload = slot.payloadLength;
        if (payload <= 0 || slot.fragment || slot.tcpHeaderCut)
        {
            return;
        }
        if (slot.payloadOffset < 0)
        {
            return;
        }
        final int captured = Math.min(payload,
            Math.min(slot.captureLength, slot.data.length) - slot.payloadOffset);
        final HelloBuffer pending = f.tlsHelloBuffer();
        if (pending != null && pending.fromClient == fromClient)
        {
            if (slot.seq != pending.nextSeq)
            {
                if ((int)(slot.seq - pending.nextSeq) > 0)
                {
                    f.tlsHelloBuffer(null).release(); // a segment is missing: the hello cannot be read
                }
                return; // an earlier copy: already collected
            }
            if (captured < payload)
            {
                f.tlsHelloBuffer(null).release(); // cut by the snap length
                return;
            }
            pending.append(slot.data, slot.payloadOffset, payload);
            pending.nextSeq = (slot.seq + payload) & 0xFFFF_FFFFL;
            final int state = whole(pending);
            if (state != INCOMPLETE)
            {
                if (state == WHOLE)
                {
                    read(f, pending, fromClient);
                }
                else if (state == TOO_LONG)
                {
                    hellosTooLong++;
                }
                f.tlsHelloBuffer(null).release();
            }
            return;
        }
        if (slot.tlsHandshakeType != 0 || !startsHelloRecord(slot.data, slot.payloadOffset, captured) ||
            (fromClient ? f.tlsClientVersion() != 0 : f.tlsServerVersion() != 0) || captured < payload)
        {
            return;
        }
        // One hello at a time per connection: the other side's, if any, is given up.
        final HelloBuffer buffer = pending != null ? pending : borrow();
        if (buffer == null)
        {
            hellosWithoutBuffer++;
            return;
        }
        buffer.start(fromClient, (slot.seq + payload) & 0xFFFF_FFFFL);
        buffer.append(slot.data, slot.payloadOffset, payload);
        final int state = whole(buffer);
        if (state == INCOMPLETE)
        {
            f.tlsHelloBuffer(buffer);
        }
        else
        {
            if (state == TOO_LONG)
            {
                hellosTooLong++;
            }
            // whole in this segment yet not read by the decoder: not a hello it can read
            f.tlsHelloBuffer(null);
            buffer.release();
        }
    }

    private HelloBuffer borrow()
    {
        if (freeCount > 0)
        {
            return free[--freeCount];
        }
        if (made < free.length)
        {
            made++;
            return new HelloBuffer(this);
        }
        return null;
    }

    /**
     * True when the payload starts like a handshake record that carries a hello and is not whole in
     * this segment: content type 22, major version 3, then (when there) a hello's message type. A
     * segment of one byte, 22, may start one too (a client that writes the record type alone); the
     * next segments tell ({@link #whole}).
     */
    /**
     * True when the segment's payload could start a hello that needs collecting (a TLS handshake
     * record): only then is the connection's object looked at for a segment with no hello in view.
     */
    public static boolean mayStartHello(final DecodedFrame slot)
    {
        if (slot.payloadOffset < 0 || slot.fragment || slot.tcpHeaderCut)
        {
            return false;
        }
        final int captured = Math.min(slot.payloadLength,
            Math.min(slot.captureLength, slot.data.length) - slot.payloadOffset);
        return startsHelloRecord(slot.data, slot.payloadOffset, captured);
    }

    static boolean startsHelloRecord(final byte[] data, final int offset, final int captured)
    {
        if (captured < 1 || (data[offset] & 0xFF) != TlsHelloFlyweight.CONTENT_HANDSHAKE ||
            captured >= 2 && data[offset + 1] != 3)
        {
            return false;
        }
        if (captured <= RECORD_HEADER_LENGTH)
        {
            return true;
        }
        final int type = data[offset + RECORD_HEADER_LENGTH] & 0xFF;
        return type == TlsHelloFlyweight.CLIENT_HELLO || type == TlsHelloFlyweight.SERVER_HELLO;
    }

    private static final int INCOMPLETE = 0;
    private static final int WHOLE = 1;
    private static final int UNREADABLE = 2;
    private static final int TOO_LONG = 3;

    /** Whether the hello message is all there, not yet, or can never be read (not a hello, or longer than a record). */
    private static int whole(final HelloBuffer b)
    {
        if (b.length >= 2 && b.bytes[1] != 3)
        {
            return UNREADABLE; // not a TLS record after all: its first byte came alone
        }
        if (b.length < RECORD_HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH)
        {
            return INCOMPLETE;
        }
        final int type = b.bytes[RECORD_HEADER_LENGTH] & 0xFF;
        final int messageEnd = RECORD_HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH + u24(b.bytes, RECORD_HEADER_LENGTH + 1);
        if (type != TlsHelloFlyweight.CLIENT_HELLO && type != TlsHelloFlyweight.SERVER_HELLO)
        {
            return UNREADABLE;
        }
        if (messageEnd > MAX_RECORD)
        {
            // The buffer holds one record (RFC 8446 section 5.1): a longer hello is not collected.
            return TOO_LONG;
        }
        return b.length >= messageEnd ? WHOLE : INCOMPLETE;
    }

    private void read(final TlsConnection f, final HelloBuffer b, final boolean fromClient)
    {
        final byte[] own = scratch.data;
        scratch.clearDecoded();
        scratch.data = b.bytes;
        try
        {
            if (tls.read(b.bytes, 0, b.length) && tls.handshakeType() != 0)
            {
                scratch.copyTls(tls);
                f.noteTls(scratch, fromClient);
            }
        }
        finally
        {
            scratch.data = own;
        }
    }

    private static int u24(final byte[] b, final int i)
    {
        return (b[i] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8 | b[i + 2] & 0xFF;
    }

    /** The bytes of one hello being collected, lent by a shard's pool to one connection at a time. */
    public static final class HelloBuffer
    {
        private final HelloReassembler pool;
        final byte[] bytes = new byte[MAX_RECORD];
        int length;
        long nextSeq;
        boolean fromClient;

        HelloBuffer(final HelloReassembler pool)
        {
            this.pool = pool;
        }

        void start(final boolean fromClient, final long nextSeq)
        {
            this.fromClient = fromClient;
            this.nextSeq = nextSeq;
            length = 0;
        }

        /** Adds bytes; past one record only what fits is kept (the hello must be within it). */
        void append(final byte[] src, final int offset, final int n)
        {
            final int kept = Math.min(n, bytes.length - length);
            System.arraycopy(src, offset, bytes, length, kept);
            length += kept;
        }

        /** Gives the buffer back to its pool (the hello is done, or its connection ended). */
        public void release()
        {
            length = 0;
            pool.free[pool.freeCount++] = this;
        }
    }
}
