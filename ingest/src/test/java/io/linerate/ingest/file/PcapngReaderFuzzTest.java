package io.linerate.ingest.file;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the pcapng reader (and the format detection in front of it) with the bytes of a whole file;
 * the inputs under {@code PcapngReaderFuzzTestInputs} are small pcapng files (one and two sections,
 * a nanosecond if_tsresol) and every finding so far. What is checked: {@link CaptureFileFuzzing}.
 */
class PcapngReaderFuzzTest
{
    private final CaptureFileFuzzing fuzzing = new CaptureFileFuzzing("linerate-pcapng-fuzz-");

    @FuzzTest(maxDuration = "10s")
    void pcapngFile(final byte[] file)
    {
        fuzzing.check(file);
    }
}
