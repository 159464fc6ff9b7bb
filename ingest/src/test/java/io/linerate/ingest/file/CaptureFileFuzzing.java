package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the pcap and pcapng fuzz tests check on any bytes: the file is read as {@code linerate replay}
 * reads it, through {@link CaptureFiles#open}, and every frame, the position and the damage found must
 * be the same whether the reader maps the file in one window or in windows smaller than a record (so
 * the remapping paths are taken). A reader may only return frames or throw {@link CaptureFileException};
 * every frame's bytes lie in its slot, in file order; after damage, every later call reports the same
 * offset (the reader's contract).
 */
final class CaptureFileFuzzing
{
    /** Smaller than most records: nearly every record and block is read from a window of its own. */
    private static final int SMALL_WINDOW = 64;

    private static final int MAPPINGS_BETWEEN_COLLECTIONS = 200;

    private final Path file;
    private long runs;

    CaptureFileFuzzing(final String name)
    {
        try
        {
            file = Files.createTempFile(name, ".cap");
            file.toFile().deleteOnExit();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** One frame as read: its metadata and a digest of its bytes. */
    record Frame(long timestampNanos, int captureLength, int wireLength, int linkType, int interfaceId,
        long frameNumber, long fileOffset, int bytesHash)
    {
    }

    /** All that a read of the file gives: the frames, then either a clean end or the damage. */
    record Reading(String format, List<Frame> frames, long endPosition, String damage, long damageOffset)
    {
    }

    void check(final byte[] bytes)
    {
        // The readers drop their mappings for the collector to unmap; fuzzing allocates too little for
        // it to run, and thousands of live mappings make each new one slower (and could reach the
        // kernel's limit, a failure that is the machine's, not the reader's).
        if (++runs % MAPPINGS_BETWEEN_COLLECTIONS == 0)
        {
            System.gc();
        }
        try
        {
            Files.write(file, bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Reading whole = read(bytes.length, MappedWindow.DEFAULT_SIZE);
        final Reading pieces = read(bytes.length, SMALL_WINDOW);
        assertEquals(whole, pieces, "the same file read through a 64 MiB window and a 64-byte one");
    }

    private Reading read(final long fileSize, final int windowSize)
    {
        final CaptureReader reader;
        try
        {
            reader = CaptureFiles.open(file, windowSize);
        }
        catch (final CaptureFileException ex)
        {
            return new Reading(null, List.of(), -1, ex.getMessage(), ex.offset());
        }
        final List<Frame> frames = new ArrayList<>();
        final FrameSlot slot = new FrameSlot();
        try (reader)
        {
            // A record is at least 12 bytes (a pcapng block; a pcap record header is 16): more frames
            // than that would mean a reader that does not move forward.
            final long mostFrames = fileSize / 12 + 1;
            long lastOffset = -1;
            while (true)
            {
                final long before = reader.position();
                try
                {
                    if (!reader.next(slot))
                    {
                        assertEquals(fileSize, reader.position(), "a clean end is at the end of the file");
                        return new Reading(reader.format(), frames, reader.position(), null, -1);
                    }
                }
                catch (final CaptureFileException ex)
                {
                    assertTrue(ex.offset() >= before && ex.offset() < fileSize,
                        "damage at " + ex.offset() + " lies at or after the last good record and inside the file");
                    assertTrue(reader.position() >= before && reader.position() <= ex.offset(),
                        "the position stays at the damaged record");
                    try
                    {
                        reader.next(slot);
                        fail("a read after damage must throw again");
                    }
                    catch (final CaptureFileException again)
                    {
                        assertEquals(ex.offset(), again.offset(), "every later call names the same offset");
                    }
                    return new Reading(reader.format(), frames, reader.position(), ex.getMessage(), ex.offset());
                }
                assertTrue(slot.captureLength >= 0 && slot.captureLength <= slot.data.length,
                    "captured bytes fit the slot: " + slot.captureLength);
                assertTrue(slot.wireLength >= 0, "wire length " + slot.wireLength);
                assertTrue(slot.fileOffset > lastOffset && slot.fileOffset >= before, "frames come in file order");
                assertTrue(reader.position() > slot.fileOffset && reader.position() <= fileSize,
                    "the position moves past the frame and stays inside the file");
                assertEquals(frames.size() + 1, slot.frameNumber, "frames are numbered from 1");
                assertTrue(frames.size() < mostFrames, "more frames than the file has room for");
                lastOffset = slot.fileOffset;
                frames.add(new Frame(slot.timestampNanos, slot.captureLength, slot.wireLength, slot.linkType,
                    slot.interfaceId, slot.frameNumber, slot.fileOffset,
                    Arrays.hashCode(Arrays.copyOf(slot.data, slot.captureLength))));
            }
        }
        catch (final IOException ex)
        {
            // Closing a read-only mapping cannot fail on a healthy machine.
            throw new UncheckedIOException(ex);
        }
    }
}
