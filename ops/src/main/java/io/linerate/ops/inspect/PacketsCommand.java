package io.linerate.ops.inspect;

import io.linerate.ops.pipeline.Replay;
import io.linerate.ops.pipeline.StopRequest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Set;

/** {@code linerate packets FILE... (--flow ID | --where EXPR | ADDR:PORT ADDR:PORT) [-S] [-#]}. */
public final class PacketsCommand
{
    private PacketsCommand()
    {
    }

    /** Runs it; returns the exit code (1 also when no connection matched). */
    public static int run(final Selection selection, final InputStream in, final PrintStream out, final PrintStream err,
        final StopRequest stop) throws IOException
    {
        final int[] exit = new int[1];
        final Set<String> ids = selection.find(in, out, err, stop, exit);
        if (exit[0] != 0)
        {
            return exit[0];
        }
        if (ids.isEmpty())
        {
            err.println("linerate: no connection matches");
            return 1;
        }
        final PrintStream lines = new PrintStream(new BufferedOutputStream(out, 1 << 16), false, StandardCharsets.UTF_8);
        final PacketList list = new PacketList(ids, selection.absolute(), selection.numbered(), lines,
            ZoneId.systemDefault());
        final int code = new Replay(selection.options(), in, out, err, stop).tap(null, list).run();
        lines.flush();
        return code;
    }
}
