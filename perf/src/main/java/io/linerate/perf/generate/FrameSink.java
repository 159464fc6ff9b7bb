package io.linerate.perf.generate;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where generated frames go: a pcap file ({@link PcapFileWriter}), or memory for benchmarks and
 * tests. Frames come in capture order with strictly increasing time stamps; the buffer is reused by
 * the generator, so a sink copies what it keeps.
 */
public interface FrameSink extends Closeable
{
    /**
     * One Ethernet frame, captured whole (the captured length is the length on the wire, without FCS).
     *
     * @param timestampMicros capture time, microseconds since the Unix epoch
     * @param frame           the frame bytes, valid during the call only
     * @param length          frame length in bytes
     */
    void frame(long timestampMicros, byte[] frame, int length) throws IOException;
}
