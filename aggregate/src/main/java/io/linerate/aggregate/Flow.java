package io.linerate.aggregate;

import io.linerate.aggregate.flow.DirectionStats;
import io.linerate.aggregate.flow.FlowDescriptor;
import io.linerate.aggregate.flow.FlowHeader;
import io.linerate.aggregate.flow.FlowSlab;
import io.linerate.aggregate.flow.FlowTable;
import io.linerate.aggregate.tcp.Handshake;
import io.linerate.aggregate.tcp.SequenceState;
import io.linerate.aggregate.tls.HelloReassembler;
import io.linerate.aggregate.tls.TlsConnection;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.PacketListener;
import io.linerate.aggregate.view.Verdict;
import io.linerate.aggregate.zeek.ZeekHistory;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.http.HttpFirstLineFlyweight;
import io.linerate.decode.tunnel.TunnelStack;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static io.linerate.aggregate.flow.FlowDescriptor.*;

/**
 * One connection (TCP) or flow (UDP, ICMP, other IP protocols) of a shard's {@link FlowTable}, and
 * the source of its {@code linerate.flow/1} records: a cursor over the flow's record in the table's
 * {@link FlowSlab} and its {@link FlowExtras}, not the flow's storage. The shard's {@link Connections}
 * lend a few cursors in turn ({@link Connections#flow}), so a reference is good for the work on one packet or one record;
 * a listener must not keep one past {@link io.linerate.aggregate.view.FlowRecordListener#onRecord}.
 *
 * <p>{@code client} is the side that sent the first SYN. Without a SYN, a SYN-ACK names its receiver
 * as the client; without either, the lower port is taken as the server (Wireshark's conversation
 * rule), and {@link #rolesInferred()} is true.
 */
public final class Flow implements FlowView, TlsConnection
{
    private final Connections table;
    /** The flow's number in its table: where its record is in the slab. */
    int index;
    /** The slab segment of the flow's record, and where the record starts in it. */
    private UnsafeBuffer slab;
    private int record;
    /** The record's header lines: the key, the roles, the times, the flags and the timers ({@link FlowDescriptor}). */
    final FlowHeader header = new FlowHeader();
    /** What each side sent, with Wireshark's sequence analysis of it (TCP). */
    private final SequenceState c2s = new SequenceState();
    private final SequenceState s2c = new SequenceState();
    private final Handshake handshake = new Handshake();
    /** Zeek's conn_state and history, fed by every packet of the connection. */
    private final ZeekHistory zeek = new ZeekHistory();

    /** The verdict of the record being written: judged just before each record, kept by no flow. */
    private Verdict verdict = Verdict.OK;
    private String verdictDetail;

    Flow(final Connections table)
    {
        this.table = table;
    }

    /** Points the cursor at flow {@code index}, whose record is at {@code record} in {@code slab}. */
    Flow at(final int index, final UnsafeBuffer slab, final int record)
    {
        this.index = index;
        this.slab = slab;
        this.record = record;
        header.wrap(slab, record);
        c2s.wrap(slab, record + C2S_OFFSET, table, index, true);
        s2c.wrap(slab, record + S2C_OFFSET, table, index, false);
        handshake.wrap(slab, record);
        zeek.wrap(slab, record + ZEEK_OFFSET);
        verdict = Verdict.OK;
        verdictDetail = null;
        return this;
    }

    /** Notes a packet of the flow seen at {@code timestampNanos} (the flow's last time moves on). */
    public void seen(final long timestampNanos)
    {
        header.seen(timestampNanos);
    }

    /** The flow's number in its table: where its record is in the slab. */
    public int index()
    {
        return index;
    }

    /** The record's header lines, for the flow's own flyweights and tests. */
    public FlowHeader header()
    {
        return header;
    }

    /** A new flow: every line of its record back to "nothing seen" (the header is cleared by the table). */
    void reset()
    {
        c2s.clear();
        s2c.clear();
        handshake.reset();
        zeek.reset();
        final int meta = record + META_OFFSET;
        slab.putInt(meta + INTERIM_COUNT, 0);
        slab.putByte(meta + HTTP_METHOD, (byte)0);
        slab.putByte(meta + META_BITS, (byte)0);
        slab.putShort(meta + HTTP_STATUS, (short)-1);
        slab.putShort(meta + TLS_CLIENT_VERSION, (short)0);
        slab.putShort(meta + TLS_SERVER_VERSION, (short)0);
        slab.putShort(meta + TLS_ALERT_LEVEL, (short)-1);
        slab.putShort(meta + TLS_ALERT_DESCRIPTION, (short)-1);
        slab.putShort(meta + ICMP_TYPE, (short)-1);
        slab.putShort(meta + ICMP_CODE, (short)-1);
        slab.putByte(meta + ICMP_REPORTER_VERSION, (byte)0);
        slab.putLong(meta + ICMP_REPORTER_HI, 0);
        slab.putLong(meta + ICMP_REPORTER_LO, 0);
    }

    /** Starts the flow with its first frame: time, frame number, VLAN tags and tunnels. */
    public void begin(final DecodedFrame slot)
    {
        slab.putLong(record + FIRST_NANOS, slot.timestampNanos);
        header.seen(slot.timestampNanos);
        header.lastReportNanos(slot.timestampNanos);
        slab.putLong(record + FIRST_FRAME, slot.frameNumber);
        final int vlans = Math.min(slot.vlanCount, DecodedFrame.MAX_VLANS);
        long packed = (long)vlans << 32;
        for (int i = 0; i < vlans; i++)
        {
            packed |= (slot.vlans[i] & 0xFFFFL) << (16 * i);
        }
        slab.putLong(record + VLANS, packed);
        if (slot.tunnelCount > 0)
        {
            final FlowExtras extras = table.extras(index);
            if (extras.tunnels == null)
            {
                extras.tunnels = new TunnelStack();
            }
            extras.tunnels.copyFrom(slot);
        }
    }

    @Override
    public TunnelStack tunnels()
    {
        final FlowExtras extras = table.extrasIfAny(index);
        return extras == null ? null : extras.tunnels;
    }

    /**
     * Names the client: the frame's sender when {@code senderIsClient}, else its receiver.
     *
     * @param inferred true when no SYN said who opened the connection
     */
    public void assignRoles(final DecodedFrame slot, final boolean senderIsClient, final boolean inferred)
    {
        assignRoles(slot.srcHi, slot.srcLo, slot.srcPort, slot.dstHi, slot.dstLo, slot.dstPort, senderIsClient, inferred);
    }

    /** Names the client: the packet's sender (src) when {@code senderIsClient}, else its receiver. */
    public void assignRoles(
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort,
        final boolean senderIsClient, final boolean inferred)
    {
        final long clientHi = senderIsClient ? srcHi : dstHi;
        final long clientLo = senderIsClient ? srcLo : dstLo;
        final int clientPort = senderIsClient ? srcPort : dstPort;
        header.flag(CLIENT_IS_A, clientLo == header.aLo() && clientPort == header.aPort() && clientHi == header.aHi());
        header.flag(ROLES_INFERRED, inferred);
    }

    /** True when the frame was sent by this flow's client. */
    public boolean isFromClient(final DecodedFrame slot)
    {
        return isFromClient(slot.srcHi, slot.srcLo, slot.srcPort);
    }

    /** True when a packet from this endpoint was sent by this flow's client. */
    public boolean isFromClient(final long srcHi, final long srcLo, final int srcPort)
    {
        return header.isFromClient(srcHi, srcLo, srcPort);
    }

    /** Counts a frame in its direction's packets, bytes and payload bytes and returns that direction. */
    public DirectionStats count(final DecodedFrame slot, final boolean fromClient)
    {
        return count(slot.timestampNanos, slot.wireLength, slot.payloadLength, fromClient);
    }

    /** Counts a packet of {@code wireLength} bytes carrying {@code payloadLength} bytes of payload. */
    public DirectionStats count(
        final long timestampNanos, final int wireLength, final int payloadLength, final boolean fromClient)
    {
        final DirectionStats d = fromClient ? c2s : s2c;
        d.count(wireLength, payloadLength);
        seen(timestampNanos);
        return d;
    }

    /**
     * Notes the HTTP/1.x first line a segment starts with: the first request's method from the
     * client and the first response's status from the server (the first exchange).
     */
    public void noteHttp(final int method, final int status, final boolean fromClient)
    {
        final int meta = record + META_OFFSET;
        if (fromClient)
        {
            if (method != 0 && httpMethod() == 0)
            {
                slab.putByte(meta + HTTP_METHOD, (byte)method);
            }
        }
        else if (status >= 0 && httpStatus() < 0)
        {
            slab.putShort(meta + HTTP_STATUS, (short)status);
        }
    }

    /**
     * Notes the TLS hello or plaintext alert a segment starts with: the client's offer and server
     * name from the first ClientHello, the server's choice from the first ServerHello, and the first
     * alert (a fatal one replaces a warning). Strings are made once per connection, not per packet.
     */
    @Override
    public void noteTls(final DecodedFrame slot, final boolean fromClient)
    {
        final int meta = record + META_OFFSET;
        if (slot.tlsHandshakeType == 1 && fromClient && tlsClientVersion() == 0)
        {
            slab.putShort(meta + TLS_CLIENT_VERSION, (short)slot.tlsClientVersion);
            if (slot.tlsSniLength > 0)
            {
                table.extras(index).tlsSni =
                    new String(slot.data, slot.tlsSniOffset, slot.tlsSniLength, StandardCharsets.US_ASCII);
            }
            if (slot.tlsAlpnLength > 0 && tlsAlpn() == null)
            {
                table.extras(index).tlsAlpn =
                    new String(slot.data, slot.tlsAlpnOffset, slot.tlsAlpnLength, StandardCharsets.US_ASCII);
            }
        }
        else if (slot.tlsHandshakeType == 2 && !fromClient && tlsServerVersion() == 0)
        {
            slab.putShort(meta + TLS_SERVER_VERSION, (short)slot.tlsServerVersion);
            if (slot.tlsAlpnLength > 0)
            {
                // The server's choice is the protocol in use; the client's first offer was a guess.
                table.extras(index).tlsAlpn =
                    new String(slot.data, slot.tlsAlpnOffset, slot.tlsAlpnLength, StandardCharsets.US_ASCII);
            }
        }
        final int level = tlsAlertLevel();
        if (slot.tlsAlertLevel >= 0 && (level < 0 || level == 1 && slot.tlsAlertLevel == 2))
        {
            slab.putShort(meta + TLS_ALERT_LEVEL, (short)slot.tlsAlertLevel);
            slab.putShort(meta + TLS_ALERT_DESCRIPTION, (short)slot.tlsAlertDescription);
            slab.putByte(meta + META_BITS, (byte)(fromClient ? 0 : TLS_ALERT_FROM_SERVER));
        }
    }

    /** The hello being collected across segments, null when none is. */
    @Override
    public HelloReassembler.HelloBuffer tlsHelloBuffer()
    {
        if (!header.flag(HELLO_BUFFERED))
        {
            return null;
        }
        return table.extras(index).helloBuffer;
    }

    /**
     * Lends the connection a hello buffer, or takes it back (null); returns the one it had. The
     * buffer is given back to its pool when the connection ends with it.
     */
    @Override
    public HelloReassembler.HelloBuffer tlsHelloBuffer(final HelloReassembler.HelloBuffer buffer)
    {
        final FlowExtras extras = buffer != null ? table.extras(index) : table.extrasIfAny(index);
        if (extras == null)
        {
            return null;
        }
        final HelloReassembler.HelloBuffer had = extras.helloBuffer;
        extras.helloBuffer = buffer;
        header.flag(HELLO_BUFFERED, buffer != null);
        return had;
    }

    /** True when any TLS handshake metadata was seen. */
    @Override
    public boolean tlsSeen()
    {
        return tlsClientVersion() != 0 || tlsServerVersion() != 0 || tlsAlertLevel() >= 0;
    }

    @Override
    public int tlsClientVersion()
    {
        return slab.getShort(record + META_OFFSET + TLS_CLIENT_VERSION) & 0xFFFF;
    }

    @Override
    public int tlsServerVersion()
    {
        return slab.getShort(record + META_OFFSET + TLS_SERVER_VERSION) & 0xFFFF;
    }

    /** Server name the client asked for (SNI), null when none. */
    @Override
    public String tlsSni()
    {
        final FlowExtras extras = table.extrasIfAny(index);
        return extras == null ? null : extras.tlsSni;
    }

    /** ALPN protocol: the server's choice, else the client's first offer; null when none. */
    @Override
    public String tlsAlpn()
    {
        final FlowExtras extras = table.extrasIfAny(index);
        return extras == null ? null : extras.tlsAlpn;
    }

    /** Level of the TLS alert seen in the clear (1 warning, 2 fatal), -1 when none. */
    @Override
    public int tlsAlertLevel()
    {
        return slab.getShort(record + META_OFFSET + TLS_ALERT_LEVEL);
    }

    @Override
    public int tlsAlertDescription()
    {
        return slab.getShort(record + META_OFFSET + TLS_ALERT_DESCRIPTION);
    }

    @Override
    public boolean tlsAlertFromServer()
    {
        return (slab.getByte(record + META_OFFSET + META_BITS) & TLS_ALERT_FROM_SERVER) != 0;
    }

    /** Method code of the first HTTP request ({@code HttpFirstLineFlyweight.METHODS}), 0 when none. */
    @Override
    public int httpMethod()
    {
        return slab.getByte(record + META_OFFSET + HTTP_METHOD) & 0xFF;
    }

    @Override
    public String httpMethodName()
    {
        final int method = httpMethod();
        return method == 0 ? null : HttpFirstLineFlyweight.METHODS[method];
    }

    /** Status code of the first HTTP response, -1 when none. */
    @Override
    public int httpStatus()
    {
        return slab.getShort(record + META_OFFSET + HTTP_STATUS);
    }

    /** Notes an ICMP error (destination unreachable, time exceeded, ...) that quoted this flow. */
    public void noteIcmpError(final DecodedFrame slot)
    {
        final int meta = record + META_OFFSET;
        slab.putShort(meta + ICMP_TYPE, (short)slot.icmpType);
        slab.putShort(meta + ICMP_CODE, (short)slot.icmpCode);
        slab.putByte(meta + ICMP_REPORTER_VERSION, (byte)slot.ipVersion);
        slab.putLong(meta + ICMP_REPORTER_HI, slot.srcHi);
        slab.putLong(meta + ICMP_REPORTER_LO, slot.srcLo);
    }

    /** Sets the type and code of an ICMP flow (its first message). */
    public void noteIcmpMessage(final DecodedFrame slot)
    {
        if (icmpType() < 0)
        {
            slab.putShort(record + META_OFFSET + ICMP_TYPE, (short)slot.icmpType);
            slab.putShort(record + META_OFFSET + ICMP_CODE, (short)slot.icmpCode);
        }
    }

    /** The bits a {@link PacketListener} keeps on this connection, 0 at its start. */
    @Override
    public long packetMarks()
    {
        return slab.getLong(record + PACKET_MARKS);
    }

    @Override
    public void packetMarks(final long marks)
    {
        slab.putLong(record + PACKET_MARKS, marks);
    }

    /** Packet time after which the flow is idle ({@link FlowTable#schedule} sets it). */
    public long expiresNanos()
    {
        return header.expiresNanos();
    }

    /** True once the connection was closed (FIN both ways, or a RST). */
    public boolean closed()
    {
        return header.closed();
    }

    /**
     * Copies what the per-packet path needs of the handshake into the header, after anything that
     * may have changed it (the handshake's lines are then not touched for a settled connection's ACKs).
     */
    public void handshakeChanged()
    {
        header.flag(HANDSHAKE_SETTLED, handshake.settled());
        header.flag(HALF_OPEN, handshake.status() != Handshake.COMPLETE && handshake.seen());
        final long rtt = handshake.rttNanos();
        header.handshakeRttNanos(rtt == Handshake.UNSET ? 0 : rtt);
        header.flag(TIMESTAMPS, handshake.timestamps());
    }

    @Override
    public int protocol()
    {
        return header.protocol();
    }

    @Override
    public int ipVersion()
    {
        return header.ipVersion();
    }

    private boolean clientIsA()
    {
        return header.flag(CLIENT_IS_A);
    }

    @Override
    public long tunnelKey()
    {
        return header.tunnelKey();
    }

    @Override
    public long clientHi()
    {
        return clientIsA() ? header.aHi() : header.bHi();
    }

    @Override
    public long clientLo()
    {
        return clientIsA() ? header.aLo() : header.bLo();
    }

    @Override
    public long serverHi()
    {
        return clientIsA() ? header.bHi() : header.aHi();
    }

    @Override
    public long serverLo()
    {
        return clientIsA() ? header.bLo() : header.aLo();
    }

    @Override
    public int clientPort()
    {
        return clientIsA() ? header.aPort() : header.bPort();
    }

    @Override
    public int serverPort()
    {
        return clientIsA() ? header.bPort() : header.aPort();
    }

    @Override
    public boolean rolesInferred()
    {
        return header.flag(ROLES_INFERRED);
    }

    /** Time of the first packet, nanoseconds since the epoch. */
    @Override
    public long firstNanos()
    {
        return slab.getLong(record + FIRST_NANOS);
    }

    @Override
    public long lastNanos()
    {
        return header.lastNanos();
    }

    /** Number of the connection's first frame in the input; part of the stable record id. */
    @Override
    public long firstFrame()
    {
        return slab.getLong(record + FIRST_FRAME);
    }

    @Override
    public int vlanCount()
    {
        return (int)(slab.getLong(record + VLANS) >>> 32);
    }

    @Override
    public int vlan(final int i)
    {
        return (int)(slab.getLong(record + VLANS) >>> (16 * i)) & 0xFFFF;
    }

    /** Number of interim records written before this one. */
    @Override
    public int interimCount()
    {
        return slab.getInt(record + META_OFFSET + INTERIM_COUNT);
    }

    /**
     * True when an interim record is due: the flow has been active for {@code activeNanos} since its
     * start or its last interim record (packet time).
     */
    public boolean interimDue(final long nowNanos, final long activeNanos)
    {
        return nowNanos - header.lastReportNanos() >= activeNanos;
    }

    /** Notes that an interim record was written at {@code nowNanos}. */
    public void interimWritten(final long nowNanos)
    {
        slab.putInt(record + META_OFFSET + INTERIM_COUNT, interimCount() + 1);
        header.lastReportNanos(nowNanos);
    }

    /** Stores the verdict the record about to be written carries (set just before each record). */
    public void verdict(final Verdict v, final String detail)
    {
        verdict = v;
        verdictDetail = detail;
    }

    @Override
    public Verdict verdict()
    {
        return verdict;
    }

    /** The verdict in a sentence with the connection's numbers; null before it was judged. */
    @Override
    public String verdictDetail()
    {
        return verdictDetail;
    }

    @Override
    public SequenceState c2s()
    {
        return c2s;
    }

    @Override
    public SequenceState s2c()
    {
        return s2c;
    }

    @Override
    public Handshake handshake()
    {
        return handshake;
    }

    /** Zeek's view of the connection: its conn.log {@code conn_state} and {@code history}. */
    public ZeekHistory zeek()
    {
        return zeek;
    }

    @Override
    public String zeekState()
    {
        return zeek.state(protocol());
    }

    @Override
    public int historyLength()
    {
        return zeek.length();
    }

    @Override
    public char historyLetter(final int i)
    {
        return zeek.letter(i);
    }

    /** ICMP type (of the error quoting this connection, or of this ICMP flow), -1 when none. */
    @Override
    public int icmpType()
    {
        return slab.getShort(record + META_OFFSET + ICMP_TYPE);
    }

    @Override
    public int icmpCode()
    {
        return slab.getShort(record + META_OFFSET + ICMP_CODE);
    }

    @Override
    public int icmpReporterVersion()
    {
        return slab.getByte(record + META_OFFSET + ICMP_REPORTER_VERSION);
    }

    @Override
    public long icmpReporterHi()
    {
        return slab.getLong(record + META_OFFSET + ICMP_REPORTER_HI);
    }

    @Override
    public long icmpReporterLo()
    {
        return slab.getLong(record + META_OFFSET + ICMP_REPORTER_LO);
    }
}
