package io.linerate.ops.kafka;

import io.linerate.decode.tcp.TcpFlags;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic pcap (little-endian, microseconds, Ethernet) of {@code connections} short TCP
 * connections, each a 3-way handshake and a FIN close from the client: six 54-byte frames and one
 * final record per connection. Clients are 10.x.y.z with distinct ports, the server is
 * 172.16.0.1:80; a connection starts every 100 µs of packet time.
 *
 * <p>The ops tests cannot use {@code perf}'s traffic generator (perf depends on ops); this is the
 * small part of it they need: many connections quickly, for tests that kill things mid-run.
 */
final class ClosedConnectionsCapture
{
    private static final int FRAME = 54;
    private static final int SYN = TcpFlags.SYN;
    private static final int ACK = TcpFlags.ACK;
    private static final int FIN = TcpFlags.FIN;
    private static final int SERVER_IP = 0xAC10_0001;
    private static final int SERVER_PORT = 80;
    private static final long START_US = 1_704_067_200_000_000L;

    private ClosedConnectionsCapture()
    {
    }

    /** Writes the capture to {@code path}; the same count gives the same bytes. */
    static void write(final Path path, final int connections) throws IOException
    {
        final ByteBuffer frame = ByteBuffer.allocate(16 + FRAME).order(ByteOrder.BIG_ENDIAN);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16))
        {
            final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0xA1B2_C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
                .putInt(65_535).putInt(1);
            out.write(header.array());
            for (int i = 0; i < connections; i++)
            {
                final int clientIp = 0x0A00_0000 + 1 + i / 50_000;
                final int clientPort = 10_000 + i % 50_000;
                final long t = START_US + i * 100L;
                final long c = 1_000L + i;
                final long s = 5_000_000L + i;
                // Handshake (RFC 9293 §3.5), then the client closes and the server answers FIN/ACK.
                tcp(out, frame, t, clientIp, clientPort, SERVER_IP, SERVER_PORT, c, 0, SYN);
                tcp(out, frame, t + 20, SERVER_IP, SERVER_PORT, clientIp, clientPort, s, c + 1, SYN | ACK);
                tcp(out, frame, t + 40, clientIp, clientPort, SERVER_IP, SERVER_PORT, c + 1, s + 1, ACK);
                tcp(out, frame, t + 60, clientIp, clientPort, SERVER_IP, SERVER_PORT, c + 1, s + 1, FIN | ACK);
                tcp(out, frame, t + 80, SERVER_IP, SERVER_PORT, clientIp, clientPort, s + 1, c + 2, FIN | ACK);
                tcp(out, frame, t + 99, clientIp, clientPort, SERVER_IP, SERVER_PORT, c + 2, s + 2, ACK);
            }
        }
    }

    private static void tcp(final OutputStream out, final ByteBuffer b, final long timeUs, final int srcIp,
        final int srcPort, final int dstIp, final int dstPort, final long seq, final long ack, final int flags)
        throws IOException
    {
        b.clear();
        // pcap record header (little-endian, like the file header).
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int)(timeUs / 1_000_000)).putInt((int)(timeUs % 1_000_000)).putInt(FRAME).putInt(FRAME);
        b.order(ByteOrder.BIG_ENDIAN);
        // Ethernet
        b.putInt(0x0200_0000).putShort((short)0x0002).putInt(0x0200_0000).putShort((short)0x0001).putShort((short)0x0800);
        // IPv4, no options
        final int ip = b.position();
        b.put((byte)0x45).put((byte)0).putShort((short)40).putShort((short)0).putShort((short)0x4000)
            .put((byte)64).put((byte)6).putShort((short)0).putInt(srcIp).putInt(dstIp);
        b.putShort(ip + 10, (short)onesComplement(sum(b, ip, 20, 0)));
        // TCP, no options
        final int tcp = b.position();
        b.putShort((short)srcPort).putShort((short)dstPort).putInt((int)seq).putInt((int)ack)
            .put((byte)0x50).put((byte)flags).putShort((short)65_535).putShort((short)0).putShort((short)0);
        final long pseudo = (srcIp >>> 16) + (srcIp & 0xFFFF) + (dstIp >>> 16) + (dstIp & 0xFFFF) + 6 + 20;
        b.putShort(tcp + 16, (short)onesComplement(sum(b, tcp, 20, pseudo)));
        out.write(b.array(), 0, b.position());
    }

    private static long sum(final ByteBuffer b, final int from, final int length, final long initial)
    {
        long sum = initial;
        for (int i = from; i < from + length; i += 2)
        {
            sum += b.getShort(i) & 0xFFFF;
        }
        return sum;
    }

    private static int onesComplement(final long sum)
    {
        long s = sum;
        while (s >>> 16 != 0)
        {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int)~s & 0xFFFF;
    }
}
