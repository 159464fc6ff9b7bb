package io.linerate.ops.report;

import java.util.List;
import java.util.Locale;

import static io.linerate.decode.tcp.TcpFlags.ACK;
import static io.linerate.decode.tcp.TcpFlags.FIN;
import static io.linerate.decode.tcp.TcpFlags.PSH;
import static io.linerate.decode.tcp.TcpFlags.RST;
import static io.linerate.decode.tcp.TcpFlags.SYN;

/**
 * Pictures of one TCP connection, as tcptrace and Wireshark draw them: the time-sequence (Stevens)
 * graph of its data direction and the ladder diagram (Wireshark's Flow Graph) of its first packets.
 */
final class ConnectionPictures
{
    /** Packets drawn in a ladder diagram. */
    static final int LADDER_PACKETS = 40;

    private ConnectionPictures()
    {
    }

    /**
     * Sequence number over time for the direction that sent more payload: each segment a bar from
     * its first to its last byte (retransmissions red), the ACK line (green) and the receive window's
     * edge (olive) of the other side above it, SACK blocks (purple), zero windows and resets marked.
     */
    static void timeSequence(final StringBuilder out, final PacketTrace t)
    {
        final List<PacketTrace.Packet> packets = t.packets();
        long clientPayload = 0;
        long serverPayload = 0;
        for (final PacketTrace.Packet p : packets)
        {
            if (p.fromClient())
            {
                clientPayload += p.payload();
            }
            else
            {
                serverPayload += p.payload();
            }
        }
        final boolean dataFromClient = clientPayload >= serverPayload;
        long base = 0;
        boolean baseSet = false;
        int senderScale = -1;
        int receiverScale = -1;
        for (final PacketTrace.Packet p : packets)
        {
            if (p.fromClient() == dataFromClient && !baseSet)
            {
                base = p.seq();
                baseSet = true;
            }
            if ((p.flags() & SYN) != 0)
            {
                if (p.fromClient() == dataFromClient)
                {
                    senderScale = p.windowScale();
                }
                else
                {
                    receiverScale = p.windowScale();
                }
            }
        }
        // Window scaling applies only when both SYNs carried the option.
        final int scale = senderScale >= 0 && receiverScale >= 0 ? receiverScale : 0;
        final long start = packets.isEmpty() ? 0 : packets.get(0).timeNanos();
        final long end = packets.isEmpty() ? 1 : Math.max(packets.get(packets.size() - 1).timeNanos(), start + 1);
        long maxY = 1;
        long minY = 0;
        for (final PacketTrace.Packet p : packets)
        {
            if (p.fromClient() == dataFromClient)
            {
                maxY = Math.max(maxY, rel(p.seq(), base) + length(p));
                minY = Math.min(minY, rel(p.seq(), base));
            }
            else if ((p.flags() & ACK) != 0)
            {
                maxY = Math.max(maxY, rel(p.ack(), base));
                minY = Math.min(minY, rel(p.ack(), base));
            }
        }
        // Room above the data for the window's edge; a window far above it is cut off at the top.
        maxY += Math.max(1, (maxY - minY) / 4);
        final int width = 560;
        final int height = 300;
        final int left = 80;
        final int right = width - 10;
        final int top = 10;
        final int bottom = height - 34;
        final double spanY = Math.max(1, maxY - minY);
        final double spanX = end - start;
        final ScaleXY xy = new ScaleXY(left, right, top, bottom, start, spanX, minY, spanY);
        Svg.open(out, "time-sequence graph of " + t.connection().flowId(), height);
        Svg.axes(out, left, top, right, bottom);
        Svg.text(out, left - 4, top + 8, "end", String.format(Locale.ROOT, "%,d", maxY));
        Svg.text(out, left - 4, bottom, "end", String.format(Locale.ROOT, "%,d", minY));
        Svg.text(out, left, bottom + 14, "start", "0 ms");
        Svg.text(out, right, bottom + 14, "end", String.format(Locale.ROOT, "%.3f ms", spanX / 1e6));
        Svg.text(out, (left + right) / 2, height - 4, "middle", "time; relative sequence number of the " +
            (dataFromClient ? "client's" : "server's") + " data");
        final StringBuilder ackLine = new StringBuilder();
        final StringBuilder windowLine = new StringBuilder();
        long highest = Long.MIN_VALUE;
        long lastAckY = Long.MIN_VALUE;
        long lastWinY = Long.MIN_VALUE;
        for (final PacketTrace.Packet p : packets)
        {
            final double x = xy.x(p.timeNanos());
            if (p.fromClient() == dataFromClient)
            {
                final long from = rel(p.seq(), base);
                final long len = length(p);
                if (len == 0)
                {
                    continue;
                }
                final boolean retransmission = from + len <= highest;
                highest = Math.max(highest, from + len);
                out.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" " +
                    "stroke=\"%s\" stroke-width=\"2\"/>", retransmission ? "retx" : "seg", x, xy.y(from), x,
                    Math.min(xy.y(from) - 2, xy.y(from + len)), retransmission ? "#c62828" : "#1a237e"));
                if ((p.flags() & RST) != 0)
                {
                    Svg.text(out, (int)x + 3, (int)xy.y(from), "start", "R");
                }
                continue;
            }
            if ((p.flags() & ACK) == 0)
            {
                continue;
            }
            final long ack = rel(p.ack(), base);
            final long win = ack + ((long)p.window() << ((p.flags() & SYN) != 0 ? 0 : scale));
            step(ackLine, x, xy.y(ack), lastAckY == Long.MIN_VALUE ? Double.NaN : xy.y(lastAckY));
            step(windowLine, x, xy.y(win), lastWinY == Long.MIN_VALUE ? Double.NaN : xy.y(lastWinY));
            lastAckY = ack;
            lastWinY = win;
            for (int i = 0; i + 1 < p.sack().length; i += 2)
            {
                out.append(String.format(Locale.ROOT, "<line class=\"sack\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" " +
                    "y2=\"%.1f\" stroke=\"#8e24aa\" stroke-width=\"3\"/>", x + 2, xy.y(rel(p.sack()[i], base)), x + 2,
                    xy.y(rel(p.sack()[i + 1], base))));
            }
            if (p.window() == 0 && (p.flags() & (RST | SYN | FIN)) == 0)
            {
                out.append(String.format(Locale.ROOT, "<circle class=\"zwin\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" " +
                    "fill=\"none\" stroke=\"#e65100\" stroke-width=\"2\"><title>zero window</title></circle>", x,
                    xy.y(ack)));
            }
            if ((p.flags() & RST) != 0)
            {
                Svg.text(out, (int)x + 3, (int)xy.y(ack), "start", "R");
            }
        }
        polyline(out, ackLine, "#2e7d32");
        polyline(out, windowLine, "#9e9d24");
        out.append("</svg>");
    }

    /** The connection's first packets between the client (left) and the server (right), with times. */
    static void ladder(final StringBuilder out, final PacketTrace t)
    {
        final List<PacketTrace.Packet> packets = t.packets();
        final int n = Math.min(LADDER_PACKETS, packets.size());
        final int rowHeight = 24;
        final int top = 46;
        final int height = top + n * rowHeight + 10;
        final int client = 110;
        final int server = 450;
        Svg.open(out, "ladder diagram of " + t.connection().flowId(), height);
        Svg.text(out, 4, 14, "start", "client " + t.connection().client());
        Svg.text(out, Svg.WIDTH - 4, 28, "end", "server " + t.connection().server());
        out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>" +
            "<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", client, client, height - 4, server, server,
            height - 4));
        final long start = n == 0 ? 0 : packets.get(0).timeNanos();
        // Sequence numbers relative to the first of each side's, as Wireshark shows them.
        long clientBase = 0;
        long serverBase = 0;
        boolean clientSet = false;
        boolean serverSet = false;
        for (final PacketTrace.Packet p : packets)
        {
            if (p.fromClient() && !clientSet)
            {
                clientBase = p.seq();
                clientSet = true;
            }
            if (!p.fromClient() && !serverSet)
            {
                serverBase = p.seq();
                serverSet = true;
            }
        }
        for (int i = 0; i < n; i++)
        {
            final PacketTrace.Packet p = packets.get(i);
            final int y = top + i * rowHeight;
            final int from = p.fromClient() ? client : server;
            final int to = p.fromClient() ? server : client;
            final boolean bad = (p.flags() & RST) != 0 || p.note() != null && p.note().startsWith("TLS alert");
            final String color = bad ? "#c62828" : (p.flags() & SYN) != 0 ? "#1565c0" : "#333";
            out.append(String.format(Locale.ROOT, "<line class=\"arrow\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" " +
                "stroke=\"%s\" stroke-width=\"1.5\"/>", from, y, to, y + 10, color));
            final int dir = to > from ? -1 : 1;
            out.append(String.format(Locale.ROOT, "<path d=\"M%d %d l%d -6 l0 9 z\" fill=\"%s\"/>", to, y + 10, dir * 9,
                color));
            Svg.text(out, 6, y + 9, "start", String.format(Locale.ROOT, "%.3f ms", (p.timeNanos() - start) / 1e6));
            final long own = p.fromClient() ? clientBase : serverBase;
            final long other = p.fromClient() ? serverBase : clientBase;
            final boolean otherSet = p.fromClient() ? serverSet : clientSet;
            final StringBuilder label = new StringBuilder(flags(p.flags()));
            label.append(" Seq=").append(rel(p.seq(), own));
            if ((p.flags() & ACK) != 0)
            {
                label.append(" Ack=").append(otherSet ? rel(p.ack(), other) : p.ack());
            }
            label.append(" Len=").append(p.payload());
            if (p.note() != null)
            {
                label.append("  ").append(p.note());
            }
            out.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\"" +
                "%s>", (client + server) / 2, y + 2, bad ? " fill=\"#c62828\"" : "")).append(HtmlReport.escape(label.toString()))
                .append("</text>");
        }
        out.append("</svg>");
    }

    /** Wireshark's flag list: {@code [SYN, ACK]}. */
    static String flags(final int flags)
    {
        final StringBuilder sb = new StringBuilder("[");
        final String[] names = {"FIN", "SYN", "RST", "PSH", "ACK"};
        final int[] bits = {FIN, SYN, RST, PSH, ACK};
        // Wireshark's order: SYN, FIN, RST, PSH, ACK.
        for (final int i : new int[] {1, 0, 2, 3, 4})
        {
            if ((flags & bits[i]) != 0)
            {
                sb.append(sb.length() > 1 ? ", " : "").append(names[i]);
            }
        }
        return sb.append(']').toString();
    }

    private static long length(final PacketTrace.Packet p)
    {
        return p.payload() + ((p.flags() & SYN) != 0 ? 1 : 0) + ((p.flags() & FIN) != 0 ? 1 : 0);
    }

    /** A sequence number relative to {@code base}, across the 32-bit wrap. */
    private static long rel(final long seq, final long base)
    {
        return (int)(seq - base);
    }

    private static void step(final StringBuilder points, final double x, final double y, final double previousY)
    {
        if (!Double.isNaN(previousY))
        {
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, previousY));
        }
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }

    private static void polyline(final StringBuilder out, final StringBuilder points, final String color)
    {
        if (points.length() > 0)
        {
            out.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.2\" points=\"")
                .append(points.toString().trim()).append("\"/>");
        }
    }

    private record ScaleXY(int left, int right, int top, int bottom, long startX, double spanX, long minY, double spanY)
    {
        double x(final long nanos)
        {
            return left + (right - left) * (nanos - startX) / spanX;
        }

        double y(final long v)
        {
            return bottom - (bottom - top) * (v - minY) / spanY;
        }
    }
}
