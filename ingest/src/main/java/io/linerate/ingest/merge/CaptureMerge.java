package io.linerate.ingest.merge;

import io.linerate.ingest.file.CaptureFileException;
import io.linerate.ingest.file.CaptureReader;
import io.linerate.ingest.ring.FrameSlot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Several captures read as one, their frames interleaved by time stamp as {@code mergecap} does:
 * each input keeps its own order, and the next frame is always the earliest of the inputs' next
 * frames (the first input given wins a tie). Two taps of one link, one per direction, so give whole
 * connections, their two halves meeting in time. Each frame keeps its link type; its interface id
 * is made unique across inputs ({@code input << 16 | id}), so the interfaces of different files stay
 * apart. Frames are numbered in merged order.
 *
 * <p>Inputs are opened when their turn comes: before the first frame every input is opened once to
 * read the time stamp of its first frame, then closed again (a stream, which cannot be opened twice,
 * stays open); an input is opened for good when the merge reaches that time stamp, and closed when
 * it ends. So captures that follow one another in time (a directory of a day's files) are read one
 * at a time, and only those that overlap are open together.
 *
 * <p>Each open input reads its next frame into a slot of its own; the frame is handed to the caller's
 * slot by exchanging the two slots' byte arrays, so the bytes are still copied once. A damaged or
 * unreadable input is reported (after its frames before the damage) and the others go on.
 */
public final class CaptureMerge implements CaptureReader
{
    /** Bits of a merged interface id that hold the input's own interface id. */
    public static final int INTERFACE_ID_BITS = 16;

    private static final Comparator<Input> BY_FIRST_FRAME =
        Comparator.comparingLong((Input i) -> i.first).thenComparingInt(i -> i.index);

    private final CaptureInput.Problems problems;
    /** Inputs not yet opened for good, by the time stamp of their first frame. */
    private final List<Input> pending = new ArrayList<>();
    private int nextPending;
    /** Open inputs: a binary heap by their next frame's time stamp, then input order. */
    private Input[] heap;
    private int heapSize;
    private boolean started;
    private final List<CaptureInput> inputs;
    private Input last;
    private long frameCount;

    /**
     * @param inputs   in the order given (which breaks ties of time stamps)
     * @param problems told of each input that cannot be read to its end
     */
    public CaptureMerge(final List<CaptureInput> inputs, final CaptureInput.Problems problems)
    {
        this.inputs = List.copyOf(inputs);
        this.problems = problems;
        this.heap = new Input[Math.max(1, inputs.size())];
    }

    @Override
    public boolean next(final FrameSlot slot)
    {
        if (!started)
        {
            start();
        }
        while (nextPending < pending.size() &&
            (heapSize == 0 || pending.get(nextPending).first <= heap[0].head.timestampNanos))
        {
            admit(pending.get(nextPending++));
        }
        if (heapSize == 0)
        {
            return false;
        }
        final Input input = heap[0];
        hand(input, slot);
        last = input;
        if (read(input))
        {
            siftDown(0);
        }
        else
        {
            close(input);
            heap[0] = heap[--heapSize];
            heap[heapSize] = null;
            siftDown(0);
        }
        return true;
    }

    /** Reads every input's first time stamp; keeps streams open, closes files until their turn. */
    private void start()
    {
        started = true;
        for (int i = 0; i < inputs.size(); i++)
        {
            final Input input = new Input(inputs.get(i), i);
            if (!open(input) || !read(input))
            {
                close(input);
                continue;
            }
            input.first = input.head.timestampNanos;
            if (input.source.reopenable())
            {
                close(input);
                pending.add(input);
            }
            else
            {
                push(input);
            }
        }
        pending.sort(BY_FIRST_FRAME);
    }

    private void admit(final Input input)
    {
        if (open(input) && read(input))
        {
            push(input);
        }
        else
        {
            close(input);
        }
    }

    private boolean open(final Input input)
    {
        try
        {
            input.reader = input.source.open();
            return true;
        }
        catch (final CaptureFileException ex)
        {
            problems.report(ex);
            return false;
        }
    }

    /** Reads the input's next frame into its own slot; false at its end or damage (reported). */
    private boolean read(final Input input)
    {
        try
        {
            return input.reader.next(input.head);
        }
        catch (final CaptureFileException ex)
        {
            problems.report(ex);
            return false;
        }
    }

    /** Moves the input's frame into {@code slot}: metadata copied, byte arrays exchanged. */
    private void hand(final Input input, final FrameSlot slot)
    {
        final FrameSlot head = input.head;
        slot.timestampNanos = head.timestampNanos;
        slot.captureLength = head.captureLength;
        slot.wireLength = head.wireLength;
        slot.linkType = head.linkType;
        slot.interfaceId = input.index << INTERFACE_ID_BITS | (head.interfaceId & ((1 << INTERFACE_ID_BITS) - 1));
        slot.frameNumber = ++frameCount;
        slot.fileOffset = head.fileOffset;
        final byte[] bytes = slot.data;
        slot.data = head.data;
        head.data = bytes;
    }

    private void close(final Input input)
    {
        if (input.reader == null)
        {
            return;
        }
        try
        {
            input.reader.close();
        }
        catch (final IOException ex)
        {
            problems.report(new CaptureFileException(input.reader.path(), -1, "cannot close: " + ex.getMessage(), ex));
        }
        input.reader = null;
    }

    private void push(final Input input)
    {
        heap[heapSize] = input;
        siftUp(heapSize++);
    }

    private void siftUp(final int at)
    {
        int child = at;
        while (child > 0)
        {
            final int parent = (child - 1) >>> 1;
            if (!before(heap[child], heap[parent]))
            {
                return;
            }
            swap(child, parent);
            child = parent;
        }
    }

    private void siftDown(final int at)
    {
        int parent = at;
        while (true)
        {
            final int left = 2 * parent + 1;
            if (left >= heapSize)
            {
                return;
            }
            final int right = left + 1;
            final int first = right < heapSize && before(heap[right], heap[left]) ? right : left;
            if (!before(heap[first], heap[parent]))
            {
                return;
            }
            swap(first, parent);
            parent = first;
        }
    }

    private static boolean before(final Input a, final Input b)
    {
        final long ta = a.head.timestampNanos;
        final long tb = b.head.timestampNanos;
        return ta < tb || (ta == tb && a.index < b.index);
    }

    private void swap(final int i, final int j)
    {
        final Input t = heap[i];
        heap[i] = heap[j];
        heap[j] = t;
    }

    /** Byte offset of the last frame's record in its own input. */
    @Override
    public long position()
    {
        return last == null || last.reader == null ? 0 : last.reader.position();
    }

    /** The input of the last frame read. */
    @Override
    public Path path()
    {
        return last == null || last.reader == null ? Path.of(inputs.get(0).name()) : last.reader.path();
    }

    @Override
    public String format()
    {
        return "merge";
    }

    @Override
    public void close() throws IOException
    {
        for (int i = 0; i < heapSize; i++)
        {
            close(heap[i]);
        }
        heapSize = 0;
    }

    /** One input and its next frame. */
    private static final class Input
    {
        final CaptureInput source;
        final int index;
        final FrameSlot head = new FrameSlot();
        CaptureReader reader;
        long first;

        Input(final CaptureInput source, final int index)
        {
            this.source = source;
            this.index = index;
        }
    }
}
