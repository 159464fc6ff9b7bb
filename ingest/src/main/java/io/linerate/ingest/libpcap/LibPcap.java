package io.linerate.ingest.libpcap;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * The part of libpcap's C API that linerate calls, bound through jnr-ffi. Loaded once, from Debian's
 * {@code libpcap0.8} ({@code libpcap.so.0.8}; {@code libpcap.so} when only that is present).
 *
 * <p>Pointers to libpcap's structures ({@code pcap_t}, {@code struct bpf_program},
 * {@code struct pcap_pkthdr}) are opaque {@link Pointer}s or raw addresses; their layouts on LP64
 * Linux are the constants below. Functions that return {@code const char *} (error text) map to
 * {@link String}: only ever called off the hot path.
 */
public interface LibPcap
{
    /** {@code PCAP_ERRBUF_SIZE}: the error buffer that pcap_create and pcap_findalldevs fill. */
    int ERRBUF_SIZE = 256;
    /** {@code PCAP_NETMASK_UNKNOWN}: the netmask for pcap_compile when none is known. */
    int NETMASK_UNKNOWN = 0xFFFFFFFF;
    /** {@code PCAP_TSTAMP_PRECISION_NANO}. */
    int TSTAMP_PRECISION_NANO = 1;
    /** {@code PCAP_WARNING} and above are warnings from pcap_activate; negative values are errors. */
    int WARNING = 1;

    /** {@code struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }}: 16 bytes on LP64. */
    int BPF_PROGRAM_SIZE = 16;
    int BPF_PROGRAM_LEN_OFFSET = 0;
    int BPF_PROGRAM_INSNS_OFFSET = 8;
    /** {@code struct bpf_insn { u_short code; u_char jt; u_char jf; bpf_u_int32 k; }}: 8 bytes. */
    int BPF_INSN_SIZE = 8;

    /** {@code struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; }} on LP64. */
    int PKTHDR_TV_SEC_OFFSET = 0;
    int PKTHDR_TV_FRAC_OFFSET = 8;
    int PKTHDR_CAPLEN_OFFSET = 16;
    int PKTHDR_LEN_OFFSET = 20;

    /** {@code struct pcap_stat { u_int ps_recv; u_int ps_drop; u_int ps_ifdrop; }}. */
    int STAT_SIZE = 16;
    int STAT_RECV_OFFSET = 0;
    int STAT_DROP_OFFSET = 4;
    int STAT_IFDROP_OFFSET = 8;

    /** {@code struct pcap_if { next; name; description; addresses; bpf_u_int32 flags; }} on LP64. */
    int IF_NEXT_OFFSET = 0;
    int IF_NAME_OFFSET = 8;
    int IF_DESCRIPTION_OFFSET = 16;
    int IF_FLAGS_OFFSET = 32;

    Pointer pcap_open_dead(int linktype, int snaplen);

    Pointer pcap_open_offline(String path, Pointer errbuf);

    int pcap_compile(Pointer p, Pointer program, String expression, int optimize, int netmask);

    void pcap_freecode(Pointer program);

    String pcap_geterr(Pointer p);

    String pcap_statustostr(int status);

    String pcap_lib_version();

    void pcap_close(Pointer p);

    Pointer pcap_create(String source, Pointer errbuf);

    int pcap_set_snaplen(Pointer p, int snaplen);

    int pcap_set_promisc(Pointer p, int promisc);

    int pcap_set_immediate_mode(Pointer p, int immediate);

    int pcap_set_buffer_size(Pointer p, int bytes);

    int pcap_set_timeout(Pointer p, int milliseconds);

    int pcap_set_tstamp_precision(Pointer p, int precision);

    int pcap_activate(Pointer p);

    int pcap_datalink(Pointer p);

    int pcap_snapshot(Pointer p);

    int pcap_setfilter(Pointer p, Pointer program);

    /**
     * The hot path: fills {@code header} and {@code data} (each a pointer-sized slot of native memory
     * owned by the caller) with the addresses of the next packet's header and bytes, valid until the
     * next call. 1 a packet, 0 the timeout passed, -1 an error, -2 pcap_breakloop was called.
     */
    int pcap_next_ex(Pointer p, Pointer header, Pointer data);

    int pcap_stats(Pointer p, Pointer stats);

    void pcap_breakloop(Pointer p);

    int pcap_findalldevs(Pointer alldevs, Pointer errbuf);

    void pcap_freealldevs(Pointer alldevs);

    /** The library, loaded on first use. */
    static LibPcap get()
    {
        return Holder.LIBPCAP;
    }

    /** The jnr-ffi runtime the library was loaded into, for allocating native memory to pass it. */
    static jnr.ffi.Runtime runtime()
    {
        return jnr.ffi.Runtime.getRuntime(Holder.LIBPCAP);
    }

    /** Lazy holder: the library is loaded the first time linerate needs it, never for a plain replay. */
    final class Holder
    {
        static final LibPcap LIBPCAP = load();

        private Holder()
        {
        }

        private static LibPcap load()
        {
            UnsatisfiedLinkError first = null;
            for (final String name : new String[] {"libpcap.so.0.8", "pcap"})
            {
                try
                {
                    return LibraryLoader.create(LibPcap.class).failImmediately().load(name);
                }
                catch (final UnsatisfiedLinkError ex)
                {
                    first = first == null ? ex : first;
                }
            }
            throw new UnsatisfiedLinkError("libpcap not found (Debian: apt-get install libpcap0.8): " +
                (first == null ? "" : first.getMessage()));
        }
    }
}
