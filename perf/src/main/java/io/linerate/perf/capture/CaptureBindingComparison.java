package io.linerate.perf.capture;

import io.linerate.decode.DecodedFrame;
import io.linerate.ingest.bpf.BpfCompiler;
import io.linerate.ingest.file.RotatingPcapWriter;
import io.linerate.ingest.live.CaptureDevices;
import io.linerate.ingest.live.LiveHandle;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * libpcap through jnr-ffi (linerate's {@link LiveHandle}: {@code pcap_next_ex}, one copy into a ring
 * slot) against pcap4j (JNA) for the same work: the per-frame cost of taking frames from libpcap,
 * measured on a capture file so that no device or traffic generator is in the way (libpcap's
 * {@code pcap_next_ex} is the same call on a file and on a device); the allocation per frame; and the
 * one-off calls, device listing and filter compilation.
 *
 * <pre>
 * java -cp perf/target/linerate-perf.jar io.linerate.perf.capture.CaptureBindingComparison [FRAMES]
 * </pre>
 */
public final class CaptureBindingComparison
{
    private CaptureBindingComparison()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")))
        {
            System.out.println("usage: CaptureBindingComparison [FRAMES]   (default 2000000 frames of 64 bytes)");
            return;
        }
        final int frames = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        final Path file = Files.createTempFile("linerate-binding-", ".pcap");
        try
        {
            write(file, frames);
            System.out.printf(Locale.ROOT, "%,d frames of 64 bytes, best of 5 passes each%n", frames);
            double bestJnr = Double.MAX_VALUE;
            double bestPcap4j = Double.MAX_VALUE;
            long jnrAlloc = 0;
            long pcap4jAlloc = 0;
            for (int pass = 0; pass < 5; pass++)
            {
                final long a0 = allocated();
                final long t0 = System.nanoTime();
                final long n1 = readWithJnr(file);
                final long t1 = System.nanoTime();
                final long a1 = allocated();
                final long n2 = readWithPcap4j(file);
                final long t2 = System.nanoTime();
                final long a2 = allocated();
                if (n1 != frames || n2 != frames)
                {
                    throw new IllegalStateException("read " + n1 + " and " + n2 + " frames of " + frames);
                }
                bestJnr = Math.min(bestJnr, (t1 - t0) / (double)frames);
                bestPcap4j = Math.min(bestPcap4j, (t2 - t1) / (double)frames);
                jnrAlloc = a1 - a0;
                pcap4jAlloc = a2 - a1;
            }
            System.out.printf(Locale.ROOT, "jnr-ffi pcap_next_ex + copy into a slot : %6.1f ns/frame  %5.1f B/frame allocated%n",
                bestJnr, jnrAlloc / (double)frames);
            System.out.printf(Locale.ROOT, "pcap4j getNextRawPacketEx + copy       : %6.1f ns/frame  %5.1f B/frame allocated%n",
                bestPcap4j, pcap4jAlloc / (double)frames);

            final String expression = "tcp[tcpflags] & tcp-rst != 0 or (host 10.0.0.1 and port 443)";
            System.out.printf(Locale.ROOT, "device list: jnr-ffi %.2f ms, pcap4j %.2f ms%n",
                best(() -> CaptureDevices.list()), best(() -> Pcaps.findAllDevs()));
            System.out.printf(Locale.ROOT, "filter compile: jnr-ffi %.2f ms, pcap4j %.2f ms%n",
                best(() -> BpfCompiler.compile(expression, 1)),
                best(() ->
                {
                    try (PcapHandle dead = Pcaps.openDead(org.pcap4j.packet.namednumber.DataLinkType.EN10MB, 262_144))
                    {
                        return dead.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE,
                            (java.net.Inet4Address)java.net.InetAddress.getByAddress(new byte[] {-1, -1, -1, -1}));
                    }
                }));
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    private static long readWithJnr(final Path file) throws Exception
    {
        final DecodedFrame slot = new DecodedFrame();
        long n = 0;
        try (LiveHandle h = LiveHandle.openFile(file))
        {
            while (h.next() == LiveHandle.FRAME)
            {
                h.copyInto(slot, ++n);
            }
        }
        return n;
    }

    private static long readWithPcap4j(final Path file) throws Exception
    {
        final DecodedFrame slot = new DecodedFrame();
        long n = 0;
        try (PcapHandle h = Pcaps.openOffline(file.toString()))
        {
            while (true)
            {
                final byte[] raw;
                try
                {
                    raw = h.getNextRawPacketEx();
                }
                catch (final java.io.EOFException ex)
                {
                    break;
                }
                System.arraycopy(raw, 0, slot.data, 0, raw.length);
                slot.captureLength = raw.length;
                slot.timestampNanos = h.getTimestamp().getTime() * 1_000_000L;
                slot.wireLength = h.getOriginalLength();
                n++;
            }
        }
        return n;
    }

    private static void write(final Path file, final int frames) throws Exception
    {
        final byte[] frame = new byte[64];
        frame[12] = 0x08;
        frame[14] = 0x45;
        try (RotatingPcapWriter w = new RotatingPcapWriter(file, 0, 0, 262_144, 1))
        {
            for (int i = 0; i < frames; i++)
            {
                frame[63] = (byte)i;
                w.write(1_700_000_000_000_000_000L + i * 1000L, 64, 64, frame);
            }
        }
    }

    interface Call
    {
        Object call() throws Exception;
    }

    /** Best of 20 calls, in milliseconds (after 5 to warm up). */
    private static double best(final Call c) throws Exception
    {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 25; i++)
        {
            final long t0 = System.nanoTime();
            c.call();
            final long t = System.nanoTime() - t0;
            if (i >= 5)
            {
                best = Math.min(best, t / 1e6);
            }
        }
        return best;
    }

    private static long allocated()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
