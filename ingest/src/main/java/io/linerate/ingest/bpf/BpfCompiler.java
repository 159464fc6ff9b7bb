package io.linerate.ingest.bpf;

import io.linerate.ingest.libpcap.LibPcap;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compiles tcpdump filter expressions with libpcap's own compiler, so an expression means on replay
 * exactly what it means to {@code tcpdump -r}; the instructions are copied into a {@link BpfProgram}
 * and libpcap's copy is freed.
 *
 * <p>The handle compiled on is a savefile handle (an empty pcap file of the frames' link type), not
 * {@code pcap_open_dead}: libpcap's code generator treats captures read from files differently from
 * live ones where the operating system matters. On {@code LINKTYPE_NULL}, for one, the address
 * family of IPv6 differs between BSDs, and for a file every value is tried, for a live handle only the
 * host's ({@code tcpdump -r} keeps IPv6 frames of a macOS loopback capture that {@code pcap_open_dead}
 * would not).
 */
public final class BpfCompiler
{
    /** The snap length programs are compiled for; an accepting program returns it. */
    public static final int SNAPLEN = 262_144;

    private BpfCompiler()
    {
    }

    /**
     * Compiles {@code expression} (optimised, netmask unknown, as tcpdump compiles it) for frames of
     * {@code linkType} (a {@code LINKTYPE_*} value, as capture files hold it) read from a file.
     *
     * @throws BpfCompileException with libpcap's message when the expression does not compile for
     *                             that link type
     */
    public static BpfProgram compile(final String expression, final int linkType) throws BpfCompileException
    {
        final LibPcap pcap = LibPcap.get();
        // pcap_compile was not thread-safe before libpcap 1.8; one at a time costs nothing here.
        synchronized (BpfCompiler.class)
        {
            final Path empty;
            try
            {
                empty = emptyCapture(linkType);
            }
            catch (final IOException ex)
            {
                throw new BpfCompileException("cannot write a temporary file to compile the filter: " + ex.getMessage());
            }
            try
            {
                final Pointer errbuf = Memory.allocateDirect(LibPcap.runtime(), LibPcap.ERRBUF_SIZE, true);
                final Pointer handle = pcap.pcap_open_offline(empty.toString(), errbuf);
                if (handle == null)
                {
                    throw new BpfCompileException(errbuf.getString(0, LibPcap.ERRBUF_SIZE, StandardCharsets.UTF_8));
                }
                try
                {
                    return compile(pcap, handle, expression);
                }
                finally
                {
                    pcap.pcap_close(handle);
                }
            }
            finally
            {
                try
                {
                    Files.deleteIfExists(empty);
                }
                catch (final IOException ignored)
                {
                    // A leftover 24-byte file in the temporary directory harms nothing.
                }
            }
        }
    }

    private static BpfProgram compile(final LibPcap pcap, final Pointer handle, final String expression)
        throws BpfCompileException
    {
        final Pointer program = Memory.allocateDirect(LibPcap.runtime(), LibPcap.BPF_PROGRAM_SIZE, true);
        if (pcap.pcap_compile(handle, program, expression, 1, LibPcap.NETMASK_UNKNOWN) != 0)
        {
            throw new BpfCompileException(pcap.pcap_geterr(handle));
        }
        try
        {
            return copy(program);
        }
        finally
        {
            pcap.pcap_freecode(program);
        }
    }

    /** Copies libpcap's {@code struct bpf_program} (instructions in host byte order) into Java. */
    static BpfProgram copy(final Pointer program)
    {
        final int n = program.getInt(LibPcap.BPF_PROGRAM_LEN_OFFSET);
        final Pointer insns = program.getPointer(LibPcap.BPF_PROGRAM_INSNS_OFFSET);
        final short[] code = new short[n];
        final byte[] jt = new byte[n];
        final byte[] jf = new byte[n];
        final int[] k = new int[n];
        for (int i = 0; i < n; i++)
        {
            final long at = (long)i * LibPcap.BPF_INSN_SIZE;
            code[i] = insns.getShort(at);
            jt[i] = insns.getByte(at + 2);
            jf[i] = insns.getByte(at + 3);
            k[i] = insns.getInt(at + 4);
        }
        return new BpfProgram(code, jt, jf, k);
    }

    /** A pcap file header (host byte order, as libpcap writes one) and no packets. */
    private static Path emptyCapture(final int linkType) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        header.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(SNAPLEN)
            .putInt(linkType);
        final Path file = Files.createTempFile("linerate-bpf-", ".pcap");
        Files.write(file, header.array());
        return file;
    }
}
