package io.linerate.perf.jmh;

import io.linerate.decode.DecodedFrame;
import io.linerate.decode.PacketDecoder;
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
 * {@link PacketDecoder#decode} of one frame into its ring slot, per kind of frame
 * ({@link SampleFrames}): the decoder thread's whole per-frame work. With {@code -prof gc} the
 * allocation rate should be ~0 B/op (no object per packet).
 *
 * <pre>
 * java -jar perf/target/linerate-perf.jar DecodeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class DecodeBenchmark
{
    @Param({"tcp_ack_64", "tcp_syn_options", "tcp_data_1514", "udp", "vlan_tcp_ack", "ipv6_tcp_ack", "icmp_port_unreachable",
        "vxlan_tcp_ack"})
    public String frame;

    private final PacketDecoder decoder = new PacketDecoder();
    private final DecodedFrame slot = new DecodedFrame();

    @Setup
    public void setUp()
    {
        SampleFrames.load(frame, slot);
        if (decoder.decode(slot) != 0)
        {
            throw new IllegalStateException(frame + " does not decode cleanly: anomaly " + slot.anomaly);
        }
    }

    /** Returns the anomaly code so the work cannot be eliminated. */
    @Benchmark
    public int decode()
    {
        return decoder.decode(slot);
    }
}
