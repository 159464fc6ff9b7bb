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
 * A second, independent statement of the programs libpcap's validator (the one in libpcap's current
 * {@code bpf_filter.c}, also what Linux's classic BPF checker admits) accepts, written as the list of
 * opcodes that exist rather than as {@link BpfProgram}'s decomposition into class, size and mode bits:
 * the fuzz test holds the two against each other. The rules: at most {@link #MAX_INSTRUCTIONS}
 * instructions, each a listed opcode; scratch memory indices below 16; no constant division or
 * modulo by zero, no constant shift by 32 or more; every jump lands inside the program (an
 * unconditional jump to itself neither); the last instruction returns.
 */
final class ClassicBpfRules
{
    /** {@code BPF_MAXINSNS}. */
    static final int MAX_INSTRUCTIONS = 4096;

    /** Every opcode that exists, in the order of the interpreter's switch. */
    static final int[] OPCODES = {
        RET | K, RET | A,
        LD | W | ABS, LD | H | ABS, LD | B | ABS, LD | W | LEN, LDX | W | LEN,
        LD | W | IND, LD | H | IND, LD | B | IND, LDX | MSH | B, LD | IMM, LDX | IMM,
        LD | MEM, LDX | MEM, ST, STX,
        JMP | JA, JMP | JGT | K, JMP | JGE | K, JMP | JEQ | K, JMP | JSET | K,
        JMP | JGT | X, JMP | JGE | X, JMP | JEQ | X, JMP | JSET | X,
        ALU | ADD | X, ALU | SUB | X, ALU | MUL | X, ALU | DIV | X, ALU | MOD | X, ALU | AND | X, ALU | OR | X,
        ALU | XOR | X, ALU | LSH | X, ALU | RSH | X,
        ALU | ADD | K, ALU | SUB | K, ALU | MUL | K, ALU | DIV | K, ALU | MOD | K, ALU | AND | K, ALU | OR | K,
        ALU | XOR | K, ALU | LSH | K, ALU | RSH | K,
        ALU | NEG, MISC | TAX, MISC | TXA,
    };

    private ClassicBpfRules()
    {
    }

    static boolean exists(final int code)
    {
        for (final int opcode : OPCODES)
        {
            if (opcode == code)
            {
                return true;
            }
        }
        return false;
    }

    /** Whether the instruction is valid on its own (its opcode, and its k where the opcode restricts it). */
    static boolean validInstruction(final int code, final int k)
    {
        if (!exists(code))
        {
            return false;
        }
        if (code == (LD | MEM) || code == (LDX | MEM) || code == ST || code == STX)
        {
            return Integer.compareUnsigned(k, MEMWORDS) < 0;
        }
        if (code == (ALU | DIV | K) || code == (ALU | MOD | K))
        {
            return k != 0;
        }
        if (code == (ALU | LSH | K) || code == (ALU | RSH | K))
        {
            return Integer.compareUnsigned(k, 32) < 0;
        }
        return true;
    }

    /** Whether the whole program is valid ({@code jt}, {@code jf} unsigned bytes). */
    static boolean valid(final short[] code, final byte[] jt, final byte[] jf, final int[] k)
    {
        final int n = code.length;
        if (n < 1 || n > MAX_INSTRUCTIONS)
        {
            return false;
        }
        for (int pc = 0; pc < n; pc++)
        {
            final int c = code[pc] & 0xFFFF;
            if (!validInstruction(c, k[pc]))
            {
                return false;
            }
            final long next = pc + 1L;
            if (c == (JMP | JA))
            {
                if (next + Integer.toUnsignedLong(k[pc]) >= n || k[pc] == -1)
                {
                    return false;
                }
            }
            else if ((c & 0x07) == JMP && (next + (jt[pc] & 0xFF) >= n || next + (jf[pc] & 0xFF) >= n))
            {
                return false;
            }
        }
        return (code[n - 1] & 0x07) == RET;
    }
}
