package io.linerate.ops.inspect;

import io.linerate.aggregate.view.InetText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's payload as Wireshark's "Follow TCP Stream" (and "Follow UDP Stream": each
 * datagram's payload as it came, {@link #onDatagram}) puts it together. For TCP: each side's bytes from its first segment on, a retransmission's bytes once (only what
 * it adds past the end so far), a segment beyond a gap held back until the gap is filled, and a gap
 * the other side acknowledges anyway (the capture missed those bytes) marked with its size,
 * {@code [N bytes missing in capture file]}. The chunks keep the order the bytes became contiguous.
 */
final class TcpStreamFollower
{
    /** A run of bytes one side sent, from one segment (or the note of a gap). */
    record Chunk(boolean server, byte[] data)
    {
    }

    /** A segment past a gap, waiting for the bytes before it. */
    private record Held(long seq, byte[] data)
    {
    }

    final int streamIndex;
    /** tcp or udp, as the block's header and filter say it. */
    private final String protocol;
    private final List<Chunk> chunks = new ArrayList<>();
    /** The first packet's sender: Wireshark's client of the stream (node 0). */
    private boolean clientKnown;
    private int clientVersion;
    private long clientHi;
    private long clientLo;
    private int clientPort;
    private long serverHi;
    private long serverLo;
    private int serverPort;
    /** Next sequence number expected from each side (0: client, 1: server); bytes taken so far. */
    private final long[] next = new long[2];
    private final long[] written = new long[2];
    @SuppressWarnings("unchecked")
    private final List<Held>[] held = new List[] {new ArrayList<Held>(), new ArrayList<Held>()};

    TcpStreamFollower(final String protocol, final int streamIndex)
    {
        this.protocol = protocol;
        this.streamIndex = streamIndex;
    }

    /** A UDP datagram of the flow: its payload is a chunk of its sender's, as it came. */
    void onDatagram(final int version, final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort, final byte[] payload, final int offset, final int length)
    {
        noteClient(version, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        if (length > 0)
        {
            final byte[] data = new byte[length];
            System.arraycopy(payload, offset, data, 0, length);
            chunks.add(new Chunk(!(srcHi == clientHi && srcLo == clientLo && srcPort == clientPort), data));
        }
    }

    /** The first packet's sender is node 0, Wireshark's client of the stream. */
    private void noteClient(final int version, final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        if (!clientKnown)
        {
            clientKnown = true;
            clientVersion = version;
            clientHi = srcHi;
            clientLo = srcLo;
            clientPort = srcPort;
            serverHi = dstHi;
            serverLo = dstLo;
            serverPort = dstPort;
        }
    }

    /**
     * A segment of the connection.
     *
     * @param seq        its sequence number (unsigned 32 bits)
     * @param segmentLength its payload length by the IP and TCP lengths
     * @param payload    the payload bytes captured ({@code offset}, {@code length} may be shorter)
     */
    void onSegment(final int version, final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort,
        final boolean syn, final long seq, final long ackNumber, final int segmentLength,
        final byte[] payload, final int offset, final int length)
    {
        noteClient(version, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        final int side = srcHi == clientHi && srcLo == clientLo && srcPort == clientPort ? 0 : 1;
        long sequence = syn ? (seq + 1) & 0xFFFFFFFFL : seq;
        long segLen = segmentLength;
        int dataOffset = 0;
        int dataLength = length;

        // Bytes the other side acknowledges beyond a gap in what it sent: the capture missed them.
        if (!held[1 - side].isEmpty())
        {
            while (fitHeld(1 - side, ackNumber, true))
            {
                // each pass takes one held segment or notes one gap
            }
        }
        if (written[side] == 0 && next[side] == 0)
        {
            next[side] = sequence;
        }
        if (before(sequence, next[side]))
        {
            // Dated, but a retransmission may carry more than was seen: keep what is new.
            final long end = (sequence + segLen) & 0xFFFFFFFFL;
            if (after(end, next[side]))
            {
                dataOffset = (int)((next[side] - sequence) & 0xFFFFFFFFL);
                dataLength = dataLength <= dataOffset ? 0 : dataLength - dataOffset;
                sequence = next[side];
                segLen = (end - next[side]) & 0xFFFFFFFFL;
            }
        }
        final byte[] data = new byte[Math.max(0, dataLength)];
        System.arraycopy(payload, offset + dataOffset, data, 0, data.length);
        if (sequence == next[side])
        {
            if (data.length > 0)
            {
                chunks.add(new Chunk(side == 1, data));
            }
            written[side] += data.length;
            next[side] = (next[side] + segLen) & 0xFFFFFFFFL;
            while (fitHeld(side, 0, false))
            {
                // a held segment may fit now
            }
        }
        else if (data.length > 0 || segLen > 0)
        {
            held[side].add(new Held(sequence, data));
        }
    }

    /**
     * Takes the first held segment of {@code side} that now fits (or its part past what was taken),
     * or, with {@code useAck}, notes the gap before the lowest held one when {@code ack} covers it.
     *
     * @return true when something changed (call again)
     */
    private boolean fitHeld(final int side, final long ack, final boolean useAck)
    {
        final List<Held> list = held[side];
        if (list.isEmpty())
        {
            return false;
        }
        long lowest = list.get(0).seq;
        for (int i = 0; i < list.size(); i++)
        {
            final Held h = list.get(i);
            if (after(lowest, h.seq))
            {
                lowest = h.seq;
            }
            if (before(h.seq, next[side]))
            {
                final long end = (h.seq + h.data.length) & 0xFFFFFFFFL;
                if (after(end, next[side]))
                {
                    final int from = (int)((next[side] - h.seq) & 0xFFFFFFFFL);
                    if (h.data.length > from)
                    {
                        final byte[] rest = new byte[h.data.length - from];
                        System.arraycopy(h.data, from, rest, 0, rest.length);
                        chunks.add(new Chunk(side == 1, rest));
                    }
                    next[side] = (next[side] + h.data.length - from) & 0xFFFFFFFFL;
                }
                list.remove(i);
                return true;
            }
            if (h.seq == next[side])
            {
                if (h.data.length > 0)
                {
                    chunks.add(new Chunk(side == 1, h.data));
                }
                next[side] = (next[side] + h.data.length) & 0xFFFFFFFFL;
                list.remove(i);
                return true;
            }
        }
        if (useAck && after(ack, lowest))
        {
            final String note = "[" + (int)((lowest - next[side]) & 0xFFFFFFFFL) + " bytes missing in capture file]";
            final byte[] text = note.getBytes(StandardCharsets.US_ASCII);
            // Wireshark keeps the C string's terminating NUL with the note.
            final byte[] withNul = new byte[text.length + 1];
            System.arraycopy(text, 0, withNul, 0, text.length);
            chunks.add(new Chunk(side == 1, withNul));
            next[side] = lowest;
            return true;
        }
        return false;
    }

    private static boolean before(final long a, final long b)
    {
        return (int)(a - b) < 0;
    }

    private static boolean after(final long a, final long b)
    {
        return (int)(a - b) > 0;
    }

    /** What {@code tshark -q -z follow,PROTOCOL,MODE,N} prints for this stream. */
    String render(final String mode)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("\n===================================================================\n");
        sb.append("Follow: ").append(protocol).append(',').append(mode).append('\n');
        sb.append("Filter: ").append(protocol).append(".stream eq ").append(streamIndex).append('\n');
        sb.append("Node 0: ");
        node(sb, clientHi, clientLo, clientPort);
        sb.append("Node 1: ");
        node(sb, serverHi, serverLo, serverPort);
        final long[] offset = new long[2];
        for (final Chunk c : chunks)
        {
            final int node = c.server() ? 1 : 0;
            final String indent = c.server() ? "\t" : "";
            switch (mode)
            {
                case "raw":
                    sb.append(indent);
                    for (final byte b : c.data())
                    {
                        sb.append(Character.forDigit(b >> 4 & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
                    }
                    sb.append('\n');
                    break;
                case "hex":
                    hex(sb, indent, offset[node], c.data());
                    break;
                default:
                    sb.append(indent).append(c.data().length).append('\n');
                    for (final byte b : c.data())
                    {
                        final int v = b & 0xFF;
                        sb.append(v == '\r' || v == '\n' || v >= 0x20 && v < 0x7F ? (char)v : '.');
                    }
                    sb.append('\n');
                    break;
            }
            offset[node] += c.data().length;
        }
        sb.append("===================================================================\n");
        return sb.toString();
    }

    private void node(final StringBuilder sb, final long hi, final long lo, final int port)
    {
        final String a = io.linerate.aggregate.view.InetText.toString(clientVersion, hi, lo);
        sb.append(clientVersion == 6 ? "[" + a + "]" : a).append(':').append(port).append('\n');
    }

    /** tshark's hex dump: 16 bytes a line, offset, hex with a gap after 8, the printable characters. */
    private static void hex(final StringBuilder sb, final String indent, final long start, final byte[] data)
    {
        for (int i = 0; i < data.length; i += 16)
        {
            final StringBuilder line = new StringBuilder(80);
            final String off = Long.toHexString(start + i).toUpperCase(java.util.Locale.ROOT);
            line.append("00000000", 0, Math.max(0, 8 - off.length())).append(off).append("  ");
            final StringBuilder text = new StringBuilder(17);
            for (int k = 0; k < 16; k++)
            {
                if (i + k < data.length)
                {
                    final int v = data[i + k] & 0xFF;
                    line.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xF, 16)).append(' ');
                    text.append(v >= 0x20 && v < 0x7F ? (char)v : '.');
                    if (k == 7)
                    {
                        text.append(' ');
                    }
                }
                else
                {
                    line.append("   ");
                }
                if (k == 7)
                {
                    line.append(' ');
                }
            }
            line.append(' ');
            int t = text.length();
            if (t > 0 && text.charAt(t - 1) == ' ')
            {
                text.setLength(t - 1);
            }
            sb.append(indent).append(line).append(text).append('\n');
        }
    }

    /** The bytes only, both sides in order (for tests). */
    byte[] bytes()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(c -> out.writeBytes(c.data()));
        return out.toByteArray();
    }
}
