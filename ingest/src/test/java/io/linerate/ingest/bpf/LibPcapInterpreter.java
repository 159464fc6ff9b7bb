package io.linerate.ingest.bpf;

import io.linerate.ingest.libpcap.LibPcap;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * libpcap's own validator and interpreter ({@code bpf_validate}, {@code bpf_filter}: what
 * {@code tcpdump -r} filters with), the reference the BPF fuzz test compares {@link BpfProgram} and
 * {@link BpfMachine} with. Not thread-safe: one native buffer for the program and one for the frame.
 */
final class LibPcapInterpreter
{
    /** The two functions, from the libpcap that {@link LibPcap} loads. */
    public interface Functions
    {
        int bpf_validate(Pointer instructions, int length);

        int bpf_filter(Pointer instructions, Pointer frame, int wireLength, int capturedLength);
    }

    private final Functions functions;
    private final Pointer program;
    private final Pointer frame;

    LibPcapInterpreter(final int maxInstructions, final int maxFrame)
    {
        Functions loaded = null;
        UnsatisfiedLinkError failure = null;
        for (final String name : new String[] {"libpcap.so.0.8", "pcap"})
        {
            try
            {
                loaded = LibraryLoader.create(Functions.class).failImmediately().load(name);
                break;
            }
            catch (final UnsatisfiedLinkError ex)
            {
                failure = ex;
            }
        }
        if (loaded == null)
        {
            throw failure;
        }
        functions = loaded;
        final jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(functions);
        program = Memory.allocateDirect(runtime, maxInstructions * LibPcap.BPF_INSN_SIZE, true);
        frame = Memory.allocateDirect(runtime, Math.max(1, maxFrame), true);
    }

    private void load(final short[] code, final byte[] jt, final byte[] jf, final int[] k)
    {
        for (int pc = 0; pc < code.length; pc++)
        {
            final long at = (long)pc * LibPcap.BPF_INSN_SIZE;
            program.putShort(at, code[pc]);
            program.putByte(at + 2, jt[pc]);
            program.putByte(at + 3, jf[pc]);
            program.putInt(at + 4, k[pc]);
        }
    }

    /** libpcap's {@code bpf_validate} of the program. */
    boolean validates(final short[] code, final byte[] jt, final byte[] jf, final int[] k)
    {
        load(code, jt, jf, k);
        return functions.bpf_validate(program, code.length) != 0;
    }

    /**
     * libpcap's {@code bpf_filter} of a program it validated over {@code data[0, capturedLength)}.
     * Only for programs of existing opcodes: libpcap 1.10 aborts the process on any other.
     */
    int filter(final short[] code, final byte[] jt, final byte[] jf, final int[] k,
        final byte[] data, final int capturedLength, final int wireLength)
    {
        load(code, jt, jf, k);
        frame.put(0, data, 0, capturedLength);
        return functions.bpf_filter(program, frame, wireLength, capturedLength);
    }
}
