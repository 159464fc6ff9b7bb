package io.linerate.ingest.merge;

import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.ring.FrameSlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of one capture that {@code tcpdump -C} (and {@code -W}) rotated, read one after another
 * as the single capture they were: frames numbered on across files, each file opened when the one
 * before it ends. A damaged or missing file is reported (the last file of a capture still being
 * written is often cut inside a record) and the sequence goes on with the next one.
 */
public final class CaptureSequence implements CaptureReader
{
    private final List<Path> files;
    private final CaptureInput.Problems problems;
    private int next;
    private CaptureReader current;
    private Path currentPath;
    private long frameCount;

    /**
     * @param files    in their sequence
     * @param problems told of each file that cannot be read to its end
     */
    public CaptureSequence(final List<Path> files, final CaptureInput.Problems problems)
    {
        if (files.isEmpty())
        {
            throw new IllegalArgumentException("no files");
        }
        this.files = List.copyOf(files);
        this.problems = problems;
        this.currentPath = files.get(0);
    }

    @Override
    public boolean next(final FrameSlot slot) throws CaptureFileException
    {
        while (true)
        {
            if (current == null)
            {
                if (next == files.size())
                {
                    return false;
                }
                currentPath = files.get(next++);
                try
                {
                    current = CaptureFiles.open(currentPath);
                }
                catch (final CaptureFileException ex)
                {
                    problems.report(ex);
                    continue;
                }
            }
            try
            {
                if (current.next(slot))
                {
                    slot.frameNumber = ++frameCount;
                    return true;
                }
            }
            catch (final CaptureFileException ex)
            {
                problems.report(ex);
            }
            closeCurrent();
        }
    }

    private void closeCurrent()
    {
        try
        {
            current.close();
        }
        catch (final IOException ex)
        {
            problems.report(new CaptureFileException(currentPath, -1, "cannot close: " + ex.getMessage(), ex));
        }
        current = null;
    }

    @Override
    public long position()
    {
        return current == null ? 0 : current.position();
    }

    /** The file being read now. */
    @Override
    public Path path()
    {
        return currentPath;
    }

    @Override
    public String format()
    {
        return current == null ? "pcap" : current.format();
    }

    @Override
    public void close() throws IOException
    {
        if (current != null)
        {
            current.close();
            current = null;
        }
    }
}
