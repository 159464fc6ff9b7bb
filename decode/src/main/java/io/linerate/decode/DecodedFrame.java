package io.linerate.decode;

import io.linerate.decode.tls.TlsHelloFlyweight;
import io.linerate.ingest.ring.FrameSlot;

/**
 * A ring slot with what the decoder finds in its frame: the header fields the flow shards analyse
 * (link, IP, transport, the start of HTTP and TLS, ICMP and its quote, the tunnels the packet came
 * in) and the flow hash that places it on a shard.
 *
 * <p>The reader writes the capture fields ({@link FrameSlot}); {@link PacketDecoder} writes the
 * decoded ones, starting with {@link #clearDecoded()}, so nothing leaks from the frame that used
 * the slot before; a shard reads both.
 *
 * <p>Addresses are held as two longs per endpoint (128 bits). An IPv4 address sits in the low 32
 * bits of {@code lo} with {@code hi == 0}, so a v4 and a v6 address never compare equal unless the v6
 * one is the (unused on the wire) {@code ::a.b.c.d} form; {@link #ipVersion} tells them apart.
 */
public final class DecodedFrame extends FrameSlot
{
    /** Most SACK blocks a TCP header can carry (40 bytes of options, 8 bytes a block, plus kind/len). */
    public static final int MAX_SACK_BLOCKS = 4;
    /** Most VLAN tags kept (802.1Q, QinQ); deeper stacks are decoded but not recorded. */
    public static final int MAX_VLANS = 2;
    /** Most tunnels kept per frame (outermost first); a deeper stack is an anomaly of the decoder. */
    public static final int MAX_TUNNELS = 8;

    /** 0 when the frame decoded cleanly, else the decoder's anomaly code (a counter name). */
    public int anomaly;
    /** Number of VLAN tags seen; the first {@link #MAX_VLANS} are in {@link #vlans}. */
    public int vlanCount;
    public final int[] vlans = new int[MAX_VLANS];

    /** 0 (not IP), 4 or 6. */
    public int ipVersion;
    /** IP protocol number of the transport header (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6), -1 none. */
    public int ipProtocol;
    /** True when this is a fragment of an IP datagram (offset > 0 or more-fragments set). */
    public boolean fragment;
    /**
     * Identification of the datagram (RFC 791 §3.1: 16 bits, from every IPv4 header; RFC 8200 §4.5:
     * 32 bits, from an IPv6 Fragment header), unsigned; -1 when the frame has neither.
     */
    public long ipId;
    /**
     * Where this fragment's data goes in the original datagram's payload, in bytes (the header
     * counts 8-octet units); 0 for an unfragmented datagram.
     */
    public int fragmentOffset;
    /** The More Fragments flag: another fragment follows this one in the datagram. */
    public boolean moreFragments;
    /**
     * Offset in {@link #data} of the first byte this fragment carries of the original datagram's
     * payload: after the IPv4 header (RFC 791 §3.2), or after the IPv6 Fragment header, where the
     * Fragmentable Part starts (RFC 8200 §4.5); -1 when not a fragment.
     */
    public int fragmentPayloadOffset;
    /**
     * Bytes of the original datagram's payload this fragment carries, by the IP length fields (not
     * limited by the snap length); 0 when not a fragment.
     */
    public int fragmentPayloadLength;
    /** True when the transport header is present (not a non-first fragment, not truncated). */
    public boolean transportPresent;
    /**
     * The TCP header is cut after its window field (16 to 19 bytes there): ports, numbers, flags and
     * window are known, the options and the payload are not. Such a segment counts on its connection
     * but takes no part in sequence analysis (Wireshark's dissection stops there too).
     */
    public boolean tcpHeaderCut;
    /**
     * The frame is a datagram the shard reassembled from IP fragments: it holds the head of the
     * payload only, though every byte of it was captured.
     */
    public boolean reassembled;
    public int networkOffset;
    public int transportOffset;
    public int payloadOffset;
    /** Transport payload length from the IP/TCP/UDP lengths (not limited by the snap length). */
    public int payloadLength;
    public int ttl;

    public long srcHi, srcLo, dstHi, dstLo;
    public int srcPort, dstPort;

    // TCP
    public int tcpFlags;
    /** Sequence and acknowledgement numbers, unsigned 32-bit in a long. */
    public long seq, ack;
    /** Raw (unscaled) window field. */
    public int window;
    /** MSS option value, -1 when absent. */
    public int mss;
    /** Window scale shift count, -1 when absent. */
    public int windowScale;
    public boolean sackPermitted;
    public boolean timestampsPresent;
    public long tsVal, tsEcr;
    public int sackBlockCount;
    public final long[] sackLeft = new long[MAX_SACK_BLOCKS];
    public final long[] sackRight = new long[MAX_SACK_BLOCKS];

    /** HTTP/1.x method code of a TCP segment starting with a request line, 0 when none. */
    public int httpMethod;
    /** HTTP/1.x status code of a TCP segment starting with a status line, -1 when none. */
    public int httpStatus = -1;

    /** TLS handshake message a TCP segment starts with: 1 ClientHello, 2 ServerHello, 0 none. */
    public int tlsHandshakeType;
    /** Highest TLS version the ClientHello offers (supported_versions included), 0 when none. */
    public int tlsClientVersion;
    /** TLS version the ServerHello chose (supported_versions included), 0 when none. */
    public int tlsServerVersion;
    /** Server name of the ClientHello's SNI extension, as an offset and length into {@link #data}. */
    public int tlsSniOffset, tlsSniLength;
    /** First ALPN protocol (the client's first offer, the server's choice), offset and length into data. */
    public int tlsAlpnOffset, tlsAlpnLength;
    /** Level and description of a plaintext TLS alert the segment starts with, -1 when none. */
    public int tlsAlertLevel = -1, tlsAlertDescription = -1;

    // ICMP / ICMPv6
    public int icmpType = -1, icmpCode = -1;
    /** True when an ICMP error carries the original datagram's IP header and first 8 transport bytes. */
    public boolean quotedPresent;
    public int quotedProtocol;
    public long quotedSrcHi, quotedSrcLo, quotedDstHi, quotedDstLo;
    public int quotedSrcPort, quotedDstPort;
    /** Sequence number of the quoted TCP header (unsigned 32-bit). */
    public long quotedSeq;
    /** Bytes of the quoted transport header present in the error (8 by RFC 792, more from many stacks). */
    public int quotedTransportLength;
    /** Flags of the quoted TCP header when at least 14 of its bytes are quoted, else 0. */
    public int quotedTcpFlags;

    // Tunnels: the encapsulations the innermost IP packet was found in, outermost first.
    /** Number of tunnels the decoder opened; the first {@link #MAX_TUNNELS} are in the arrays below. */
    public int tunnelCount;
    /** The decoder's tunnel type code of each tunnel. */
    public final int[] tunnelType = new int[MAX_TUNNELS];
    /** Each tunnel's identifier (GRE key, VNI, TEID, session id, packed MPLS labels), -1 when it has none. */
    public final long[] tunnelId = new long[MAX_TUNNELS];
    /** IP version of each tunnel's outer endpoints, 0 when it has none (MPLS, PPPoE). */
    public final int[] tunnelIpVersion = new int[MAX_TUNNELS];
    public final long[] tunnelSrcHi = new long[MAX_TUNNELS];
    public final long[] tunnelSrcLo = new long[MAX_TUNNELS];
    public final long[] tunnelDstHi = new long[MAX_TUNNELS];
    public final long[] tunnelDstLo = new long[MAX_TUNNELS];
    /** Each tunnel's outer UDP ports (VXLAN, Geneve, GTP-U, Teredo, AYIYA), 0 for a tunnel not in UDP. */
    public final int[] tunnelSrcPort = new int[MAX_TUNNELS];
    public final int[] tunnelDstPort = new int[MAX_TUNNELS];
    /**
     * The part of the flow key the tunnels give: 0 when untunnelled, else a mix of the identifiers
     * that are the same in both directions (VNI, GRE key, ...), so equal inner 5-tuples of two
     * tenants are two flows.
     */
    public long tunnelKey;

    /** Symmetric hash of the 5-tuple (same for both directions); shards take {@code hash % M}. */
    public int flowHash;

    /**
     * Copies what a TLS reading of this frame's payload found: the hello's type, versions, server
     * name and ALPN protocol (as offsets into {@link #data}) and the first plaintext alert.
     */
    public void copyTls(final TlsHelloFlyweight hello)
    {
        tlsHandshakeType = hello.handshakeType();
        tlsClientVersion = hello.clientVersion();
        tlsServerVersion = hello.serverVersion();
        tlsSniOffset = hello.sniOffset();
        tlsSniLength = hello.sniLength();
        tlsAlpnOffset = hello.alpnOffset();
        tlsAlpnLength = hello.alpnLength();
        tlsAlertLevel = hello.alertLevel();
        tlsAlertDescription = hello.alertDescription();
    }

    /** Resets every decoded field before a decoder writes the ones it finds. */
    public void clearDecoded()
    {
        anomaly = 0;
        vlanCount = 0;
        ipVersion = 0;
        ipProtocol = -1;
        fragment = false;
        ipId = -1;
        fragmentOffset = 0;
        moreFragments = false;
        fragmentPayloadOffset = -1;
        fragmentPayloadLength = 0;
        transportPresent = false;
        tcpHeaderCut = false;
        reassembled = false;
        networkOffset = -1;
        transportOffset = -1;
        payloadOffset = -1;
        payloadLength = 0;
        ttl = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        srcPort = dstPort = 0;
        tcpFlags = 0;
        seq = ack = 0;
        window = 0;
        mss = -1;
        windowScale = -1;
        httpMethod = 0;
        httpStatus = -1;
        tlsHandshakeType = 0;
        tlsClientVersion = tlsServerVersion = 0;
        tlsSniOffset = tlsSniLength = 0;
        tlsAlpnOffset = tlsAlpnLength = 0;
        tlsAlertLevel = tlsAlertDescription = -1;
        sackPermitted = false;
        timestampsPresent = false;
        tsVal = tsEcr = 0;
        sackBlockCount = 0;
        icmpType = icmpCode = -1;
        quotedPresent = false;
        quotedProtocol = -1;
        quotedSrcHi = quotedSrcLo = quotedDstHi = quotedDstLo = 0;
        quotedSrcPort = quotedDstPort = 0;
        quotedSeq = 0;
        quotedTransportLength = 0;
        quotedTcpFlags = 0;
        tunnelCount = 0;
        tunnelKey = 0;
        flowHash = 0;
    }
}
