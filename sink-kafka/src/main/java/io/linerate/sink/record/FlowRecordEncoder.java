package io.linerate.sink.record;

import io.linerate.aggregate.view.DirectionView;
import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.HandshakeView;
import io.linerate.aggregate.view.InetText;
import io.linerate.aggregate.view.RttView;
import io.linerate.aggregate.view.TlsNames;
import io.linerate.decode.http.HttpFirstLineFlyweight;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tunnel.TunnelStack;
import io.linerate.decode.tunnel.TunnelType;

/**
 * Writes a flow as one {@code linerate.flow/1} JSON object (no trailing newline). Absent facts are
 * absent keys: a UDP flow has no handshake object, a connection without an ICMP error no icmp object.
 *
 * <p>One instance per shard thread: it reuses its hash state and builder.
 */
public final class FlowRecordEncoder
{
    public static final String SCHEMA = "linerate.flow/1";

    private final String sensor;
    private final CommunityId communityId = new CommunityId(0);

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
        long h = 0xCBF29CE484222325L;
        h = mix(h, f.protocol());
        h = mix(h, f.clientHi());
        h = mix(h, f.clientLo());
        h = mix(h, f.serverHi());
        h = mix(h, f.serverLo());
        h = mix(h, ((long)f.clientPort() << 16) | f.serverPort());
        h = mix(h, f.firstNanos());
        h = mix(h, f.firstFrame());
        final String hex = Long.toHexString(h);
        return "0000000000000000".substring(hex.length()) + hex;
    }

    /** The record's id: the flow id and which record of the flow it is (unique, stable across re-runs). */
    public static String recordId(final FlowView f, final boolean isFinal)
    {
        return flowId(f) + (isFinal ? "-f" : "-i" + f.interimCount());
    }

    public String communityId(final FlowView f)
    {
        final int protocol = f.protocol();
        if (protocol == IpProtocol.ICMP || protocol == IpProtocol.ICMPV6)
        {
            final int type = Math.max(f.icmpType(), 0);
            final int code = Math.max(f.icmpCode(), 0);
            return communityId.of(f.ipVersion(), protocol, f.clientHi(), f.clientLo(), type,
                f.serverHi(), f.serverLo(), code);
        }
        return communityId.of(f.ipVersion(), protocol, f.clientHi(), f.clientLo(), f.clientPort(),
            f.serverHi(), f.serverLo(), f.serverPort());
    }

    /** Appends the record to {@code out}. */
    public StringBuilder encode(final StringBuilder out, final FlowView f, final boolean isFinal, final EndReason endReason)
    {
        final String flowId = flowId(f);
        final long startUs = Math.floorDiv(f.firstNanos(), 1000);
        final long endUs = Math.floorDiv(f.lastNanos(), 1000);
        out.append("{\"schema\":\"").append(SCHEMA).append('"');
        out.append(",\"record_id\":\"").append(flowId).append(isFinal ? "-f" : "-i" + f.interimCount()).append('"');
        out.append(",\"flow_id\":\"").append(flowId).append('"');
        out.append(",\"community_id\":\"").append(communityId(f)).append('"');
        out.append(",\"record_type\":\"").append(isFinal ? "final" : "interim").append('"');
        if (isFinal && endReason != null)
        {
            out.append(",\"end_reason\":\"").append(endReason.wireName()).append('"');
        }
        out.append(",\"sensor\":");
        string(out, sensor);
        out.append(",\"start_us\":").append(startUs);
        out.append(",\"end_us\":").append(endUs);
        out.append(",\"duration_us\":").append(endUs - startUs);
        out.append(",\"transport\":\"").append(transportName(f.protocol())).append('"');
        if (transportName(f.protocol()).startsWith("ip_proto"))
        {
            out.append(",\"ip_proto\":").append(f.protocol());
        }
        out.append(",\"ip_version\":").append(f.ipVersion());
        if (f.vlanCount() > 0)
        {
            out.append(",\"vlan\":[");
            for (int i = 0; i < f.vlanCount(); i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                out.append(f.vlan(i));
            }
            out.append(']');
        }
        final boolean hasPorts = f.hasPorts();
        out.append(",\"client\":{\"ip\":\"");
        InetText.append(out, f.ipVersion(), f.clientHi(), f.clientLo()).append('"');
        if (hasPorts)
        {
            out.append(",\"port\":").append(f.clientPort());
        }
        out.append("},\"server\":{\"ip\":\"");
        InetText.append(out, f.ipVersion(), f.serverHi(), f.serverLo()).append('"');
        if (hasPorts)
        {
            out.append(",\"port\":").append(f.serverPort());
        }
        out.append('}');
        out.append(",\"roles\":\"").append(f.rolesInferred() ? "inferred" : "handshake").append('"');
        out.append(",\"state\":\"").append(f.zeekState()).append('"');
        final int letters = f.historyLength();
        if (letters > 0)
        {
            out.append(",\"history\":\"");
            for (int i = 0; i < letters; i++)
            {
                out.append(f.historyLetter(i));
            }
            out.append('"');
        }
        out.append(",\"verdict\":\"").append(f.verdict().wireName()).append('"');
        if (f.verdictDetail() != null)
        {
            out.append(",\"verdict_detail\":");
            string(out, f.verdictDetail());
        }

        final boolean tcp = f.protocol() == IpProtocol.TCP;
        if (tcp && f.handshake().seen())
        {
            handshake(out, f.handshake());
        }
        out.append(",\"c2s\":");
        direction(out, f.c2s(), tcp ? f.c2s() : null);
        out.append(",\"s2c\":");
        direction(out, f.s2c(), tcp ? f.s2c() : null);
        final double retransmitRate = f.retransmitRate();
        if (!Double.isNaN(retransmitRate))
        {
            out.append(",\"retransmit_rate\":").append(Math.round(retransmitRate * 1e6) / 1e6);
        }

        if (f.tlsSeen())
        {
            tls(out, f);
        }
        if (f.httpMethod() != 0 || f.httpStatus() >= 0)
        {
            out.append(",\"http\":{");
            if (f.httpMethod() != 0)
            {
                out.append("\"method\":\"").append(f.httpMethodName()).append('"');
            }
            if (f.httpStatus() >= 0)
            {
                out.append(f.httpMethod() != 0 ? "," : "").append("\"status\":").append(f.httpStatus());
            }
            out.append('}');
        }
        if (f.icmpType() >= 0)
        {
            out.append(",\"icmp\":{\"type\":").append(f.icmpType()).append(",\"code\":").append(f.icmpCode());
            if (f.icmpReporterVersion() != 0)
            {
                out.append(",\"reporter\":\"");
                InetText.append(out, f.icmpReporterVersion(), f.icmpReporterHi(), f.icmpReporterLo()).append('"');
            }
            out.append('}');
        }
        final TunnelStack tunnels = f.tunnels();
        if (tunnels != null && tunnels.count() > 0)
        {
            tunnels(out, tunnels);
        }
        out.append('}');
        return out;
    }

    /**
     * The tunnels the connection came in, outermost first: {@code type}, the outer endpoints of
     * those inside IP, and the identifier under its name ({@code vni}, {@code key}, {@code teid},
     * {@code session_id}, MPLS {@code labels}).
     */
    private static void tunnels(final StringBuilder out, final TunnelStack tunnels)
    {
        out.append(",\"tunnel\":[");
        for (int i = 0; i < tunnels.count(); i++)
        {
            final int type = tunnels.type(i);
            out.append(i > 0 ? ",{" : "{").append("\"type\":\"").append(TunnelType.name(type)).append('"');
            final int ipVersion = tunnels.ipVersion(i);
            if (ipVersion != 0)
            {
                out.append(",\"outer_src\":\"");
                InetText.append(out, ipVersion, tunnels.srcHi(i), tunnels.srcLo(i)).append('"');
                out.append(",\"outer_dst\":\"");
                InetText.append(out, ipVersion, tunnels.dstHi(i), tunnels.dstLo(i)).append('"');
            }
            final long id = tunnels.id(i);
            final String idName = TunnelType.idName(type);
            if (id >= 0 && idName != null)
            {
                out.append(",\"").append(idName).append("\":");
                if (type == TunnelType.MPLS)
                {
                    out.append('[');
                    for (int l = 0; l < TunnelType.labelCount(id); l++)
                    {
                        out.append(l > 0 ? "," : "").append(TunnelType.label(id, l));
                    }
                    out.append(']');
                }
                else
                {
                    out.append(id);
                }
            }
            out.append('}');
        }
        out.append(']');
    }

    private static void tls(final StringBuilder out, final FlowView f)
    {
        out.append(",\"tls\":{");
        boolean comma = false;
        if (f.tlsClientVersion() != 0)
        {
            out.append("\"client_version\":\"").append(TlsNames.versionName(f.tlsClientVersion())).append('"');
            comma = true;
        }
        if (f.tlsServerVersion() != 0)
        {
            out.append(comma ? "," : "").append("\"version\":\"").append(TlsNames.versionName(f.tlsServerVersion())).append('"');
            comma = true;
        }
        if (f.tlsSni() != null)
        {
            out.append(comma ? "," : "").append("\"sni\":");
            string(out, f.tlsSni());
            comma = true;
        }
        if (f.tlsAlpn() != null)
        {
            out.append(comma ? "," : "").append("\"alpn\":");
            string(out, f.tlsAlpn());
            comma = true;
        }
        if (f.tlsAlertLevel() >= 0)
        {
            out.append(comma ? "," : "").append("\"alert\":{\"level\":\"")
                .append(f.tlsAlertLevel() == 2 ? "fatal" : f.tlsAlertLevel() == 1 ? "warning" : "level_" + f.tlsAlertLevel())
                .append("\",\"description\":\"").append(TlsNames.alertName(f.tlsAlertDescription()))
                .append("\",\"from\":\"").append(f.tlsAlertFromServer() ? "server" : "client").append("\"}");
        }
        out.append('}');
    }

    private static void handshake(final StringBuilder out, final HandshakeView hs)
    {
        out.append(",\"handshake\":{\"status\":\"").append(hs.statusName()).append('"');
        out.append(",\"syn_count\":").append(hs.synCount());
        out.append(",\"synack_count\":").append(hs.synAckCount());
        micros(out, "rtt_us", hs.rttNanos());
        micros(out, "syn_to_synack_us", hs.synToSynAckNanos());
        micros(out, "synack_to_ack_us", hs.synAckToAckNanos());
        if (hs.clientMss() >= 0)
        {
            out.append(",\"client_mss\":").append(hs.clientMss());
        }
        if (hs.serverMss() >= 0)
        {
            out.append(",\"server_mss\":").append(hs.serverMss());
        }
        if (hs.clientWindowScale() >= 0)
        {
            out.append(",\"client_wscale\":").append(hs.clientWindowScale());
        }
        if (hs.serverWindowScale() >= 0)
        {
            out.append(",\"server_wscale\":").append(hs.serverWindowScale());
        }
        if (hs.synSeen() && hs.synAckSeen())
        {
            out.append(",\"sack_permitted\":").append(hs.sackPermitted());
            out.append(",\"timestamps\":").append(hs.timestamps());
        }
        out.append('}');
    }

    /** One direction's counts; for TCP ({@code seq} not null) with its sequence analysis. */
    private static void direction(final StringBuilder out, final DirectionView d, final DirectionView seq)
    {
        out.append("{\"packets\":").append(d.packets());
        out.append(",\"bytes\":").append(d.bytes());
        out.append(",\"payload_bytes\":").append(d.payloadBytes());
        if (seq != null)
        {
            out.append(",\"retransmissions\":").append(seq.retransmissions());
            out.append(",\"retransmitted_bytes\":").append(seq.retransmittedBytes());
            out.append(",\"fast_retransmissions\":").append(seq.fastRetransmissions());
            out.append(",\"spurious_retransmissions\":").append(seq.spuriousRetransmissions());
            out.append(",\"out_of_order\":").append(seq.outOfOrder());
            out.append(",\"lost_segments\":").append(seq.lostSegments());
            out.append(",\"dup_acks\":").append(seq.dupAcks());
            out.append(",\"sack_blocks\":").append(seq.sackBlocks());
            out.append(",\"zero_windows\":").append(seq.zeroWindows());
            out.append(",\"window_full\":").append(seq.windowFull());
            out.append(",\"keep_alives\":").append(seq.keepAlives());
            if (seq.windowSeen())
            {
                out.append(",\"window\":{\"min\":").append(seq.windowMin())
                    .append(",\"max\":").append(seq.windowMax())
                    .append(",\"mean\":").append(Math.round(seq.windowMean())).append('}');
            }
            out.append(",\"max_bytes_in_flight\":").append(seq.maxBytesInFlight());
            final RttView rtt = seq.rtt();
            if (rtt.count() > 0)
            {
                out.append(",\"rtt_us\":{\"samples\":").append(rtt.count())
                    .append(",\"min\":").append(rtt.minMicros())
                    .append(",\"mean\":").append(rtt.meanMicros())
                    .append(",\"p50\":").append(rtt.percentileMicros(0.50))
                    .append(",\"p99\":").append(rtt.percentileMicros(0.99))
                    .append(",\"max\":").append(rtt.maxMicros()).append('}');
            }
            out.append(",\"fin\":").append(d.fin() ? 1 : 0);
            out.append(",\"rst\":").append(d.rst() ? 1 : 0);
        }
        out.append('}');
    }

    /** Rounds to the nearest microsecond, as tshark prints its seconds with microsecond precision. */
    private static void micros(final StringBuilder out, final String key, final long nanos)
    {
        if (nanos != HandshakeView.UNSET)
        {
            out.append(",\"").append(key).append("\":").append(Math.floorDiv(nanos + 500, 1000));
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
            default: return "ip_proto";
        }
    }

    /** Appends a JSON string with the escapes RFC 8259 section 7 requires. */
    public static void string(final StringBuilder out, final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static long mix(final long h, final long v)
    {
        long x = (h ^ v) * 0x100000001B3L;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 32);
    }
}
