package io.linerate.ingest.live;

import com.kenai.jffi.MemoryIO;
import io.linerate.ingest.bpf.BpfCompileException;
import io.linerate.ingest.bpf.BpfCompiler;
import io.linerate.ingest.bpf.DataLinkTypes;
import io.linerate.ingest.libpcap.LibPcap;
import io.linerate.ingest.ring.FrameSlot;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * A libpcap capture handle on a live device, opened the way tcpdump opens one ({@code pcap_create},
 * snap length, promiscuous mode, immediate mode if asked, kernel buffer size, nanosecond time stamps,
 * {@code pcap_activate}, and the filter compiled on this handle and installed in the kernel with
 * {@code pcap_setfilter}).
 *
 * <p>The hot path is {@link #next()} then {@link #copyInto(FrameSlot)}: {@code pcap_next_ex} hands out
 * pointers into libpcap's memory-mapped ring (TPACKET_V3 on Linux), and the frame is copied once,
 * straight into a ring slot's array. The pointer slots it fills are native memory allocated once;
 * nothing is allocated per packet.
 *
 * <p>Belongs to the capture thread, except {@link #breakLoop()}, which any thread (a signal handler)
 * may call to make a blocked {@link #next()} return.
 */
public final class LiveHandle implements AutoCloseable
{
    /** {@link #next()}: a frame is ready to copy. */
    public static final int FRAME = 1;
    /** {@link #next()}: the read timeout passed without a frame. */
    public static final int TIMEOUT = 0;
    /** {@link #next()}: {@link #breakLoop()} was called. */
    public static final int BROKEN = -2;

    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final LibPcap pcap;
    private final Pointer handle;
    private final String device;
    private final int dlt;
    private final int snaplen;
    private final boolean nanosecondStamps;
    private final Pointer headerSlot;
    private final Pointer dataSlot;
    private final Pointer stats;
    private long headerAddress;
    private long dataAddress;
    private boolean closed;

    private LiveHandle(final LibPcap pcap, final Pointer handle, final String device, final boolean nanosecondStamps)
    {
        this.pcap = pcap;
        this.handle = handle;
        this.device = device;
        this.dlt = pcap.pcap_datalink(handle);
        this.snaplen = pcap.pcap_snapshot(handle);
        this.nanosecondStamps = nanosecondStamps;
        final jnr.ffi.Runtime runtime = LibPcap.runtime();
        this.headerSlot = Memory.allocateDirect(runtime, 8, true);
        this.dataSlot = Memory.allocateDirect(runtime, 8, true);
        this.stats = Memory.allocateDirect(runtime, LibPcap.STAT_SIZE, true);
    }

    /**
     * Opens and activates {@code device} ({@code any} for every interface, Linux cooked frames).
     *
     * @param immediate    hand each frame over as it arrives (TPACKET_V2: one slot of snap-length size a
     *                     frame, so a small buffer holds few frames) rather than a block at a time
     *                     (TPACKET_V3, frames packed, up to the read timeout late): tcpdump's --immediate-mode
     * @param bufferBytes  the kernel ring's size; 0 keeps libpcap's default (2 MiB)
     * @param timeoutMillis how long {@link #next()} waits for a frame before returning {@link #TIMEOUT}
     * @param filter       a tcpdump expression to install in the kernel, or null
     * @throws LiveCaptureException with libpcap's message when the device cannot be opened
     * @throws BpfCompileException  with libpcap's message when the filter does not compile for the device
     */
    public static LiveHandle open(final String device, final int snaplen, final boolean promiscuous,
        final boolean immediate, final int bufferBytes, final int timeoutMillis, final String filter) throws LiveCaptureException, BpfCompileException
    {
        final LibPcap pcap = LibPcap.get();
        final Pointer errbuf = Memory.allocateDirect(LibPcap.runtime(), LibPcap.ERRBUF_SIZE, true);
        final Pointer handle = pcap.pcap_create(device, errbuf);
        if (handle == null)
        {
            throw new LiveCaptureException(device + ": " + errbuf.getString(0, LibPcap.ERRBUF_SIZE, StandardCharsets.UTF_8));
        }
        boolean ok = false;
        try
        {
            check(pcap, handle, device, pcap.pcap_set_snaplen(handle, snaplen));
            check(pcap, handle, device, pcap.pcap_set_promisc(handle, promiscuous ? 1 : 0));
            // Off by default: blocks of packed frames are what keeps a 10GbE link within the buffer.
            check(pcap, handle, device, pcap.pcap_set_immediate_mode(handle, immediate ? 1 : 0));
            check(pcap, handle, device, pcap.pcap_set_timeout(handle, timeoutMillis));
            if (bufferBytes > 0)
            {
                check(pcap, handle, device, pcap.pcap_set_buffer_size(handle, bufferBytes));
            }
            final boolean nanos = pcap.pcap_set_tstamp_precision(handle, LibPcap.TSTAMP_PRECISION_NANO) == 0;
            final int activated = pcap.pcap_activate(handle);
            if (activated < 0)
            {
                // PCAP_ERROR (-1) carries its text in pcap_geterr; the others are described by pcap_statustostr.
                final String why = activated == -1 ? pcap.pcap_geterr(handle) : pcap.pcap_statustostr(activated) +
                    detail(pcap.pcap_geterr(handle));
                throw new LiveCaptureException(device + ": " + why);
            }
            final LiveHandle live = new LiveHandle(pcap, handle, device, nanos);
            if (filter != null)
            {
                live.setFilter(filter);
            }
            ok = true;
            return live;
        }
        finally
        {
            if (!ok)
            {
                pcap.pcap_close(handle);
            }
        }
    }

    /**
     * A handle on a capture file, read through the same calls as a device ({@code pcap_next_ex}, one
     * copy a frame): for measuring the binding's cost per frame without a device (perf).
     */
    public static LiveHandle openFile(final java.nio.file.Path file) throws LiveCaptureException
    {
        final LibPcap pcap = LibPcap.get();
        final Pointer errbuf = Memory.allocateDirect(LibPcap.runtime(), LibPcap.ERRBUF_SIZE, true);
        final Pointer handle = pcap.pcap_open_offline(file.toString(), errbuf);
        if (handle == null)
        {
            throw new LiveCaptureException(errbuf.getString(0, LibPcap.ERRBUF_SIZE, StandardCharsets.UTF_8));
        }
        return new LiveHandle(pcap, handle, file.toString(), false);
    }

    public String device()
    {
        return device;
    }

    /** The device's link type as a {@code LINKTYPE_*} value (what a pcap file says and the decoder takes). */
    public int linkType()
    {
        return DataLinkTypes.toLinkType(dlt);
    }

    /** The snap length libpcap settled on. */
    public int snaplen()
    {
        return snaplen;
    }

    /**
     * Waits for the next frame (up to the read timeout). On {@link #FRAME}, the frame stays valid until
     * the next call; {@link #captureLength()}, {@link #wireLength()} and {@link #timestampNanos()}
     * describe it and {@link #copyInto} copies it.
     *
     * @return {@link #FRAME}, {@link #TIMEOUT}, {@link #BROKEN}
     * @throws LiveCaptureException when libpcap reports an error (the device went away)
     */
    public int next() throws LiveCaptureException
    {
        final int rc = pcap.pcap_next_ex(handle, headerSlot, dataSlot);
        if (rc == 1)
        {
            headerAddress = headerSlot.getAddress(0);
            dataAddress = dataSlot.getAddress(0);
            return FRAME;
        }
        if (rc == -1)
        {
            throw new LiveCaptureException(device + ": " + pcap.pcap_geterr(handle));
        }
        // -2 is also the end of a file opened with openFile.
        return rc == 0 ? TIMEOUT : BROKEN;
    }

    public int captureLength()
    {
        return MEMORY.getInt(headerAddress + LibPcap.PKTHDR_CAPLEN_OFFSET);
    }

    public int wireLength()
    {
        return MEMORY.getInt(headerAddress + LibPcap.PKTHDR_LEN_OFFSET);
    }

    public long timestampNanos()
    {
        final long seconds = MEMORY.getLong(headerAddress + LibPcap.PKTHDR_TV_SEC_OFFSET);
        final long fraction = MEMORY.getLong(headerAddress + LibPcap.PKTHDR_TV_FRAC_OFFSET);
        return seconds * 1_000_000_000L + (nanosecondStamps ? fraction : fraction * 1_000L);
    }

    /** Copies the current frame's bytes into {@code slot.data} and fills its capture metadata. */
    public void copyInto(final FrameSlot slot, final long frameNumber)
    {
        final int caplen = captureLength();
        slot.ensureCapacity(caplen);
        MEMORY.getByteArray(dataAddress, slot.data, 0, caplen);
        slot.captureLength = caplen;
        slot.wireLength = wireLength();
        slot.timestampNanos = timestampNanos();
        slot.linkType = linkType();
        slot.interfaceId = 0;
        slot.frameNumber = frameNumber;
        slot.fileOffset = -1;
    }

    /** Copies the current frame's bytes into {@code into} (at least {@link #captureLength()} long). */
    public void copyInto(final byte[] into)
    {
        MEMORY.getByteArray(dataAddress, into, 0, captureLength());
    }

    /**
     * The kernel's counters since the handle was activated ({@code pcap_stats}): {@code [0]} frames
     * received (that passed the filter), {@code [1]} dropped for lack of room in the kernel buffer,
     * {@code [2]} dropped by the interface or its driver. Unsigned 32-bit values, as the kernel keeps them.
     */
    public void stats(final long[] into)
    {
        if (pcap.pcap_stats(handle, stats) == 0)
        {
            into[0] = stats.getInt(LibPcap.STAT_RECV_OFFSET) & 0xFFFF_FFFFL;
            into[1] = stats.getInt(LibPcap.STAT_DROP_OFFSET) & 0xFFFF_FFFFL;
            into[2] = stats.getInt(LibPcap.STAT_IFDROP_OFFSET) & 0xFFFF_FFFFL;
        }
    }

    /** Makes a {@link #next()} that waits, or the next one, return {@link #BROKEN}. Any thread. */
    public void breakLoop()
    {
        pcap.pcap_breakloop(handle);
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            pcap.pcap_close(handle);
        }
    }

    private void setFilter(final String expression) throws BpfCompileException
    {
        // Compiled on this handle: the kernel runs exactly the program libpcap makes for this device
        // (on Linux with its VLAN and packet-type extensions), then libpcap's copy is freed.
        final Pointer program = Memory.allocateDirect(LibPcap.runtime(), LibPcap.BPF_PROGRAM_SIZE, true);
        if (pcap.pcap_compile(handle, program, expression, 1, LibPcap.NETMASK_UNKNOWN) != 0)
        {
            throw new BpfCompileException(pcap.pcap_geterr(handle));
        }
        try
        {
            if (pcap.pcap_setfilter(handle, program) != 0)
            {
                throw new BpfCompileException(device + ": " + pcap.pcap_geterr(handle));
            }
        }
        finally
        {
            pcap.pcap_freecode(program);
        }
    }

    private static void check(final LibPcap pcap, final Pointer handle, final String device, final int rc)
        throws LiveCaptureException
    {
        if (rc != 0)
        {
            throw new LiveCaptureException(device + ": " + pcap.pcap_statustostr(rc));
        }
    }

    private static String detail(final String geterr)
    {
        return geterr == null || geterr.isEmpty() ? "" : " (" + geterr + ")";
    }
}
