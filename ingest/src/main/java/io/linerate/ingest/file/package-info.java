/**
 * Capture-file readers: classic pcap (microsecond, nanosecond and Kuznetzov's modified format) and
 * pcapng, read through a sliding memory mapping so files of any size stream without being loaded.
 *
 * <p>{@link io.linerate.ingest.file.CaptureFiles#open(java.nio.file.Path)} recognises the format by
 * its magic number and returns a {@link io.linerate.ingest.file.CaptureReader}; each call to
 * {@link io.linerate.ingest.file.CaptureReader#next(io.linerate.ingest.ring.FrameSlot)} copies one
 * frame into a ring slot. Damage is reported as a
 * {@link io.linerate.ingest.file.CaptureFileException} with the byte offset where it lies, after every
 * intact frame before it has been returned.
 */
package io.linerate.ingest.file;
