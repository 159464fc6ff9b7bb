package io.linerate.ingest.file;

import io.linerate.ingest.ring.FrameSlot;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the frames of one capture file, in file order, into preallocated ring slots.
 *
 * <p>A reader fills only the capture metadata of a slot ({@code timestampNanos}, {@code captureLength},
 * {@code wireLength}, {@code linkType}, {@code interfaceId}, {@code frameNumber}, {@code fileOffset})
 * and copies the captured bytes once into {@code data}; it allocates nothing per frame. Frames are
 * numbered from 1 across the whole file, counting packet records only, as tcpdump and Wireshark
 * number them.
 *
 * <p>When the file is damaged, every intact frame before the damage is returned first; the call that
 * reaches the damage throws a {@link CaptureFileException} naming its byte offset, and so does every
 * later call ({@link #position()} stays at the damaged record).
 *
 * <p>Not thread-safe: a reader belongs to the capture thread, the ring's only producer. The file
 * must not shrink while it is read (a memory mapping over a truncated region faults).
 */
public interface CaptureReader extends AutoCloseable
{
    /**
     * Reads the next frame into {@code slot}.
     *
     * @return true when a frame was read, false at a clean end of file
     * @throws CaptureFileException when the next record is damaged or truncated, or the file cannot be read
     */
    boolean next(FrameSlot slot) throws CaptureFileException;

    /** Byte offset of the next record (pcap) or block (pcapng); the file size after the last one. */
    long position();

    /** The file being read, as it was given to {@link CaptureFiles#open(Path)}. */
    Path path();

    /** {@code "pcap"}, {@code "pcap-ns"} (nanosecond time stamps) or {@code "pcapng"}. */
    String format();

    /** Releases the mapping and closes the file. */
    @Override
    void close() throws IOException;
}
