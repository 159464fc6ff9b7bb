package io.linerate.decode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Decoders sharing a ring: each frame decoded by exactly one, the one its sequence falls on. */
class DecodeHandlerTest
{
    @Test
    void everyFrameIsDecodedByTheDecoderItsSequenceFallsOn()
    {
        for (int count = 1; count <= 5; count++)
        {
            final DecodeHandler[] decoders = new DecodeHandler[count];
            for (int k = 0; k < count; k++)
            {
                decoders[k] = new DecodeHandler(k, count);
            }
            final DecodedFrame slot = new DecodedFrame();
            for (long sequence = 0; sequence < 1_000; sequence++)
            {
                for (final DecodeHandler d : decoders)
                {
                    d.onEvent(slot, sequence, false);
                }
            }
            for (int k = 0; k < count; k++)
            {
                final long frames = decoders[k].decoder().censusCounts()[Census.FRAMES];
                assertEquals((1_000 - k + count - 1) / count, frames, "decoder " + k + " of " + count);
            }
        }
    }

    @Test
    void aDecoderThatMeetsTheSequencesLateFindsItsOwnAgain()
    {
        final DecodeHandler third = new DecodeHandler(2, 3);
        final DecodedFrame slot = new DecodedFrame();
        // Sequences from 10 on (10 % 3 == 1): its own are 11, 14, 17.
        for (long sequence = 10; sequence < 19; sequence++)
        {
            third.onEvent(slot, sequence, false);
        }
        assertEquals(3, third.decoder().censusCounts()[Census.FRAMES]);
    }

    @Test
    void theEndOfTheInputIsNotDecoded()
    {
        final DecodeHandler only = new DecodeHandler(0, 1);
        final DecodedFrame end = new DecodedFrame();
        end.endOfInput = true;
        only.onEvent(new DecodedFrame(), 0, false);
        only.onEvent(end, 1, true);
        assertEquals(1, only.decoder().censusCounts()[Census.FRAMES]);
    }
}
