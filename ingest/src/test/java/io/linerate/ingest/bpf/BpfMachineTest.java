package io.linerate.ingest.bpf;

import org.junit.jupiter.api.Test;

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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every classic opcode on hand-written programs, with the kernel's answers for the edge cases. */
class BpfMachineTest
{
    private static final byte[] FRAME = {
        0x45, 0x00, 0x00, 0x3c, (byte)0x12, (byte)0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
        10, 0, 0, 1, 10, 0, 0, 2, 0x01, (byte)0xbb, (byte)0xc3, 0x50};

    private final BpfMachine machine = new BpfMachine();

    /** One instruction: {code, jt, jf, k}. */
    private static int[] i(final int code, final int jt, final int jf, final int k)
    {
        return new int[] {code, jt, jf, k};
    }

    private static int[] i(final int code, final int k)
    {
        return i(code, 0, 0, k);
    }

    private static BpfProgram program(final int[]... insns)
    {
        final short[] code = new short[insns.length];
        final byte[] jt = new byte[insns.length];
        final byte[] jf = new byte[insns.length];
        final int[] k = new int[insns.length];
        for (int n = 0; n < insns.length; n++)
        {
            code[n] = (short)insns[n][0];
            jt[n] = (byte)insns[n][1];
            jf[n] = (byte)insns[n][2];
            k[n] = insns[n][3];
        }
        return new BpfProgram(code, jt, jf, k);
    }

    private int run(final int[]... insns)
    {
        return machine.run(program(insns), FRAME, FRAME.length, 1500);
    }

    /** Runs {@code insns} then returns A. */
    private int a(final int[]... insns)
    {
        final int[][] all = java.util.Arrays.copyOf(insns, insns.length + 1);
        all[insns.length] = i(RET | A, 0);
        return run(all);
    }

    @Test
    void loadsAreBigEndianAndAbsolute()
    {
        assertEquals(0x4500003c, a(i(LD | W | ABS, 0)));
        assertEquals(0x1234, a(i(LD | H | ABS, 4)));
        assertEquals(0x06, a(i(LD | B | ABS, 9)));
        assertEquals(0x0a000002, a(i(LD | W | ABS, 16)));
    }

    @Test
    void indirectLoadsAddX()
    {
        assertEquals(0x01bb, a(i(LDX | W | IMM, 20), i(LD | H | IND, 0)));
        assertEquals(0xc3, a(i(LDX | W | IMM, 20), i(LD | B | IND, 2)));
        assertEquals(0x01bbc350, a(i(LDX | W | IMM, 10), i(LD | W | IND, 10)));
    }

    @Test
    void mshLoadsTheIpv4HeaderLength()
    {
        assertEquals(20, a(i(LDX | B | MSH, 0), i(MISC | TXA, 0)));
        // tcp port: X = IP header length, then the port at X + 0.
        assertEquals(443, a(i(LDX | B | MSH, 0), i(LD | H | IND, 0)));
    }

    @Test
    void lengthIsTheWireLengthAndImmediatesLoad()
    {
        assertEquals(1500, a(i(LD | W | LEN, 0)));
        assertEquals(1500, a(i(LDX | W | LEN, 0), i(MISC | TXA, 0)));
        assertEquals(-7, a(i(LD | IMM, -7)));
    }

    @Test
    void loadsPastTheCapturedBytesReject()
    {
        assertEquals(0, a(i(LD | W | ABS, FRAME.length - 3)));
        assertEquals(0, a(i(LD | H | ABS, FRAME.length - 1)));
        assertEquals(0, a(i(LD | B | ABS, FRAME.length)));
        assertEquals(0, a(i(LD | B | ABS, -1)));
        assertEquals(0, a(i(LDX | B | MSH, FRAME.length)));
        assertEquals(0, a(i(LDX | W | IMM, 1), i(LD | B | IND, FRAME.length - 1)));
        assertEquals(0, a(i(LDX | W | IMM, -1), i(LD | B | IND, 2)), "X + k does not wrap around");
        assertEquals(0, a(i(LDX | W | IMM, 1), i(LD | W | IND, FRAME.length - 4)));
        assertEquals(0, a(i(LDX | W | IMM, 1), i(LD | H | IND, FRAME.length - 2)));
        // The last byte is still in reach.
        assertEquals(0x50, a(i(LD | B | ABS, FRAME.length - 1)));
        // caplen, not the array's size, is the limit.
        assertEquals(0, machine.run(program(i(LD | B | ABS, 12), i(RET | A, 0)), FRAME, 12, 60));
    }

    @Test
    void scratchMemoryStoresAndLoads()
    {
        assertEquals(77, a(i(LD | IMM, 77), i(ST, 15), i(LD | IMM, 0), i(LD | W | MEM, 15)));
        assertEquals(88, a(i(LDX | W | IMM, 88), i(STX, 3), i(LDX | W | IMM, 0), i(LDX | W | MEM, 3), i(MISC | TXA, 0)));
    }

    @Test
    void aluWithConstantsAndX()
    {
        assertEquals(12, a(i(LD | IMM, 5), i(ALU | ADD | K, 7)));
        assertEquals(-2, a(i(LD | IMM, 5), i(ALU | SUB | K, 7)));
        assertEquals(35, a(i(LD | IMM, 5), i(ALU | MUL | K, 7)));
        assertEquals(0x7FFFFFFF, a(i(LD | IMM, -1), i(ALU | DIV | K, 2)), "division is unsigned");
        assertEquals(1, a(i(LD | IMM, -1), i(ALU | MOD | K, 2)), "modulo is unsigned");
        assertEquals(0x0F, a(i(LD | IMM, 0xFF), i(ALU | AND | K, 0x0F)));
        assertEquals(0xFF, a(i(LD | IMM, 0xF0), i(ALU | OR | K, 0x0F)));
        assertEquals(0xF0, a(i(LD | IMM, 0xFF), i(ALU | XOR | K, 0x0F)));
        assertEquals(0x100, a(i(LD | IMM, 1), i(ALU | LSH | K, 8)));
        assertEquals(0x00FFFFFF, a(i(LD | IMM, -1), i(ALU | RSH | K, 8)), "right shift is logical");
        assertEquals(-5, a(i(LD | IMM, 5), i(ALU | NEG, 0)));
        assertEquals(12, a(i(LDX | W | IMM, 7), i(LD | IMM, 5), i(ALU | ADD | X, 0)));
        assertEquals(-2, a(i(LDX | W | IMM, 7), i(LD | IMM, 5), i(ALU | SUB | X, 0)));
        assertEquals(35, a(i(LDX | W | IMM, 7), i(LD | IMM, 5), i(ALU | MUL | X, 0)));
        assertEquals(3, a(i(LDX | W | IMM, 7), i(LD | IMM, 21), i(ALU | DIV | X, 0)));
        assertEquals(6, a(i(LDX | W | IMM, 7), i(LD | IMM, 20), i(ALU | MOD | X, 0)));
        assertEquals(3, a(i(LDX | W | IMM, 7), i(LD | IMM, 11), i(ALU | AND | X, 0)));
        assertEquals(15, a(i(LDX | W | IMM, 7), i(LD | IMM, 8), i(ALU | OR | X, 0)));
        assertEquals(12, a(i(LDX | W | IMM, 7), i(LD | IMM, 11), i(ALU | XOR | X, 0)));
        assertEquals(0x80, a(i(LDX | W | IMM, 7), i(LD | IMM, 1), i(ALU | LSH | X, 0)));
        assertEquals(1, a(i(LDX | W | IMM, 7), i(LD | IMM, 0x80), i(ALU | RSH | X, 0)));
        // libpcap's bpf_filter: a shift by X of 32 or more is 0, not a shift modulo 32.
        assertEquals(0, a(i(LDX | W | IMM, 33), i(LD | IMM, 1), i(ALU | LSH | X, 0)));
        assertEquals(0, a(i(LDX | W | IMM, -1), i(LD | IMM, -1), i(ALU | RSH | X, 0)));
        assertEquals(0x80000000, a(i(LDX | W | IMM, 31), i(LD | IMM, 1), i(ALU | LSH | X, 0)));
        assertEquals(9, a(i(LD | IMM, 9), i(MISC | TAX, 0), i(LD | IMM, 0), i(MISC | TXA, 0)));
    }

    @Test
    void divisionOrModuloByAZeroXRejects()
    {
        assertEquals(0, run(i(LDX | W | IMM, 0), i(LD | IMM, 5), i(ALU | DIV | X, 0), i(RET | K, 1)));
        assertEquals(0, run(i(LDX | W | IMM, 0), i(LD | IMM, 5), i(ALU | MOD | X, 0), i(RET | K, 1)));
        assertThrows(IllegalArgumentException.class, () -> program(i(ALU | DIV | K, 0), i(RET | K, 1)));
        assertThrows(IllegalArgumentException.class, () -> program(i(ALU | MOD | K, 0), i(RET | K, 1)));
    }

    @Test
    void jumpsCompareUnsigned()
    {
        // A = 0x80000000 is greater than 1 unsigned.
        final int[] load = i(LD | IMM, 0x80000000);
        assertEquals(1, run(load, i(JMP | JGT | K, 0, 1, 1), i(RET | K, 1), i(RET | K, 2)));
        assertEquals(1, run(load, i(JMP | JGE | K, 0, 1, 0x80000000), i(RET | K, 1), i(RET | K, 2)));
        assertEquals(2, run(load, i(JMP | JGT | K, 0, 1, 0x80000000), i(RET | K, 1), i(RET | K, 2)));
        assertEquals(1, run(load, i(JMP | JEQ | K, 0, 1, 0x80000000), i(RET | K, 1), i(RET | K, 2)));
        assertEquals(2, run(load, i(JMP | JSET | K, 0, 1, 0x7FFFFFFF), i(RET | K, 1), i(RET | K, 2)));
        assertEquals(1, run(load, i(JMP | JSET | K, 0, 1, 0x80000001), i(RET | K, 1), i(RET | K, 2)));
        final int[] x = i(LDX | W | IMM, 1);
        assertEquals(1, run(load, x, i(JMP | JGT | X, 0, 1, 0), i(RET | K, 1), i(RET | K, 2)));
        assertEquals(1, run(load, x, i(JMP | JGE | X, 0, 1, 0), i(RET | K, 1), i(RET | K, 2)));
        assertEquals(2, run(load, x, i(JMP | JEQ | X, 0, 1, 0), i(RET | K, 1), i(RET | K, 2)));
        assertEquals(2, run(load, x, i(JMP | JSET | X, 0, 1, 0), i(RET | K, 1), i(RET | K, 2)));
        assertEquals(3, run(i(JMP | JA, 2), i(RET | K, 1), i(RET | K, 2), i(RET | K, 3)));
    }

    @Test
    void returnsKOrA()
    {
        assertEquals(262144, run(i(RET | K, 262144)));
        assertEquals(5, run(i(LD | IMM, 5), i(RET | A, 0)));
        // RET X is no classic instruction: libpcap's validator refuses it, libpcap 1.10's interpreter aborts.
        assertThrows(IllegalArgumentException.class, () -> program(i(LDX | W | IMM, 6), i(RET | X, 0)));
    }

    @Test
    void programsThatWouldRunOffTheEndOrOutsideMemoryAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> program(i(LD | IMM, 1)), "no return at the end");
        assertThrows(IllegalArgumentException.class, () -> program(i(JMP | JA, 1), i(RET | K, 1)));
        assertThrows(IllegalArgumentException.class, () -> program(i(JMP | JEQ | K, 1, 0, 0), i(RET | K, 1)));
        assertThrows(IllegalArgumentException.class, () -> program(i(LD | W | MEM, 16), i(RET | K, 1)));
        assertThrows(IllegalArgumentException.class, () -> program(i(ST, 16), i(RET | K, 1)));
        assertThrows(IllegalArgumentException.class, () -> program(i(0x1f, 0), i(RET | K, 1)), "unknown opcode");
        assertThrows(IllegalArgumentException.class, () -> program(i(ALU | LSH | K, 32), i(RET | K, 1)));
        assertThrows(IllegalArgumentException.class, () -> program(new int[0][]));
        final int[][] tooLong = new int[BpfProgram.MAXINSNS + 1][];
        java.util.Arrays.fill(tooLong, i(RET | K, 1));
        assertThrows(IllegalArgumentException.class, () -> program(tooLong), "more than BPF_MAXINSNS");
    }
}
