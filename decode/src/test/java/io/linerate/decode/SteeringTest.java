package io.linerate.decode;

import io.linerate.decode.ethernet.EtherType;
import io.linerate.decode.ip.IpProtocol;
import io.linerate.decode.tcp.TcpFlags;
import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steering hash is the decoder's flow hash wherever it places a frame: on exact frames at each
 * of its edges, on every mutation of a valid frame, and on every frame of the corpus.
 */
class SteeringTest
{
    private static final String CLIENT = "192.168.1.10";
    private static final String SERVER = "10.0.0.1";
    private static final String CLIENT6 = "2001:db8::10";
    private static final String SERVER6 = "2001:db8::1";
    private static final Path CORPUS = Path.of(System.getProperty("linerate.corpus", "../../shared/corpus"));

    private final PacketDecoder decoder = new PacketDecoder();

    private static FrameBuilder tcp4(final FrameBuilder frame, final String from, final int fromPort, final String to,
        final int toPort)
    {
        return frame.ipv4(20 + 20 + 4, 7, 0x4000, 64, IpProtocol.TCP, from, to)
            .tcp(fromPort, toPort, 1000, 2000, 5, TcpFlags.ACK, 512).hex("61626364");
    }

    @Test
    void placesEthernetIpv4TcpInBothDirectionsAsTheDecoderHashesIt()
    {
        final DecodedFrame out = tcp4(new FrameBuilder().ethernet(EtherType.IPV4), CLIENT, 40000, SERVER, 443)
            .slot(LinkType.ETHERNET);
        final DecodedFrame back = tcp4(new FrameBuilder().ethernet(EtherType.IPV4), SERVER, 443, CLIENT, 40000)
            .slot(LinkType.ETHERNET);
        final int hash = placed(out);
        assertEquals(hash, placed(back));
        assertNotEquals(hash, placed(tcp4(new FrameBuilder().ethernet(EtherType.IPV4), CLIENT, 40001, SERVER, 443)
            .slot(LinkType.ETHERNET)));
    }

    @Test
    void placesVlanAndQinQTaggedFramesButLeavesDeeperStacksToTheDecoder()
    {
        placed(tcp4(new FrameBuilder().ethernet(EtherType.VLAN).u16(100).u16(EtherType.IPV4), CLIENT, 1, SERVER, 2)
            .slot(LinkType.ETHERNET));
        placed(tcp4(new FrameBuilder().ethernet(EtherType.QINQ).u16(10).u16(EtherType.VLAN).u16(20)
            .u16(EtherType.IPV4), CLIENT, 1, SERVER, 2).slot(LinkType.ETHERNET));
        unplaced(tcp4(new FrameBuilder().ethernet(EtherType.QINQ).u16(10).u16(EtherType.VLAN).u16(20)
            .u16(EtherType.VLAN).u16(30).u16(EtherType.IPV4), CLIENT, 1, SERVER, 2).slot(LinkType.ETHERNET));
    }

    @Test
    void placesIpv4WithOptionsAndLengthsTheDecoderTakesFromTheWire()
    {
        // IHL 6: a 4-byte option (NOP x4).
        placed(new FrameBuilder().ethernet(EtherType.IPV4)
            .u8(0x46).u8(0).u16(24 + 20).u16(1).u16(0).u8(64).u8(IpProtocol.TCP).u16(0)
            .address(CLIENT).address(SERVER).u32(0x0101_0101L)
            .tcp(1, 2, 3, 4, 5, TcpFlags.ACK, 9).slot(LinkType.ETHERNET));
        // Total length 0 (an offload super-packet), and one past the wire (clamped).
        placed(new FrameBuilder().ethernet(EtherType.IPV4).ipv4(0, 1, 0, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(1, 2, 3, 4, 5, TcpFlags.ACK, 9).slot(LinkType.ETHERNET));
        placed(new FrameBuilder().ethernet(EtherType.IPV4).ipv4(1500, 1, 0, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(1, 2, 3, 4, 5, TcpFlags.ACK, 9).slot(LinkType.ETHERNET));
        // Snapped after the TCP header: the ports are there.
        final FrameBuilder snapped = new FrameBuilder().ethernet(EtherType.IPV4)
            .ipv4(20 + 20 + 1000, 1, 0, 64, IpProtocol.TCP, CLIENT, SERVER).tcp(1, 2, 3, 4, 5, TcpFlags.ACK, 9);
        placed(snapped.slot(LinkType.ETHERNET, snapped.length(), snapped.length() + 1000));
    }

    @Test
    void leavesFragmentsOtherProtocolsAndDamagedHeadersToTheDecoder()
    {
        unplaced(new FrameBuilder().ethernet(EtherType.IPV4).ipv4(20 + 20, 1, 0x2000, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(1, 2, 3, 4, 5, TcpFlags.ACK, 9).slot(LinkType.ETHERNET));
        unplaced(new FrameBuilder().ethernet(EtherType.IPV4).ipv4(20 + 20, 1, 0x0001, 64, IpProtocol.TCP, CLIENT, SERVER)
            .zeros(20).slot(LinkType.ETHERNET));
        unplaced(new FrameBuilder().ethernet(EtherType.IPV4).ipv4(20 + 8, 1, 0, 64, IpProtocol.UDP, CLIENT, SERVER)
            .udp(53, 53, 8).slot(LinkType.ETHERNET));
        unplaced(new FrameBuilder().ethernet(EtherType.IPV4).ipv4(20 + 20, 1, 0, 64, IpProtocol.IPV4, CLIENT, SERVER)
            .zeros(20).slot(LinkType.ETHERNET));
        // Data offset 4; a header longer than the datagram; one cut by the snap length.
        unplaced(new FrameBuilder().ethernet(EtherType.IPV4).ipv4(20 + 20, 1, 0, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(1, 2, 3, 4, 4, TcpFlags.ACK, 9).slot(LinkType.ETHERNET));
        unplaced(new FrameBuilder().ethernet(EtherType.IPV4).ipv4(20 + 20, 1, 0, 64, IpProtocol.TCP, CLIENT, SERVER)
            .tcp(1, 2, 3, 4, 6, TcpFlags.ACK, 9).u32(0x0101_0101L).slot(LinkType.ETHERNET));
        final FrameBuilder cut = new FrameBuilder().ethernet(EtherType.IPV4)
            .ipv4(20 + 20, 1, 0, 64, IpProtocol.TCP, CLIENT, SERVER).tcp(1, 2, 3, 4, 5, TcpFlags.ACK, 9);
        unplaced(cut.slot(LinkType.ETHERNET, cut.length() - 1, cut.length()));
        // IHL 4; version 6 under the IPv4 EtherType; a raw-IP link.
        unplaced(new FrameBuilder().ethernet(EtherType.IPV4).u8(0x44).zeros(19).zeros(20).slot(LinkType.ETHERNET));
        unplaced(new FrameBuilder().ethernet(EtherType.IPV4).ipv6(20, IpProtocol.TCP, 64, CLIENT6, SERVER6)
            .tcp(1, 2, 3, 4, 5, TcpFlags.ACK, 9).slot(LinkType.ETHERNET));
        unplaced(tcp4(new FrameBuilder(), CLIENT, 1, SERVER, 2).slot(LinkType.RAW));
    }

    @Test
    void placesIpv6TcpWithoutExtensionHeaders()
    {
        final int out = placed(new FrameBuilder().ethernet(EtherType.IPV6).ipv6(20, IpProtocol.TCP, 64, CLIENT6, SERVER6)
            .tcp(40000, 443, 3, 4, 5, TcpFlags.ACK, 9).slot(LinkType.ETHERNET));
        assertEquals(out, placed(new FrameBuilder().ethernet(EtherType.IPV6).ipv6(20, IpProtocol.TCP, 64, SERVER6, CLIENT6)
            .tcp(443, 40000, 3, 4, 5, TcpFlags.ACK, 9).slot(LinkType.ETHERNET)));
        placed(new FrameBuilder().ethernet(EtherType.IPV6).ipv6(0, IpProtocol.TCP, 64, CLIENT6, SERVER6)
            .tcp(40000, 443, 3, 4, 5, TcpFlags.ACK, 9).slot(LinkType.ETHERNET));
        unplaced(new FrameBuilder().ethernet(EtherType.IPV6).ipv6(8 + 20, IpProtocol.HOP_BY_HOP, 64, CLIENT6, SERVER6)
            .u8(IpProtocol.TCP).u8(0).zeros(6).tcp(40000, 443, 3, 4, 5, TcpFlags.ACK, 9).slot(LinkType.ETHERNET));
    }

    @Test
    void everyMutationOfAValidFrameIsPlacedOnlyWhereTheDecoderHashesItSo()
    {
        final byte[][] valid = {
            tcp4(new FrameBuilder().ethernet(EtherType.VLAN).u16(7).u16(EtherType.IPV4), CLIENT, 40000, SERVER, 443)
                .toBytes(),
            new FrameBuilder().ethernet(EtherType.IPV6).ipv6(24, IpProtocol.TCP, 64, CLIENT6, SERVER6)
                .tcp(40000, 443, 3, 4, 6, TcpFlags.ACK, 9).u32(0x0101_0101L).toBytes(),
        };
        final SplittableRandom random = new SplittableRandom(9);
        final DecodedFrame slot = new DecodedFrame();
        int placedFrames = 0;
        for (int i = 0; i < 200_000; i++)
        {
            final byte[] frame = valid[i % valid.length].clone();
            // One to three bytes of the headers changed; the lengths cut at random now and then.
            for (int k = 1 + random.nextInt(3); k > 0; k--)
            {
                frame[random.nextInt(Math.min(frame.length, 74))] = (byte)random.nextInt(256);
            }
            final int wire = frame.length + (random.nextInt(4) == 0 ? random.nextInt(100) : 0);
            final int captured = random.nextInt(4) == 0 ? random.nextInt(frame.length + 1) : frame.length;
            FrameBuilder.fill(slot, LinkType.ETHERNET, frame, captured, wire);
            final int steered = Steering.flowHash(slot);
            decoder.decode(slot);
            if (steered != Steering.UNPLACED)
            {
                placedFrames++;
                assertEquals(slot.flowHash, steered, () -> hex(frame) + " captured " + captured);
            }
        }
        assertTrue(placedFrames > 50_000, placedFrames + " frames placed");
    }

    @Test
    @Tag("slow")
    void everyCorpusFrameIsPlacedOnlyWhereTheDecoderHashesItSo() throws IOException
    {
        Assumptions.assumeTrue(Files.isDirectory(CORPUS.resolve("real")), "no corpus at " + CORPUS.toAbsolutePath());
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(CORPUS))
        {
            files = walk.filter(Files::isRegularFile)
                .filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)(\\.zst)?"))
                .sorted().collect(Collectors.toList());
        }
        final DecodedFrame slot = new DecodedFrame();
        long placedFrames = 0;
        for (final Path file : files)
        {
            try (CaptureReader reader = CaptureFiles.open(file))
            {
                while (reader.next(slot))
                {
                    final int steered = Steering.flowHash(slot);
                    decoder.decode(slot);
                    if (steered != Steering.UNPLACED)
                    {
                        placedFrames++;
                        assertEquals(slot.flowHash, steered, file + " frame " + slot.frameNumber);
                    }
                }
            }
            catch (final CaptureFileException damaged)
            {
                // A damaged file: the frames before the damage were compared.
            }
        }
        assertTrue(placedFrames > 40_000, placedFrames + " corpus frames placed"); // 48,144 in December 2026
    }

    /** Placed, and as the decoder hashes it; the hash. */
    private int placed(final DecodedFrame slot)
    {
        final int steered = Steering.flowHash(slot);
        assertNotEquals(Steering.UNPLACED, steered);
        decoder.decode(slot);
        assertEquals(slot.flowHash, steered);
        return steered;
    }

    private void unplaced(final DecodedFrame slot)
    {
        assertEquals(Steering.UNPLACED, Steering.flowHash(slot));
    }

    private static String hex(final byte[] frame)
    {
        final StringBuilder hex = new StringBuilder();
        for (final byte b : frame)
        {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
