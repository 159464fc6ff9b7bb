package io.linerate.decode.tcp;

import io.linerate.decode.Anomaly;
import io.linerate.decode.Census;
import io.linerate.decode.DecodeCursor;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.Layer;
import io.linerate.decode.LayerDecoder;
import io.linerate.decode.http.HttpFirstLineFlyweight;
import io.linerate.decode.tls.TlsHelloFlyweight;

/**
 * A TCP header (RFC 9293 §3.1) and its options, then a look at the start of the payload for an
 * HTTP/1.x first line or a TLS hello or alert. The end of the chain. The same layer reads the TCP
 * header an ICMP error quotes ({@link #decodeQuoted}).
 */
public final class TcpLayer implements LayerDecoder
{
    /** A TCP header through its window field: enough to put a segment on its connection. */
    private static final int TCP_BYTES_THROUGH_WINDOW = 16;
    /** TLS record content types: change_cipher_spec (20) to application_data (23). */
    private static final int TLS_CONTENT_TYPE_MIN = 20;
    private static final int TLS_CONTENT_TYPE_MAX = 23;
    /** Bytes of a quoted TCP/UDP header that hold the ports. */
    static final int QUOTED_PORTS_LENGTH = 4;
    /** Bytes of a quoted TCP header up to the end of the flags (many stacks quote more than 8 bytes). */
    private static final int QUOTED_FLAGS_END = 14;
    /** Bytes of a quoted TCP header up to the end of the sequence number (RFC 792's 64 bits). */
    private static final int QUOTED_SEQUENCE_END = 8;

    private final TcpHeaderFlyweight tcp = new TcpHeaderFlyweight();
    private final HttpFirstLineFlyweight http = new HttpFirstLineFlyweight();
    private final TlsHelloFlyweight tls = new TlsHelloFlyweight();

    @Override
    public int decode(final DecodeCursor cursor, final int offset)
    {
        final DecodedFrame slot = cursor.slot;
        final byte[] buffer = cursor.buffer;
        final int ipPayloadLength = cursor.length;
        final int captured = cursor.captureEnd - offset;
        if (ipPayloadLength < TcpHeaderFlyweight.MIN_HEADER_LENGTH || captured < TcpHeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return shortHeader(cursor, slot, offset, ipPayloadLength, captured);
        }
        final TcpHeaderFlyweight tcp = this.tcp.wrap(buffer, offset, captured);
        if (tcp.dataOffset() < TcpHeaderFlyweight.MIN_DATA_OFFSET)
        {
            // RFC 9293 §3.1: the header is at least 20 bytes, so Data Offset is at least 5.
            return cursor.fail(Anomaly.BAD_TCP_DATA_OFFSET);
        }
        final int headerLength = tcp.headerLength();
        if (headerLength > ipPayloadLength)
        {
            return slot.fragment ? transportHeaderContinuesInNextFragment(slot, offset, ipPayloadLength) :
                cursor.fail(Anomaly.BAD_TCP_DATA_OFFSET);
        }
        if (headerLength > captured)
        {
            return cursor.fail(Anomaly.TRUNCATED_TCP_HEADER);
        }

        fixedFields(slot, tcp, offset + headerLength, ipPayloadLength - headerLength);
        slot.transportPresent = true;
        cursor.census[Census.TCP]++;
        if (slot.payloadLength > 0 && cursor.captureEnd > slot.payloadOffset)
        {
            sniffPayload(slot, buffer, cursor.captureEnd - slot.payloadOffset);
        }

        // A malformed option spoils only the options: ports, seq, ack and flags are still good.
        return headerLength == TcpHeaderFlyweight.MIN_HEADER_LENGTH || copyOptions(tcp, slot) ? Layer.END :
            cursor.fail(Anomaly.BAD_TCP_OPTION);
    }

    /**
     * Copies into the slot the options a shard uses: MSS, window scale, SACK-permitted, SACK blocks,
     * timestamps. Fields of options that are absent are left as {@link DecodedFrame#clearDecoded()}
     * set them. An option whose length is below 2 or runs past the header ends the walk; an option
     * of a known kind with the wrong length is skipped by its length field. Both make the options
     * malformed; what was read before stays. The window scale is stored as sent: clamping a shift
     * above 14 (RFC 7323 section 2.3) is the consumer's rule.
     *
     * @return true when every option was well formed
     */
    static boolean copyOptions(final TcpHeaderFlyweight tcp, final DecodedFrame slot)
    {
        boolean wellFormed = true;
        int at = tcp.firstOption();
        for (; at >= 0; at = tcp.nextOption(at))
        {
            final int optionLength = tcp.optionLength(at);
            switch (tcp.optionKind(at))
            {
                case TcpOptionKind.MAXIMUM_SEGMENT_SIZE:
                    if (optionLength == TcpOptionKind.MAXIMUM_SEGMENT_SIZE_LENGTH)
                    {
                        slot.mss = tcp.optionUint16(at, 2);
                    }
                    else
                    {
                        wellFormed = false;
                    }
                    break;

                case TcpOptionKind.WINDOW_SCALE:
                    if (optionLength == TcpOptionKind.WINDOW_SCALE_LENGTH)
                    {
                        slot.windowScale = tcp.optionUint8(at, 2);
                    }
                    else
                    {
                        wellFormed = false;
                    }
                    break;

                case TcpOptionKind.SACK_PERMITTED:
                    if (optionLength == TcpOptionKind.SACK_PERMITTED_LENGTH)
                    {
                        slot.sackPermitted = true;
                    }
                    else
                    {
                        wellFormed = false;
                    }
                    break;

                case TcpOptionKind.SACK:
                    wellFormed &= copySackBlocks(tcp, at, optionLength, slot);
                    break;

                case TcpOptionKind.TIMESTAMPS:
                    if (optionLength == TcpOptionKind.TIMESTAMPS_LENGTH)
                    {
                        slot.timestampsPresent = true;
                        slot.tsVal = tcp.optionUint32(at, 2);
                        slot.tsEcr = tcp.optionUint32(at, 6);
                    }
                    else
                    {
                        wellFormed = false;
                    }
                    break;

                default:
                    // No-Operation, and other kinds (TFO, MPTCP, MD5, ...): stepped over by their length.
                    break;
            }
        }
        return wellFormed && at != TcpHeaderFlyweight.OPTIONS_MALFORMED;
    }

    /** SACK blocks (RFC 2018 section 3: length 2 + 8n, n >= 1), as many as the slot holds. */
    private static boolean copySackBlocks(
        final TcpHeaderFlyweight tcp, final int at, final int optionLength, final DecodedFrame slot)
    {
        final int blockBytes = optionLength - 2;
        if (blockBytes == 0 || blockBytes % TcpOptionKind.SACK_BLOCK_LENGTH != 0)
        {
            return false;
        }
        final int blocks = blockBytes / TcpOptionKind.SACK_BLOCK_LENGTH;
        int count = slot.sackBlockCount;
        for (int i = 0; i < blocks && count < DecodedFrame.MAX_SACK_BLOCKS; i++)
        {
            final int edge = 2 + i * TcpOptionKind.SACK_BLOCK_LENGTH;
            slot.sackLeft[count] = tcp.optionUint32(at, edge);
            slot.sackRight[count] = tcp.optionUint32(at, edge + 4);
            count++;
        }
        slot.sackBlockCount = count;
        return true;
    }

    /**
     * Fewer than 20 bytes of header in the datagram or the capture: the rest of a tiny first
     * fragment, or a header cut after its window field (the segment still counts on its connection),
     * or a truncated header.
     */
    private int shortHeader(
        final DecodeCursor cursor, final DecodedFrame slot, final int offset, final int ipPayloadLength, final int captured)
    {
        if (slot.fragment && ipPayloadLength < TcpHeaderFlyweight.MIN_HEADER_LENGTH)
        {
            return transportHeaderContinuesInNextFragment(slot, offset, ipPayloadLength);
        }
        if (Math.min(ipPayloadLength, captured) >= TCP_BYTES_THROUGH_WINDOW)
        {
            // Cut after the window field: the segment still belongs to its connection.
            final int present = Math.min(ipPayloadLength, captured);
            fixedFields(slot, this.tcp.wrap(cursor.buffer, offset, captured), offset + present, 0);
            slot.transportPresent = true;
            slot.tcpHeaderCut = true;
        }
        return cursor.fail(Anomaly.TRUNCATED_TCP_HEADER);
    }

    /** HTTP/1.x first lines and TLS hellos and alerts at the start of a segment's payload. */
    private void sniffPayload(final DecodedFrame slot, final byte[] buffer, final int payloadCaptured)
    {
        final int length = Math.min(payloadCaptured, slot.payloadLength);
        final HttpFirstLineFlyweight line = http.wrap(buffer, slot.payloadOffset, length);
        slot.httpMethod = line.method();
        slot.httpStatus = slot.httpMethod == 0 ? line.status() : -1;
        final int first = buffer[slot.payloadOffset] & 0xFF;
        if (first >= TLS_CONTENT_TYPE_MIN && first <= TLS_CONTENT_TYPE_MAX)
        {
            // TLS: hellos and plaintext alerts at the start of the segment (handshake metadata only).
            if (tls.read(buffer, slot.payloadOffset, length))
            {
                slot.copyTls(tls);
            }
        }
    }

    /**
     * The TCP header an ICMP error quotes: the ports (at least 4 bytes), the sequence number (8) and
     * the flags (14), as far as the quote goes.
     */
    public int decodeQuoted(final DecodeCursor cursor, final int offset)
    {
        final int available = cursor.quoteEnd - offset;
        if (available < QUOTED_PORTS_LENGTH)
        {
            return cursor.fail(Anomaly.TRUNCATED_ICMP_QUOTE);
        }
        final TcpHeaderFlyweight quoted = tcp.wrap(cursor.buffer, offset, available);
        return cursor.commitQuote(
            quoted.sourcePort(),
            quoted.destinationPort(),
            available >= QUOTED_SEQUENCE_END ? quoted.sequenceNumber() : 0,
            available >= QUOTED_FLAGS_END ? quoted.flags() : 0,
            available);
    }

    /**
     * A first fragment that ends inside its transport header (RFC 791 allows it; RFC 1858 §3 calls
     * it a tiny fragment): the header is whole only in the reassembled datagram, so this is no
     * anomaly and no transport header; the payload fields hold the fragment's IP payload.
     */
    public static int transportHeaderContinuesInNextFragment(
        final DecodedFrame slot, final int payloadOffset, final int payloadLength)
    {
        slot.payloadOffset = payloadOffset;
        slot.payloadLength = payloadLength;
        return Layer.END;
    }

    /** Ports, numbers, flags and window (the header up to its checksum), and where the payload is. */
    private static void fixedFields(
        final DecodedFrame slot, final TcpHeaderFlyweight tcp, final int payloadOffset, final int payloadLength)
    {
        slot.srcPort = tcp.sourcePort();
        slot.dstPort = tcp.destinationPort();
        slot.seq = tcp.sequenceNumber();
        slot.ack = tcp.acknowledgmentNumber();
        slot.tcpFlags = tcp.flags();
        slot.window = tcp.window();
        slot.payloadOffset = payloadOffset;
        slot.payloadLength = payloadLength;
    }
}
