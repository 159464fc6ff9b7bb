package io.linerate.ops;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzer and crash regressions written by others ({@code ../shared/corpus/malformed}) go through the
 * whole pipeline: every one ends with exit 0 or 1, a damaged file with one line naming it, and no
 * frame ever fails inside the pipeline.
 */
@Tag("slow")
class MalformedCorpusTest
{
    @TestFactory
    Stream<DynamicTest> noMalformedCaptureBreaksThePipeline() throws IOException
    {
        final Path dir = CorpusConformanceTest.corpus().resolve("malformed");
        final List<Path> files = CorpusConformanceTest.files("malformed");
        return files.stream().map(f -> DynamicTest.dynamicTest(dir.relativize(f).toString(), () -> replay(f)));
    }

    static void replay(final Path capture)
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of("replay", capture.toString(), "--out", "jsonl:/dev/null"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);
        final String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(exit == 0 || exit == 1, capture + ": exit " + exit + ": " + stderr);
        assertFalse(stderr.contains("internal error") || stderr.contains("Exception"), capture + ": " + stderr);
        if (exit == 1)
        {
            assertTrue(stderr.lines().allMatch(l -> l.startsWith("linerate: ")), stderr);
            assertTrue(stderr.contains(capture.getFileName().toString()), stderr);
        }
    }
}
