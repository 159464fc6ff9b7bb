package io.linerate.ingest.bpf;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static io.linerate.ingest.bpf.BpfProgram.A;
import static io.linerate.ingest.bpf.BpfProgram.ALU;
import static io.linerate.ingest.bpf.BpfProgram.DIV;
import static io.linerate.ingest.bpf.BpfProgram.JA;
import static io.linerate.ingest.bpf.BpfProgram.JMP;
import static io.linerate.ingest.bpf.BpfProgram.K;
import static io.linerate.ingest.bpf.BpfProgram.LD;
import static io.linerate.ingest.bpf.BpfProgram.LDX;
import static io.linerate.ingest.bpf.BpfProgram.LSH;
import static io.linerate.ingest.bpf.BpfProgram.MEM;
import static io.linerate.ingest.bpf.BpfProgram.MEMWORDS;
import static io.linerate.ingest.bpf.BpfProgram.MOD;
import static io.linerate.ingest.bpf.BpfProgram.RET;
import static io.linerate.ingest.bpf.BpfProgram.RSH;
import static io.linerate.ingest.bpf.BpfProgram.ST;
import static io.linerate.ingest.bpf.BpfProgram.STX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the BPF validator and interpreter against libpcap's own ({@code bpf_validate} and
 * {@code bpf_filter}, what {@code tcpdump -r} filters with).
 *
 * <p>An input is a program and a frame:
 * <pre>
 *  0 flags: bit 7 set = make the program valid; bits 0-5 = instructions - 1 (1 to 64)
 *  1 wire length beyond the captured bytes, u16 big-endian
 *  3 the instructions, 8 bytes each as libpcap lays out struct bpf_insn on this machine
 *    (code u16, jt u8, jf u8, k u32, little-endian), fewer when the input ends first
 *  . the frame: the rest of the input
 * </pre>
 * A program taken as it is must be accepted by {@link BpfProgram} exactly when it is valid by
 * {@link ClassicBpfRules} (libpcap's rules, stated independently), and then by the installed libpcap's
 * {@code bpf_validate} too. A program made valid (every opcode mapped onto an existing one, jumps
 * and memory indices into range, a return at the end) must be accepted. Every accepted program runs
 * on {@link BpfMachine} and on libpcap's interpreter, both after 16 instructions that zero the
 * scratch memory (libpcap's is not initialised, so a load before a store would read garbage), and
 * both must return the same.
 */
class BpfMachineFuzzTest
{
    private static final int MAX_INSTRUCTIONS = 64;
    private static final int MAX_FRAME = 4096;
    private static final int HEADER = 3;

    private static final LibPcapInterpreter LIBPCAP = new LibPcapInterpreter(MAX_INSTRUCTIONS + MEMWORDS, MAX_FRAME);
    private final BpfMachine machine = new BpfMachine();

    @FuzzTest(maxDuration = "10s")
    void programAndFrame(final byte[] input)
    {
        if (input.length < HEADER)
        {
            return;
        }
        final boolean makeValid = (input[0] & 0x80) != 0;
        final int n = Math.min((input[0] & 0x3F) + 1, (input.length - HEADER) / 8);
        if (n == 0)
        {
            return;
        }
        final int extraWire = (input[1] & 0xFF) << 8 | input[2] & 0xFF;
        final short[] code = new short[n];
        final byte[] jt = new byte[n];
        final byte[] jf = new byte[n];
        final int[] k = new int[n];
        for (int pc = 0; pc < n; pc++)
        {
            final int at = HEADER + pc * 8;
            code[pc] = (short)(input[at] & 0xFF | (input[at + 1] & 0xFF) << 8);
            jt[pc] = input[at + 2];
            jf[pc] = input[at + 3];
            k[pc] = input[at + 4] & 0xFF | (input[at + 5] & 0xFF) << 8 | (input[at + 6] & 0xFF) << 16 |
                (input[at + 7] & 0xFF) << 24;
        }
        final int frameStart = HEADER + n * 8;
        final byte[] frame = Arrays.copyOfRange(input, frameStart, Math.min(input.length, frameStart + MAX_FRAME));

        if (makeValid)
        {
            makeValid(code, jt, jf, k);
        }
        final boolean valid = ClassicBpfRules.valid(code, jt, jf, k);
        BpfProgram program = null;
        try
        {
            program = new BpfProgram(code, jt, jf, k);
        }
        catch (final IllegalArgumentException refused)
        {
            // Judged below.
        }
        assertEquals(valid, program != null,
            () -> "BpfProgram and libpcap's rules disagree on " + describe(code, jt, jf, k));
        if (program == null)
        {
            return;
        }
        assertTrue(LIBPCAP.validates(code, jt, jf, k),
            () -> "libpcap's bpf_validate refuses " + describe(code, jt, jf, k));

        final int wireLength = frame.length + extraWire;
        final short[] zeroedCode = zeroMemoryFirst(code);
        final byte[] zeroedJt = prefixed(jt);
        final byte[] zeroedJf = prefixed(jf);
        final int[] zeroedK = zeroMemoryFirstK(k);
        final BpfProgram zeroed = new BpfProgram(zeroedCode, zeroedJt, zeroedJf, zeroedK);
        final int ours = machine.run(zeroed, frame, frame.length, wireLength);
        final int libpcap = LIBPCAP.filter(zeroedCode, zeroedJt, zeroedJf, zeroedK, frame, frame.length, wireLength);
        assertEquals(libpcap, ours, () -> "BpfMachine and libpcap's bpf_filter return different values for " +
            describe(code, jt, jf, k) + " on " + frame.length + " bytes, wire length " + wireLength);
    }

    /** Maps every instruction onto a valid one: existing opcode, k and jumps in range, a return last. */
    private static void makeValid(final short[] code, final byte[] jt, final byte[] jf, final int[] k)
    {
        final int n = code.length;
        for (int pc = 0; pc < n; pc++)
        {
            final int room = n - pc - 1;
            final int opcodes = ClassicBpfRules.OPCODES.length;
            int c = ClassicBpfRules.OPCODES[Integer.remainderUnsigned(code[pc] & 0xFFFF, opcodes)];
            if ((c & 0x07) == JMP && room == 0 || pc == n - 1)
            {
                c = (code[pc] & 1) == 0 ? RET | K : RET | A;
            }
            code[pc] = (short)c;
            if (c == (LD | MEM) || c == (LDX | MEM) || c == ST || c == STX)
            {
                k[pc] = Integer.remainderUnsigned(k[pc], MEMWORDS);
            }
            else if ((c == (ALU | DIV | K) || c == (ALU | MOD | K)) && k[pc] == 0)
            {
                k[pc] = 1;
            }
            else if (c == (ALU | LSH | K) || c == (ALU | RSH | K))
            {
                k[pc] &= 31;
            }
            else if (c == (JMP | JA))
            {
                k[pc] = Integer.remainderUnsigned(k[pc], room);
            }
            else if ((c & 0x07) == JMP)
            {
                jt[pc] = (byte)((jt[pc] & 0xFF) % room);
                jf[pc] = (byte)((jf[pc] & 0xFF) % room);
            }
        }
    }

    /** The program after {@code ST 0} .. {@code ST 15} (A is 0 at the start): its jumps are relative, so they hold. */
    private static short[] zeroMemoryFirst(final short[] code)
    {
        final short[] all = new short[MEMWORDS + code.length];
        Arrays.fill(all, 0, MEMWORDS, (short)ST);
        System.arraycopy(code, 0, all, MEMWORDS, code.length);
        return all;
    }

    private static int[] zeroMemoryFirstK(final int[] k)
    {
        final int[] all = new int[MEMWORDS + k.length];
        for (int i = 0; i < MEMWORDS; i++)
        {
            all[i] = i;
        }
        System.arraycopy(k, 0, all, MEMWORDS, k.length);
        return all;
    }

    private static byte[] prefixed(final byte[] jumps)
    {
        final byte[] all = new byte[MEMWORDS + jumps.length];
        System.arraycopy(jumps, 0, all, MEMWORDS, jumps.length);
        return all;
    }

    private static String describe(final short[] code, final byte[] jt, final byte[] jf, final int[] k)
    {
        final StringBuilder text = new StringBuilder("the program");
        for (int pc = 0; pc < code.length; pc++)
        {
            text.append(String.format(" { 0x%x, %d, %d, 0x%08x }",
                code[pc] & 0xFFFF, jt[pc] & 0xFF, jf[pc] & 0xFF, k[pc]));
        }
        return text.toString();
    }
}
