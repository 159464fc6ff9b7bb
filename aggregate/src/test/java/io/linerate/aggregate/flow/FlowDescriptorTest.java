package io.linerate.aggregate.flow;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;

import static io.linerate.aggregate.flow.FlowDescriptor.CACHE_LINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowDescriptorTest
{
    /** No two fields share a byte, none crosses a cache line, all fit their region. */
    static void assertLaidOut(final String region, final FlowDescriptor.Field[] fields, final int length)
    {
        final FlowDescriptor.Field[] sorted = fields.clone();
        Arrays.sort(sorted, Comparator.comparingInt(FlowDescriptor.Field::offset));
        int end = 0;
        for (final FlowDescriptor.Field f : sorted)
        {
            assertTrue(f.offset() >= end, region + "." + f.name() + " overlaps the field before it");
            assertTrue(f.offset() % Math.min(f.length(), 8) == 0, region + "." + f.name() + " is not aligned");
            assertEquals(f.offset() / CACHE_LINE, (f.offset() + f.length() - 1) / CACHE_LINE,
                region + "." + f.name() + " crosses a cache line");
            end = f.offset() + f.length();
        }
        assertTrue(end <= length, region + " is longer than its " + length + " bytes");
    }

    @Test
    void headerFieldsNeitherOverlapNorCrossALine()
    {
        assertLaidOut("header", FlowDescriptor.HEADER_FIELDS, FlowDescriptor.HEADER_LENGTH);
    }

    @Test
    void directionFieldsNeitherOverlapNorCrossALine()
    {
        assertLaidOut("direction", FlowDescriptor.DIRECTION_FIELDS, FlowDescriptor.DIRECTION_LENGTH);
    }

    @Test
    void bothDirectionsRarePartsShareOneLineWithoutOverlapping()
    {
        assertLaidOut("rare", FlowDescriptor.RARE_FIELDS, FlowDescriptor.RARE_DIRECTION_LENGTH);
        assertEquals(FlowDescriptor.RARE_LENGTH, 2 * FlowDescriptor.RARE_DIRECTION_LENGTH);
        assertEquals(CACHE_LINE, FlowDescriptor.RARE_LENGTH, "the two rare parts are one line");
    }

    @Test
    void zeekFieldsNeitherOverlapNorCrossALine()
    {
        assertLaidOut("zeek", FlowDescriptor.ZEEK_FIELDS, FlowDescriptor.ZEEK_LENGTH);
        assertLaidOut("zeek endpoint", FlowDescriptor.ZEEK_END_FIELDS, FlowDescriptor.ZEEK_END_LENGTH);
    }

    @Test
    void metaFieldsNeitherOverlapNorCrossALine()
    {
        assertLaidOut("meta", FlowDescriptor.META_FIELDS, FlowDescriptor.META_LENGTH);
    }

    @Test
    void regionsStartOnALineAndTileTheRecord()
    {
        final int[][] regions = {
            {FlowDescriptor.HEADER_OFFSET, FlowDescriptor.HEADER_LENGTH},
            {FlowDescriptor.C2S_OFFSET, FlowDescriptor.DIRECTION_LENGTH},
            {FlowDescriptor.S2C_OFFSET, FlowDescriptor.DIRECTION_LENGTH},
            {FlowDescriptor.RARE_OFFSET, FlowDescriptor.RARE_LENGTH},
            {FlowDescriptor.ZEEK_OFFSET, FlowDescriptor.ZEEK_LENGTH},
            {FlowDescriptor.META_OFFSET, FlowDescriptor.META_LENGTH},
        };
        int at = 0;
        for (final int[] r : regions)
        {
            assertEquals(at, r[0], "regions follow each other");
            assertEquals(0, r[0] % CACHE_LINE, "a region starts on a line");
            at += r[1];
        }
        assertEquals(FlowDescriptor.RECORD_LENGTH, at);
        assertEquals(0, FlowDescriptor.RECORD_LENGTH % CACHE_LINE, "records stay aligned one after another");
    }

    @Test
    void slabRecordsAreLineAlignedAndDoNotShareBytes()
    {
        final FlowSlab slab = new FlowSlab();
        slab.ensureCapacity(FlowSlab.FLOWS_PER_SEGMENT + 1);
        assertEquals(2 * FlowSlab.FLOWS_PER_SEGMENT, slab.capacity());
        assertEquals(0, slab.buffer(0).addressOffset() % CACHE_LINE);
        assertEquals(0, slab.buffer(FlowSlab.FLOWS_PER_SEGMENT).addressOffset() % CACHE_LINE);
        // the last record of the first segment and the first of the second are in different buffers
        slab.buffer(FlowSlab.FLOWS_PER_SEGMENT - 1).putLong(FlowSlab.offset(FlowSlab.FLOWS_PER_SEGMENT - 1), -1L);
        assertEquals(0, slab.buffer(FlowSlab.FLOWS_PER_SEGMENT).getLong(FlowSlab.offset(FlowSlab.FLOWS_PER_SEGMENT)));
    }
}
