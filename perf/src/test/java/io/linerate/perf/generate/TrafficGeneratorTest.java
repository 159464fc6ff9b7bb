package io.linerate.perf.generate;

import io.linerate.decode.tcp.TcpFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator's files: pcap framing, checksums, strictly increasing time, determinism, the mode mixes. */
class TrafficGeneratorTest
{
    @TempDir
    Path tmp;

    /** A frame read back from a written pcap. */
    record Frame(long micros, byte[] bytes)
    {
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException
    {
        final GeneratorSettings s = GeneratedTruthAgreementTest.mixed();
        TrafficGenerator.writeFiles(s, tmp.resolve("a.pcap"), tmp.resolve("a.jsonl"));
        TrafficGenerator.writeFiles(s, tmp.resolve("b.pcap"), tmp.resolve("b.jsonl"));
        TrafficGenerator.writeFiles(s.seed(8), tmp.resolve("c.pcap"), null);
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a.pcap")), Files.readAllBytes(tmp.resolve("b.pcap")));
        assertEquals(Files.readAllLines(tmp.resolve("a.jsonl")), Files.readAllLines(tmp.resolve("b.jsonl")));
        assertFalse(Arrays.equals(Files.readAllBytes(tmp.resolve("a.pcap")), Files.readAllBytes(tmp.resolve("c.pcap"))));
    }

    @Test
    void aClassicMicrosecondEthernetPcapWithStrictlyIncreasingTimeAndGoodChecksums() throws IOException
    {
        final Path pcap = tmp.resolve("t.pcap");
        final TrafficTruth truth = TrafficGenerator.writeFiles(GeneratedTruthAgreementTest.mixed(), pcap, null);
        final byte[] file = Files.readAllBytes(pcap);
        final ByteBuffer header = ByteBuffer.wrap(file, 0, 24).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xA1B2C3D4, header.getInt(0));
        assertEquals(2, header.getShort(4));
        assertEquals(4, header.getShort(6));
        assertEquals(65535, header.getInt(16));
        assertEquals(1, header.getInt(20));

        final List<Frame> frames = read(pcap);
        assertEquals(truth.frames(), frames.size());
        long bytes = 0;
        long previous = Long.MIN_VALUE;
        for (final Frame f : frames)
        {
            assertTrue(f.micros() > previous, "time stamps strictly increase");
            previous = f.micros();
            bytes += f.bytes().length;
            assertTrue(f.bytes().length >= FrameBuilder.MIN_FRAME_LENGTH);
            assertEquals(0x0800, u16(f.bytes(), 12));
            assertChecksumsHold(f.bytes());
        }
        assertEquals(truth.frameBytes(), bytes);
        assertEquals(truth.packetsC2s() + truth.packetsS2c(), truth.frames());
        assertEquals(160, truth.handshakes());
        assertEquals(20, truth.connections(ConnectionTruth.Kind.REFUSED));
        assertEquals(20, truth.connections(ConnectionTruth.Kind.UNANSWERED));
        assertEquals(20, truth.connections(ConnectionTruth.Kind.RST));
        assertEquals(140, truth.connections(ConnectionTruth.Kind.FIN));
        assertEquals(30, truth.connections(ConnectionTruth.Kind.UDP));
    }

    @Test
    void anUnansweredSynIsRetriedAfterOneTwoAndFourSeconds() throws IOException
    {
        final Path pcap = tmp.resolve("u.pcap");
        TrafficGenerator.writeFiles(new GeneratorSettings().connections(1).unanswered(1), pcap, null);
        final List<Frame> frames = read(pcap);
        assertEquals(4, frames.size());
        final long t0 = frames.get(0).micros();
        assertEquals(List.of(0L, 1_000_000L, 3_000_000L, 7_000_000L),
            frames.stream().map(f -> f.micros() - t0).toList());
        for (final Frame f : frames)
        {
            assertEquals(TcpFlags.SYN, f.bytes()[14 + 20 + 13]);
        }
    }

    @Test
    void minimumFramesAreSixtyBytePureAcks() throws IOException
    {
        final Path pcap = tmp.resolve("m.pcap");
        final TrafficTruth truth = TrafficGenerator.writeFiles(
            new GeneratorSettings().mode(GeneratorSettings.Mode.MIN_FRAMES).frames(5000).flows(64), pcap, null);
        final List<Frame> frames = read(pcap);
        assertEquals(5000, frames.size());
        assertEquals(5000L * 60, truth.frameBytes());
        assertEquals(64, truth.connections(ConnectionTruth.Kind.MIDSTREAM));
        for (final Frame f : frames)
        {
            assertEquals(60, f.bytes().length);
            assertEquals(40, u16(f.bytes(), 16), "IP total length: 20 + 20, the rest is Ethernet padding");
            assertEquals(TcpFlags.ACK, f.bytes()[14 + 20 + 13]);
            assertChecksumsHold(f.bytes());
        }
        assertEquals(1, frames.get(1).micros() - frames.get(0).micros());
    }

    @Test
    void imixIsSevenFourOneOfSixtyFourFiveNinetyFourAndFifteenEighteenByteFrames() throws IOException
    {
        final Path pcap = tmp.resolve("i.pcap");
        TrafficGenerator.writeFiles(
            new GeneratorSettings().mode(GeneratorSettings.Mode.IMIX).frames(1200).flows(100), pcap, null);
        final Map<Integer, Integer> sizes = new HashMap<>();
        for (final Frame f : read(pcap))
        {
            // On the wire each frame also carries its 4-byte FCS.
            sizes.merge(f.bytes().length + 4, 1, Integer::sum);
            assertChecksumsHold(f.bytes());
        }
        assertEquals(Map.of(64, 700, 594, 400, 1518, 100), sizes);
    }

    @Test
    void theCommandLineWritesTheCaptureAndTheTruth() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = TrafficGenerator.run(List.of("tcp", "--out", tmp.resolve("x.pcap").toString(),
                "--truth", tmp.resolve("x.jsonl").toString(), "--connections", "10", "--refused", "2", "--udp-flows", "3"),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("connections: fin 8 refused 2 udp 3"), out.toString());
        assertEquals(13, Files.readAllLines(tmp.resolve("x.jsonl")).size());

        assertEquals(2, TrafficGenerator.run(List.of("tcp", "--out", tmp.resolve("y.pcap").toString(), "--refused", "2000"),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--refused + --unanswered exceed --connections"));
    }

    @Test
    void settingsOutOfRangeAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new GeneratorSettings().retransmitted(5000).validate());
        assertThrows(IllegalArgumentException.class, () -> new GeneratorSettings().mss(1461).validate());
        assertThrows(IllegalArgumentException.class, () -> new GeneratorSettings().parse(List.of("--frames", "many")));
        assertThrows(IllegalArgumentException.class,
            () -> new GeneratorSettings().mode(GeneratorSettings.Mode.IMIX).frameGapMicros(0).validate());
    }

    static List<Frame> read(final Path pcap) throws IOException
    {
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        final List<Frame> frames = new ArrayList<>();
        int p = PcapFileWriter.GLOBAL_HEADER_LENGTH;
        while (p < b.limit())
        {
            final long micros = (b.getInt(p) & 0xFFFF_FFFFL) * 1_000_000L + b.getInt(p + 4);
            final int caplen = b.getInt(p + 8);
            assertEquals(caplen, b.getInt(p + 12), "captured whole");
            final byte[] bytes = new byte[caplen];
            b.get(p + PcapFileWriter.RECORD_HEADER_LENGTH, bytes);
            frames.add(new Frame(micros, bytes));
            p += PcapFileWriter.RECORD_HEADER_LENGTH + caplen;
        }
        assertEquals(b.limit(), p);
        return frames;
    }

    /** IPv4 header and TCP/UDP checksums verify (a correct checksum sums to zero with its field). */
    static void assertChecksumsHold(final byte[] f)
    {
        final int ip = 14;
        assertEquals(0, FrameBuilder.internetChecksum(f, ip, 20, 0), "IPv4 header checksum");
        final int totalLength = u16(f, ip + 2);
        final int protocol = f[ip + 9] & 0xFF;
        final int length = totalLength - 20;
        final long pseudo = u16(f, ip + 12) + u16(f, ip + 14) + u16(f, ip + 16) + u16(f, ip + 18) + protocol + length;
        assertEquals(0, FrameBuilder.internetChecksum(f, ip + 20, length, pseudo), "transport checksum");
    }

    static int u16(final byte[] b, final int offset)
    {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }
}
