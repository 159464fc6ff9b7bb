package io.linerate.ops.pipeline;

import io.linerate.decode.LinkType;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.file.RotatingPcapWriter;
import io.linerate.ingest.ring.FrameSlot;
import io.linerate.ops.MainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Wi-Fi capture, as a laptop's card in monitor mode writes it (LINKTYPE_IEEE802_11_RADIOTAP), gives
 * the records of the same traffic captured on Ethernet: the sample's frames are carried as 802.11
 * QoS data frames with LLC/SNAP, every other one with a radiotap header that announces a 4-byte FCS
 * at the end of the frame (and has it), the others with a bare radiotap header. Every field is the
 * same but the frame bytes ({@code bytes}: the radio's headers are longer than Ethernet's, and
 * count, as in Wireshark's frame length).
 */
class WifiReplayTest
{
    private static final Path SAMPLE = Path.of("../samples/loopback-http.pcap");
    private static final int ETHERNET_HEADER = 14;
    private static final int ETHER_TYPE = 12;

    @TempDir
    Path tmp;

    @Test
    void aRadiotapCaptureGivesTheRecordsOfTheSameTrafficOnEthernet() throws Exception
    {
        final Path wifi = tmp.resolve("wifi.pcap");
        int frames = 0;
        try (CaptureReader in = CaptureFiles.open(SAMPLE);
            RotatingPcapWriter out = new RotatingPcapWriter(wifi, 0, 0, 262_144, LinkType.IEEE802_11_RADIOTAP))
        {
            final FrameSlot slot = new FrameSlot();
            while (in.next(slot))
            {
                final byte[] air = overTheAir(slot.data, slot.captureLength, frames++ % 2 == 0);
                out.write(slot.timestampNanos, air.length, air.length + slot.wireLength - slot.captureLength, air);
            }
        }
        assertTrue(frames > 20, frames + " frames");

        final Replay ethernet = replay(SAMPLE);
        final Replay radio = replay(wifi);
        assertFalse(ethernet.records().isEmpty());
        assertEquals(withoutFrameBytes(ethernet.records()), withoutFrameBytes(radio.records()));
        assertTrue(radio.records().get(0).matches(".*\"bytes\":[1-9].*"), radio.records().get(0));
        assertTrue(radio.summary().contains("\nnot analysed: 0\n"), radio.summary());
        assertTrue(radio.summary().contains("frames " + frames + " "), radio.summary());
    }

    /** The Ethernet frame's packet in a radiotap header, an 802.11 QoS data header and LLC/SNAP. */
    private static byte[] overTheAir(final byte[] frame, final int length, final boolean withFcs)
    {
        final ByteArrayOutputStream air = new ByteArrayOutputStream();
        if (withFcs)
        {
            // Length 26; present: TSFT, Flags and a second (empty) word; TSFT aligned to 8; Flags: FCS at end.
            air.writeBytes(hex("0000 1a00 03000080 00000000 00000000 0102030405060708 10 00"));
        }
        else
        {
            air.writeBytes(hex("0000 0800 00000000"));
        }
        final ByteArrayOutputStream mac = new ByteArrayOutputStream();
        // QoS data to the distribution system, three addresses, sequence control, QoS control.
        mac.writeBytes(hex("8801 3a01 001122334455 66778899aabb 001122334455 1000 0000"));
        mac.writeBytes(hex("aaaa03 000000"));
        mac.write(frame, ETHER_TYPE, 2);
        mac.write(frame, ETHERNET_HEADER, length - ETHERNET_HEADER);
        final byte[] body = mac.toByteArray();
        air.writeBytes(body);
        if (withFcs)
        {
            final CRC32 crc = new CRC32();
            crc.update(body);
            final long fcs = crc.getValue();
            air.write((int)fcs);
            air.write((int)(fcs >>> 8));
            air.write((int)(fcs >>> 16));
            air.write((int)(fcs >>> 24));
        }
        return air.toByteArray();
    }

    private static List<String> withoutFrameBytes(final List<String> records)
    {
        return records.stream().map(r -> r.replaceAll("\"bytes\":[0-9]+,", "")).toList();
    }

    private static byte[] hex(final String digits)
    {
        final String h = digits.replace(" ", "");
        final byte[] bytes = new byte[h.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private Replay replay(final Path capture) throws Exception
    {
        final Path flows = Files.createTempFile(tmp, "flows", ".jsonl");
        final MainTest.Run run = MainTest.run("replay", capture.toString(), "--sensor", "t",
            "--out", "jsonl:" + flows, "--out", "summary");
        assertEquals(0, run.exit(), run.err());
        return new Replay(StandardInputReplayTest.records(flows), run.out());
    }

    private record Replay(List<String> records, String summary)
    {
    }
}
