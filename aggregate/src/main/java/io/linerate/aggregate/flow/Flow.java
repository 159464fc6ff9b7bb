package io.linerate.aggregate.flow;

import io.linerate.aggregate.tcp.Handshake;
import io.linerate.aggregate.tcp.RttSummary;
import io.linerate.aggregate.tcp.SequenceState;
import io.linerate.aggregate.tls.HelloReassembler;
import io.linerate.aggregate.zeek.ZeekHistory;
import io.linerate.aggregate.view.Verdict;
import io.linerate.aggregate.view.FlowView;
import io.linerate.decode.http.HttpFirstLineFlyweight;
import io.linerate.decode.tunnel.TunnelStack;
import io.linerate.ingest.ring.FrameSlot;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * One connection (TCP) or flow (UDP, ICMP, other IP protocols) as a shard tracks it, and the source
 * of its {@code linerate.flow/1} records.
 *
 * <p>Instances are pooled by the {@link FlowTable} and reused after the final record, so a listener
 * must not keep a reference past {@link FlowRecordListener#onRecord}.
 *
 * <p>{@code client} is the side that sent the first SYN. Without a SYN, a SYN-ACK names its receiver
 * as the client; without either, the lower port is taken as the server (Wireshark's conversation
 * rule), and {@link #rolesInferred()} is true.
 */
public final class Flow implements FlowView
{
    /** The flow's number in its table: where its record is in the slab. */
    int index;
    /**
     * The record's header lines: the key (canonical order, the lower endpoint first), the roles,
     * the times, the flags and the table's timer bookkeeping ({@link FlowDescriptor}).
     */
    final FlowHeader header = new FlowHeader();

    long firstNanos;
    long firstFrame;
    int vlanCount;
    final int[] vlans = new int[FrameSlot.MAX_VLANS];
    /** The tunnels of the first frame, for the record; allocated at the first tunnelled flow, then reused. */
    TunnelStack tunnels;
    int interimCount;
    Verdict verdict = Verdict.OK;
    String verdictDetail;

    /**
     * What each side sent, with Wireshark's sequence analysis of it (TCP): flyweights over the
     * flow's record in the shard's {@link FlowSlab}, pointed at it once, when the flow is made.
     */
    final SequenceState c2s = new SequenceState();
    final SequenceState s2c = new SequenceState();
    /** The slab segment of the flow's record, and where the record starts in it. */
    UnsafeBuffer slab;
    int record;
    final RttSummary c2sRtt = new RttSummary();
    final RttSummary s2cRtt = new RttSummary();
    final Handshake handshake = new Handshake();
    /** Zeek's conn_state and history, fed by every packet of the connection. */
    final ZeekHistory zeek = new ZeekHistory();

    /** HTTP/1.x method code of the first request (0: none seen) and status of the first response (-1). */
    int httpMethod;
    int httpStatus = -1;

    /** TLS handshake metadata: versions as on the wire (0x0303 is TLS 1.2), names as sent. */
    int tlsClientVersion;
    int tlsServerVersion;
    String tlsSni;
    String tlsAlpn;
    int tlsAlertLevel = -1;
    int tlsAlertDescription = -1;
    boolean tlsAlertFromServer;
    /** A hello being collected across segments, borrowed from the shard's pool until it is read. */
    HelloReassembler.HelloBuffer tlsHelloBuffer;

    /** Bits a {@link PacketListener} keeps on the connection (0 when it starts); no analysis reads them. */
    long packetMarks;

    // ICMP error that quoted this connection (or, for an ICMP flow, its own type/code)
    int icmpType = -1;
    int icmpCode = -1;
    long icmpReporterHi, icmpReporterLo;
    int icmpReporterVersion;

    /** Points the flow's flyweights at its record in the shard's slab (once: the record never moves). */
    void wrap(final FlowSlab slab)
    {
        this.slab = slab.buffer(index);
        this.record = FlowSlab.offset(index);
        header.wrap(this.slab, record);
        c2s.wrap(this.slab, record + FlowDescriptor.C2S_OFFSET, c2sRtt);
        s2c.wrap(this.slab, record + FlowDescriptor.S2C_OFFSET, s2cRtt);
        zeek.wrap(this.slab, record + FlowDescriptor.ZEEK_OFFSET);
    }

    /**
     * The slab segment that holds the flow's record: with {@link #record()}, where a per-packet path
     * points its own flyweights, so it touches the record's lines and not the flow's objects.
     */
    public UnsafeBuffer slab()
    {
        return slab;
    }

    /** Where the flow's record starts in {@link #slab()} ({@link FlowDescriptor} has its layout). */
    public int record()
    {
        return record;
    }

    /** RTT samples of the client's data (what {@link #c2sSequence()} shows), for flyweights wrapped elsewhere. */
    public RttSummary c2sRtt()
    {
        return c2sRtt;
    }

    public RttSummary s2cRtt()
    {
        return s2cRtt;
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

    void reset()
    {
        header.clear();
        firstNanos = 0;
        firstFrame = 0;
        vlanCount = 0;
        if (tunnels != null)
        {
            tunnels.clear();
        }
        interimCount = 0;
        verdict = Verdict.OK;
        verdictDetail = null;
        c2s.clear();
        s2c.clear();
        handshake.reset();
        zeek.reset();
        httpMethod = 0;
        httpStatus = -1;
        tlsClientVersion = tlsServerVersion = 0;
        tlsSni = tlsAlpn = null;
        tlsAlertLevel = tlsAlertDescription = -1;
        tlsAlertFromServer = false;
        releaseBorrowed();
        icmpType = icmpCode = -1;
        icmpReporterHi = icmpReporterLo = 0;
        icmpReporterVersion = 0;
        packetMarks = 0;
    }

    /** Starts the flow with its first frame: time, frame number and VLAN tags. */
    public void begin(final FrameSlot slot)
    {
        firstNanos = slot.timestampNanos;
        header.seen(slot.timestampNanos);
        header.lastReportNanos(slot.timestampNanos);
        firstFrame = slot.frameNumber;
        vlanCount = slot.vlanCount;
        System.arraycopy(slot.vlans, 0, vlans, 0, Math.min(slot.vlanCount, FrameSlot.MAX_VLANS));
        if (slot.tunnelCount > 0)
        {
            if (tunnels == null)
            {
                tunnels = new TunnelStack();
            }
            tunnels.copyFrom(slot);
        }
    }

    /** The tunnels the connection's first frame was found in, outermost first; null or empty when none. */
    public TunnelStack tunnels()
    {
        return tunnels;
    }

    /**
     * Names the client: the frame's sender when {@code senderIsClient}, else its receiver.
     *
     * @param inferred true when no SYN said who opened the connection
     */
    public void assignRoles(final FrameSlot slot, final boolean senderIsClient, final boolean inferred)
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
        header.flag(FlowDescriptor.CLIENT_IS_A,
            clientLo == header.aLo() && clientPort == header.aPort() && clientHi == header.aHi());
        header.flag(FlowDescriptor.ROLES_INFERRED, inferred);
    }

    /** True when the frame was sent by this flow's client. */
    public boolean isFromClient(final FrameSlot slot)
    {
        return isFromClient(slot.srcHi, slot.srcLo, slot.srcPort);
    }

    /** True when a packet from this endpoint was sent by this flow's client. */
    public boolean isFromClient(final long srcHi, final long srcLo, final int srcPort)
    {
        return header.isFromClient(srcHi, srcLo, srcPort);
    }

    /**
     * Counts a frame in its direction's packets, bytes and payload bytes and returns that direction.
     */
    public DirectionStats count(final FrameSlot slot, final boolean fromClient)
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
        if (fromClient)
        {
            if (method != 0 && httpMethod == 0)
            {
                httpMethod = method;
            }
        }
        else if (status >= 0 && httpStatus < 0)
        {
            httpStatus = status;
        }
    }

    /**
     * Notes the TLS hello or plaintext alert a segment starts with: the client's offer and server
     * name from the first ClientHello, the server's choice from the first ServerHello, and the first
     * alert (a fatal one replaces a warning). Strings are made once per connection, not per packet.
     */
    public void noteTls(final FrameSlot slot, final boolean fromClient)
    {
        if (slot.tlsHandshakeType == 1 && fromClient && tlsClientVersion == 0)
        {
            tlsClientVersion = slot.tlsClientVersion;
            if (slot.tlsSniLength > 0)
            {
                tlsSni = new String(slot.data, slot.tlsSniOffset, slot.tlsSniLength, StandardCharsets.US_ASCII);
            }
            if (slot.tlsAlpnLength > 0 && tlsAlpn == null)
            {
                tlsAlpn = new String(slot.data, slot.tlsAlpnOffset, slot.tlsAlpnLength, StandardCharsets.US_ASCII);
            }
        }
        else if (slot.tlsHandshakeType == 2 && !fromClient && tlsServerVersion == 0)
        {
            tlsServerVersion = slot.tlsServerVersion;
            if (slot.tlsAlpnLength > 0)
            {
                // The server's choice is the protocol in use; the client's first offer was a guess.
                tlsAlpn = new String(slot.data, slot.tlsAlpnOffset, slot.tlsAlpnLength, StandardCharsets.US_ASCII);
            }
        }
        if (slot.tlsAlertLevel >= 0 && (tlsAlertLevel < 0 || tlsAlertLevel == 1 && slot.tlsAlertLevel == 2))
        {
            tlsAlertLevel = slot.tlsAlertLevel;
            tlsAlertDescription = slot.tlsAlertDescription;
            tlsAlertFromServer = !fromClient;
        }
    }

    /** Gives back what the connection borrowed from its shard's pools (a hello buffer): it has ended. */
    void releaseBorrowed()
    {
        if (tlsHelloBuffer != null)
        {
            tlsHelloBuffer.release();
            tlsHelloBuffer = null;
            header.flag(FlowDescriptor.HELLO_BUFFERED, false);
        }
    }

    /** The hello being collected across segments, null when none is. */
    public HelloReassembler.HelloBuffer tlsHelloBuffer()
    {
        return tlsHelloBuffer;
    }

    /**
     * Lends the connection a hello buffer, or takes it back (null); returns the one it had. The
     * buffer is given back to its pool when the connection ends with it.
     */
    public HelloReassembler.HelloBuffer tlsHelloBuffer(final HelloReassembler.HelloBuffer buffer)
    {
        final HelloReassembler.HelloBuffer had = tlsHelloBuffer;
        tlsHelloBuffer = buffer;
        header.flag(FlowDescriptor.HELLO_BUFFERED, buffer != null);
        return had;
    }

    /** True when any TLS handshake metadata was seen. */
    public boolean tlsSeen()
    {
        return tlsClientVersion != 0 || tlsServerVersion != 0 || tlsAlertLevel >= 0;
    }

    public int tlsClientVersion()
    {
        return tlsClientVersion;
    }

    public int tlsServerVersion()
    {
        return tlsServerVersion;
    }

    /** Server name the client asked for (SNI), null when none. */
    public String tlsSni()
    {
        return tlsSni;
    }

    /** ALPN protocol: the server's choice, else the client's first offer; null when none. */
    public String tlsAlpn()
    {
        return tlsAlpn;
    }

    /** Level of the TLS alert seen in the clear (1 warning, 2 fatal), -1 when none. */
    public int tlsAlertLevel()
    {
        return tlsAlertLevel;
    }

    public int tlsAlertDescription()
    {
        return tlsAlertDescription;
    }

    public boolean tlsAlertFromServer()
    {
        return tlsAlertFromServer;
    }

    /** Method code of the first HTTP request ({@code HttpFirstLineFlyweight.METHODS}), 0 when none. */
    public int httpMethod()
    {
        return httpMethod;
    }

    /** Status code of the first HTTP response, -1 when none. */
    public int httpStatus()
    {
        return httpStatus;
    }

    /** Notes an ICMP error (destination unreachable, time exceeded, ...) that quoted this flow. */
    public void noteIcmpError(final FrameSlot slot)
    {
        icmpType = slot.icmpType;
        icmpCode = slot.icmpCode;
        icmpReporterVersion = slot.ipVersion;
        icmpReporterHi = slot.srcHi;
        icmpReporterLo = slot.srcLo;
    }

    /** Sets the type and code of an ICMP flow (its first message). */
    public void noteIcmpMessage(final FrameSlot slot)
    {
        if (icmpType < 0)
        {
            icmpType = slot.icmpType;
            icmpCode = slot.icmpCode;
        }
    }

    /** The bits a {@link PacketListener} keeps on this connection, 0 at its start. */
    public long packetMarks()
    {
        return packetMarks;
    }

    public void packetMarks(final long marks)
    {
        packetMarks = marks;
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

    public void markClosed()
    {
        header.flag(FlowDescriptor.CLOSED, true);
    }

    /**
     * True when plain ACKs cannot change the handshake any more, so the per-packet path need not
     * look at it (it lives in another object: one cache miss less per packet on a busy table).
     */
    public boolean handshakeSettled()
    {
        return header.handshakeSettled();
    }

    /** True when a handshake was seen and has not completed (half-open timeouts apply). */
    public boolean halfOpen()
    {
        return header.halfOpen();
    }

    /**
     * Copies what the per-packet path needs of the handshake into the flow, after anything that may
     * have changed it (the handshake object is then not touched for a settled connection's ACKs).
     */
    public void handshakeChanged()
    {
        header.flag(FlowDescriptor.HANDSHAKE_SETTLED, handshake.settled());
        header.flag(FlowDescriptor.HALF_OPEN, handshake.status() != Handshake.COMPLETE && handshake.seen());
        header.handshakeRttNanos(handshake.rttNanos() == Handshake.UNSET ? 0 : handshake.rttNanos());
        header.flag(FlowDescriptor.TIMESTAMPS, handshake.timestamps());
    }

    /** The handshake RTT (Wireshark's initial RTT), 0 while not measured. */
    public long handshakeRttNanos()
    {
        return header.handshakeRttNanos();
    }

    /** True when both sides use TCP timestamps (RFC 7323 section 3.2). */
    public boolean timestamps()
    {
        return header.timestamps();
    }

    public int protocol()
    {
        return header.protocol();
    }

    public int ipVersion()
    {
        return header.ipVersion();
    }

    private boolean clientIsA()
    {
        return header.flag(FlowDescriptor.CLIENT_IS_A);
    }

    public long clientHi()
    {
        return clientIsA() ? header.aHi() : header.bHi();
    }

    public long clientLo()
    {
        return clientIsA() ? header.aLo() : header.bLo();
    }

    public long serverHi()
    {
        return clientIsA() ? header.bHi() : header.aHi();
    }

    public long serverLo()
    {
        return clientIsA() ? header.bLo() : header.aLo();
    }

    public int clientPort()
    {
        return clientIsA() ? header.aPort() : header.bPort();
    }

    public int serverPort()
    {
        return clientIsA() ? header.bPort() : header.aPort();
    }

    public boolean rolesInferred()
    {
        return header.flag(FlowDescriptor.ROLES_INFERRED);
    }

    /** Time of the first packet, nanoseconds since the epoch. */
    public long firstNanos()
    {
        return firstNanos;
    }

    public long lastNanos()
    {
        return header.lastNanos();
    }

    /** Number of the connection's first frame in the input; part of the stable record id. */
    public long firstFrame()
    {
        return firstFrame;
    }

    public int vlanCount()
    {
        return Math.min(vlanCount, FrameSlot.MAX_VLANS);
    }

    public int vlan(final int i)
    {
        return vlans[i];
    }

    /** Number of interim records written before this one. */
    public int interimCount()
    {
        return interimCount;
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
        interimCount++;
        header.lastReportNanos(nowNanos);
    }

    /** Stores the verdict the record will carry (set just before each record). */
    public void verdict(final Verdict v, final String detail)
    {
        verdict = v;
        verdictDetail = detail;
    }

    public Verdict verdict()
    {
        return verdict;
    }

    /** The verdict in a sentence with the connection's numbers; null before the first record. */
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

    public Handshake handshake()
    {
        return handshake;
    }

    /** What the sequence analysis found in the client's segments. */
    public SequenceState c2sSequence()
    {
        return c2s;
    }

    /** What the sequence analysis found in the server's segments. */
    public SequenceState s2cSequence()
    {
        return s2c;
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

    @Override
    public String httpMethodName()
    {
        return httpMethod == 0 ? null : HttpFirstLineFlyweight.METHODS[httpMethod];
    }

    /** ICMP type (of the error quoting this connection, or of this ICMP flow), -1 when none. */
    public int icmpType()
    {
        return icmpType;
    }

    public int icmpCode()
    {
        return icmpCode;
    }

    public int icmpReporterVersion()
    {
        return icmpReporterVersion;
    }

    public long icmpReporterHi()
    {
        return icmpReporterHi;
    }

    public long icmpReporterLo()
    {
        return icmpReporterLo;
    }
}
