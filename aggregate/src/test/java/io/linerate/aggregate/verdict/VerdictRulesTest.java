package io.linerate.aggregate.verdict;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The numbers in verdict sentences are written as the Formatter patterns they replace would write them. */
class VerdictRulesTest
{
    @Test
    void decimalsAreWhatPercentFormatWrites()
    {
        final SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 200_000; i++)
        {
            final double value;
            switch (i % 3)
            {
                case 0:
                    value = random.nextDouble() * 100;
                    break;
                case 1:
                    // a retransmit rate in percent: n of d segments
                    final int n = random.nextInt(1, 5000);
                    value = 100.0 * n / random.nextInt(n, 100_000);
                    break;
                default:
                    // halfway cases: x.x5 and x.xx5
                    value = random.nextInt(0, 100_000) / 1000.0 + (i % 2 == 0 ? 0.05 : 0.005);
            }
            assertEquals(String.format(Locale.ROOT, "%.1f", value),
                VerdictRules.decimals(new StringBuilder(), value, 1).toString(), "value " + value);
            assertEquals(String.format(Locale.ROOT, "%.2f", value),
                VerdictRules.decimals(new StringBuilder(), value, 2).toString(), "value " + value);
        }
    }

    @Test
    void thousandthsAreWhatPercentFormatWrites()
    {
        final long[] values = {0, 1, 9, 10, 99, 100, 999, 1000, 1001, 8_740_736, -1, -1500, 123_456_789};
        for (final long v : values)
        {
            assertEquals(String.format(Locale.ROOT, "%.3f", v / 1000.0),
                VerdictRules.thousandths(new StringBuilder(), v).toString(), "value " + v);
        }
    }
}
