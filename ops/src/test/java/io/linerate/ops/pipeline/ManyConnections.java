package io.linerate.ops.pipeline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A classic pcap of {@code count} short TCP connections one after another, each from its own client
 * to one server: handshake, one request segment of 200 random bytes, FIN both ways (6 frames, 1 ms
 * apart), so a cut anywhere leaves the connections before it whole. The random bytes keep a
 * compressor's blocks small (xz's and bzip2's decode only whole blocks, a long run of headers alike
 * makes one block of megabytes).
 */
public final class ManyConnections
{
    private static final int SERVER = 0xC000_0201;
    private static final int PAYLOAD = 200;

    private ManyConnections()
    {
    }

    public static void write(final Path file, final int count) throws IOException
    {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))
        {
            final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1);
            out.write(header.array());
            long micros = 1_700_000_000_000_000L;
            final SplittableRandom random = new SplittableRandom(17);
            for (int i = 0; i < count; i++)
            {
                final int client = 0x0A00_0000 | (i + 1);
                final int port = 40_000 + i % 20_000;
                final long c = 1_000L + i;
                final long s = 9_000_000L + i;
                micros = frame(out, random, micros, client, port, SERVER, 80, c, 0, 0x02, 0);
                micros = frame(out, random, micros, SERVER, 80, client, port, s, c + 1, 0x12, 0);
                micros = frame(out, random, micros, client, port, SERVER, 80, c + 1, s + 1, 0x10, 0);
                micros = frame(out, random, micros, client, port, SERVER, 80, c + 1, s + 1, 0x18, PAYLOAD);
                micros = frame(out, random, micros, client, port, SERVER, 80, c + 1 + PAYLOAD, s + 1, 0x11, 0);
                micros = frame(out, random, micros, SERVER, 80, client, port, s + 1, c + 2 + PAYLOAD, 0x11, 0);
            }
        }
    }

    /** One Ethernet/IPv4/TCP frame; returns the next frame's time. */
    private static long frame(final OutputStream out, final SplittableRandom random, final long micros,
        final int src, final int srcPort, final int dst, final int dstPort, final long seq, final long ack,
        final int flags, final int payload) throws IOException
    {
        final int length = 54 + payload;
        final ByteBuffer b = ByteBuffer.allocate(16 + length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int)(micros / 1_000_000)).putInt((int)(micros % 1_000_000)).putInt(length).putInt(length);
        b.order(ByteOrder.BIG_ENDIAN);
        b.putShort((short)0x0200).putInt(1).putShort((short)0x0200).putInt(2).putShort((short)0x0800);
        b.put((byte)0x45).put((byte)0).putShort((short)(40 + payload)).putShort((short)0).putShort((short)0x4000)
            .put((byte)64).put((byte)6).putShort((short)0).putInt(src).putInt(dst);
        b.putShort((short)srcPort).putShort((short)dstPort).putInt((int)seq).putInt((int)ack)
            .put((byte)0x50).put((byte)flags).putShort((short)65535).putShort((short)0).putShort((short)0);
        for (int i = 0; i < payload; i++)
        {
            b.put((byte)random.nextInt(256));
        }
        out.write(b.array());
        return micros + 1_000;
    }
}
