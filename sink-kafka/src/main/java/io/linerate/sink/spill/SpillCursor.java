package io.linerate.sink.spill;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads the spill ahead of a committed position that only moves on {@link #commit()}, so a record is
 * never given up before its output acknowledged it. Two Chronicle tailers: an anonymous one that
 * reads ahead, and a named one (its position persists in the queue's metadata) that follows behind
 * and reads exactly the records that were committed. A crash between read and commit re-reads those
 * records on the next run: delivery is at least once.
 *
 * <p>One thread at a time: a thread that takes over a cursor another thread created or used calls
 * {@link #takeOver()} first.
 */
public final class SpillCursor
{
    private final ExcerptTailer committed;
    private final ExcerptTailer ahead;
    private long uncommitted;
    private boolean positioned;
    private String key;
    private String value;
    private long recordBytes;

    SpillCursor(final ExcerptTailer committed, final ExcerptTailer ahead)
    {
        this.committed = committed;
        this.ahead = ahead;
        positioned = positionAtCommitted(ahead);
    }

    /**
     * Makes the calling thread the cursor's owner. Chronicle's tailers belong to the first thread
     * that moves them (a check that throws otherwise), and creating a cursor on a spill with a
     * committed position moves them on the creating thread.
     */
    public void takeOver()
    {
        committed.singleThreadedCheckReset();
        ahead.singleThreadedCheckReset();
    }

    /** Reads the next record into {@link #key()} and {@link #value()}; false when there is none yet. */
    public boolean next()
    {
        if (!positioned && !(positioned = positionAtCommitted(ahead)))
        {
            return false;
        }
        try (DocumentContext dc = ahead.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            recordBytes = dc.wire().bytes().readRemaining();
            key = dc.wire().bytes().readUtf8();
            value = dc.wire().bytes().readUtf8();
            uncommitted++;
            return true;
        }
    }

    /** The key of the record last read. */
    public String key()
    {
        return key;
    }

    /** The value of the record last read. */
    public String value()
    {
        return value;
    }

    /** The size in the spill of the record last read, as {@link RecordSpill.Writer#append} returned it. */
    public long recordBytes()
    {
        return recordBytes;
    }

    /** Records read since the last commit or rewind. */
    public long uncommitted()
    {
        return uncommitted;
    }

    /** Makes every record read so far committed: it will not be read again, not even after a restart. */
    public void commit()
    {
        // The named tailer persists its index as it reads: reading the same records moves it exactly
        // to where the read-ahead tailer is.
        for (long i = 0; i < uncommitted; i++)
        {
            try (DocumentContext dc = committed.readingDocument())
            {
                if (!dc.isPresent())
                {
                    throw new IllegalStateException("spill cursor: committed tailer ran past the end");
                }
            }
        }
        uncommitted = 0;
    }

    /** The Chronicle index of the committed position; 0 before the first commit ever. */
    long committedIndex()
    {
        return committed.index();
    }

    /** Goes back to the committed position: the records read since are read again. */
    public void rewind()
    {
        positioned = positionAtCommitted(ahead);
        uncommitted = 0;
    }

    /**
     * Moves {@code tailer} to the committed position; false when that position cannot be reached
     * yet (it is the end of the queue: the next append will make it reachable).
     */
    boolean positionAtCommitted(final ExcerptTailer tailer)
    {
        final long index = committed.index();
        if (index == 0)
        {
            // A named tailer that never read reports index 0: it starts at the start of the queue.
            tailer.toStart();
            return true;
        }
        if (tailer.moveToIndex(index))
        {
            return true;
        }
        // The committed position is the end of the queue (no record there yet), or the end of an
        // older roll cycle with records in a later one: ask the committed tailer where its next record
        // is, without moving it.
        try (DocumentContext dc = committed.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            dc.rollbackOnClose();
            return tailer.moveToIndex(dc.index());
        }
    }
}
