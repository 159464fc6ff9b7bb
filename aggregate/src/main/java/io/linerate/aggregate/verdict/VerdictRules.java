package io.linerate.aggregate.verdict;

import io.linerate.aggregate.view.DirectionView;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.HandshakeView;
import io.linerate.aggregate.view.InetText;
import io.linerate.aggregate.view.TlsNames;
import io.linerate.aggregate.view.Verdict;
import io.linerate.decode.ip.IpProtocol;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The evidence behind each {@link Verdict}, checked in the table's order, and the sentence that
 * says it with the connection's own numbers. Called once per record, never per packet.
 */
public final class VerdictRules
{
    private static final int TLS_FATAL = 2;

    private VerdictRules()
    {
    }

    /** Judges the connection: returns its verdict and appends the sentence that says why to {@code detail}. */
    public static Verdict judge(final FlowView f, final double lossyThreshold, final StringBuilder detail)
    {
        return f.protocol() == IpProtocol.TCP ? judgeTcp(f, lossyThreshold, detail) : judgeDatagram(f, detail);
    }

    private static Verdict judgeTcp(final FlowView f, final double lossyThreshold, final StringBuilder out)
    {
        final HandshakeView hs = f.handshake();
        final int status = hs.status();
        final boolean icmpError = icmpError(f);
        final boolean serverRst = f.s2c().rst();
        final boolean anyRst = f.c2s().rst() || serverRst;

        if (status == HandshakeView.SYN_SENT && !serverRst && !icmpError)
        {
            out.append(hs.synCount()).append(hs.synCount() == 1 ? " SYN" : " SYNs");
            if (hs.synCount() > 1)
            {
                seconds(out.append(" over "), f.lastNanos() - f.firstNanos());
            }
            out.append(" to port ").append(f.serverPort())
                .append(" and no SYN-ACK, RST or ICMP error: the server is down or a firewall drops the SYN silently");
            return Verdict.SYN_UNANSWERED;
        }
        if (status == HandshakeView.REFUSED)
        {
            out.append("SYN answered by RST from ");
            InetText.append(out, f.ipVersion(), f.serverHi(), f.serverLo());
            if (hs.rttNanos() != HandshakeView.UNSET)
            {
                millis(out.append(" after "), hs.rttNanos());
            }
            out.append(": nothing listens on port ").append(f.serverPort());
            return Verdict.REFUSED;
        }
        if (icmpError)
        {
            icmpSentence(f, out);
            return Verdict.ICMP_UNREACHABLE;
        }
        if (status == HandshakeView.SYN_ACK_SEEN)
        {
            out.append("SYN-ACK sent ").append(times(hs.synAckCount()))
                .append(" and the client never completed the handshake: the client side drops the SYN-ACK");
            return Verdict.HANDSHAKE_INCOMPLETE;
        }
        // from here on the connection was established (handshake complete, or seen midstream)
        if (f.tlsAlertLevel() == TLS_FATAL)
        {
            out.append("TCP established, then a fatal TLS alert ").append(TlsNames.alertName(f.tlsAlertDescription()))
                .append(" from the ").append(f.tlsAlertFromServer() ? "server" : "client");
            if (f.tlsClientVersion() != 0)
            {
                out.append(" (client offered ").append(TlsNames.versionName(f.tlsClientVersion())).append(')');
            }
            out.append(": ").append(alertMeaning(f.tlsAlertDescription()));
            return Verdict.TLS_ALERT;
        }
        if (anyRst)
        {
            out.append("reset by the ").append(serverRst && f.c2s().rst() ? "client and the server" :
                serverRst ? "server" : "client");
            seconds(out.append(" after "), f.lastNanos() - f.firstNanos())
                .append(" (").append(f.c2s().payloadBytes()).append(" bytes from the client, ")
                .append(f.s2c().payloadBytes()).append(" from the server)");
            return Verdict.RESET;
        }
        final long clientStall = f.c2s().zeroWindowStallNanos(f.lastNanos());
        final long serverStall = f.s2c().zeroWindowStallNanos(f.lastNanos());
        if (clientStall > 0 || serverStall > 0)
        {
            final boolean client = clientStall >= serverStall;
            final DirectionView closer = client ? f.c2s() : f.s2c();
            out.append("the ").append(client ? "client" : "server").append(" advertised a zero window ")
                .append(times(closer.zeroWindows())).append("; the ").append(client ? "server" : "client")
                .append(" waited ");
            seconds(out, client ? clientStall : serverStall)
                .append(" to send: the receiving application does not read fast enough");
            return Verdict.ZERO_WINDOW_STALL;
        }
        final double rate = f.retransmitRate();
        if (rate > lossyThreshold)
        {
            final DirectionView c = f.c2s();
            final DirectionView s = f.s2c();
            decimals(out, rate * 100, 1).append("% of data segments retransmitted (")
                .append(c.retransmittedDataSegments() + s.retransmittedDataSegments()).append(" of ")
                .append(c.dataSegments() + s.dataSegments()).append(": client ").append(c.retransmittedDataSegments())
                .append(", server ").append(s.retransmittedDataSegments()).append(')');
            out.append(", above the ").append(percent(lossyThreshold)).append("% threshold: packets are lost on the path");
            return Verdict.LOSSY;
        }
        if (status == HandshakeView.NOT_SEEN)
        {
            out.append("no handshake seen: the capture started after the connection opened");
            return Verdict.MIDSTREAM;
        }
        out.append("handshake complete");
        if (hs.rttNanos() != HandshakeView.UNSET)
        {
            millis(out.append(" in "), hs.rttNanos());
        }
        if (f.c2s().fin() && f.s2c().fin())
        {
            out.append(", closed by FIN from both sides");
        }
        else if (f.c2s().fin() || f.s2c().fin())
        {
            out.append(", half-closed by the ").append(f.c2s().fin() ? "client" : "server");
        }
        else
        {
            out.append(", still open");
        }
        if (!Double.isNaN(rate) && rate > 0)
        {
            decimals(out.append(", "), rate * 100, 1).append("% retransmitted");
        }
        return Verdict.OK;
    }

    private static Verdict judgeDatagram(final FlowView f, final StringBuilder out)
    {
        if (f.protocol() != IpProtocol.ICMP && f.protocol() != IpProtocol.ICMPV6 && icmpError(f))
        {
            icmpSentence(f, out);
            return Verdict.ICMP_UNREACHABLE;
        }
        out.append(f.c2s().packets()).append(" packets from the client, ").append(f.s2c().packets())
            .append(" from the server");
        if (f.s2c().packets() == 0 && f.protocol() != IpProtocol.ICMP && f.protocol() != IpProtocol.ICMPV6)
        {
            out.append(": no answer seen");
        }
        return Verdict.OK;
    }

    /** True when an ICMP destination unreachable or time exceeded quoted this (non-ICMP) flow. */
    public static boolean icmpError(final FlowView f)
    {
        if (f.protocol() == IpProtocol.ICMP || f.protocol() == IpProtocol.ICMPV6 || f.icmpType() < 0)
        {
            return false;
        }
        return f.icmpReporterVersion() == 6 ? f.icmpType() == 1 || f.icmpType() == 3 :
            f.icmpType() == 3 || f.icmpType() == 11;
    }

    private static void icmpSentence(final FlowView f, final StringBuilder out)
    {
        final boolean v6 = f.icmpReporterVersion() == 6;
        final int type = f.icmpType();
        final int code = f.icmpCode();
        out.append(v6 ? "ICMPv6 " : "ICMP ").append(icmpName(v6, type, code))
            .append(" (type ").append(type).append(", code ").append(code).append(") from ");
        InetText.append(out, f.icmpReporterVersion(), f.icmpReporterHi(), f.icmpReporterLo());
        out.append(": ").append(icmpMeaning(v6, type, code));
    }

    static String icmpName(final boolean v6, final int type, final int code)
    {
        if (v6 ? type == 3 : type == 11)
        {
            return code == 0 ? "time exceeded in transit" : "fragment reassembly time exceeded";
        }
        if (v6)
        {
            switch (code)
            {
                case 0: return "no route to destination";
                case 1: return "communication administratively prohibited";
                case 2: return "beyond scope of source address";
                case 3: return "address unreachable";
                case 4: return "port unreachable";
                case 5: return "source address failed ingress/egress policy";
                case 6: return "reject route to destination";
                default: return "destination unreachable";
            }
        }
        switch (code)
        {
            case 0: return "net unreachable";
            case 1: return "host unreachable";
            case 2: return "protocol unreachable";
            case 3: return "port unreachable";
            case 4: return "fragmentation needed";
            case 9: return "network administratively prohibited";
            case 10: return "host administratively prohibited";
            case 13: return "communication administratively prohibited";
            default: return "destination unreachable";
        }
    }

    private static String icmpMeaning(final boolean v6, final int type, final int code)
    {
        if (v6 ? type == 3 : type == 11)
        {
            return "the packets loop or the path is longer than their hop limit";
        }
        final boolean prohibited = v6 ? code == 1 || code == 5 || code == 6 : code == 9 || code == 10 || code == 13;
        if (prohibited)
        {
            return "a firewall rejects the connection";
        }
        final boolean port = v6 ? code == 4 : code == 3;
        if (port)
        {
            return "the host rejects it (nothing listens on the port, or a firewall REJECT)";
        }
        if (!v6 && code == 4)
        {
            return "a router cannot forward the packets without fragmenting them (path MTU)";
        }
        return "a router or the host cannot deliver the packets";
    }

    private static String alertMeaning(final int description)
    {
        switch (description)
        {
            case 70: return "version mismatch (the peers share no TLS version), not a firewall";
            case 40: return "handshake failure (no cipher suite or parameters in common), not a firewall";
            case 71: return "insufficient security (the offered ciphers are too weak for the peer), not a firewall";
            case 42: case 43: case 44: case 45: case 46: case 48:
                return "the certificate was refused by the peer, not a firewall";
            case 112: return "the server does not know the requested server name (SNI)";
            case 120: return "no application protocol in common (ALPN)";
            default: return "the TLS handshake failed at the application layer, not a firewall";
        }
    }

    private static String times(final long n)
    {
        return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }

    private static StringBuilder seconds(final StringBuilder out, final long nanos)
    {
        return thousandths(out, Math.round(nanos / 1e6)).append(" s");
    }

    private static StringBuilder millis(final StringBuilder out, final long nanos)
    {
        return thousandths(out, Math.round(nanos / 1e3)).append(" ms");
    }

    /** Appends {@code n / 1000} with three decimals (as %.3f writes it, without a Formatter per record). */
    static StringBuilder thousandths(final StringBuilder out, final long n)
    {
        final long abs = Math.abs(n);
        final long frac = abs % 1000;
        if (n < 0)
        {
            out.append('-');
        }
        return out.append(abs / 1000).append(frac < 10 ? ".00" : frac < 100 ? ".0" : ".").append(frac);
    }

    /** A fraction as a percentage with at most two decimals and no trailing zeros ({@code 2}, {@code 2.5}). */
    private static String percent(final double fraction)
    {
        return rounded(fraction * 100, 2).stripTrailingZeros().toPlainString();
    }

    /**
     * Appends {@code value} with {@code places} decimals, as {@code %.Nf} writes it (the digits Java
     * prints for the double, rounded half up) without a {@link java.util.Formatter} per record.
     */
    static StringBuilder decimals(final StringBuilder out, final double value, final int places)
    {
        return out.append(rounded(value, places).toPlainString());
    }

    private static BigDecimal rounded(final double value, final int places)
    {
        return new BigDecimal(Double.toString(value)).setScale(places, RoundingMode.HALF_UP);
    }
}
