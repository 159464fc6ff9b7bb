package io.linerate.ops.pipeline;

import io.linerate.decode.DecodedFrame;
import io.linerate.decode.PacketDecoder;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.file.RotatingPcapWriter;
import io.linerate.ops.CorpusSelection;
import io.linerate.ops.Json;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two taps of one link, one per direction: a real capture split by direction into two files (each
 * connection's client-to-server frames in one, server-to-client in the other) replays, merged by
 * time, to the records of the whole capture, every field (record and flow ids included, as the
 * frames are numbered in merged order). Read one after the other instead ({@code --no-merge}), the
 * halves never meet and the records are wrong.
 */
class MergedReplayTest
{
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");
    private static final int ETHERNET = 1;
    private static final int LINUX_SLL = 113;

    @TempDir
    Path tmp;

    @Test
    void theSampleSplitByDirectionGivesTheRecordsOfTheWhole() throws Exception
    {
        assertTrue(assertHalvesGiveTheRecordsOfTheWhole(SAMPLE));
        final Path concatenated = replay("concatenated", "--no-merge", tmp.resolve("server.pcap"),
            tmp.resolve("client.pcap"));
        assertNotEquals(StandardInputReplayTest.records(replay("whole", SAMPLE)),
            StandardInputReplayTest.records(concatenated), "the halves must meet in time");
    }

    /** Real captures of the corpus that hold both directions (some hold one: a tap of one already). */
    @Tag("slow")
    @Test
    void corpusCapturesSplitByDirectionGiveTheRecordsOfTheWhole() throws Exception
    {
        final List<Path> split = new ArrayList<>();
        for (final Path capture : CorpusSelection.tcpCaptures(10))
        {
            if (split.size() < 8 && assertHalvesGiveTheRecordsOfTheWhole(capture))
            {
                split.add(capture);
            }
        }
        assertEquals(8, split.size(), "captures of both directions: " + split);
    }

    /**
     * Each half keeps its link type: the server's half recorded as Linux cooked frames (as on
     * {@code -i any}), the client's as Ethernet. Every field agrees but the byte counts, which grow by
     * the 2 bytes a cooked header is longer, for each frame of that half.
     */
    @Test
    void halvesOfDifferentLinkTypesMergeEachKeepingItsOwn() throws Exception
    {
        final Path whole = replay("whole", SAMPLE);
        final Path ethernet = tmp.resolve("ethernet.pcap");
        final Path cooked = tmp.resolve("cooked.pcap");
        split(SAMPLE, ethernet, cooked, true);
        final Path merged = replay("merged", ethernet, cooked);

        final List<String> expected = withoutFrameBytes(whole);
        assertEquals(expected, withoutFrameBytes(merged));
        long extra = 0;
        for (final String line : Files.readAllLines(merged))
        {
            extra += Json.num(Json.object(line), "c2s.bytes") + Json.num(Json.object(line), "s2c.bytes");
        }
        for (final String line : Files.readAllLines(whole))
        {
            extra -= Json.num(Json.object(line), "c2s.bytes") + Json.num(Json.object(line), "s2c.bytes");
        }
        assertEquals(2 * framesIn(cooked), extra, "2 bytes more for each cooked frame");
    }

    /** False (nothing checked) when the capture holds one direction only. */
    private boolean assertHalvesGiveTheRecordsOfTheWhole(final Path capture) throws Exception
    {
        final Path whole = replay("whole", capture);
        final Path client = tmp.resolve("client.pcap");
        final Path server = tmp.resolve("server.pcap");
        final long crossTies = split(capture, client, server, false);
        if (framesIn(client) == 0 || framesIn(server) == 0)
        {
            return false;
        }

        final List<String> expected = StandardInputReplayTest.records(whole);
        if (crossTies == 0)
        {
            // Frames of the two halves never share a time stamp: the merge puts back the capture's order.
            assertEquals(expected, StandardInputReplayTest.records(replay("merged", server, client)),
                capture.toString());
        }
        else
        {
            // Where they do, the first file given goes first, and frames may be numbered otherwise:
            // every field but the ids derived from frame numbers agrees.
            assertEquals(withoutIds(whole), withoutIds(replay("merged", server, client)), capture.toString());
        }
        return true;
    }

    /**
     * Writes each frame of {@code capture} to {@code a} when it goes from the lower endpoint (address,
     * then port) to the higher, else to {@code b} (as Linux cooked frames when {@code cookB});
     * returns how many frames share a time stamp with a frame of the other half.
     */
    private static long split(final Path capture, final Path a, final Path b, final boolean cookB) throws IOException
    {
        final PacketDecoder decoder = new PacketDecoder();
        final DecodedFrame slot = new DecodedFrame();
        long ties = 0;
        long lastA = Long.MIN_VALUE;
        long lastB = Long.MIN_VALUE;
        try (CaptureReader reader = CaptureFiles.open(capture))
        {
            assertTrue(reader.next(slot), capture + " is empty");
            final int linkType = slot.linkType;
            try (RotatingPcapWriter first = new RotatingPcapWriter(a, 0, 0, 262_144, linkType);
                RotatingPcapWriter second = new RotatingPcapWriter(b, 0, 0, 262_144, cookB ? LINUX_SLL : linkType))
            {
                do
                {
                    assertEquals(linkType, slot.linkType, capture + ": one link type");
                    decoder.decode(slot);
                    final int order = Long.compare(slot.srcHi, slot.dstHi) != 0 ? Long.compare(slot.srcHi, slot.dstHi) :
                        Long.compare(slot.srcLo, slot.dstLo) != 0 ? Long.compare(slot.srcLo, slot.dstLo) :
                            Integer.compare(slot.srcPort, slot.dstPort);
                    if (order <= 0)
                    {
                        ties += slot.timestampNanos == lastB ? 1 : 0;
                        lastA = slot.timestampNanos;
                        first.write(slot.timestampNanos, slot.captureLength, slot.wireLength, slot.data);
                    }
                    else if (cookB)
                    {
                        ties += slot.timestampNanos == lastA ? 1 : 0;
                        lastB = slot.timestampNanos;
                        final byte[] cooked = cook(slot);
                        second.write(slot.timestampNanos, cooked.length, slot.wireLength + 2, cooked);
                    }
                    else
                    {
                        ties += slot.timestampNanos == lastA ? 1 : 0;
                        lastB = slot.timestampNanos;
                        second.write(slot.timestampNanos, slot.captureLength, slot.wireLength, slot.data);
                    }
                }
                while (reader.next(slot));
            }
        }
        return ties;
    }

    /** An Ethernet frame as a Linux cooked (SLL) one: 16-byte header, the same EtherType and payload. */
    private static byte[] cook(final DecodedFrame slot)
    {
        assertEquals(ETHERNET, slot.linkType);
        final byte[] cooked = new byte[slot.captureLength + 2];
        cooked[1] = 4; // sent by us
        cooked[3] = 1; // ARPHRD_ETHER
        cooked[5] = 6; // address length
        System.arraycopy(slot.data, 6, cooked, 6, 6); // source MAC
        System.arraycopy(slot.data, 12, cooked, 14, slot.captureLength - 12); // EtherType and payload
        return cooked;
    }

    private Path replay(final String name, final Object... captures)
    {
        final Path flows = tmp.resolve(name + ".jsonl");
        final List<String> args = new ArrayList<>(List.of("replay"));
        for (final Object capture : captures)
        {
            args.add(capture.toString());
        }
        args.addAll(List.of("--sensor", "t", "--out", "jsonl:" + flows));
        final MainTest.Run r = StandardInputReplayTest.run(InputStream.nullInputStream(), args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return flows;
    }

    private static long framesIn(final Path capture) throws IOException
    {
        final DecodedFrame slot = new DecodedFrame();
        long n = 0;
        try (CaptureReader reader = CaptureFiles.open(capture))
        {
            while (reader.next(slot))
            {
                n++;
            }
        }
        return n;
    }

    private static List<String> withoutIds(final Path jsonl) throws IOException
    {
        return strip(jsonl, List.of("record_id", "flow_id"));
    }

    private static List<String> withoutFrameBytes(final Path jsonl) throws IOException
    {
        return strip(jsonl, List.of("c2s.bytes", "s2c.bytes"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strip(final Path jsonl, final List<String> fields) throws IOException
    {
        final List<String> out = new ArrayList<>();
        for (final String line : Files.readAllLines(jsonl))
        {
            final Map<String, Object> record = Json.object(line);
            for (final String field : fields)
            {
                final int dot = field.indexOf('.');
                if (dot < 0)
                {
                    record.remove(field);
                }
                else if (record.get(field.substring(0, dot)) instanceof Map)
                {
                    ((Map<String, Object>)record.get(field.substring(0, dot))).remove(field.substring(dot + 1));
                }
            }
            out.add(record.toString());
        }
        return out.stream().sorted().toList();
    }
}
