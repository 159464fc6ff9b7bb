package io.linerate.ops.cli;

import java.nio.file.Path;

/**
 * A validated {@code linerate capture} command line: the pipeline's settings (shared with replay;
 * {@code pipeline.files()} is empty, {@code pipeline.count()} counts captured frames, and
 * {@code pipeline.filter()} is installed in the kernel) and the device's.
 *
 * @param device          the interface ({@code any} for all)
 * @param snaplen         bytes kept of each frame
 * @param promiscuous     put the interface in promiscuous mode
 * @param immediate       hand frames over one by one as they arrive (tcpdump's --immediate-mode)
 * @param bufferBytes     the kernel capture buffer
 * @param cpu             the CPU the capture thread is pinned to, -1 not pinned
 * @param durationNanos   stop after this long, {@link Long#MAX_VALUE} no limit
 * @param write           {@code -w}: where the frames are also written as pcap, null none
 * @param fileSizeMegabytes {@code -C}: rotate once a file is larger (million bytes), 0 never
 * @param fileCount       {@code -W}: files kept in the rotation, 0 no limit
 * @param user            {@code -Z}: the user to become once the device is open, null stay
 */
public record CaptureOptions(
    ReplayOptions pipeline,
    String device,
    int snaplen,
    boolean promiscuous,
    boolean immediate,
    int bufferBytes,
    int cpu,
    long durationNanos,
    Path write,
    long fileSizeMegabytes,
    int fileCount,
    String user)
{
}
