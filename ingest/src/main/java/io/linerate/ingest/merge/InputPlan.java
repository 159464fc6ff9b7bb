package io.linerate.ingest.merge;

import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureFiles;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.file.Compression;
import io.linerate.ingest.os.SystemErrors;
import io.linerate.ingest.ring.FrameSlot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the captures named on the command line into what is read, in order: {@code -} is standard
 * input, a directory stands for the captures in it, the rotated files of one capture are read in
 * their sequence, and the rest are merged by time stamp.
 *
 * <p>By default ({@link Mode#AUTO}) several inputs are merged: inputs that overlap in time are
 * interleaved frame by frame, and inputs that do not are read one after another in time order,
 * which is what merging them gives. Files named as {@code tcpdump -w FILE -C MB} names its rotated
 * files ({@code FILE}, {@code FILE1}, {@code FILE2}...) or as {@code -W N} does ({@code FILE0}...,
 * zero-padded to one width), whose first frames follow one another in that order (for a ring of
 * {@code -W} files, starting at the oldest), are one capture: read in sequence, not merged, so the
 * frames at a rotation keep tcpdump's order even where the kernel's time stamps step back a little.
 * {@link Mode#MERGE} merges every file, rotated or not; {@link Mode#CONCAT} reads the inputs one
 * after another as given (a directory's captures in time order).
 */
public final class InputPlan
{
    /** How several inputs are read. */
    public enum Mode
    {
        /** Rotated files in sequence, everything else merged by time (the default). */
        AUTO,
        /** Every file merged by time ({@code --merge}). */
        MERGE,
        /** One after another, as given ({@code --no-merge}). */
        CONCAT
    }

    /** A compressed file's suffix, which tcpdump {@code -z} adds after the rotation number. */
    private static final Pattern COMPRESSED_SUFFIX = Pattern.compile("\\.(gz|zst|lz4|xz|bz2)$");
    private static final Pattern NUMBERED = Pattern.compile("^(.*?)(\\d+)$");

    private InputPlan()
    {
    }

    /**
     * @param arguments the command line's captures: paths, directories and {@code -}
     * @param stdin     standard input, asked for only when {@code -} is given
     * @param problems  told of a directory without captures (and, later, of inputs that cannot be read)
     * @return what to read, one after another
     */
    public static List<CaptureInput> of(final List<Path> arguments, final Mode mode, final Supplier<InputStream> stdin,
        final CaptureInput.Problems problems)
    {
        final List<CaptureInput> inputs = new ArrayList<>();
        final List<Path> files = new ArrayList<>();
        for (final Path argument : arguments)
        {
            if (CaptureFiles.STANDARD_INPUT.equals(argument))
            {
                inputs.add(CaptureInput.stream(argument, stdin.get()));
            }
            else if (Files.isDirectory(argument))
            {
                final List<Path> captures = capturesIn(argument, problems);
                if (mode == Mode.CONCAT)
                {
                    captures.sort(Comparator.comparingLong(InputPlan::firstTimestamp));
                }
                captures.forEach(f -> inputs.add(CaptureInput.file(f)));
                files.addAll(captures);
            }
            else
            {
                inputs.add(CaptureInput.file(argument));
                files.add(argument);
            }
        }
        if (mode == Mode.CONCAT || inputs.size() <= 1)
        {
            return inputs;
        }
        if (mode == Mode.MERGE)
        {
            return List.of(CaptureInput.merge(inputs, problems));
        }
        // AUTO: each rotated capture becomes one input, in the place of its first file.
        final Map<Path, List<Path>> rotated = rotatedCaptures(files);
        final List<CaptureInput> joined = new ArrayList<>();
        for (final CaptureInput input : inputs)
        {
            final Path path = Path.of(input.name());
            final List<Path> sequence = rotated.get(path);
            if (sequence == null)
            {
                joined.add(input);
            }
            else if (!sequence.isEmpty())
            {
                joined.add(CaptureInput.sequence(sequence, problems));
                rotated.put(path, List.of());
                sequence.forEach(p -> rotated.putIfAbsent(p, List.of()));
            }
        }
        return joined.size() == 1 ? joined : List.of(CaptureInput.merge(joined, problems));
    }

    /**
     * The rotated captures among {@code files}: for the first file of each (in the order given),
     * the whole sequence; for its other files, an empty list (they are read with the first).
     */
    static Map<Path, List<Path>> rotatedCaptures(final List<Path> files)
    {
        // Candidates grouped by directory, base name and compression suffix.
        final Map<String, List<Rotated>> groups = new LinkedHashMap<>();
        for (final Path file : files)
        {
            final String name = String.valueOf(file.getFileName());
            final Matcher compressed = COMPRESSED_SUFFIX.matcher(name);
            final String suffix = compressed.find() ? compressed.group() : "";
            final String stem = name.substring(0, name.length() - suffix.length());
            final Matcher numbered = NUMBERED.matcher(stem);
            final Rotated r = numbered.matches() && !numbered.group(1).isEmpty() ?
                new Rotated(file, numbered.group(1), Integer.parseInt(numbered.group(2).substring(
                    Math.max(0, numbered.group(2).length() - 9))), numbered.group(2).length()) :
                new Rotated(file, stem, 0, 0);
            groups.computeIfAbsent(file.toAbsolutePath().getParent() + "/" + r.base + "\u0000" + suffix,
                k -> new ArrayList<>()).add(r);
        }
        final Map<Path, List<Path>> sequences = new LinkedHashMap<>();
        for (final List<Rotated> group : groups.values())
        {
            final List<Path> sequence = sequence(group);
            if (sequence.size() > 1)
            {
                sequences.put(group.get(0).path, new ArrayList<>(sequence));
                for (final Rotated r : group.subList(1, group.size()))
                {
                    sequences.put(r.path, List.of());
                }
            }
        }
        // The first file given of each capture carries the sequence.
        final Map<Path, List<Path>> byFirstGiven = new LinkedHashMap<>();
        for (final Path file : files)
        {
            final List<Path> s = sequences.get(file);
            if (s != null)
            {
                byFirstGiven.put(file, s);
            }
        }
        return byFirstGiven;
    }

    /** The files of a group in their rotation order, or an empty list when they are not one capture. */
    private static List<Path> sequence(final List<Rotated> group)
    {
        if (group.size() < 2)
        {
            return List.of();
        }
        final List<Rotated> sorted = new ArrayList<>(group);
        sorted.sort(Comparator.comparingInt((Rotated r) -> r.number));
        final boolean withBase = sorted.get(0).width == 0;
        for (int i = 0; i < sorted.size(); i++)
        {
            final Rotated r = sorted.get(i);
            // -C alone: FILE, FILE1, FILE2... (no padding); -W: FILE0.. all of one width.
            final boolean fits = withBase ? (i == 0 ? r.width == 0 : r.width > 0 &&
                Integer.toString(r.number).length() == r.width) : r.width == sorted.get(0).width;
            if (!fits || (i > 0 && r.number == sorted.get(i - 1).number))
            {
                return List.of();
            }
        }
        final long[] first = new long[sorted.size()];
        int oldest = 0;
        for (int i = 0; i < sorted.size(); i++)
        {
            first[i] = firstTimestamp(sorted.get(i).path);
            if (first[i] < first[oldest])
            {
                oldest = i;
            }
        }
        // A ring (-W) may have wrapped: it starts at its oldest file. Without -W it starts at FILE.
        final int startAt = withBase ? 0 : oldest;
        final List<Path> sequence = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (int k = 0; k < sorted.size(); k++)
        {
            final int i = (startAt + k) % sorted.size();
            if (first[i] == Long.MAX_VALUE)
            {
                // Empty or unreadable: read in its place, where its problem is reported.
                sequence.add(sorted.get(i).path);
                continue;
            }
            if (first[i] < previous)
            {
                return List.of();
            }
            previous = first[i];
            sequence.add(sorted.get(i).path);
        }
        return sequence;
    }

    /** The capture files of a directory (by their magic, compressed or not), by name. */
    private static List<Path> capturesIn(final Path directory, final CaptureInput.Problems problems)
    {
        final List<Path> captures = new ArrayList<>();
        try (Stream<Path> list = Files.list(directory))
        {
            list.filter(p -> !String.valueOf(p.getFileName()).startsWith(".") && Files.isRegularFile(p))
                .filter(InputPlan::looksLikeACapture)
                .sorted()
                .forEach(captures::add);
        }
        catch (final IOException ex)
        {
            problems.report(new CaptureFileException(directory, -1, SystemErrors.reason(ex), ex));
            return captures;
        }
        if (captures.isEmpty())
        {
            problems.report(new CaptureFileException(directory, -1,
                "no pcap or pcapng files in this directory (compressed or not)"));
        }
        return captures;
    }

    /** Starts with a pcap, pcapng or compression magic number (an unreadable file counts: it is said). */
    private static boolean looksLikeACapture(final Path file)
    {
        final byte[] head = new byte[Compression.MAGIC_BYTES];
        final int length;
        try (InputStream in = Files.newInputStream(file))
        {
            length = in.readNBytes(head, 0, head.length);
        }
        catch (final IOException ex)
        {
            return true;
        }
        if (Compression.of(head, length) != Compression.NONE)
        {
            return true;
        }
        if (length < 4)
        {
            return false;
        }
        final int magic = (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | (head[3] & 0xff);
        final int swapped = Integer.reverseBytes(magic);
        return magic == 0x0A0D0D0A || isPcap(magic) || isPcap(swapped);
    }

    private static boolean isPcap(final int magic)
    {
        return magic == 0xa1b2c3d4 || magic == 0xa1b23c4d || magic == 0xa1b2cd34;
    }

    /** The time stamp of a capture's first frame; {@link Long#MAX_VALUE} when it has none or cannot be read. */
    static long firstTimestamp(final Path file)
    {
        try (CaptureReader reader = CaptureFiles.open(file))
        {
            final FrameSlot slot = new FrameSlot();
            return reader.next(slot) ? slot.timestampNanos : Long.MAX_VALUE;
        }
        catch (final IOException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    /** A file name read as {@code base + number}. */
    private record Rotated(Path path, String base, int number, int width)
    {
    }
}
