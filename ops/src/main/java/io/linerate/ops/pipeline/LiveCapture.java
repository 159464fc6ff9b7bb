package io.linerate.ops.pipeline;

import com.lmax.disruptor.RingBuffer;
import io.linerate.decode.DecodedFrame;
import io.linerate.ingest.bpf.BpfCompileException;
import io.linerate.ingest.file.RotatingPcapWriter;
import io.linerate.ingest.live.CaptureLoop;
import io.linerate.ingest.live.LiveCaptureException;
import io.linerate.ingest.live.LiveHandle;
import io.linerate.ingest.os.CpuAffinity;
import io.linerate.ingest.os.Privileges;
import io.linerate.ingest.ring.FrameStage;
import io.linerate.ops.cli.CaptureOptions;
import io.linerate.ops.metrics.MetricsRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code linerate capture}'s source of frames for the {@link Replay} pipeline: the device opened with
 * libpcap (as root, or with CAP_NET_RAW), root given up right after ({@code -Z}), the {@code -w}
 * file opened as the user left, and a {@link CaptureLoop} on the calling thread (pinned with
 * {@code --cpu}) until {@code -c}, {@code --duration}, SIGINT or SIGTERM.
 */
public final class LiveCapture implements AutoCloseable
{
    private static final int READ_TIMEOUT_MILLIS = 100;

    private final CaptureOptions options;
    private final LiveHandle handle;
    private final RotatingPcapWriter writer;
    private final CaptureLoop loop;
    private final PrintStream err;
    private final long[] kernel = new long[3];
    private long startedNanos;
    private long elapsedNanos;
    private boolean failed;

    private LiveCapture(final CaptureOptions options, final LiveHandle handle, final RotatingPcapWriter writer,
        final PrintStream err)
    {
        this.options = options;
        this.handle = handle;
        this.writer = writer;
        this.err = err;
        this.loop = new CaptureLoop(handle, options.pipeline().count(), options.durationNanos(), writer);
    }

    /**
     * Opens the device, gives up root when asked, opens the {@code -w} file.
     *
     * @throws LiveCaptureException with libpcap's message when the device cannot be opened
     * @throws BpfCompileException  with libpcap's message when the filter does not compile for it
     */
    public static LiveCapture open(final CaptureOptions options, final PrintStream err)
        throws LiveCaptureException, BpfCompileException, IOException
    {
        // The capture thread is pinned when it starts capturing, after the pipeline's threads exist
        // (they would inherit the mask); a CPU this process may not use is refused now.
        if (options.cpu() >= 0 && !CpuAffinity.currentThreadCpus().get(options.cpu()))
        {
            throw new IllegalStateException("CPU " + options.cpu() + " is not available to this process (" +
                CpuAffinity.currentThreadCpus() + ")");
        }
        final LiveHandle handle = LiveHandle.open(options.device(), options.snaplen(), options.promiscuous(),
            options.immediate(), options.bufferBytes(), READ_TIMEOUT_MILLIS, options.pipeline().filter());
        RotatingPcapWriter writer = null;
        try
        {
            if (options.user() != null)
            {
                // The device is open: nothing further needs root (tcpdump -Z).
                Privileges.dropTo(options.user());
            }
            if (options.write() != null)
            {
                writer = new RotatingPcapWriter(options.write(), options.fileSizeMegabytes(), options.fileCount(),
                    handle.snaplen(), handle.linkType());
            }
            final LiveCapture capture = new LiveCapture(options, handle, writer, err);
            err.printf(Locale.ROOT, "linerate: listening on %s, link-type %s, snapshot length %d bytes%n",
                options.device(), LinkTypeNames.name(handle.linkType()), handle.snaplen());
            return capture;
        }
        catch (final IOException | RuntimeException ex)
        {
            handle.close();
            if (writer != null)
            {
                writer.close();
            }
            throw ex;
        }
    }

    /**
     * Captures into the ring on this thread until a stop condition: {@code -c}, {@code --duration}, or
     * {@link #stop()} (which the run's stop request calls: the first SIGINT or SIGTERM, and a second one
     * exits at once, as for a replay).
     *
     * @param stage work on each frame before it is published (decoding, with {@code --decoders 0})
     * @return a claimed sequence for the end-of-input slot, or -1 when none is claimed
     */
    long capture(final RingBuffer<DecodedFrame> ring, final long claimed, final FrameStage<DecodedFrame> stage)
    {
        if (options.cpu() >= 0)
        {
            CpuAffinity.pinCurrentThread(options.cpu());
        }
        startedNanos = System.nanoTime();
        // libpcap on Linux may wait in poll() past its read timeout when no frame passes the filter;
        // the duration is kept by a timer that breaks the loop.
        final Thread timer = options.durationNanos() == Long.MAX_VALUE ? null : new Thread(() ->
        {
            try
            {
                Thread.sleep(options.durationNanos() / 1_000_000, (int)(options.durationNanos() % 1_000_000));
                loop.stop();
            }
            catch (final InterruptedException ex)
            {
                // The capture ended first.
            }
        }, "linerate-capture-timer");
        if (timer != null)
        {
            timer.setDaemon(true);
            timer.start();
        }
        try
        {
            return loop.run(ring, claimed, stage);
        }
        catch (final LiveCaptureException | IOException ex)
        {
            failed = true;
            err.println("linerate: " + ex.getMessage());
            return ring.next();
        }
        finally
        {
            elapsedNanos = System.nanoTime() - startedNanos;
            if (timer != null)
            {
                timer.interrupt();
            }
            handle.stats(kernel);
        }
    }

    /** Ends the capture soon, from any thread (a stop request, a pipeline thread that failed). */
    void stop()
    {
        loop.stop();
    }

    /** Frames published into the ring. */
    long published()
    {
        return loop.published();
    }

    long wireBytes()
    {
        return loop.wireBytes();
    }

    /** Frames dropped because the ring was full. */
    public long ringDrops()
    {
        return loop.ringDrops();
    }

    /** Frames the kernel dropped for lack of buffer ({@code pcap_stats}' ps_drop). */
    public long kernelDrops()
    {
        return kernel[1];
    }

    /** Frames the interface or its driver dropped ({@code pcap_stats}' ps_ifdrop). */
    public long interfaceDrops()
    {
        return kernel[2];
    }

    /** The device captured on. */
    public String device()
    {
        return options.device();
    }

    /** True when the device failed during the capture (it went away). */
    boolean failed()
    {
        return failed;
    }

    /** Adds the capture's counters to the metrics endpoint's registry. */
    void register(final MetricsRegistry metrics)
    {
        metrics
            .counter("linerate_capture_frames_total", "Frames libpcap handed to the capture thread", loop::captured)
            .counter("linerate_capture_ring_drops_total", "Captured frames dropped because the ring was full",
                loop::ringDrops)
            .counter("linerate_capture_kernel_drops_total", "Frames the kernel dropped for want of buffer (pcap_stats)",
                loop::kernelDrops)
            .counter("linerate_capture_interface_drops_total", "Frames the interface or driver dropped (pcap_stats)",
                loop::interfaceDrops);
    }

    /** The capture's own lines: what was captured and dropped where, like tcpdump's closing report. */
    void report(final PrintStream out)
    {
        final double seconds = elapsedNanos / 1e9;
        out.printf(Locale.ROOT, "capture %s: %,d frames captured in %.3f s, %,d analysed%n", options.device(),
            loop.captured(), seconds, loop.published());
        out.printf(Locale.ROOT, "drops: ring %,d  kernel %,d  interface %,d  (kernel received %,d)%n",
            loop.ringDrops(), kernel[1], kernel[2], kernel[0]);
        if (writer != null)
        {
            out.printf(Locale.ROOT, "written: %s (%d file%s opened)%n", options.write(), writer.filesOpened(),
                writer.filesOpened() == 1 ? "" : "s");
        }
    }

    @Override
    public void close() throws IOException
    {
        handle.close();
        if (writer != null)
        {
            writer.close();
        }
    }
}
