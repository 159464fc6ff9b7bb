package io.linerate.ingest.merge;

import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.file.RotatingPcapWriter;
import io.linerate.ingest.ring.FrameSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames of several captures interleaved by time stamp, as mergecap interleaves them. */
class CaptureMergeTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final int ETHERNET = 1;
    private static final int LINUX_SLL = 113;

    @TempDir
    Path dir;

    @Test
    void framesOfOverlappingCapturesAreInterleavedByTimeEachKeepingItsLinkTypeAndInterface() throws Exception
    {
        final Path a = write("a.pcap", ETHERNET, 0, 2, 4, 6);
        final Path b = write("b.pcap", LINUX_SLL, 1, 3, 5);
        final List<CaptureFileException> problems = new ArrayList<>();

        final List<String> merged = read(List.of(CaptureInput.file(a), CaptureInput.file(b)), problems);

        assertEquals(List.of(
            "1 t0 lt1 if0 a0", "2 t1 lt113 if65536 b0", "3 t2 lt1 if0 a1", "4 t3 lt113 if65536 b1",
            "5 t4 lt1 if0 a2", "6 t5 lt113 if65536 b2", "7 t6 lt1 if0 a3"), merged);
        assertEquals(List.of(), problems);
    }

    @Test
    void theFirstInputGivenWinsATie() throws Exception
    {
        final Path a = write("a.pcap", ETHERNET, 5, 5);
        final Path b = write("b.pcap", ETHERNET, 5, 7);

        assertEquals(List.of("1 t5 lt1 if0 a0", "2 t5 lt1 if0 a1", "3 t5 lt1 if65536 b0", "4 t7 lt1 if65536 b1"),
            read(List.of(CaptureInput.file(a), CaptureInput.file(b)), new ArrayList<>()));
        assertEquals(List.of("1 t5 lt1 if0 b0", "2 t5 lt1 if65536 a0", "3 t5 lt1 if65536 a1", "4 t7 lt1 if0 b1"),
            read(List.of(CaptureInput.file(b), CaptureInput.file(a)), new ArrayList<>()));
    }

    /** Captures that follow one another are read in time order, and only one is open at a time. */
    @Test
    void capturesThatDoNotOverlapAreReadOneAtATimeInTimeOrder() throws Exception
    {
        final List<CountingInput> inputs = new ArrayList<>();
        final int[] open = new int[2];
        for (final int start : new int[]{300, 100, 200})
        {
            inputs.add(new CountingInput(write("c" + start + ".pcap", ETHERNET, start, start + 1, start + 2), open));
        }

        final List<String> merged = read(new ArrayList<>(inputs), new ArrayList<>());

        assertEquals(9, merged.size());
        assertTrue(merged.get(0).startsWith("1 t100 ") && merged.get(3).startsWith("4 t200 ") &&
            merged.get(8).startsWith("9 t302 "), merged.toString());
        assertEquals(1, open[1], "most open at once");
        assertEquals(0, open[0], "all closed");
    }

    @Test
    void aDamagedOrMissingInputIsReportedAndTheOthersAreReadOn() throws Exception
    {
        final Path a = write("a.pcap", ETHERNET, 0, 2, 4, 6);
        final Path b = write("b.pcap", ETHERNET, 1, 3, 5);
        final byte[] whole = Files.readAllBytes(b);
        Files.write(b, Arrays.copyOf(whole, whole.length - 10));
        final Path missing = dir.resolve("missing.pcap");
        final List<CaptureFileException> problems = new ArrayList<>();

        final List<String> merged = read(
            List.of(CaptureInput.file(a), CaptureInput.file(b), CaptureInput.file(missing)), problems);

        assertEquals(List.of("1 t0 lt1 if0 a0", "2 t1 lt1 if65536 b0", "3 t2 lt1 if0 a1", "4 t3 lt1 if65536 b1",
            "5 t4 lt1 if0 a2", "6 t6 lt1 if0 a3"), merged);
        assertEquals(2, problems.size(), problems.toString());
        assertEquals(missing + ": no such file or directory", problems.get(0).getMessage());
        assertTrue(problems.get(1).getMessage().startsWith(b + ": truncated packet record at byte offset "),
            problems.get(1).getMessage());
    }

    @Test
    void aStreamIsMergedWithFiles() throws Exception
    {
        final Path a = write("a.pcap", ETHERNET, 0, 2);
        final Path b = write("b.pcap", LINUX_SLL, 1, 3);

        final List<String> merged = read(List.of(CaptureInput.file(a),
            CaptureInput.stream(CaptureFiles.STANDARD_INPUT, new ByteArrayInputStream(Files.readAllBytes(b)))),
            new ArrayList<>());

        assertEquals(List.of("1 t0 lt1 if0 a0", "2 t1 lt113 if65536 b0", "3 t2 lt1 if0 a1", "4 t3 lt113 if65536 b1"),
            merged);
    }

    /**
     * A pcap file with one frame per time stamp (nanoseconds after {@link #T0}); each frame's first
     * byte is the file name's first letter and its second the frame's index in the file.
     */
    private Path write(final String name, final int linkType, final long... nanos) throws IOException
    {
        final Path path = dir.resolve(name);
        try (RotatingPcapWriter writer = new RotatingPcapWriter(path, 0, 0, 65535, linkType))
        {
            for (int i = 0; i < nanos.length; i++)
            {
                final byte[] frame = new byte[60];
                frame[0] = (byte)name.charAt(0);
                frame[1] = (byte)i;
                writer.write(T0 + nanos[i], frame.length, frame.length, frame);
            }
        }
        return path;
    }

    static List<String> read(final List<CaptureInput> inputs, final List<CaptureFileException> problems)
        throws IOException
    {
        final List<String> frames = new ArrayList<>();
        final FrameSlot slot = new FrameSlot();
        try (CaptureReader merge = new CaptureMerge(inputs, problems::add))
        {
            while (merge.next(slot))
            {
                frames.add(slot.frameNumber + " t" + (slot.timestampNanos - T0) + " lt" + slot.linkType + " if" +
                    slot.interfaceId + " " + (char)slot.data[0] + slot.data[1]);
            }
        }
        return frames;
    }

    /** A file input that counts how many inputs are open now ([0]) and at most ([1]). */
    private static final class CountingInput extends CaptureInput
    {
        private final Path path;
        private final int[] open;

        CountingInput(final Path path, final int[] open)
        {
            super(path.toString());
            this.path = path;
            this.open = open;
        }

        @Override
        public boolean reopenable()
        {
            return true;
        }

        @Override
        public CaptureReader open() throws CaptureFileException
        {
            final CaptureReader reader = CaptureFiles.open(path);
            open[1] = Math.max(open[1], ++open[0]);
            return new CaptureReader()
            {
                @Override
                public boolean next(final FrameSlot slot) throws CaptureFileException
                {
                    return reader.next(slot);
                }

                @Override
                public long position()
                {
                    return reader.position();
                }

                @Override
                public Path path()
                {
                    return reader.path();
                }

                @Override
                public String format()
                {
                    return reader.format();
                }

                @Override
                public void close() throws IOException
                {
                    open[0]--;
                    reader.close();
                }
            };
        }
    }
}
