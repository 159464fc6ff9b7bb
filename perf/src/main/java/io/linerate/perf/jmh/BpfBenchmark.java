package io.linerate.perf.jmh;

import io.linerate.decode.DecodedFrame;
import io.linerate.ingest.bpf.BpfCompileException;
import io.linerate.ingest.bpf.BpfCompiler;
import io.linerate.ingest.bpf.BpfMachine;
import io.linerate.ingest.bpf.BpfProgram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@link BpfMachine#run} of a libpcap-compiled filter over one frame ({@link SampleFrames}): the
 * reader thread's per-frame cost of a filter on replay. With {@code -prof gc} the allocation rate
 * should be ~0 B/op.
 *
 * <pre>
 * java -jar perf/target/linerate-perf.jar BpfBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class BpfBenchmark
{
    @Param({"tcp_ack_64", "tcp_data_1514", "vlan_tcp_ack", "ipv6_tcp_ack"})
    public String frame;

    /** Expressions from one instruction's worth of work to a dozen loads and jumps. */
    @Param({"tcp", "host 10.0.0.1 and port 443", "tcp[tcpflags] & tcp-rst != 0", "vlan and tcp",
        "src port 80 or dst port 53", "not (net 192.168.2.0/24 or ip6) and tcp[14:2] < 40"})
    public String expression;

    private final BpfMachine machine = new BpfMachine();
    private final DecodedFrame slot = new DecodedFrame();
    private BpfProgram program;

    @Setup
    public void setUp() throws BpfCompileException
    {
        SampleFrames.load(frame, slot);
        program = BpfCompiler.compile(expression, slot.linkType);
    }

    /** Returns the program's verdict so the work cannot be eliminated. */
    @Benchmark
    public int run()
    {
        return machine.run(program, slot.data, slot.captureLength, slot.wireLength);
    }
}
