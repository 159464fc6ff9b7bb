package io.linerate.ops.report;

import io.linerate.decode.DecodeSettings;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.FrameBuilder;
import io.linerate.decode.LinkType;
import io.linerate.decode.PacketDecoder;
import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import io.linerate.ingest.file.RotatingPcapWriter;
import io.linerate.ingest.merge.CaptureInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The second pass finds a connection's packets where the first pass found them, which depends on the
 * run's decode settings: inside VXLAN on a configured port, or, with decapsulation off, only outside
 * any tunnel. Captures of exact bytes, written to a file and read back.
 */
class SecondPassTest
{
    private static final String CLIENT = "192.0.2.1";
    private static final String SERVER = "198.51.100.2";
    private static final String VTEP_A = "10.0.0.1";
    private static final String VTEP_B = "10.0.0.2";
    private static final int CLIENT_PORT = 40000;
    private static final int SERVER_PORT = 443;
    /** A VXLAN port other than IANA's 4789 (Linux's old default). */
    private static final int OTHER_VXLAN_PORT = 8472;
    private static final int ETHERNET = 14;
    /** Bytes of the handshake segments: an IPv4 header and a TCP header without options. */
    private static final int SEGMENT = 20 + 20;
    private static final long SECOND = 1_000_000_000L;
    private static final long START = 1_700_000_000L * SECOND;

    @TempDir
    Path tmp;

    @Test
    void aConnectionInVxlanOnTheConfiguredPortIsFound() throws IOException
    {
        final Path capture = tmp.resolve("vxlan-8472.pcap");
        try (RotatingPcapWriter out = new RotatingPcapWriter(capture, 0, 0, 262_144, LinkType.ETHERNET))
        {
            write(out, START, vxlan(OTHER_VXLAN_PORT, 7, false, TcpFlags.SYN));
            write(out, START + 1_000, vxlan(OTHER_VXLAN_PORT, 7, true, TcpFlags.SYN | TcpFlags.ACK));
            write(out, START + 2_000, vxlan(OTHER_VXLAN_PORT, 7, false, TcpFlags.ACK));
        }
        final DecodeSettings settings = new DecodeSettings(DecodeSettings.DEFAULT.tunnelDepth(), OTHER_VXLAN_PORT, true);
        final ConnectionRow handshake = row(3, START, START + 2_000,
            tunnelKey(vxlan(OTHER_VXLAN_PORT, 7, false, TcpFlags.SYN), settings));

        final PacketTrace found = collect(capture, handshake, settings);
        assertEquals(3, found.seen());
        assertEquals(List.of(TcpFlags.SYN, TcpFlags.SYN | TcpFlags.ACK, TcpFlags.ACK),
            found.packets().stream().map(PacketTrace.Packet::flags).toList());
        assertEquals(List.of(true, false, true), found.packets().stream().map(PacketTrace.Packet::fromClient).toList());

        // With the default settings the port is plain UDP: nothing of the connection is there.
        assertEquals(0, collect(capture, handshake, DecodeSettings.DEFAULT).seen());
    }

    @Test
    void withDecapsulationOffPacketsInsideATunnelAreNotTheConnections() throws IOException
    {
        // The same 5-tuple in VXLAN first, then outside any tunnel: with decapsulation off the first
        // pass counted only the 3 outside (the VXLAN ones were a UDP flow between the VTEPs).
        final Path capture = tmp.resolve("vxlan-then-plain.pcap");
        try (RotatingPcapWriter out = new RotatingPcapWriter(capture, 0, 0, 262_144, LinkType.ETHERNET))
        {
            write(out, START, vxlan(4789, 7, false, TcpFlags.SYN));
            write(out, START + 1_000, vxlan(4789, 7, true, TcpFlags.SYN | TcpFlags.ACK));
            write(out, START + 2_000, plain(false, TcpFlags.SYN));
            write(out, START + 3_000, plain(true, TcpFlags.SYN | TcpFlags.ACK));
            write(out, START + 4_000, plain(false, TcpFlags.ACK));
        }
        final ConnectionRow outside = row(3, START, START + 4_000, 0);

        final PacketTrace found = collect(capture, outside, new DecodeSettings(0, 0, true));
        assertEquals(List.of(START + 2_000, START + 3_000, START + 4_000),
            found.packets().stream().map(PacketTrace.Packet::timeNanos).toList());

        // Decoded with every tunnel opened and no tunnel key (--tunnel-key no), the VXLAN packets would
        // be taken for the connection's.
        assertEquals(List.of(START, START + 1_000, START + 2_000),
            collect(capture, outside, new DecodeSettings(DecodeSettings.DEFAULT.tunnelDepth(), 0, false))
                .packets().stream().map(PacketTrace.Packet::timeNanos).toList());
    }

    @Test
    void twoTenantsConnectionsWithTheSameInnerAddressesAreToldApartByTheirTunnelKey() throws IOException
    {
        // The same inner handshake in VNI 7 and in VNI 8, interleaved: two connections to the first
        // pass (the tunnel key is part of the flow key), so each row finds its own tenant's packets.
        final Path capture = tmp.resolve("two-vnis.pcap");
        try (RotatingPcapWriter out = new RotatingPcapWriter(capture, 0, 0, 262_144, LinkType.ETHERNET))
        {
            write(out, START, vxlan(4789, 7, false, TcpFlags.SYN));
            write(out, START + 1_000, vxlan(4789, 8, false, TcpFlags.SYN));
            write(out, START + 2_000, vxlan(4789, 7, true, TcpFlags.SYN | TcpFlags.ACK));
            write(out, START + 3_000, vxlan(4789, 8, true, TcpFlags.SYN | TcpFlags.ACK));
            write(out, START + 4_000, vxlan(4789, 8, false, TcpFlags.ACK));
        }
        final long vni7 = tunnelKey(vxlan(4789, 7, false, TcpFlags.SYN), DecodeSettings.DEFAULT);
        final long vni8 = tunnelKey(vxlan(4789, 8, false, TcpFlags.SYN), DecodeSettings.DEFAULT);
        assertNotEquals(vni7, vni8);

        assertEquals(List.of(START, START + 2_000), collect(capture, row(2, START, START + 4_000, vni7),
            DecodeSettings.DEFAULT).packets().stream().map(PacketTrace.Packet::timeNanos).toList());
        assertEquals(List.of(START + 1_000, START + 3_000, START + 4_000), collect(capture,
            row(3, START, START + 4_000, vni8), DecodeSettings.DEFAULT).packets().stream()
            .map(PacketTrace.Packet::timeNanos).toList());
    }

    @Test
    void aFragmentedSegmentIsOnePacketWithItsWholePayload() throws IOException
    {
        // The client's 1000-byte segment in two IPv4 fragments: the first pass counts 4 packets (the
        // datagram once, where it completes), and so must this one, or the pass would read on for a
        // fifth packet that never comes.
        final Path capture = tmp.resolve("fragmented.pcap");
        final int data = 1000;
        final byte[] segment = new FrameBuilder().tcp(CLIENT_PORT, SERVER_PORT, 1001, 9001, 5,
            TcpFlags.PSH | TcpFlags.ACK, 65535).zeros(data).toBytes();
        final int firstPart = 512;
        try (RotatingPcapWriter out = new RotatingPcapWriter(capture, 0, 0, 262_144, LinkType.ETHERNET))
        {
            write(out, START, plain(false, TcpFlags.SYN));
            write(out, START + 1_000, plain(true, TcpFlags.SYN | TcpFlags.ACK));
            write(out, START + 2_000, plain(false, TcpFlags.ACK));
            write(out, START + 3_000, new FrameBuilder().ethernet(EtherType.IPV4)
                .ipv4(20 + firstPart, 5, 0x2000, 64, IpProtocol.TCP, CLIENT, SERVER).bytes(segment, 0, firstPart));
            write(out, START + 4_000, new FrameBuilder().ethernet(EtherType.IPV4)
                .ipv4(20 + segment.length - firstPart, 5, firstPart >>> 3, 64, IpProtocol.TCP, CLIENT, SERVER)
                .bytes(segment, firstPart, segment.length - firstPart));
        }

        final PacketTrace found = collect(capture, row(4, START, START + 4_000, 0), DecodeSettings.DEFAULT);
        assertEquals(4, found.seen());
        assertEquals(List.of(0, 0, 0, data), found.packets().stream().map(PacketTrace.Packet::payload).toList());
        assertEquals(START + 4_000, found.packets().get(3).timeNanos(), "the datagram is seen where it completes");
    }

    /** The flow key's tunnel part of a frame, as the decoder with {@code settings} gives it. */
    private static long tunnelKey(final FrameBuilder frame, final DecodeSettings settings)
    {
        final DecodedFrame slot = frame.slot(LinkType.ETHERNET);
        new PacketDecoder(settings).decode(slot);
        return slot.tunnelKey;
    }

    private static PacketTrace collect(final Path capture, final ConnectionRow row, final DecodeSettings decode)
    {
        final List<PacketTrace> traces = SecondPass.collect(List.of(CaptureInput.file(capture)), List.of(row), 1_000, decode);
        assertEquals(1, traces.size());
        return traces.get(0);
    }

    /**
     * The report's row of the connection CLIENT:40000 to SERVER:443 in the tunnels {@code tunnelKey}
     * names (the fields the second pass reads).
     */
    private static ConnectionRow row(final long packets, final long startNanos, final long endNanos,
        final long tunnelKey)
    {
        return new ConnectionRow("C1", 1, startNanos, endNanos, IpProtocol.TCP, 4, CLIENT, CLIENT_PORT, SERVER,
            SERVER_PORT, "ok", "", packets, 0, 0, 0, -1, -1, -1, "", 0, FrameBuilder.ipv4(CLIENT), 0,
            FrameBuilder.ipv4(SERVER), tunnelKey);
    }

    /** An Ethernet frame of a handshake segment of the connection, from the server when {@code fromServer}. */
    private static FrameBuilder plain(final boolean fromServer, final int flags)
    {
        return segment(new FrameBuilder().ethernet(EtherType.IPV4), fromServer, flags);
    }

    /** The same segment in VXLAN from VTEP A to B on {@code port}, VNI {@code vni}. */
    private static FrameBuilder vxlan(final int port, final long vni, final boolean fromServer, final int flags)
    {
        return segment(new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(20 + 8 + 8 + ETHERNET + SEGMENT, 1, 0, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .udp(55555, port, 8 + 8 + ETHERNET + SEGMENT)
            .u32(0x0800_0000L).u32(vni << 8)
            .ethernet(EtherType.IPV4), fromServer, flags);
    }

    private static FrameBuilder segment(final FrameBuilder frame, final boolean fromServer, final int flags)
    {
        final long clientSequence = 1000;
        final long serverSequence = 9000;
        return fromServer ?
            frame.ipv4(SEGMENT, 2, 0x4000, 64, IpProtocol.TCP, SERVER, CLIENT)
                .tcp(SERVER_PORT, CLIENT_PORT, serverSequence, clientSequence + 1, 5, flags, 65535) :
            frame.ipv4(SEGMENT, 1, 0x4000, 64, IpProtocol.TCP, CLIENT, SERVER)
                .tcp(CLIENT_PORT, SERVER_PORT, (flags & TcpFlags.ACK) != 0 ? clientSequence + 1 : clientSequence,
                    (flags & TcpFlags.ACK) != 0 ? serverSequence + 1 : 0, 5, flags, 65535);
    }

    private static void write(final RotatingPcapWriter out, final long nanos, final FrameBuilder frame)
        throws IOException
    {
        final byte[] bytes = frame.toBytes();
        out.write(nanos, bytes.length, bytes.length, bytes);
    }
}
