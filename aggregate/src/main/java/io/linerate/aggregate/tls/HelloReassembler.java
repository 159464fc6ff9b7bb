package io.linerate.aggregate.tls;

import io.linerate.aggregate.flow.Flow;
import io.linerate.decode.tls.TlsHelloFlyweight;
import io.linerate.ingest.ring.FrameSlot;

/**
 * Reads a TLS ClientHello or ServerHello that does not fit in the segment it starts in (a large
 * ClientHello with post-quantum key shares is two segments; a record header can be cut too): the
 * segment that starts the handshake record and the ones that follow it in sequence are collected
 * in the flow's {@link HelloBuffer} until the hello message is whole, then read as the decoder
 * reads a hello in one segment (RFC 8446 section 5.1: a record, and a message, may span segments).
 *
 * <p>Only handshake metadata is kept, only up to one record (16 KiB), one hello at a time per
 * connection; a missing or cut segment abandons it.
 */
public final class HelloReassembler
{
    private static final int RECORD_HEADER_LENGTH = 5;
    private static final int HANDSHAKE_HEADER_LENGTH = 4;
    /** RFC 8446 section 5.1: a plaintext record holds at most 2^14 bytes. */
    static final int MAX_RECORD = RECORD_HEADER_LENGTH + (1 << 14);

    private final TlsHelloFlyweight tls = new TlsHelloFlyweight();
    private final FrameSlot scratch = new FrameSlot();

    /** Looks at a TCP segment of {@code f} after its own TLS fields were noted. */
    public void onSegment(final Flow f, final FrameSlot slot, final boolean fromClient)
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
        if (pending != null && pending.active && pending.fromClient == fromClient)
        {
            if (slot.seq != pending.nextSeq)
            {
                if ((int)(slot.seq - pending.nextSeq) > 0)
                {
                    pending.active = false; // a segment is missing: the hello cannot be read
                }
                return; // an earlier copy: already collected
            }
            if (captured < payload)
            {
                pending.active = false; // cut by the snap length
                return;
            }
            pending.append(slot.data, slot.payloadOffset, payload);
            pending.nextSeq = (slot.seq + payload) & 0xFFFF_FFFFL;
            if (whole(pending))
            {
                read(f, pending, fromClient);
            }
            return;
        }
        if (slot.tlsHandshakeType != 0 || !startsHelloRecord(slot.data, slot.payloadOffset, captured) ||
            (fromClient ? f.tlsClientVersion() != 0 : f.tlsServerVersion() != 0) || captured < payload)
        {
            return;
        }
        final HelloBuffer buffer = pending != null ? pending : f.newTlsHelloBuffer();
        buffer.start(fromClient, (slot.seq + payload) & 0xFFFF_FFFFL);
        buffer.append(slot.data, slot.payloadOffset, payload);
        if (whole(buffer))
        {
            // whole in this segment yet not read by the decoder: not a hello it can read
            buffer.active = false;
        }
    }

    /**
     * True when the payload starts like a handshake record that carries a hello and is not whole in
     * this segment: content type 22, major version 3, then (when there) a hello's message type.
     */
    static boolean startsHelloRecord(final byte[] data, final int offset, final int captured)
    {
        if (captured < 2 || (data[offset] & 0xFF) != TlsHelloFlyweight.CONTENT_HANDSHAKE || data[offset + 1] != 3)
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

    /** True once the hello message is all there (or can never be: then the buffer stops). */
    private static boolean whole(final HelloBuffer b)
    {
        if (b.length < RECORD_HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH)
        {
            return false;
        }
        final int type = b.bytes[RECORD_HEADER_LENGTH] & 0xFF;
        final int messageEnd = RECORD_HEADER_LENGTH + HANDSHAKE_HEADER_LENGTH + u24(b.bytes, RECORD_HEADER_LENGTH + 1);
        if ((type != TlsHelloFlyweight.CLIENT_HELLO && type != TlsHelloFlyweight.SERVER_HELLO) ||
            messageEnd > MAX_RECORD)
        {
            b.active = false;
            return false;
        }
        return b.length >= messageEnd;
    }

    private void read(final Flow f, final HelloBuffer b, final boolean fromClient)
    {
        b.active = false;
        final byte[] own = scratch.data;
        scratch.clearDecoded();
        scratch.data = b.bytes;
        try
        {
            if (tls.decode(scratch, b.bytes, 0, b.length) && scratch.tlsHandshakeType != 0)
            {
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

    /** The bytes of one hello being collected; made once per connection that needs it. */
    public static final class HelloBuffer
    {
        final byte[] bytes = new byte[MAX_RECORD];
        int length;
        long nextSeq;
        boolean fromClient;
        boolean active;

        void start(final boolean fromClient, final long nextSeq)
        {
            this.fromClient = fromClient;
            this.nextSeq = nextSeq;
            length = 0;
            active = true;
        }

        /** Adds bytes; past one record only what fits is kept (the hello must be within it). */
        void append(final byte[] src, final int offset, final int n)
        {
            final int kept = Math.min(n, bytes.length - length);
            System.arraycopy(src, offset, bytes, length, kept);
            length += kept;
        }

        /** Stops collecting (the connection's storage is reused). */
        public void clear()
        {
            active = false;
            length = 0;
        }
    }
}
