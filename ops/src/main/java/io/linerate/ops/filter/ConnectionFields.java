package io.linerate.ops.filter;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.PacketAnalysis;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.http.HttpFirstLineFlyweight;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import io.linerate.sink.record.FlowRecordEncoder;
import io.linerate.sink.record.JsonBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields {@code --where} knows, and how they are read from linerate's packets and records.
 *
 * <p>Wireshark's names where the field exists there, with Wireshark's meaning. Fields of packets
 * ({@code ip.addr}, {@code tcp.port}, {@code tcp.flags.reset}, {@code tcp.analysis.retransmission},
 * {@code icmp.type}, {@code vlan.id}...) are per packet: a connection matches when some packet of it
 * matches, as its {@code tcp.stream} is in {@code tshark -Y}'s. An ICMP error quoting a TCP header is
 * a packet of the quoted connection, as in Wireshark, with both IP headers' addresses and the quoted
 * header's ports and flags. HTTP fields are per packet too (a segment starting with a request or
 * status line). TLS fields are the connection's, as its record has them: the first ClientHello's
 * server name and ALPN offer, the first plaintext alert.
 *
 * <p>Every other field is the record's, by its JSON path ({@code verdict}, {@code c2s.retransmissions},
 * {@code handshake.rtt_us}), read from the record as {@link FlowRecordEncoder} writes it.
 */
public final class ConnectionFields implements FieldCatalog
{
    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

    // Per-packet fields, Wireshark's.
    private static final int IP = 0;
    private static final int IPV6 = 1;
    private static final int TCP = 2;
    private static final int UDP = 3;
    private static final int ICMP = 4;
    private static final int ICMPV6 = 5;
    private static final int VLAN = 6;
    private static final int IP_ADDR = 7;
    private static final int IP_SRC = 8;
    private static final int IP_DST = 9;
    private static final int IPV6_ADDR = 10;
    private static final int IPV6_SRC = 11;
    private static final int IPV6_DST = 12;
    private static final int IP_PROTO = 13;
    private static final int IP_TTL = 14;
    private static final int IPV6_HLIM = 15;
    private static final int TCP_PORT = 16;
    private static final int TCP_SRCPORT = 17;
    private static final int TCP_DSTPORT = 18;
    private static final int UDP_PORT = 19;
    private static final int UDP_SRCPORT = 20;
    private static final int UDP_DSTPORT = 21;
    private static final int TCP_FLAGS = 22;
    private static final int TCP_FLAG_FIN = 23;
    private static final int TCP_FLAG_SYN = 24;
    private static final int TCP_FLAG_RESET = 25;
    private static final int TCP_FLAG_PUSH = 26;
    private static final int TCP_FLAG_ACK = 27;
    private static final int TCP_FLAG_URG = 28;
    private static final int TCP_LEN = 29;
    private static final int TCP_WINDOW_SIZE_VALUE = 30;
    private static final int FRAME_LEN = 31;
    private static final int ICMP_TYPE = 32;
    private static final int ICMP_CODE = 33;
    private static final int ICMPV6_TYPE = 34;
    private static final int ICMPV6_CODE = 35;
    private static final int VLAN_ID = 36;
    /** tcp.analysis.* flags: ANALYSIS + the bit's position in the SequenceAnalyzer flags. */
    private static final int ANALYSIS = 40;

    // Per-connection fields with Wireshark's names, from the flow.
    private static final int TLS = 60;
    private static final int TLS_SNI = 61;
    private static final int TLS_ALPN = 62;
    private static final int TLS_ALERT_DESC = 63;
    private static final int TLS_ALERT_LEVEL = 64;
    private static final int HTTP = 65;
    private static final int HTTP_METHOD = 66;
    private static final int HTTP_CODE = 67;
    /** The record's fields by JSON path: from here on. */
    private static final int RECORD = 100;


    static
    {
        packet("ip", FieldType.LABEL, IP);
        packet("ipv6", FieldType.LABEL, IPV6);
        packet("tcp", FieldType.LABEL, TCP);
        packet("udp", FieldType.LABEL, UDP);
        packet("icmp", FieldType.LABEL, ICMP);
        packet("icmpv6", FieldType.LABEL, ICMPV6);
        packet("vlan", FieldType.LABEL, VLAN);
        packet("ip.addr", FieldType.ADDRESS, IP_ADDR);
        packet("ip.src", FieldType.ADDRESS, IP_SRC);
        packet("ip.dst", FieldType.ADDRESS, IP_DST);
        packet("ipv6.addr", FieldType.ADDRESS, IPV6_ADDR);
        packet("ipv6.src", FieldType.ADDRESS, IPV6_SRC);
        packet("ipv6.dst", FieldType.ADDRESS, IPV6_DST);
        packet("ip.proto", FieldType.INTEGER, IP_PROTO);
        packet("ip.ttl", FieldType.INTEGER, IP_TTL);
        packet("ipv6.hlim", FieldType.INTEGER, IPV6_HLIM);
        packet("tcp.port", FieldType.INTEGER, TCP_PORT);
        packet("tcp.srcport", FieldType.INTEGER, TCP_SRCPORT);
        packet("tcp.dstport", FieldType.INTEGER, TCP_DSTPORT);
        packet("udp.port", FieldType.INTEGER, UDP_PORT);
        packet("udp.srcport", FieldType.INTEGER, UDP_SRCPORT);
        packet("udp.dstport", FieldType.INTEGER, UDP_DSTPORT);
        packet("tcp.flags", FieldType.INTEGER, TCP_FLAGS);
        packet("tcp.flags.fin", FieldType.BOOLEAN, TCP_FLAG_FIN);
        packet("tcp.flags.syn", FieldType.BOOLEAN, TCP_FLAG_SYN);
        packet("tcp.flags.reset", FieldType.BOOLEAN, TCP_FLAG_RESET);
        packet("tcp.flags.push", FieldType.BOOLEAN, TCP_FLAG_PUSH);
        packet("tcp.flags.ack", FieldType.BOOLEAN, TCP_FLAG_ACK);
        packet("tcp.flags.urg", FieldType.BOOLEAN, TCP_FLAG_URG);
        packet("tcp.len", FieldType.INTEGER, TCP_LEN);
        packet("tcp.window_size_value", FieldType.INTEGER, TCP_WINDOW_SIZE_VALUE);
        packet("frame.len", FieldType.INTEGER, FRAME_LEN);
        packet("icmp.type", FieldType.INTEGER, ICMP_TYPE);
        packet("icmp.code", FieldType.INTEGER, ICMP_CODE);
        packet("icmpv6.type", FieldType.INTEGER, ICMPV6_TYPE);
        packet("icmpv6.code", FieldType.INTEGER, ICMPV6_CODE);
        packet("vlan.id", FieldType.INTEGER, VLAN_ID);
        analysis("retransmission", PacketAnalysis.RETRANSMISSION);
        analysis("fast_retransmission", PacketAnalysis.FAST_RETRANSMISSION);
        analysis("spurious_retransmission", PacketAnalysis.SPURIOUS_RETRANSMISSION);
        analysis("out_of_order", PacketAnalysis.OUT_OF_ORDER);
        analysis("lost_segment", PacketAnalysis.LOST_SEGMENT);
        analysis("keep_alive", PacketAnalysis.KEEP_ALIVE);
        analysis("keep_alive_ack", PacketAnalysis.KEEP_ALIVE_ACK);
        analysis("zero_window_probe", PacketAnalysis.ZERO_WINDOW_PROBE);
        analysis("zero_window_probe_ack", PacketAnalysis.ZERO_WINDOW_PROBE_ACK);
        analysis("duplicate_ack", PacketAnalysis.DUPLICATE_ACK);
        analysis("zero_window", PacketAnalysis.ZERO_WINDOW);
        analysis("window_full", PacketAnalysis.WINDOW_FULL);

        connection("tls", FieldType.LABEL, TLS);
        connection("tls.handshake.extensions_server_name", FieldType.STRING, TLS_SNI);
        connection("tls.handshake.extensions_alpn_str", FieldType.STRING, TLS_ALPN);
        connection("tls.alert_message.desc", FieldType.INTEGER, TLS_ALERT_DESC);
        connection("tls.alert_message.level", FieldType.INTEGER, TLS_ALERT_LEVEL);
        packet("http", FieldType.LABEL, HTTP);
        packet("http.request.method", FieldType.STRING, HTTP_METHOD);
        packet("http.response.code", FieldType.INTEGER, HTTP_CODE);

        // The record, by JSON path (docs/record.md).
        record(FieldType.STRING, "schema", "record_id", "flow_id", "community_id", "record_type", "end_reason", "sensor",
            "transport", "roles", "state", "history", "verdict", "verdict_detail", "handshake.status",
            "tls.client_version", "tls.version", "tls.sni", "tls.alpn", "tls.alert.level", "tls.alert.description",
            "tls.alert.from", "http.method");
        record(FieldType.ADDRESS, "client.ip", "server.ip", "icmp.reporter");
        record(FieldType.INTEGER, "start_us", "end_us", "duration_us", "ip_proto", "ip_version", "client.port", "server.port",
            "handshake.syn_count", "handshake.synack_count", "handshake.rtt_us", "handshake.syn_to_synack_us",
            "handshake.synack_to_ack_us", "handshake.client_mss", "handshake.server_mss", "handshake.client_wscale",
            "handshake.server_wscale", "http.status");
        // (the record's vlan array is Wireshark's vlan.id, per packet)
        record(FieldType.BOOLEAN, "handshake.sack_permitted", "handshake.timestamps");
        record(FieldType.DOUBLE, "retransmit_rate");
        for (final String side : new String[] {"c2s", "s2c"})
        {
            for (final String f : new String[] {"packets", "bytes", "payload_bytes", "retransmissions", "retransmitted_bytes",
                "fast_retransmissions", "spurious_retransmissions", "out_of_order", "lost_segments", "dup_acks",
                "sack_blocks", "zero_windows", "window_full", "keep_alives", "window.min", "window.max", "window.mean",
                "max_bytes_in_flight", "rtt_us.samples", "rtt_us.min", "rtt_us.mean", "rtt_us.p50", "rtt_us.p99",
                "rtt_us.max", "fin", "rst"})
            {
                record(FieldType.INTEGER, side + "." + f);
            }
        }
    }

    private static void packet(final String name, final FieldType type, final int id)
    {
        FIELDS.put(name, new Field(name, type, true, id, false));
    }

    private static void analysis(final String name, final int flag)
    {
        packet("tcp.analysis." + name, FieldType.LABEL, ANALYSIS + Integer.numberOfTrailingZeros(flag));
    }

    private static void connection(final String name, final FieldType type, final int id)
    {
        FIELDS.put(name, new Field(name, type, false, id, false));
    }

    private static void record(final FieldType type, final String... paths)
    {
        for (final String path : paths)
        {
            // The record says its times in microseconds by the _us in their names.
            final boolean micros = path.endsWith("_us") || path.contains("_us.");
            FIELDS.put(path, new Field(path, type, false, RECORD + FIELDS.size(), micros && type == FieldType.INTEGER));
        }
    }

    @Override
    public Field field(final String name)
    {
        return FIELDS.get(name);
    }

    /** The names of every record field (JSON paths), for documentation and tests. */
    public static List<String> recordPaths()
    {
        final List<String> out = new ArrayList<>();
        for (final Field f : FIELDS.values())
        {
            if (f.id() >= RECORD)
            {
                out.add(f.name());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** One packet of a connection, as the filter reads it; reused from packet to packet. */
    public static final class PacketInput implements FilterInput
    {
        private DecodedFrame slot;
        private boolean quoted;
        private int analysis;

        /** A packet with its {@code SequenceAnalyzer} flags. */
        public PacketInput packet(final DecodedFrame slot, final int analysis)
        {
            this.slot = slot;
            this.analysis = analysis;
            this.quoted = false;
            return this;
        }

        /** An ICMP error quoting a TCP header, as a packet of the quoted connection. */
        public PacketInput quoted(final DecodedFrame slot)
        {
            this.slot = slot;
            this.analysis = 0;
            this.quoted = true;
            return this;
        }

        @Override
        public void values(final Field field, final Values out)
        {
            final DecodedFrame s = slot;
            final int id = field.id();
            if (id >= ANALYSIS && id < TLS)
            {
                if ((analysis >>> (id - ANALYSIS) & 1) != 0)
                {
                    out.addPresence();
                }
                return;
            }
            // The transport of the packet's own header, and of the header an ICMP error quotes.
            final int proto = s.ipProtocol;
            final boolean tcp = proto == IpProtocol.TCP || quoted;
            final int flags = quoted ? s.quotedTcpFlags : s.tcpFlags;
            final int srcPort = quoted ? s.quotedSrcPort : s.srcPort;
            final int dstPort = quoted ? s.quotedDstPort : s.dstPort;
            switch (id)
            {
                case IP:
                    if (s.ipVersion == 4)
                    {
                        out.addPresence();
                    }
                    break;
                case IPV6:
                    if (s.ipVersion == 6)
                    {
                        out.addPresence();
                    }
                    break;
                case TCP:
                    if (tcp)
                    {
                        out.addPresence();
                    }
                    break;
                case UDP:
                    if (proto == IpProtocol.UDP)
                    {
                        out.addPresence();
                    }
                    break;
                case ICMP:
                    if (proto == IpProtocol.ICMP)
                    {
                        out.addPresence();
                    }
                    break;
                case ICMPV6:
                    if (proto == IpProtocol.ICMPV6)
                    {
                        out.addPresence();
                    }
                    break;
                case VLAN:
                    if (s.vlanCount > 0)
                    {
                        out.addPresence();
                    }
                    break;
                case IP_ADDR:
                case IPV6_ADDR:
                    addresses(out, id == IP_ADDR ? 4 : 6, true, true);
                    break;
                case IP_SRC:
                case IPV6_SRC:
                    addresses(out, id == IP_SRC ? 4 : 6, true, false);
                    break;
                case IP_DST:
                case IPV6_DST:
                    addresses(out, id == IP_DST ? 4 : 6, false, true);
                    break;
                case IP_PROTO:
                    if (s.ipVersion == 4)
                    {
                        out.addLong(proto);
                        if (quoted)
                        {
                            out.addLong(IpProtocol.TCP);
                        }
                    }
                    break;
                case IP_TTL:
                    if (s.ipVersion == 4)
                    {
                        out.addLong(s.ttl);
                    }
                    break;
                case IPV6_HLIM:
                    if (s.ipVersion == 6)
                    {
                        out.addLong(s.ttl);
                    }
                    break;
                case TCP_PORT:
                case UDP_PORT:
                    if (id == TCP_PORT ? tcp : proto == IpProtocol.UDP)
                    {
                        out.addLong(srcPort);
                        out.addLong(dstPort);
                    }
                    break;
                case TCP_SRCPORT:
                case UDP_SRCPORT:
                    if (id == TCP_SRCPORT ? tcp : proto == IpProtocol.UDP)
                    {
                        out.addLong(srcPort);
                    }
                    break;
                case TCP_DSTPORT:
                case UDP_DSTPORT:
                    if (id == TCP_DSTPORT ? tcp : proto == IpProtocol.UDP)
                    {
                        out.addLong(dstPort);
                    }
                    break;
                case TCP_FLAGS:
                    if (tcp)
                    {
                        out.addLong(flags);
                    }
                    break;
                case TCP_FLAG_FIN:
                    flag(out, tcp, flags, TcpFlags.FIN);
                    break;
                case TCP_FLAG_SYN:
                    flag(out, tcp, flags, TcpFlags.SYN);
                    break;
                case TCP_FLAG_RESET:
                    flag(out, tcp, flags, TcpFlags.RST);
                    break;
                case TCP_FLAG_PUSH:
                    flag(out, tcp, flags, TcpFlags.PSH);
                    break;
                case TCP_FLAG_ACK:
                    flag(out, tcp, flags, TcpFlags.ACK);
                    break;
                case TCP_FLAG_URG:
                    flag(out, tcp, flags, TcpFlags.URG);
                    break;
                case TCP_LEN:
                    if (tcp && !quoted)
                    {
                        out.addLong(s.payloadLength);
                    }
                    break;
                case TCP_WINDOW_SIZE_VALUE:
                    if (tcp && !quoted)
                    {
                        out.addLong(s.window);
                    }
                    break;
                case FRAME_LEN:
                    out.addLong(s.wireLength);
                    break;
                case ICMP_TYPE:
                case ICMP_CODE:
                    if (proto == IpProtocol.ICMP)
                    {
                        out.addLong(id == ICMP_TYPE ? s.icmpType : s.icmpCode);
                    }
                    break;
                case ICMPV6_TYPE:
                case ICMPV6_CODE:
                    if (proto == IpProtocol.ICMPV6)
                    {
                        out.addLong(id == ICMPV6_TYPE ? s.icmpType : s.icmpCode);
                    }
                    break;
                case HTTP:
                    if (!quoted && (s.httpMethod != 0 || s.httpStatus >= 0))
                    {
                        out.addPresence();
                    }
                    break;
                case HTTP_METHOD:
                    if (!quoted && s.httpMethod != 0)
                    {
                        out.addString(HttpFirstLineFlyweight.METHODS[s.httpMethod]);
                    }
                    break;
                case HTTP_CODE:
                    if (!quoted && s.httpStatus >= 0)
                    {
                        out.addLong(s.httpStatus);
                    }
                    break;
                case VLAN_ID:
                    for (int i = 0; i < Math.min(s.vlanCount, DecodedFrame.MAX_VLANS); i++)
                    {
                        out.addLong(s.vlans[i]);
                    }
                    break;
                default:
                    break;
            }
        }

        /** The packet's addresses of one version; an ICMP error's own and those of the header it quotes. */
        private void addresses(final Values out, final int version, final boolean src, final boolean dst)
        {
            final DecodedFrame s = slot;
            if (s.ipVersion != version)
            {
                return;
            }
            if (src)
            {
                out.addAddress(version, s.srcHi, s.srcLo);
            }
            if (dst)
            {
                out.addAddress(version, s.dstHi, s.dstLo);
            }
            if (quoted)
            {
                if (src)
                {
                    out.addAddress(version, s.quotedSrcHi, s.quotedSrcLo);
                }
                if (dst)
                {
                    out.addAddress(version, s.quotedDstHi, s.quotedDstLo);
                }
            }
        }

        private static void flag(final Values out, final boolean tcp, final int flags, final int bit)
        {
            if (tcp)
            {
                out.addBoolean((flags & bit) != 0);
            }
        }
    }

    /** A connection at its record, as the filter reads it; reused from record to record. */
    public static final class RecordInput implements FilterInput
    {
        private final FlowRecordEncoder encoder;
        private final JsonBuffer buffer = new JsonBuffer(2048);
        /** The record's text, once {@link #encode()} has written it. */
        private String json;
        private final Map<String, List<Object>> paths = new java.util.HashMap<>();
        private FlowView flow;
        private boolean isFinal;
        private EndReason endReason;
        private boolean parsed;

        /**
         * @param sensor the sensor name records carry (a record field like any other)
         */
        public RecordInput(final String sensor)
        {
            this.encoder = new FlowRecordEncoder(sensor);
        }

        /** The connection whose record is being written. */
        public RecordInput record(final FlowView f, final boolean last, final EndReason reason)
        {
            this.flow = f;
            this.isFinal = last;
            this.endReason = reason;
            this.parsed = false;
            return this;
        }

        @Override
        public void values(final Field field, final Values out)
        {
            final FlowView f = flow;
            if (tlsValues(field, out, f.tlsSeen(), f.tlsSni(), f.tlsAlpn(), f.tlsAlertLevel(), f.tlsAlertDescription()))
            {
                return;
            }
            if (!parsed)
            {
                encode();
                paths.clear();
                RecordPaths.flatten(json, paths);
                parsed = true;
            }
            pathValues(field, paths, out);
        }

        /**
         * This record's values, kept past the call (the flow is reused after it): its JSON text and
         * what the filter reads of it, for a filter given later ({@code linerate top}'s filter line).
         */
        public Snapshot snapshot()
        {
            final FlowView f = flow;
            if (!parsed)
            {
                encode();
            }
            return new Snapshot(json, f.tlsSeen(), f.tlsSni(), f.tlsAlpn(), f.tlsAlertLevel(),
                f.tlsAlertDescription());
        }

        private void encode()
        {
            json = encoder.encode(buffer.clear(), flow, isFinal, endReason).toString();
        }

        /** The record-field part of {@link #values}: a value by its JSON path. */
        static void pathValues(final Field field, final Map<String, List<Object>> paths, final Values out)
        {
            final List<Object> vs = paths.get(field.name());
            if (vs == null)
            {
                return;
            }
            for (final Object v : vs)
            {
                add(field, v, out);
            }
        }

        /** The TLS fields, which the connection answers from its handshake; false for any other field. */
        static boolean tlsValues(final Field field, final Values out, final boolean seen, final String sni,
            final String alpn, final int alertLevel, final int alertDescription)
        {
            switch (field.id())
            {
                case TLS:
                    if (seen)
                    {
                        out.addPresence();
                    }
                    return true;
                case TLS_SNI:
                    if (sni != null)
                    {
                        out.addString(sni);
                    }
                    return true;
                case TLS_ALPN:
                    if (alpn != null)
                    {
                        out.addString(alpn);
                    }
                    return true;
                case TLS_ALERT_DESC:
                    if (alertLevel >= 0)
                    {
                        out.addLong(alertDescription);
                    }
                    return true;
                case TLS_ALERT_LEVEL:
                    if (alertLevel >= 0)
                    {
                        out.addLong(alertLevel);
                    }
                    return true;
                default:
                    return false;
            }
        }

        private static void add(final Field field, final Object v, final Values out)
        {
            switch (field.type())
            {
                case STRING:
                    out.addString(String.valueOf(v));
                    break;
                case INTEGER:
                    if (v instanceof Number)
                    {
                        out.addLong(((Number)v).longValue());
                    }
                    break;
                case DOUBLE:
                    if (v instanceof Number)
                    {
                        out.addDouble(((Number)v).doubleValue());
                    }
                    break;
                case BOOLEAN:
                    if (v instanceof Boolean)
                    {
                        out.addBoolean((Boolean)v);
                    }
                    break;
                case ADDRESS:
                {
                    final String text = String.valueOf(v);
                    if (text.indexOf(':') >= 0)
                    {
                        final long[] a = Literal.ipv6(text);
                        if (a != null)
                        {
                            out.addAddress(6, a[0], a[1]);
                        }
                    }
                    else
                    {
                        final long a = Literal.ipv4(text);
                        if (a >= 0)
                        {
                            out.addAddress(4, 0, a);
                        }
                    }
                    break;
                }
                default:
                    out.addPresence();
                    break;
            }
        }
    }
    /**
     * A record as the filter reads it, kept: its JSON text and the TLS facts the filter takes from the
     * connection. Evaluated on another thread than the shard's; its paths are read from the JSON at
     * each evaluation, so a kept record costs its text only.
     */
    public static final class Snapshot implements FilterInput
    {
        private final String json;
        private final boolean tlsSeen;
        private final String tlsSni;
        private final String tlsAlpn;
        private final int tlsAlertLevel;
        private final int tlsAlertDescription;
        private Map<String, List<Object>> paths;

        Snapshot(final String json, final boolean tlsSeen, final String tlsSni, final String tlsAlpn,
            final int tlsAlertLevel, final int tlsAlertDescription)
        {
            this.json = json;
            this.tlsSeen = tlsSeen;
            this.tlsSni = tlsSni;
            this.tlsAlpn = tlsAlpn;
            this.tlsAlertLevel = tlsAlertLevel;
            this.tlsAlertDescription = tlsAlertDescription;
        }

        /** The record, as the JSON outputs write it. */
        public String json()
        {
            return json;
        }

        /** Its leaf values by JSON path ({@link RecordPaths}), read again at each call. */
        public Map<String, List<Object>> paths()
        {
            final Map<String, List<Object>> p = new java.util.HashMap<>();
            RecordPaths.flatten(json, p);
            return p;
        }

        /** True when {@code filter} keeps this record (a filter of record fields only). */
        public synchronized boolean matches(final DisplayFilter filter)
        {
            paths = paths();
            try
            {
                return filter.matcher().matches(0, this);
            }
            finally
            {
                paths = null;
            }
        }

        @Override
        public void values(final Field field, final Values out)
        {
            if (!RecordInput.tlsValues(field, out, tlsSeen, tlsSni, tlsAlpn, tlsAlertLevel, tlsAlertDescription))
            {
                RecordInput.pathValues(field, paths != null ? paths : paths(), out);
            }
        }
    }
}
