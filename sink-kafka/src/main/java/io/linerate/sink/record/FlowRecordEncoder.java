package io.linerate.sink.record;

import io.linerate.aggregate.view.DirectionView;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.HandshakeView;
import io.linerate.aggregate.view.InetText;
import io.linerate.aggregate.view.RttView;
import io.linerate.aggregate.view.TlsNames;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tunnel.TunnelStack;
import io.linerate.decode.tunnel.TunnelType;

/**
 * Writes a flow as one {@code linerate.flow/1} JSON object (no trailing newline) into a
 * {@link JsonBuffer}, as UTF-8 bytes. Absent facts are absent keys: a UDP flow has no handshake
 * object, a connection without an ICMP error no icmp object.
 *
 * <p>One instance per shard thread: it reuses its hash state and scratch text.
 */
public final class FlowRecordEncoder
{
    public static final String SCHEMA = "linerate.flow/1";

    /** The {@code transport} of an IP protocol without a keyword of its own; its number is {@code ip_proto}. */
    private static final String OTHER_TRANSPORT = "ip_proto";

    private static final byte[] OPEN_SCHEMA = JsonBuffer.ascii("{\"schema\":\"" + SCHEMA + '"');
    private static final byte[] RECORD_ID = JsonBuffer.ascii(",\"record_id\":\"");
    private static final byte[] FINAL_SUFFIX = JsonBuffer.ascii("-f\"");
    private static final byte[] INTERIM_SUFFIX = JsonBuffer.ascii("-i");
    private static final byte[] FLOW_ID = JsonBuffer.ascii(",\"flow_id\":\"");
    private static final byte[] COMMUNITY_ID = JsonBuffer.ascii(",\"community_id\":\"");
    private static final byte[] RECORD_TYPE_FINAL = JsonBuffer.ascii(",\"record_type\":\"final\"");
    private static final byte[] RECORD_TYPE_INTERIM = JsonBuffer.ascii(",\"record_type\":\"interim\"");
    private static final byte[] END_REASON = JsonBuffer.ascii(",\"end_reason\":\"");
    private static final byte[] SENSOR = JsonBuffer.ascii(",\"sensor\":");
    private static final byte[] START_US = JsonBuffer.ascii(",\"start_us\":");
    private static final byte[] END_US = JsonBuffer.ascii(",\"end_us\":");
    private static final byte[] DURATION_US = JsonBuffer.ascii(",\"duration_us\":");
    private static final byte[] TRANSPORT = JsonBuffer.ascii(",\"transport\":\"");
    private static final byte[] IP_PROTO = JsonBuffer.ascii(",\"ip_proto\":");
    private static final byte[] IP_VERSION = JsonBuffer.ascii(",\"ip_version\":");
    private static final byte[] VLAN = JsonBuffer.ascii(",\"vlan\":[");
    private static final byte[] CLIENT_IP = JsonBuffer.ascii(",\"client\":{\"ip\":\"");
    private static final byte[] SERVER_IP = JsonBuffer.ascii("},\"server\":{\"ip\":\"");
    private static final byte[] PORT = JsonBuffer.ascii(",\"port\":");
    private static final byte[] ROLES_INFERRED = JsonBuffer.ascii(",\"roles\":\"inferred\"");
    private static final byte[] ROLES_HANDSHAKE = JsonBuffer.ascii(",\"roles\":\"handshake\"");
    private static final byte[] STATE = JsonBuffer.ascii(",\"state\":\"");
    private static final byte[] HISTORY = JsonBuffer.ascii(",\"history\":\"");
    private static final byte[] VERDICT = JsonBuffer.ascii(",\"verdict\":\"");
    private static final byte[] VERDICT_DETAIL = JsonBuffer.ascii(",\"verdict_detail\":");
    private static final byte[] C2S = JsonBuffer.ascii(",\"c2s\":{");
    private static final byte[] S2C = JsonBuffer.ascii(",\"s2c\":{");
    private static final byte[] RETRANSMIT_RATE = JsonBuffer.ascii(",\"retransmit_rate\":");
    private static final byte[] HTTP = JsonBuffer.ascii(",\"http\":{");
    private static final byte[] METHOD = JsonBuffer.ascii("\"method\":");
    private static final byte[] STATUS = JsonBuffer.ascii("\"status\":");
    private static final byte[] ICMP_TYPE = JsonBuffer.ascii(",\"icmp\":{\"type\":");
    private static final byte[] CODE = JsonBuffer.ascii(",\"code\":");
    private static final byte[] REPORTER = JsonBuffer.ascii(",\"reporter\":\"");
    private static final byte[] TUNNEL = JsonBuffer.ascii(",\"tunnel\":[");
    private static final byte[] TYPE = JsonBuffer.ascii("{\"type\":\"");
    private static final byte[] OUTER_SRC = JsonBuffer.ascii(",\"outer_src\":\"");
    private static final byte[] OUTER_DST = JsonBuffer.ascii(",\"outer_dst\":\"");
    private static final byte[] QUOTE_COMMA = JsonBuffer.ascii(",\"");
    private static final byte[] QUOTE_COLON = JsonBuffer.ascii("\":");
    private static final byte[] TLS = JsonBuffer.ascii(",\"tls\":{");
    private static final byte[] CLIENT_VERSION = JsonBuffer.ascii("\"client_version\":\"");
    private static final byte[] VERSION = JsonBuffer.ascii("\"version\":\"");
    private static final byte[] SNI = JsonBuffer.ascii("\"sni\":");
    private static final byte[] ALPN = JsonBuffer.ascii("\"alpn\":");
    private static final byte[] ALERT_LEVEL = JsonBuffer.ascii("\"alert\":{\"level\":\"");
    private static final byte[] FATAL = JsonBuffer.ascii("fatal");
    private static final byte[] WARNING = JsonBuffer.ascii("warning");
    private static final byte[] LEVEL_PREFIX = JsonBuffer.ascii("level_");
    private static final byte[] DESCRIPTION = JsonBuffer.ascii("\",\"description\":\"");
    private static final byte[] FROM_SERVER = JsonBuffer.ascii("\",\"from\":\"server\"}");
    private static final byte[] FROM_CLIENT = JsonBuffer.ascii("\",\"from\":\"client\"}");
    private static final byte[] HANDSHAKE_STATUS = JsonBuffer.ascii(",\"handshake\":{\"status\":\"");
    private static final byte[] SYN_COUNT = JsonBuffer.ascii(",\"syn_count\":");
    private static final byte[] SYNACK_COUNT = JsonBuffer.ascii(",\"synack_count\":");
    private static final byte[] RTT_US = JsonBuffer.ascii(",\"rtt_us\":");
    private static final byte[] SYN_TO_SYNACK_US = JsonBuffer.ascii(",\"syn_to_synack_us\":");
    private static final byte[] SYNACK_TO_ACK_US = JsonBuffer.ascii(",\"synack_to_ack_us\":");
    private static final byte[] CLIENT_MSS = JsonBuffer.ascii(",\"client_mss\":");
    private static final byte[] SERVER_MSS = JsonBuffer.ascii(",\"server_mss\":");
    private static final byte[] CLIENT_WSCALE = JsonBuffer.ascii(",\"client_wscale\":");
    private static final byte[] SERVER_WSCALE = JsonBuffer.ascii(",\"server_wscale\":");
    private static final byte[] SACK_PERMITTED_TRUE = JsonBuffer.ascii(",\"sack_permitted\":true");
    private static final byte[] SACK_PERMITTED_FALSE = JsonBuffer.ascii(",\"sack_permitted\":false");
    private static final byte[] TIMESTAMPS_TRUE = JsonBuffer.ascii(",\"timestamps\":true");
    private static final byte[] TIMESTAMPS_FALSE = JsonBuffer.ascii(",\"timestamps\":false");
    private static final byte[] PACKETS = JsonBuffer.ascii("\"packets\":");
    private static final byte[] BYTES = JsonBuffer.ascii(",\"bytes\":");
    private static final byte[] PAYLOAD_BYTES = JsonBuffer.ascii(",\"payload_bytes\":");
    private static final byte[] RETRANSMISSIONS = JsonBuffer.ascii(",\"retransmissions\":");
    private static final byte[] RETRANSMITTED_BYTES = JsonBuffer.ascii(",\"retransmitted_bytes\":");
    private static final byte[] FAST_RETRANSMISSIONS = JsonBuffer.ascii(",\"fast_retransmissions\":");
    private static final byte[] SPURIOUS_RETRANSMISSIONS = JsonBuffer.ascii(",\"spurious_retransmissions\":");
    private static final byte[] OUT_OF_ORDER = JsonBuffer.ascii(",\"out_of_order\":");
    private static final byte[] LOST_SEGMENTS = JsonBuffer.ascii(",\"lost_segments\":");
    private static final byte[] DUP_ACKS = JsonBuffer.ascii(",\"dup_acks\":");
    private static final byte[] SACK_BLOCKS = JsonBuffer.ascii(",\"sack_blocks\":");
    private static final byte[] ZERO_WINDOWS = JsonBuffer.ascii(",\"zero_windows\":");
    private static final byte[] WINDOW_FULL = JsonBuffer.ascii(",\"window_full\":");
    private static final byte[] KEEP_ALIVES = JsonBuffer.ascii(",\"keep_alives\":");
    private static final byte[] WINDOW_MIN = JsonBuffer.ascii(",\"window\":{\"min\":");
    private static final byte[] MAX_BYTES_IN_FLIGHT = JsonBuffer.ascii(",\"max_bytes_in_flight\":");
    private static final byte[] RTT_SAMPLES = JsonBuffer.ascii(",\"rtt_us\":{\"samples\":");
    private static final byte[] MIN = JsonBuffer.ascii(",\"min\":");
    private static final byte[] MAX = JsonBuffer.ascii(",\"max\":");
    private static final byte[] MEAN = JsonBuffer.ascii(",\"mean\":");
    private static final byte[] P50 = JsonBuffer.ascii(",\"p50\":");
    private static final byte[] P99 = JsonBuffer.ascii(",\"p99\":");
    private static final byte[] FIN_0 = JsonBuffer.ascii(",\"fin\":0");
    private static final byte[] FIN_1 = JsonBuffer.ascii(",\"fin\":1");
    private static final byte[] RST_0 = JsonBuffer.ascii(",\"rst\":0");
    private static final byte[] RST_1 = JsonBuffer.ascii(",\"rst\":1");

    private final String sensor;
    private final CommunityId communityId = new CommunityId(0);
    /** Where the last record's Community ID is in its buffer. */
    private int communityIdStart;
    private int communityIdEnd;
    /** An address's text on its way into the buffer. */
    private final StringBuilder text = new StringBuilder(40);

    /**
     * @param sensor the name of this capture point, written in every record
     */
    public FlowRecordEncoder(final String sensor)
    {
        this.sensor = sensor;
    }

    /**
     * A flow's id: stable for the same connection in the same input (it hashes the tuple, the first
     * packet's time and frame number), so re-running an input gives the same ids.
     */
    public static String flowId(final FlowView f)
    {
        final String hex = Long.toHexString(flowHash(f));
        return "0000000000000000".substring(hex.length()) + hex;
    }

    /** The flow id's 64 bits (written as 16 hex digits). */
    private static long flowHash(final FlowView f)
    {
        long h = 0xCBF29CE484222325L;
        h = mix(h, f.protocol());
        h = mix(h, f.clientHi());
        h = mix(h, f.clientLo());
        h = mix(h, f.serverHi());
        h = mix(h, f.serverLo());
        h = mix(h, ((long)f.clientPort() << 16) | f.serverPort());
        h = mix(h, f.firstNanos());
        h = mix(h, f.firstFrame());
        return h;
    }

    /** The record's id: the flow id and which record of the flow it is (unique, stable across re-runs). */
    public static String recordId(final FlowView f, final boolean isFinal)
    {
        return flowId(f) + (isFinal ? "-f" : "-i" + f.interimCount());
    }

    /**
     * The Community ID of the record {@link #encode} last wrote into {@code record} (the Kafka key),
     * read back from the record instead of hashed again.
     */
    public String lastCommunityId(final JsonBuffer record)
    {
        return record.toString(communityIdStart, communityIdEnd);
    }

    private JsonBuffer communityId(final JsonBuffer out, final FlowView f)
    {
        final int protocol = f.protocol();
        if (protocol == IpProtocol.ICMP || protocol == IpProtocol.ICMPV6)
        {
            return communityId.append(out, f.ipVersion(), protocol, f.clientHi(), f.clientLo(), icmpType(f),
                f.serverHi(), f.serverLo(), icmpCode(f));
        }
        return communityId.append(out, f.ipVersion(), protocol, f.clientHi(), f.clientLo(), f.clientPort(),
            f.serverHi(), f.serverLo(), f.serverPort());
    }

    /** An ICMP flow's type where its Community ID has the source port (0 when unknown). */
    private static int icmpType(final FlowView f)
    {
        return Math.max(f.icmpType(), 0);
    }

    private static int icmpCode(final FlowView f)
    {
        return Math.max(f.icmpCode(), 0);
    }

    /** Appends the record to {@code out}. */
    public JsonBuffer encode(final JsonBuffer out, final FlowView f, final boolean isFinal, final EndReason endReason)
    {
        final long flowHash = flowHash(f);
        final long startUs = Math.floorDiv(f.firstNanos(), 1000);
        final long endUs = Math.floorDiv(f.lastNanos(), 1000);
        out.raw(OPEN_SCHEMA);
        out.raw(RECORD_ID).hex16(flowHash);
        if (isFinal)
        {
            out.raw(FINAL_SUFFIX);
        }
        else
        {
            out.raw(INTERIM_SUFFIX).number(f.interimCount()).ascii('"');
        }
        out.raw(FLOW_ID).hex16(flowHash).ascii('"');
        out.raw(COMMUNITY_ID);
        communityIdStart = out.length();
        communityId(out, f);
        communityIdEnd = out.length();
        out.ascii('"');
        out.raw(isFinal ? RECORD_TYPE_FINAL : RECORD_TYPE_INTERIM);
        if (isFinal && endReason != null)
        {
            out.raw(END_REASON).asciiText(endReason.wireName()).ascii('"');
        }
        out.raw(SENSOR).string(sensor);
        out.raw(START_US).number(startUs);
        out.raw(END_US).number(endUs);
        out.raw(DURATION_US).number(endUs - startUs);
        final String transport = transportName(f.protocol());
        out.raw(TRANSPORT).asciiText(transport).ascii('"');
        if (transport.equals(OTHER_TRANSPORT))
        {
            out.raw(IP_PROTO).number(f.protocol());
        }
        out.raw(IP_VERSION).number(f.ipVersion());
        if (f.vlanCount() > 0)
        {
            out.raw(VLAN);
            for (int i = 0; i < f.vlanCount(); i++)
            {
                if (i > 0)
                {
                    out.ascii(',');
                }
                out.number(f.vlan(i));
            }
            out.ascii(']');
        }
        final boolean hasPorts = f.hasPorts();
        out.raw(CLIENT_IP);
        address(out, f.ipVersion(), f.clientHi(), f.clientLo()).ascii('"');
        if (hasPorts)
        {
            out.raw(PORT).number(f.clientPort());
        }
        out.raw(SERVER_IP);
        address(out, f.ipVersion(), f.serverHi(), f.serverLo()).ascii('"');
        if (hasPorts)
        {
            out.raw(PORT).number(f.serverPort());
        }
        out.ascii('}');
        out.raw(f.rolesInferred() ? ROLES_INFERRED : ROLES_HANDSHAKE);
        out.raw(STATE).asciiText(f.zeekState()).ascii('"');
        final int letters = f.historyLength();
        if (letters > 0)
        {
            out.raw(HISTORY);
            for (int i = 0; i < letters; i++)
            {
                out.ascii(f.historyLetter(i));
            }
            out.ascii('"');
        }
        out.raw(VERDICT).asciiText(f.verdict().wireName()).ascii('"');
        if (f.verdictDetail() != null)
        {
            out.raw(VERDICT_DETAIL).string(f.verdictDetail());
        }

        final boolean tcp = f.protocol() == IpProtocol.TCP;
        if (tcp && f.handshake().seen())
        {
            handshake(out, f.handshake());
        }
        out.raw(C2S);
        direction(out, f.c2s(), tcp);
        out.raw(S2C);
        direction(out, f.s2c(), tcp);
        final double retransmitRate = f.retransmitRate();
        if (!Double.isNaN(retransmitRate))
        {
            out.raw(RETRANSMIT_RATE).number(Math.round(retransmitRate * 1e6) / 1e6);
        }

        if (f.tlsSeen())
        {
            tls(out, f);
        }
        if (f.httpMethod() != 0 || f.httpStatus() >= 0)
        {
            out.raw(HTTP);
            if (f.httpMethod() != 0)
            {
                out.raw(METHOD).string(f.httpMethodName());
            }
            if (f.httpStatus() >= 0)
            {
                if (f.httpMethod() != 0)
                {
                    out.ascii(',');
                }
                out.raw(STATUS).number(f.httpStatus());
            }
            out.ascii('}');
        }
        if (f.icmpType() >= 0)
        {
            out.raw(ICMP_TYPE).number(f.icmpType()).raw(CODE).number(f.icmpCode());
            if (f.icmpReporterVersion() != 0)
            {
                out.raw(REPORTER);
                address(out, f.icmpReporterVersion(), f.icmpReporterHi(), f.icmpReporterLo()).ascii('"');
            }
            out.ascii('}');
        }
        final TunnelStack tunnels = f.tunnels();
        if (tunnels != null && tunnels.count() > 0)
        {
            tunnels(out, tunnels);
        }
        return out.ascii('}');
    }

    /** An address as {@link InetText} writes it. */
    private JsonBuffer address(final JsonBuffer out, final int ipVersion, final long hi, final long lo)
    {
        text.setLength(0);
        return out.asciiText(InetText.append(text, ipVersion, hi, lo));
    }

    /**
     * The tunnels the connection came in, outermost first: {@code type}, the outer endpoints of
     * those inside IP, and the identifier under its name ({@code vni}, {@code key}, {@code teid},
     * {@code session_id}, MPLS {@code labels}).
     */
    private void tunnels(final JsonBuffer out, final TunnelStack tunnels)
    {
        out.raw(TUNNEL);
        for (int i = 0; i < tunnels.count(); i++)
        {
            final int type = tunnels.type(i);
            if (i > 0)
            {
                out.ascii(',');
            }
            out.raw(TYPE).asciiText(TunnelType.name(type)).ascii('"');
            final int ipVersion = tunnels.ipVersion(i);
            if (ipVersion != 0)
            {
                out.raw(OUTER_SRC);
                address(out, ipVersion, tunnels.srcHi(i), tunnels.srcLo(i)).ascii('"');
                out.raw(OUTER_DST);
                address(out, ipVersion, tunnels.dstHi(i), tunnels.dstLo(i)).ascii('"');
            }
            final long id = tunnels.id(i);
            final String idName = TunnelType.idName(type);
            if (id >= 0 && idName != null)
            {
                out.raw(QUOTE_COMMA).asciiText(idName).raw(QUOTE_COLON);
                if (type == TunnelType.MPLS)
                {
                    out.ascii('[');
                    for (int l = 0; l < TunnelType.labelCount(id); l++)
                    {
                        if (l > 0)
                        {
                            out.ascii(',');
                        }
                        out.number(TunnelType.label(id, l));
                    }
                    out.ascii(']');
                }
                else
                {
                    out.number(id);
                }
            }
            out.ascii('}');
        }
        out.ascii(']');
    }

    private static void tls(final JsonBuffer out, final FlowView f)
    {
        out.raw(TLS);
        boolean comma = false;
        if (f.tlsClientVersion() != 0)
        {
            out.raw(CLIENT_VERSION).asciiText(TlsNames.versionName(f.tlsClientVersion())).ascii('"');
            comma = true;
        }
        if (f.tlsServerVersion() != 0)
        {
            comma(out, comma).raw(VERSION).asciiText(TlsNames.versionName(f.tlsServerVersion())).ascii('"');
            comma = true;
        }
        if (f.tlsSni() != null)
        {
            comma(out, comma).raw(SNI).string(f.tlsSni());
            comma = true;
        }
        if (f.tlsAlpn() != null)
        {
            comma(out, comma).raw(ALPN).string(f.tlsAlpn());
            comma = true;
        }
        if (f.tlsAlertLevel() >= 0)
        {
            final int level = f.tlsAlertLevel();
            comma(out, comma).raw(ALERT_LEVEL);
            if (level == 2)
            {
                out.raw(FATAL);
            }
            else if (level == 1)
            {
                out.raw(WARNING);
            }
            else
            {
                out.raw(LEVEL_PREFIX).number(level);
            }
            out.raw(DESCRIPTION).asciiText(TlsNames.alertName(f.tlsAlertDescription()))
                .raw(f.tlsAlertFromServer() ? FROM_SERVER : FROM_CLIENT);
        }
        out.ascii('}');
    }

    private static JsonBuffer comma(final JsonBuffer out, final boolean comma)
    {
        return comma ? out.ascii(',') : out;
    }

    private static void handshake(final JsonBuffer out, final HandshakeView hs)
    {
        out.raw(HANDSHAKE_STATUS).asciiText(hs.statusName()).ascii('"');
        out.raw(SYN_COUNT).number(hs.synCount());
        out.raw(SYNACK_COUNT).number(hs.synAckCount());
        micros(out, RTT_US, hs.rttNanos());
        micros(out, SYN_TO_SYNACK_US, hs.synToSynAckNanos());
        micros(out, SYNACK_TO_ACK_US, hs.synAckToAckNanos());
        optional(out, CLIENT_MSS, hs.clientMss());
        optional(out, SERVER_MSS, hs.serverMss());
        optional(out, CLIENT_WSCALE, hs.clientWindowScale());
        optional(out, SERVER_WSCALE, hs.serverWindowScale());
        if (hs.synSeen() && hs.synAckSeen())
        {
            out.raw(hs.sackPermitted() ? SACK_PERMITTED_TRUE : SACK_PERMITTED_FALSE);
            out.raw(hs.timestamps() ? TIMESTAMPS_TRUE : TIMESTAMPS_FALSE);
        }
        out.ascii('}');
    }

    /** A value that is written only when it is known (not negative). */
    private static void optional(final JsonBuffer out, final byte[] key, final int value)
    {
        if (value >= 0)
        {
            out.raw(key).number(value);
        }
    }

    /** One direction's counts; for TCP with its sequence analysis. */
    private static void direction(final JsonBuffer out, final DirectionView d, final boolean tcp)
    {
        out.raw(PACKETS).number(d.packets());
        out.raw(BYTES).number(d.bytes());
        out.raw(PAYLOAD_BYTES).number(d.payloadBytes());
        if (tcp)
        {
            out.raw(RETRANSMISSIONS).number(d.retransmissions());
            out.raw(RETRANSMITTED_BYTES).number(d.retransmittedBytes());
            out.raw(FAST_RETRANSMISSIONS).number(d.fastRetransmissions());
            out.raw(SPURIOUS_RETRANSMISSIONS).number(d.spuriousRetransmissions());
            out.raw(OUT_OF_ORDER).number(d.outOfOrder());
            out.raw(LOST_SEGMENTS).number(d.lostSegments());
            out.raw(DUP_ACKS).number(d.dupAcks());
            out.raw(SACK_BLOCKS).number(d.sackBlocks());
            out.raw(ZERO_WINDOWS).number(d.zeroWindows());
            out.raw(WINDOW_FULL).number(d.windowFull());
            out.raw(KEEP_ALIVES).number(d.keepAlives());
            if (d.windowSeen())
            {
                out.raw(WINDOW_MIN).number(d.windowMin())
                    .raw(MAX).number(d.windowMax())
                    .raw(MEAN).number(Math.round(d.windowMean())).ascii('}');
            }
            out.raw(MAX_BYTES_IN_FLIGHT).number(d.maxBytesInFlight());
            final RttView rtt = d.rtt();
            if (rtt.count() > 0)
            {
                out.raw(RTT_SAMPLES).number(rtt.count())
                    .raw(MIN).number(rtt.minMicros())
                    .raw(MEAN).number(rtt.meanMicros())
                    .raw(P50).number(rtt.percentileMicros(0.50))
                    .raw(P99).number(rtt.percentileMicros(0.99))
                    .raw(MAX).number(rtt.maxMicros()).ascii('}');
            }
            out.raw(d.fin() ? FIN_1 : FIN_0);
            out.raw(d.rst() ? RST_1 : RST_0);
        }
        out.ascii('}');
    }

    /** Rounds to the nearest microsecond, as tshark prints its seconds with microsecond precision. */
    private static void micros(final JsonBuffer out, final byte[] key, final long nanos)
    {
        if (nanos != HandshakeView.UNSET)
        {
            out.raw(key).number(Math.floorDiv(nanos + 500, 1000));
        }
    }

    /** Protocol keyword of the IANA registry for the common ones, else {@code ip_proto}. */
    public static String transportName(final int protocol)
    {
        switch (protocol)
        {
            case IpProtocol.TCP: return "tcp";
            case IpProtocol.UDP: return "udp";
            case IpProtocol.ICMP:
            case IpProtocol.ICMPV6:
                return "icmp";
            case IpProtocol.SCTP: return "sctp";
            case IpProtocol.GRE: return "gre";
            case IpProtocol.ESP: return "esp";
            case IpProtocol.AUTHENTICATION: return "ah";
            case IpProtocol.IGMP: return "igmp";
            case IpProtocol.OSPF: return "ospf";
            case 112: return "vrrp";
            default: return OTHER_TRANSPORT;
        }
    }

    private static long mix(final long h, final long v)
    {
        long x = (h ^ v) * 0x100000001B3L;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 32);
    }
}
