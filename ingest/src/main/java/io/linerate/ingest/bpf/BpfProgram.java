package io.linerate.ingest.bpf;

/**
 * A classic BPF program (the {@code struct bpf_insn} array that libpcap's pcap_compile produces, the
 * language of McCanne and Jacobson's 1993 BPF paper), checked once so that {@link BpfMachine} can run
 * it without a bounds check on the program itself.
 *
 * <pre>
 *  struct bpf_insn:  0      2    3    4                 8
 *                    +------+----+----+-----------------+
 *                    | code | jt | jf |        k        |
 *                    +------+----+----+-----------------+
 *  code = class (3 bits) | size or ALU/JMP op | mode or source
 * </pre>
 *
 * <p>The checks are those of libpcap's {@code bpf_validate}: every opcode is a classic one, every
 * jump goes forward and lands inside the program, scratch memory indices are below
 * {@link #MEMWORDS}, a division or modulo by the constant zero and a constant shift of 32 or more are
 * refused, the last instruction returns (K or A), and there are at most {@link #MAXINSNS}
 * instructions. With forward jumps only, a run ends after at most
 * {@link #length()} instructions.
 */
public final class BpfProgram
{
    /** {@code BPF_MEMWORDS}: scratch memory words. */
    public static final int MEMWORDS = 16;
    /** {@code BPF_MAXINSNS}: the longest program libpcap's validator accepts. */
    public static final int MAXINSNS = 4096;

    // Instruction classes, sizes, modes, operations and sources of <pcap/bpf.h>.
    public static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
    public static final int W = 0x00, H = 0x08, B = 0x10;
    public static final int IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
    public static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60,
        RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0;
    public static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
    public static final int K = 0x00, X = 0x08, A = 0x10;
    public static final int TAX = 0x00, TXA = 0x80;

    final short[] code;
    final int[] jt;
    final int[] jf;
    final int[] k;

    /**
     * @param instructions the program as libpcap lays it out: 8 bytes an instruction, host byte order
     *                     for {@code code} and {@code k} (read by the caller into these arrays)
     * @throws IllegalArgumentException when the program would not pass {@code bpf_validate}
     */
    public BpfProgram(final short[] code, final byte[] jt, final byte[] jf, final int[] k)
    {
        final int n = code.length;
        if (n == 0 || jt.length != n || jf.length != n || k.length != n)
        {
            throw new IllegalArgumentException("empty program or arrays of different lengths");
        }
        if (n > MAXINSNS)
        {
            throw new IllegalArgumentException("a program of " + n + " instructions, more than " + MAXINSNS);
        }
        this.code = code.clone();
        this.jt = new int[n];
        this.jf = new int[n];
        this.k = k.clone();
        for (int pc = 0; pc < n; pc++)
        {
            this.jt[pc] = jt[pc] & 0xFF;
            this.jf[pc] = jf[pc] & 0xFF;
            check(pc, n);
        }
        if ((this.code[n - 1] & 0x07) != RET)
        {
            throw new IllegalArgumentException("the last instruction does not return");
        }
    }

    /** Number of instructions. */
    public int length()
    {
        return code.length;
    }

    /** The instruction at {@code pc} as {@code tcpdump -dd} prints it: {@code { 0x28, 0, 0, 0x0000000c }}. */
    public String instruction(final int pc)
    {
        return String.format("{ 0x%x, %d, %d, 0x%08x }", code[pc] & 0xFFFF, jt[pc], jf[pc], k[pc]);
    }

    private void check(final int pc, final int n)
    {
        final int c = code[pc] & 0xFFFF;
        final int kk = k[pc];
        final boolean ok;
        switch (c & 0x07)
        {
            case LD:
            {
                final int mode = c & 0xe0;
                final int size = c & 0x18;
                if (c != (mode | size) || size == 0x18)
                {
                    ok = false;
                }
                else if (mode == IMM || mode == LEN)
                {
                    ok = size == W;
                }
                else if (mode == MEM)
                {
                    ok = size == W && Integer.compareUnsigned(kk, MEMWORDS) < 0;
                }
                else
                {
                    ok = mode == ABS || mode == IND;
                }
                break;
            }
            case LDX:
                ok = c == (LDX | W | IMM) || c == (LDX | W | LEN) || c == (LDX | B | MSH) ||
                    c == (LDX | W | MEM) && Integer.compareUnsigned(kk, MEMWORDS) < 0;
                break;
            case ST:
            case STX:
                ok = (c & ~0x07) == 0 && Integer.compareUnsigned(kk, MEMWORDS) < 0;
                break;
            case ALU:
            {
                final int op = c & 0xf0;
                final boolean fromX = (c & X) != 0;
                if ((c & ~0xf8) != ALU || op > XOR)
                {
                    ok = false;
                }
                else if (op == NEG)
                {
                    ok = !fromX;
                }
                else if ((op == DIV || op == MOD) && !fromX)
                {
                    ok = kk != 0;
                }
                else if ((op == LSH || op == RSH) && !fromX)
                {
                    ok = Integer.compareUnsigned(kk, 32) < 0;
                }
                else
                {
                    ok = true;
                }
                break;
            }
            case JMP:
            {
                final int op = c & 0xf0;
                if ((c & ~0xf8) != JMP || op > JSET)
                {
                    ok = false;
                }
                else if (op == JA)
                {
                    ok = c == JMP && Integer.compareUnsigned(kk, n - pc - 1) < 0;
                }
                else
                {
                    ok = pc + 1 + jt[pc] < n && pc + 1 + jf[pc] < n;
                }
                break;
            }
            case RET:
                // No RET X: libpcap's validator and Linux's refuse it, and libpcap 1.10's interpreter
                // aborts the process on it (found by BpfMachineFuzzTest against libpcap's rules).
                ok = c == (RET | K) || c == (RET | A);
                break;
            default:
                ok = c == (MISC | TAX) || c == (MISC | TXA);
                break;
        }
        if (!ok)
        {
            throw new IllegalArgumentException("invalid instruction " + pc + ": " + instruction(pc));
        }
    }
}
