package io.linerate.ingest.bpf;

import static io.linerate.ingest.bpf.BpfProgram.A;
import static io.linerate.ingest.bpf.BpfProgram.ABS;
import static io.linerate.ingest.bpf.BpfProgram.ADD;
import static io.linerate.ingest.bpf.BpfProgram.ALU;
import static io.linerate.ingest.bpf.BpfProgram.AND;
import static io.linerate.ingest.bpf.BpfProgram.B;
import static io.linerate.ingest.bpf.BpfProgram.DIV;
import static io.linerate.ingest.bpf.BpfProgram.H;
import static io.linerate.ingest.bpf.BpfProgram.IMM;
import static io.linerate.ingest.bpf.BpfProgram.IND;
import static io.linerate.ingest.bpf.BpfProgram.JA;
import static io.linerate.ingest.bpf.BpfProgram.JEQ;
import static io.linerate.ingest.bpf.BpfProgram.JGE;
import static io.linerate.ingest.bpf.BpfProgram.JGT;
import static io.linerate.ingest.bpf.BpfProgram.JMP;
import static io.linerate.ingest.bpf.BpfProgram.JSET;
import static io.linerate.ingest.bpf.BpfProgram.K;
import static io.linerate.ingest.bpf.BpfProgram.LD;
import static io.linerate.ingest.bpf.BpfProgram.LDX;
import static io.linerate.ingest.bpf.BpfProgram.LEN;
import static io.linerate.ingest.bpf.BpfProgram.LSH;
import static io.linerate.ingest.bpf.BpfProgram.MEM;
import static io.linerate.ingest.bpf.BpfProgram.MEMWORDS;
import static io.linerate.ingest.bpf.BpfProgram.MISC;
import static io.linerate.ingest.bpf.BpfProgram.MOD;
import static io.linerate.ingest.bpf.BpfProgram.MSH;
import static io.linerate.ingest.bpf.BpfProgram.MUL;
import static io.linerate.ingest.bpf.BpfProgram.NEG;
import static io.linerate.ingest.bpf.BpfProgram.OR;
import static io.linerate.ingest.bpf.BpfProgram.RET;
import static io.linerate.ingest.bpf.BpfProgram.RSH;
import static io.linerate.ingest.bpf.BpfProgram.ST;
import static io.linerate.ingest.bpf.BpfProgram.STX;
import static io.linerate.ingest.bpf.BpfProgram.SUB;
import static io.linerate.ingest.bpf.BpfProgram.TAX;
import static io.linerate.ingest.bpf.BpfProgram.TXA;
import static io.linerate.ingest.bpf.BpfProgram.W;
import static io.linerate.ingest.bpf.BpfProgram.X;
import static io.linerate.ingest.bpf.BpfProgram.XOR;

/**
 * Runs classic BPF programs over frames, as libpcap's {@code bpf_filter} does for
 * {@code tcpdump -r}: the accumulator A, the index register X and 16 words of scratch memory; loads
 * are big-endian (network order); a load past the captured bytes, and a division or modulo by a zero
 * X, end the program with 0 (the frame is rejected), like the kernel's and libpcap's interpreters.
 * {@code len} loads give the frame's length on the wire.
 *
 * <p>One machine per thread (it owns the scratch memory); nothing is allocated by a run.
 */
public final class BpfMachine
{
    private static final int LD_W_ABS = LD | W | ABS, LD_H_ABS = LD | H | ABS, LD_B_ABS = LD | B | ABS;
    private static final int LD_W_IND = LD | W | IND, LD_H_IND = LD | H | IND, LD_B_IND = LD | B | IND;
    private static final int LD_W_LEN = LD | W | LEN, LD_IMM = LD | W | IMM, LD_MEM = LD | W | MEM;
    private static final int LDX_IMM = LDX | W | IMM, LDX_LEN = LDX | W | LEN, LDX_MEM = LDX | W | MEM;
    private static final int LDX_MSH = LDX | B | MSH;
    private static final int RET_K = RET | K, RET_A = RET | A;
    private static final int JA_K = JMP | JA;
    private static final int JEQ_K = JMP | JEQ | K, JEQ_X = JMP | JEQ | X;
    private static final int JGT_K = JMP | JGT | K, JGT_X = JMP | JGT | X;
    private static final int JGE_K = JMP | JGE | K, JGE_X = JMP | JGE | X;
    private static final int JSET_K = JMP | JSET | K, JSET_X = JMP | JSET | X;
    private static final int ADD_K = ALU | ADD | K, ADD_X = ALU | ADD | X;
    private static final int SUB_K = ALU | SUB | K, SUB_X = ALU | SUB | X;
    private static final int MUL_K = ALU | MUL | K, MUL_X = ALU | MUL | X;
    private static final int DIV_K = ALU | DIV | K, DIV_X = ALU | DIV | X;
    private static final int MOD_K = ALU | MOD | K, MOD_X = ALU | MOD | X;
    private static final int AND_K = ALU | AND | K, AND_X = ALU | AND | X;
    private static final int OR_K = ALU | OR | K, OR_X = ALU | OR | X;
    private static final int XOR_K = ALU | XOR | K, XOR_X = ALU | XOR | X;
    private static final int LSH_K = ALU | LSH | K, LSH_X = ALU | LSH | X;
    private static final int RSH_K = ALU | RSH | K, RSH_X = ALU | RSH | X;
    private static final int NEG_A = ALU | NEG;
    private static final int ST_MEM = ST, STX_MEM = STX;
    private static final int MISC_TAX = MISC | TAX, MISC_TXA = MISC | TXA;

    private final int[] mem = new int[MEMWORDS];

    /**
     * Runs {@code program} over a frame.
     *
     * @param frame       the captured bytes, from index 0
     * @param caplen      bytes captured (loads beyond reject the frame)
     * @param wirelen     the frame's length on the wire ({@code len})
     * @return the program's return value: 0 rejects the frame, anything else (an unsigned byte count,
     *         the snap length to keep) accepts it
     */
    public int run(final BpfProgram program, final byte[] frame, final int caplen, final int wirelen)
    {
        final short[] codes = program.code;
        final int[] ks = program.k;
        final int[] jts = program.jt;
        final int[] jfs = program.jf;
        final int[] m = mem;
        int a = 0;
        int x = 0;
        int pc = 0;
        while (true)
        {
            final int k = ks[pc];
            switch (codes[pc])
            {
                case RET_K: return k;
                case RET_A: return a;

                case LD_W_ABS:
                    if (k < 0 || k > caplen - 4)
                    {
                        return 0;
                    }
                    a = word(frame, k);
                    break;
                case LD_H_ABS:
                    if (k < 0 || k > caplen - 2)
                    {
                        return 0;
                    }
                    a = half(frame, k);
                    break;
                case LD_B_ABS:
                    if (k < 0 || k >= caplen)
                    {
                        return 0;
                    }
                    a = frame[k] & 0xFF;
                    break;
                case LD_W_IND:
                {
                    final long at = (x & 0xFFFF_FFFFL) + (k & 0xFFFF_FFFFL);
                    if (at > caplen - 4)
                    {
                        return 0;
                    }
                    a = word(frame, (int)at);
                    break;
                }
                case LD_H_IND:
                {
                    final long at = (x & 0xFFFF_FFFFL) + (k & 0xFFFF_FFFFL);
                    if (at > caplen - 2)
                    {
                        return 0;
                    }
                    a = half(frame, (int)at);
                    break;
                }
                case LD_B_IND:
                {
                    final long at = (x & 0xFFFF_FFFFL) + (k & 0xFFFF_FFFFL);
                    if (at >= caplen)
                    {
                        return 0;
                    }
                    a = frame[(int)at] & 0xFF;
                    break;
                }
                case LD_W_LEN: a = wirelen; break;
                case LD_IMM: a = k; break;
                case LD_MEM: a = m[k]; break;
                case LDX_IMM: x = k; break;
                case LDX_LEN: x = wirelen; break;
                case LDX_MEM: x = m[k]; break;
                case LDX_MSH:
                    // The IPv4 header length: 4 * (P[k] & 0xf).
                    if (k < 0 || k >= caplen)
                    {
                        return 0;
                    }
                    x = (frame[k] & 0x0F) << 2;
                    break;
                case ST_MEM: m[k] = a; break;
                case STX_MEM: m[k] = x; break;

                case JA_K: pc += k; break;
                case JEQ_K: pc += a == k ? jts[pc] : jfs[pc]; break;
                case JEQ_X: pc += a == x ? jts[pc] : jfs[pc]; break;
                case JGT_K: pc += Integer.compareUnsigned(a, k) > 0 ? jts[pc] : jfs[pc]; break;
                case JGT_X: pc += Integer.compareUnsigned(a, x) > 0 ? jts[pc] : jfs[pc]; break;
                case JGE_K: pc += Integer.compareUnsigned(a, k) >= 0 ? jts[pc] : jfs[pc]; break;
                case JGE_X: pc += Integer.compareUnsigned(a, x) >= 0 ? jts[pc] : jfs[pc]; break;
                case JSET_K: pc += (a & k) != 0 ? jts[pc] : jfs[pc]; break;
                case JSET_X: pc += (a & x) != 0 ? jts[pc] : jfs[pc]; break;

                case ADD_K: a += k; break;
                case ADD_X: a += x; break;
                case SUB_K: a -= k; break;
                case SUB_X: a -= x; break;
                case MUL_K: a *= k; break;
                case MUL_X: a *= x; break;
                case DIV_K: a = Integer.divideUnsigned(a, k); break;
                case DIV_X:
                    if (x == 0)
                    {
                        return 0;
                    }
                    a = Integer.divideUnsigned(a, x);
                    break;
                case MOD_K: a = Integer.remainderUnsigned(a, k); break;
                case MOD_X:
                    if (x == 0)
                    {
                        return 0;
                    }
                    a = Integer.remainderUnsigned(a, x);
                    break;
                case AND_K: a &= k; break;
                case AND_X: a &= x; break;
                case OR_K: a |= k; break;
                case OR_X: a |= x; break;
                case XOR_K: a ^= k; break;
                case XOR_X: a ^= x; break;
                case LSH_K: a <<= k; break;
                // A shift by X of 32 or more gives 0, as in libpcap's bpf_filter, which tcpdump -r
                // filters with (Java, like the x86 instruction, would shift by X modulo 32; found by
                // BpfMachineFuzzTest against libpcap).
                case LSH_X: a = Integer.compareUnsigned(x, 32) < 0 ? a << x : 0; break;
                case RSH_K: a >>>= k; break;
                case RSH_X: a = Integer.compareUnsigned(x, 32) < 0 ? a >>> x : 0; break;
                case NEG_A: a = -a; break;
                case MISC_TAX: x = a; break;
                case MISC_TXA: a = x; break;
                default:
                    // Unreachable: BpfProgram admits classic opcodes only.
                    return 0;
            }
            pc++;
        }
    }

    private static int word(final byte[] b, final int at)
    {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    private static int half(final byte[] b, final int at)
    {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }
}
