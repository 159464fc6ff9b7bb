package io.linerate.ingest.live;

import io.linerate.ingest.libpcap.LibPcap;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The devices libpcap can capture on ({@code pcap_findalldevs}), listed the way {@code tcpdump -D}
 * lists them: {@code 1.eth0 [Up, Running, Connected]}.
 */
public final class CaptureDevices
{
    private static final int IF_LOOPBACK = 0x1;
    private static final int IF_UP = 0x2;
    private static final int IF_RUNNING = 0x4;
    private static final int IF_WIRELESS = 0x8;
    private static final int IF_CONNECTION_STATUS = 0x30;
    private static final int STATUS_UNKNOWN = 0x00;
    private static final int STATUS_CONNECTED = 0x10;
    private static final int STATUS_DISCONNECTED = 0x20;

    /** One device: its name, libpcap's description (may be null) and {@code PCAP_IF_*} flags. */
    public record Device(String name, String description, int flags)
    {
        /** The line {@code tcpdump -D} prints for the device, without its number. */
        public String describe()
        {
            final StringBuilder sb = new StringBuilder(name);
            if (description != null)
            {
                sb.append(" (").append(description).append(')');
            }
            if (flags == 0)
            {
                return sb.toString();
            }
            // tcpdump's show_devices_and_exit: the flag words in this order ("none" when there is
            // none), then the connection status unless it does not apply.
            final List<String> words = new ArrayList<>();
            if ((flags & IF_UP) != 0)
            {
                words.add("Up");
            }
            if ((flags & IF_RUNNING) != 0)
            {
                words.add("Running");
            }
            if ((flags & IF_LOOPBACK) != 0)
            {
                words.add("Loopback");
            }
            if ((flags & IF_WIRELESS) != 0)
            {
                words.add("Wireless");
            }
            sb.append(" [").append(words.isEmpty() ? "none" : String.join(", ", words));
            final boolean wireless = (flags & IF_WIRELESS) != 0;
            switch (flags & IF_CONNECTION_STATUS)
            {
                case STATUS_UNKNOWN:
                    sb.append(wireless ? ", Association status unknown" : ", Connection status unknown");
                    break;
                case STATUS_CONNECTED:
                    sb.append(wireless ? ", Associated" : ", Connected");
                    break;
                case STATUS_DISCONNECTED:
                    sb.append(wireless ? ", Not associated" : ", Disconnected");
                    break;
                default:
                    // Not applicable (loopback, the "any" device): nothing to say.
                    break;
            }
            sb.append(']');
            return sb.toString();
        }
    }

    private CaptureDevices()
    {
    }

    /**
     * The devices, in libpcap's order.
     *
     * @throws LiveCaptureException with libpcap's message when it cannot list them
     */
    public static List<Device> list() throws LiveCaptureException
    {
        final LibPcap pcap = LibPcap.get();
        final jnr.ffi.Runtime runtime = LibPcap.runtime();
        final Pointer head = Memory.allocateDirect(runtime, 8, true);
        final Pointer errbuf = Memory.allocateDirect(runtime, LibPcap.ERRBUF_SIZE, true);
        if (pcap.pcap_findalldevs(head, errbuf) != 0)
        {
            throw new LiveCaptureException(errbuf.getString(0, LibPcap.ERRBUF_SIZE, StandardCharsets.UTF_8));
        }
        final Pointer first = head.getPointer(0);
        final List<Device> out = new ArrayList<>();
        try
        {
            for (Pointer p = first; p != null; p = p.getPointer(LibPcap.IF_NEXT_OFFSET))
            {
                final Pointer name = p.getPointer(LibPcap.IF_NAME_OFFSET);
                final Pointer description = p.getPointer(LibPcap.IF_DESCRIPTION_OFFSET);
                out.add(new Device(name.getString(0), description == null ? null : description.getString(0),
                    p.getInt(LibPcap.IF_FLAGS_OFFSET)));
            }
        }
        finally
        {
            if (first != null)
            {
                pcap.pcap_freealldevs(first);
            }
        }
        return out;
    }
}
