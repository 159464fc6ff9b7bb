package io.linerate.ingest.merge;

import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One thing to read: a capture file (opened again whenever asked, so it need not stay open while
 * it waits its turn), a stream (standard input: opened once), the rotated files of one capture, or
 * several of these merged by time.
 */
public abstract class CaptureInput
{
    private final String name;

    CaptureInput(final String name)
    {
        this.name = name;
    }

    /** A capture file on disk, plain or compressed. */
    public static CaptureInput file(final Path path)
    {
        return new FileInput(path);
    }

    /** A stream that can be read once, named {@code path} in messages ({@link CaptureFiles#STANDARD_INPUT}). */
    public static CaptureInput stream(final Path path, final InputStream in)
    {
        return new StreamInput(path, in);
    }

    /** The rotated files of one capture ({@code tcpdump -C}/{@code -W}), read one after another. */
    public static CaptureInput sequence(final List<Path> files, final Problems problems)
    {
        return new SequenceInput(files, problems);
    }

    /** Several inputs interleaved by time stamp. */
    public static CaptureInput merge(final List<CaptureInput> inputs, final Problems problems)
    {
        return new MergeInput(inputs, problems);
    }

    /** How messages name it: a path, or the paths of what it joins. */
    public String name()
    {
        return name;
    }

    /** True when {@link #open()} may be called again after the reader it gave is closed. */
    public abstract boolean reopenable();

    /** Opens it and reads its header. */
    public abstract CaptureReader open() throws CaptureFileException;

    /** Bytes of the files this input reads (as on disk, compressed or not); -1 for a stream or unknown. */
    public long bytes()
    {
        return -1;
    }

    private static long size(final Path path)
    {
        try
        {
            return java.nio.file.Files.size(path);
        }
        catch (final java.io.IOException ex)
        {
            return 0;
        }
    }

    @Override
    public String toString()
    {
        return name;
    }

    /** Damage met in one of several inputs, reported while the others are read on. */
    @FunctionalInterface
    public interface Problems
    {
        void report(CaptureFileException problem);
    }

    private static final class FileInput extends CaptureInput
    {
        private final Path path;

        FileInput(final Path path)
        {
            super(path.toString());
            this.path = path;
        }

        @Override
        public boolean reopenable()
        {
            return true;
        }

        @Override
        public CaptureReader open() throws CaptureFileException
        {
            return CaptureFiles.open(path);
        }

        @Override
        public long bytes()
        {
            return size(path);
        }
    }

    private static final class StreamInput extends CaptureInput
    {
        private final Path path;
        private InputStream in;

        StreamInput(final Path path, final InputStream in)
        {
            super(CaptureFiles.STANDARD_INPUT.equals(path) ? "standard input" : path.toString());
            this.path = path;
            this.in = in;
        }

        @Override
        public boolean reopenable()
        {
            return false;
        }

        @Override
        public CaptureReader open() throws CaptureFileException
        {
            if (in == null)
            {
                throw new IllegalStateException(name() + " was read already");
            }
            final InputStream stream = in;
            in = null;
            return CaptureFiles.open(path, stream);
        }

        @Override
        public long bytes()
        {
            return -1;
        }
    }

    private static final class SequenceInput extends CaptureInput
    {
        private final List<Path> files;
        private final Problems problems;

        SequenceInput(final List<Path> files, final Problems problems)
        {
            super(files.get(0) + (files.size() > 1 ? " (and its " + (files.size() - 1) + " rotated file" +
                (files.size() == 2 ? ")" : "s)") : ""));
            this.files = List.copyOf(files);
            this.problems = problems;
        }

        @Override
        public boolean reopenable()
        {
            return true;
        }

        @Override
        public CaptureReader open() throws CaptureFileException
        {
            return new CaptureSequence(files, problems);
        }

        @Override
        public long bytes()
        {
            return files.stream().mapToLong(CaptureInput::size).sum();
        }
    }

    private static final class MergeInput extends CaptureInput
    {
        private final List<CaptureInput> inputs;
        private final Problems problems;

        MergeInput(final List<CaptureInput> inputs, final Problems problems)
        {
            super(inputs.stream().map(CaptureInput::name).collect(Collectors.joining(", ")));
            this.inputs = List.copyOf(inputs);
            this.problems = problems;
        }

        @Override
        public boolean reopenable()
        {
            return inputs.stream().allMatch(CaptureInput::reopenable);
        }

        @Override
        public CaptureReader open() throws CaptureFileException
        {
            return new CaptureMerge(inputs, problems);
        }

        @Override
        public long bytes()
        {
            long sum = 0;
            for (final CaptureInput i : inputs)
            {
                if (i.bytes() < 0)
                {
                    return -1;
                }
                sum += i.bytes();
            }
            return sum;
        }
    }
}
