package io.linerate.ops.report;

import io.linerate.aggregate.ip.FragmentReassembler;
import io.linerate.decode.DecodeSettings;
import io.linerate.decode.DecodedFrame;
import io.linerate.decode.PacketDecoder;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.merge.CaptureInput;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the replayed files a second time for the packets of the few connections the report draws.
 * Bounded: it stops as soon as every one of them has as many packets as its record counts, or after
 * {@code maxFrames}, and keeps at most {@link PacketTrace#MAX_PACKETS} of each. Problems reading the
 * files were said by the first pass; here they only end the pass. The frames are decoded with the
 * run's {@link DecodeSettings}, so a connection is found where the first pass found it: inside
 * VXLAN on a configured port, or not inside any tunnel when decapsulation is off. IP fragments are
 * reassembled as the first pass's shards reassemble them (a {@link FragmentReassembler} with the
 * same settings, its timeouts on packet time), so a fragmented segment is one packet here too, with
 * its whole payload, and a connection's packets add up to its record's count.
 */
public final class SecondPass
{
    private SecondPass()
    {
    }

    /**
     * The packets of {@code wanted}, from {@code inputs} (each must be {@link CaptureInput#reopenable()}).
     *
     * @param decode how the first pass decoded the frames
     */
    public static List<PacketTrace> collect(final List<CaptureInput> inputs, final List<ConnectionRow> wanted,
        final long maxFrames, final DecodeSettings decode)
    {
        final List<PacketTrace> traces = new ArrayList<>();
        for (final ConnectionRow c : wanted)
        {
            traces.add(new PacketTrace(c));
        }
        if (traces.isEmpty())
        {
            return traces;
        }
        final PacketDecoder decoder = new PacketDecoder(decode);
        final FragmentReassembler fragments = new FragmentReassembler(decode);
        final DecodedFrame slot = new DecodedFrame();
        long frames = 0;
        for (final CaptureInput input : inputs)
        {
            try (CaptureReader reader = input.open())
            {
                while (frames < maxFrames && !complete(traces) && reader.next(slot))
                {
                    frames++;
                    decoder.decode(slot);
                    final DecodedFrame packet = slot.fragment ? fragments.onFragment(slot) : slot;
                    if (packet != null)
                    {
                        for (final PacketTrace t : traces)
                        {
                            if (t.matches(packet))
                            {
                                t.add(packet);
                                break;
                            }
                        }
                    }
                    fragments.expire(slot.timestampNanos);
                }
            }
            catch (final java.io.IOException ex)
            {
                // Said by the first pass.
            }
            if (frames >= maxFrames || complete(traces))
            {
                break;
            }
        }
        return traces;
    }

    private static boolean complete(final List<PacketTrace> traces)
    {
        for (final PacketTrace t : traces)
        {
            if (t.seen() < t.connection().packets())
            {
                return false;
            }
        }
        return true;
    }
}
