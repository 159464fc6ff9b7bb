package io.linerate.ingest.bpf;

import io.linerate.ingest.ring.FrameSlot;

import java.util.ArrayList;
import java.util.List;

/**
 * A tcpdump filter expression applied where frames enter the pipeline on replay: compiled by libpcap
 * once per link type (a pcapng file can mix interfaces of several), run by a {@link BpfMachine} on
 * each frame. Frames of a link type the expression cannot be compiled for are rejected, and libpcap's
 * reason is kept for {@link #drainProblems()}.
 *
 * <p>Belongs to the reader thread. After the first frame of each link type nothing is allocated.
 */
public final class FrameFilter
{
    private static final BpfProgram REJECT_ALL =
        new BpfProgram(new short[] {BpfProgram.RET | BpfProgram.K}, new byte[1], new byte[1], new int[] {0});

    private final String expression;
    private final BpfProgram[] byLinkType = new BpfProgram[1 << 16];
    private final BpfMachine machine = new BpfMachine();
    private final List<String> problems = new ArrayList<>();
    private long accepted;
    private long rejected;

    private FrameFilter(final String expression)
    {
        this.expression = expression;
    }

    /**
     * A filter for {@code expression}, checked now by compiling it for Ethernet (and, if libpcap
     * refuses that, for Linux cooked and raw IP captures, where some qualifiers only exist).
     *
     * @throws BpfCompileException with libpcap's message for Ethernet when none of them compiles it
     */
    public static FrameFilter compile(final String expression) throws BpfCompileException
    {
        final FrameFilter filter = new FrameFilter(expression);
        BpfCompileException first = null;
        for (final int linkType : new int[] {1, 113, 276, 101})
        {
            try
            {
                filter.byLinkType[linkType] = BpfCompiler.compile(expression, linkType);
                return filter;
            }
            catch (final BpfCompileException ex)
            {
                first = first == null ? ex : first;
            }
        }
        throw first;
    }

    /**
     * A filter of the same expression for another thread (a filter keeps counts and compiles the
     * programs of further link types as it meets them, so a thread needs its own).
     */
    public FrameFilter copy()
    {
        try
        {
            return compile(expression);
        }
        catch (final BpfCompileException ex)
        {
            throw new IllegalStateException("'" + expression + "' compiled once and not again", ex);
        }
    }

    public String expression()
    {
        return expression;
    }

    /** True when the frame in {@code slot} passes the filter; counts it either way. */
    public boolean accepts(final FrameSlot slot)
    {
        final int linkType = slot.linkType & 0xFFFF;
        BpfProgram program = byLinkType[linkType];
        if (program == null)
        {
            program = compileFor(linkType);
        }
        if (machine.run(program, slot.data, slot.captureLength, slot.wireLength) != 0)
        {
            accepted++;
            return true;
        }
        rejected++;
        return false;
    }

    public long accepted()
    {
        return accepted;
    }

    public long rejected()
    {
        return rejected;
    }

    /** libpcap's reasons for link types the expression does not apply to, since the last call. */
    public List<String> drainProblems()
    {
        final List<String> out = List.copyOf(problems);
        problems.clear();
        return out;
    }

    private BpfProgram compileFor(final int linkType)
    {
        BpfProgram program;
        try
        {
            program = BpfCompiler.compile(expression, linkType);
        }
        catch (final BpfCompileException ex)
        {
            problems.add("filter does not apply to link type " + linkType + ", its frames are filtered out: " +
                ex.getMessage());
            program = REJECT_ALL;
        }
        byLinkType[linkType] = program;
        return program;
    }
}
