package io.linerate.ops.report;

import io.linerate.aggregate.view.TlsNames;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.ip.IpProtocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The packets of one TCP connection as a second pass over the files found them (at most
 * {@link #MAX_PACKETS}): what its time-sequence graph and ladder diagram draw.
 */
public final class PacketTrace
{
    /** Packets kept of one connection; {@link #seen()} counts them all. */
    public static final int MAX_PACKETS = 5_000;

    /** One TCP segment; {@code window} is the raw header field (scaled by the sender's window scale later). */
    public record Packet(long timeNanos, boolean fromClient, long seq, long ack, int flags, int payload, int window,
                         int windowScale, long[] sack, String note)
    {
    }

    final ConnectionRow connection;
    final List<Packet> packets = new ArrayList<>();
    private long seen;

    PacketTrace(final ConnectionRow connection)
    {
        this.connection = connection;
    }

    /** True when the decoded frame is one of this connection's (its tuple and tunnel key, inside its time). */
    boolean matches(final DecodedFrame s)
    {
        final ConnectionRow c = connection;
        if (s.ipProtocol != IpProtocol.TCP || !s.transportPresent || s.ipVersion != c.ipVersion() || s.tunnelKey != c.tunnelKey() ||
            s.timestampNanos < c.startNanos() || s.timestampNanos > c.endNanos())
        {
            return false;
        }
        final boolean fromClient = s.srcHi == c.clientHi() && s.srcLo == c.clientLo() && s.srcPort == c.clientPort() &&
            s.dstHi == c.serverHi() && s.dstLo == c.serverLo() && s.dstPort == c.serverPort();
        final boolean fromServer = s.srcHi == c.serverHi() && s.srcLo == c.serverLo() && s.srcPort == c.serverPort() &&
            s.dstHi == c.clientHi() && s.dstLo == c.clientLo() && s.dstPort == c.clientPort();
        return fromClient || fromServer;
    }

    void add(final DecodedFrame s)
    {
        seen++;
        if (packets.size() >= MAX_PACKETS)
        {
            return;
        }
        final boolean fromClient = s.srcHi == connection.clientHi() && s.srcLo == connection.clientLo() &&
            s.srcPort == connection.clientPort();
        final long[] sack = new long[s.sackBlockCount * 2];
        for (int i = 0; i < s.sackBlockCount; i++)
        {
            sack[2 * i] = s.sackLeft[i];
            sack[2 * i + 1] = s.sackRight[i];
        }
        String note = null;
        if (s.tlsAlertLevel >= 0)
        {
            note = "TLS alert " + io.linerate.aggregate.view.TlsNames.alertName(s.tlsAlertDescription);
        }
        else if (s.httpMethod != 0)
        {
            note = "HTTP " + io.linerate.decode.http.HttpFirstLineFlyweight.METHODS[s.httpMethod];
        }
        else if (s.httpStatus >= 0)
        {
            note = "HTTP " + s.httpStatus;
        }
        else if (s.tlsHandshakeType == 1)
        {
            note = "TLS ClientHello";
        }
        else if (s.tlsHandshakeType == 2)
        {
            note = "TLS ServerHello";
        }
        packets.add(new Packet(s.timestampNanos, fromClient, s.seq, s.ack, s.tcpFlags, s.payloadLength, s.window,
            (s.tcpFlags & 0x02) != 0 ? s.windowScale : -1, sack, note));
    }

    /** Packets of the connection the pass saw, kept or not. */
    public long seen()
    {
        return seen;
    }

    public ConnectionRow connection()
    {
        return connection;
    }

    public List<Packet> packets()
    {
        return packets;
    }
}
