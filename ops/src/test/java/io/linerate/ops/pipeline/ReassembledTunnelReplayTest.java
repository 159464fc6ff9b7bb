package io.linerate.ops.pipeline;

import io.linerate.decode.FrameBuilder;
import io.linerate.decode.LinkType;
import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import io.linerate.ingest.file.RotatingPcapWriter;
import io.linerate.ops.Json;
import io.linerate.ops.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replay decodes a datagram the shards reassembled with the command line's decode settings: a
 * data segment of a connection in VXLAN on {@code --vxlan-port}, whose outer UDP datagram was
 * fragmented, is the connection's third packet, with its tunnel, as the unfragmented ones are.
 * A capture of exact bytes.
 */
class ReassembledTunnelReplayTest
{
    private static final String CLIENT = "192.0.2.1";
    private static final String SERVER = "198.51.100.2";
    private static final String VTEP_A = "10.0.0.1";
    private static final String VTEP_B = "10.0.0.2";
    private static final int CLIENT_PORT = 40000;
    private static final int SERVER_PORT = 80;
    /** A VXLAN port other than IANA's 4789 (Linux's old default). */
    private static final int OTHER_VXLAN_PORT = 8472;
    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private static final int TCP = 20;
    private static final int UDP_AND_VXLAN = 8 + 8;
    private static final int PAYLOAD = 1000;
    private static final long START = 1_700_000_000_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void aFragmentedVxlanDatagramOnTheConfiguredPortIsAPacketOfTheInnerConnection() throws Exception
    {
        final Path capture = tmp.resolve("fragmented-vxlan.pcap");
        final byte[] data = vxlanDatagram(CLIENT, SERVER, CLIENT_PORT, SERVER_PORT, TcpFlags.PSH | TcpFlags.ACK,
            1001, 9001, PAYLOAD);
        assertEquals(UDP_AND_VXLAN + ETHERNET + IPV4 + TCP + PAYLOAD, data.length);
        try (RotatingPcapWriter out = new RotatingPcapWriter(capture, 0, 0, 262_144, LinkType.ETHERNET))
        {
            write(out, START, unfragmented(vxlanDatagram(CLIENT, SERVER, CLIENT_PORT, SERVER_PORT, TcpFlags.SYN,
                1000, 0, 0)));
            write(out, START + 1_000, unfragmented(vxlanDatagram(SERVER, CLIENT, SERVER_PORT, CLIENT_PORT,
                TcpFlags.SYN | TcpFlags.ACK, 9000, 1001, 0)));
            write(out, START + 2_000, unfragmented(vxlanDatagram(CLIENT, SERVER, CLIENT_PORT, SERVER_PORT, TcpFlags.ACK,
                1001, 9001, 0)));
            write(out, START + 3_000, fragment(data, 0, 504, true));
            write(out, START + 4_000, fragment(data, 504, data.length - 504, false));
        }

        final Path flows = tmp.resolve("flows.jsonl");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of("replay", capture.toString(), "--vxlan-port", Integer.toString(OTHER_VXLAN_PORT),
            "--out", "jsonl:" + flows), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));

        final List<String> records = Files.readAllLines(flows);
        assertEquals(1, records.size(), "the inner connection only, no UDP flow between the VTEPs: " + records);
        final String record = records.get(0);
        final Map<String, Object> r = Json.object(record);
        assertEquals("tcp", r.get("transport"), record);
        assertEquals(3, Json.num(r, "c2s.packets"), "SYN, ACK and the reassembled segment: " + record);
        assertEquals(PAYLOAD, Json.num(r, "c2s.payload_bytes"), record);
        assertTrue(record.contains(",\"tunnel\":[{\"type\":\"vxlan\",\"outer_src\":\"" + VTEP_A + "\",\"outer_dst\":\"" +
            VTEP_B + "\",\"vni\":7}]"), record);
    }

    /**
     * The UDP datagram from VTEP A to B on the other VXLAN port carrying, in VNI 7, an Ethernet frame
     * of a TCP segment of {@code payload} bytes.
     */
    private static byte[] vxlanDatagram(final String src, final String dst, final int srcPort, final int dstPort,
        final int flags, final long seq, final long ack, final int payload)
    {
        final int segment = IPV4 + TCP + payload;
        return new FrameBuilder()
            .udp(55555, OTHER_VXLAN_PORT, UDP_AND_VXLAN + ETHERNET + segment)
            .u32(0x0800_0000L).u32(7 << 8)
            .ethernet(EtherType.IPV4)
            .ipv4(segment, 1, 0x4000, 64, IpProtocol.TCP, src, dst)
            .tcp(srcPort, dstPort, seq, ack, 5, flags, 65535)
            .zeros(payload)
            .toBytes();
    }

    private static FrameBuilder unfragmented(final byte[] datagram)
    {
        return fragment(datagram, 0, datagram.length, false);
    }

    /** The outer IPv4 fragment (identification 99) carrying bytes [offset, offset + length) of {@code datagram}. */
    private static FrameBuilder fragment(final byte[] datagram, final int offset, final int length,
        final boolean moreFragments)
    {
        return new FrameBuilder()
            .ethernet(EtherType.IPV4)
            .ipv4(IPV4 + length, 99, (moreFragments ? 0x2000 : 0) | offset >>> 3, 64, IpProtocol.UDP, VTEP_A, VTEP_B)
            .bytes(datagram, offset, length);
    }

    private static void write(final RotatingPcapWriter out, final long nanos, final FrameBuilder frame)
        throws IOException
    {
        final byte[] bytes = frame.toBytes();
        out.write(nanos, bytes.length, bytes.length, bytes);
    }
}
