package io.linerate.ops.pipeline;

import io.linerate.aggregate.FlowSettings;
import io.linerate.ops.LinerateProcess;
import io.linerate.ops.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pipeline thread that dies ends the run: a flow cap set above what the heap holds makes the flow
 * shard's thread fail with OutOfMemoryError, and linerate says which thread and why in one line and
 * exits 1, instead of waiting for ever on a ring that thread no longer empties. With the default cap,
 * chosen from the heap, the same capture evicts instead.
 */
@Tag("slow")
class PipelineFailureTest
{
    /** Far more connections than 96 MB of heap holds (each is about 2 KB of state). */
    private static final int SYNS = 400_000;

    @TempDir
    Path tmp;

    /** What a linerate process said and how it ended. */
    private record Run(int exit, String out, String err)
    {
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring", "run-to-completion"})
    void aShardThreadOutOfMemoryEndsTheRunWithOneLineAndExitOne(final String pipeline) throws Exception
    {
        final Run r = replaySyns("--pipeline", pipeline, "--out", "jsonl:" + tmp.resolve("flows.jsonl"),
            "--max-flows", "200000");
        assertEquals(1, r.exit(), r.err());
        final List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        // A shard's thread: the ring's, or one reading the files itself (--pipeline).
        assertTrue(lines.get(0).matches("linerate: pipeline thread linerate-(ring|shard)-[0-9]+ .*"), r.err());
        assertTrue(lines.get(0).contains("OutOfMemoryError"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void theDefaultCapFollowsTheHeapSoASmallHeapEvictsInsteadOfRunningOut() throws Exception
    {
        final Run r = replaySyns("--out", "summary");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("flows: tcp 400,000"), r.out());
        final Matcher evicted = Pattern.compile("evicted ([0-9,]+) \\(the flow table was full").matcher(r.out());
        assertTrue(evicted.find(), r.out());
        // The cap is what 60% of 96 MB of heap and of direct memory hold: all but the last ~cap SYNs
        // were evicted (each shard holds its share, and the hash shares them out nearly evenly).
        final long cap = FlowSettings.maxFlowsForHeap(96L << 20);
        final long count = Long.parseLong(evicted.group(1).replace(",", ""));
        assertTrue(Math.abs(count - (SYNS - cap)) < cap / 10, cap + " flows held: " + r.out());
    }

    /** {@code linerate replay} of {@link #SYNS} SYNs in its own JVM with a 96 MB heap. */
    private Run replaySyns(final String... args) throws Exception
    {
        final Path capture = tmp.resolve("syns.pcap");
        writeSyns(capture, SYNS);
        final Path out = tmp.resolve("stdout.txt");
        final Path log = tmp.resolve("stderr.txt");
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LinerateProcess.jvmFlags());
        command.addAll(List.of("-Xmx96m",
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "replay", capture.toString()));
        command.addAll(List.of(args));
        final Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        // A generous bound: the point is that it ends by itself, not how fast.
        final boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended)
        {
            p.destroyForcibly();
        }
        final String err = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "linerate did not end by itself: " + err);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), err);
    }

    /** A classic pcap of SYNs from {@code count} different clients to one server. */
    private static void writeSyns(final Path file, final int count) throws IOException
    {
        final ByteBuffer b = ByteBuffer.allocate(16 + 54).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))
        {
            final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
                .putInt(65535).putInt(1);
            out.write(header.array());
            for (int i = 0; i < count; i++)
            {
                b.clear();
                b.order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(1_700_000_000 + i / 100_000).putInt(i % 100_000 * 10).putInt(54).putInt(54);
                b.order(ByteOrder.BIG_ENDIAN);
                // Ethernet
                b.putShort((short)0x0200).putInt(1).putShort((short)0x0200).putInt(2).putShort((short)0x0800);
                // IPv4: 10.x.y.z -> 192.0.2.1, TCP
                final int src = 0x0A00_0000 | (i + 1);
                b.put((byte)0x45).put((byte)0).putShort((short)40).putShort((short)i).putShort((short)0x4000)
                    .put((byte)64).put((byte)6).putShort((short)0).putInt(src).putInt(0xC000_0201);
                // TCP SYN from port 40000 to 80
                b.putShort((short)40000).putShort((short)80).putInt(1000).putInt(0)
                    .put((byte)0x50).put((byte)0x02).putShort((short)65535).putShort((short)0).putShort((short)0);
                out.write(b.array(), 0, b.position());
            }
        }
    }
}
