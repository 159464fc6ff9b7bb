package io.linerate.ingest.file;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the pcap reader (and the format detection in front of it) with the bytes of a whole file;
 * the inputs under {@code PcapReaderFuzzTestInputs} are small captures in each pcap flavour (micro- and
 * nanosecond, modified) and every finding so far. What is checked: {@link CaptureFileFuzzing}.
 */
class PcapReaderFuzzTest
{
    private final CaptureFileFuzzing fuzzing = new CaptureFileFuzzing("linerate-pcap-fuzz-");

    @FuzzTest(maxDuration = "10s")
    void pcapFile(final byte[] file)
    {
        fuzzing.check(file);
    }
}
