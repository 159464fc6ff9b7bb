package io.linerate.ingest.merge;

import io.linerate.ingest.file.CaptureFileException;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the command line's captures become: rotated files in sequence, directories in time order, merges. */
class InputPlanTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;
    /** Frames of 1000 bytes: a file rotated at 1 MB holds 985 (24 + 985 * 1016 bytes is more than 1,000,000). */
    private static final int FRAME = 1000;
    private static final int FRAMES_PER_FILE = 985;

    @TempDir
    Path dir;

    /**
     * tcpdump -C: FILE, FILE1, FILE2. Where a file's last frames are time-stamped a little after the
     * next file's first (the kernel's time stamps step back now and then), the files are still read
     * in their sequence, not merged; --merge would interleave them.
     */
    @Test
    void rotatedFilesAreReadInTheirSequence() throws Exception
    {
        final Path base = dir.resolve("trace.pcap");
        final int frames = writeRotated(base, 0, 2_500);
        final List<Path> files = List.of(dir.resolve("trace.pcap"), dir.resolve("trace.pcap1"),
            dir.resolve("trace.pcap2"));
        files.forEach(f -> assertTrue(Files.exists(f), f.toString()));

        final List<CaptureInput> plan = InputPlan.of(List.of(files.get(2), files.get(0), files.get(1)),
            InputPlan.Mode.AUTO, InputPlanTest::noStdin, InputPlanTest::fail);

        assertEquals(1, plan.size(), plan.toString());
        final List<Long> order = written(plan);
        assertEquals(frames, order.size());
        for (int i = 0; i < order.size(); i++)
        {
            assertEquals(i, order.get(i), "frame " + i + " in tcpdump's order");
        }
        final List<Long> merged = written(InputPlan.of(files, InputPlan.Mode.MERGE, InputPlanTest::noStdin,
            InputPlanTest::fail));
        assertEquals(FRAMES_PER_FILE, merged.get(FRAMES_PER_FILE - 1),
            "merged, the next file's first frame comes first");
        assertEquals(FRAMES_PER_FILE - 1, merged.get(FRAMES_PER_FILE + 1), "and the file's last one after two");
    }

    /** tcpdump -C -W 3: a ring FILE0..FILE2 that has wrapped starts at its oldest file. */
    @Test
    void aRingOfRotatedFilesStartsAtItsOldest() throws Exception
    {
        final Path base = dir.resolve("ring.pcap");
        writeRotated(base, 3, 4_500);
        final List<Path> files = List.of(dir.resolve("ring.pcap0"), dir.resolve("ring.pcap1"),
            dir.resolve("ring.pcap2"));

        final List<CaptureInput> plan = InputPlan.of(files, InputPlan.Mode.AUTO, InputPlanTest::noStdin,
            InputPlanTest::fail);

        final List<Long> order = written(plan);
        assertTrue(order.get(0) > 1_000, "the first file was overwritten: " + order.get(0));
        for (int i = 1; i < order.size(); i++)
        {
            assertEquals(order.get(i - 1) + 1, order.get(i), "in the order written, at " + i);
        }
        assertEquals(4_499, order.get(order.size() - 1));
    }

    @Test
    void aDirectoryIsReadInTimeOrderAndWhatIsNoCaptureIsLeftOut() throws Exception
    {
        final Path captures = Files.createDirectories(dir.resolve("day"));
        write(captures.resolve("b-morning.pcap"), 100, 101);
        write(captures.resolve("a-evening.pcap"), 500, 501);
        write(captures.resolve("c-noon.pcap"), 300, 301);
        Files.writeString(captures.resolve("README"), "taps of 2023-11-14\n");

        for (final InputPlan.Mode mode : InputPlan.Mode.values())
        {
            final List<Long> order = written(InputPlan.of(List.of(captures), mode, InputPlanTest::noStdin,
                InputPlanTest::fail));
            assertEquals(List.of(100L, 101L, 300L, 301L, 500L, 501L), order, mode.toString());
        }
    }

    @Test
    void aDirectoryWithoutCapturesIsSaid() throws Exception
    {
        final Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "nothing here\n");
        final List<CaptureFileException> problems = new ArrayList<>();

        assertEquals(List.of(),
            InputPlan.of(List.of(empty), InputPlan.Mode.AUTO, InputPlanTest::noStdin, problems::add));

        assertEquals(1, problems.size());
        assertEquals(empty + ": no pcap or pcapng files in this directory (compressed or not)",
            problems.get(0).getMessage());
    }

    @Test
    void filesOfTwoTapsAreMergedAndNoMergeReadsThemAsGiven() throws Exception
    {
        final Path east = write(dir.resolve("east.pcap"), 10, 30, 50);
        final Path west = write(dir.resolve("west.pcap"), 20, 40);

        assertEquals(List.of(10L, 20L, 30L, 40L, 50L), written(InputPlan.of(List.of(west, east),
            InputPlan.Mode.AUTO, InputPlanTest::noStdin, InputPlanTest::fail)));
        assertEquals(List.of(20L, 40L, 10L, 30L, 50L), written(InputPlan.of(List.of(west, east),
            InputPlan.Mode.CONCAT, InputPlanTest::noStdin, InputPlanTest::fail)));
    }

    @Test
    void aDashIsStandardInput() throws Exception
    {
        final Path file = write(dir.resolve("f.pcap"), 1, 3);
        final byte[] bytes = Files.readAllBytes(write(dir.resolve("g.pcap"), 2));

        assertEquals(List.of(1L, 2L, 3L), written(InputPlan.of(List.of(Path.of("-"), file), InputPlan.Mode.AUTO,
            () -> new ByteArrayInputStream(bytes), InputPlanTest::fail)));
    }

    /**
     * Frames of about 1 kB through linerate's own tcpdump-style writer ({@code -C 1}, {@code -W}
     * ring when {@code ring > 0}); frame i carries i in its first 8 bytes. Frames are 10 us apart but
     * the last of each file is time-stamped 25 us late, after the next file's first two.
     */
    private static int writeRotated(final Path base, final int ring, final int frames) throws IOException
    {
        try (RotatingPcapWriter writer = new RotatingPcapWriter(base, 1, ring, 65535, 1))
        {
            for (int i = 0; i < frames; i++)
            {
                final byte[] frame = new byte[FRAME];
                java.nio.ByteBuffer.wrap(frame).putLong(i);
                final long late = (i + 1) % FRAMES_PER_FILE == 0 ? 25_000 : 0;
                writer.write(T0 + i * 10_000L + late, FRAME, FRAME, frame);
            }
        }
        return frames;
    }

    /** A pcap of frames at these microseconds after {@link #T0}, each carrying its time in its first 8 bytes. */
    private static Path write(final Path path, final long... micros) throws IOException
    {
        try (RotatingPcapWriter writer = new RotatingPcapWriter(path, 0, 0, 65535, 1))
        {
            for (final long us : micros)
            {
                final byte[] frame = new byte[60];
                java.nio.ByteBuffer.wrap(frame).putLong(us);
                writer.write(T0 + us * 1000, frame.length, frame.length, frame);
            }
        }
        return path;
    }

    /** The number in the first 8 bytes of each frame, over every input of the plan in turn. */
    private static List<Long> written(final List<CaptureInput> plan) throws IOException
    {
        final List<Long> out = new ArrayList<>();
        final FrameSlot slot = new FrameSlot();
        for (final CaptureInput input : plan)
        {
            try (CaptureReader reader = input.open())
            {
                while (reader.next(slot))
                {
                    out.add(java.nio.ByteBuffer.wrap(slot.data).getLong(0));
                }
            }
        }
        return out;
    }

    private static java.io.InputStream noStdin()
    {
        return org.junit.jupiter.api.Assertions.fail("standard input was not asked for");
    }

    private static void fail(final CaptureFileException problem)
    {
        org.junit.jupiter.api.Assertions.fail(problem.getMessage());
    }
}
