package io.linerate.ops.inspect;

import io.linerate.aggregate.view.EndReason;
import io.linerate.aggregate.view.FlowView;
import io.linerate.aggregate.view.FlowRecordListener;
import io.linerate.ops.cli.ReplayOptions;
import io.linerate.ops.cli.SettingValues;
import io.linerate.ops.cli.Settings;
import io.linerate.ops.cli.UsageException;
import io.linerate.ops.filter.DisplayFilter;
import io.linerate.ops.pipeline.Replay;
import io.linerate.ops.pipeline.StopRequest;
import io.linerate.sink.record.FlowRecordEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connections {@code linerate packets} and {@code linerate follow} look at: those of
 * {@code --flow ID} (a flow_id, record_id or community_id), {@code --where EXPR}, or two endpoints
 * {@code ADDR:PORT ADDR:PORT} (either order; {@code [v6]:PORT}), together when several are given.
 *
 * <p>A first pass over the files finds them by their records (so every record field can choose:
 * {@code --where 'verdict == "reset"'}); the command's own pass then meets their packets again by
 * their flow ids, which are the same on every pass over the same input.
 */
public final class Selection
{
    private static final Pattern ENDPOINT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+\\]):(\\d{1,5})");

    private final ReplayOptions options;
    private final DisplayFilter filter;
    private final boolean absolute;
    private final boolean numbered;
    private final String as;

    private Selection(final ReplayOptions options, final DisplayFilter filter, final boolean absolute,
        final boolean numbered, final String as)
    {
        this.options = options;
        this.filter = filter;
        this.absolute = absolute;
        this.numbered = numbered;
        this.as = as;
    }

    /**
     * The selection of a parsed {@code packets} or {@code follow} command line: the connection
     * ({@code --flow}, {@code --where}, two endpoints among its words), the command's own options, and
     * everything {@code replay} takes (files, settings, a tcpdump filter expression).
     */
    public static Selection of(final SettingValues values) throws UsageException
    {
        final String command = values.command();
        final List<String> endpoints = new ArrayList<>();
        final List<String> rest = new ArrayList<>();
        for (final String word : values.words())
        {
            (ENDPOINT.matcher(word).matches() && !Files.exists(Path.of(word)) ? endpoints : rest).add(word);
        }
        final ReplayOptions replay = Settings.options(values.withWords(rest), false).pipeline();
        final String flow = values.get(Settings.FLOW);
        if (replay.files().stream().anyMatch(f -> f.toString().equals("-")))
        {
            throw new UsageException(command + " reads its input twice: give files, not standard input");
        }
        if (!endpoints.isEmpty() && endpoints.size() != 2)
        {
            throw new UsageException(command + " takes two endpoints, ADDR:PORT ADDR:PORT, not " + endpoints.size());
        }
        final List<String> parts = new ArrayList<>();
        if (replay.where() != null)
        {
            parts.add("(" + replay.where().text() + ")");
        }
        if (flow != null)
        {
            parts.add("(flow_id == \"" + flow + "\" || record_id == \"" + flow + "\" || community_id == \"" + flow + "\")");
        }
        if (endpoints.size() == 2)
        {
            parts.add("(" + endpoints(endpoints.get(0), endpoints.get(1)) + " || " + endpoints(endpoints.get(1), endpoints.get(0)) + ")");
        }
        if (parts.isEmpty())
        {
            throw new UsageException(command + " needs the connection: --flow ID, --where EXPR or ADDR:PORT ADDR:PORT");
        }
        return new Selection(replay, Settings.where(String.join(" && ", parts)), values.get(Settings.ABSOLUTE_SEQUENCE),
            values.get(Settings.NUMBER), values.get(Settings.AS));
    }

    private static String endpoints(final String client, final String server)
    {
        return side("client", client) + " && " + side("server", server);
    }

    private static String side(final String role, final String endpoint)
    {
        final Matcher m = ENDPOINT.matcher(endpoint);
        m.matches();
        final String addr = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        return role + ".ip == " + addr + " && " + role + ".port == " + m.group(2);
    }

    /** {@code -S}: absolute sequence numbers. */
    public boolean absolute()
    {
        return absolute;
    }

    /** {@code -#}: frame numbers. */
    public boolean numbered()
    {
        return numbered;
    }

    /** {@code --as}: ascii, hex or raw. */
    public String as()
    {
        return as;
    }

    /** The settings of the passes over the files, with no selection. */
    public ReplayOptions options()
    {
        return options.inspecting(null);
    }

    /**
     * The first pass: the flow ids of the connections selected (in the order their records came).
     *
     * @return null when the pass failed (it said why on {@code err}); {@code exit[0]} gets its exit code
     */
    public Set<String> find(final InputStream in, final PrintStream out, final PrintStream err, final StopRequest stop,
        final int[] exit) throws IOException
    {
        final Set<String> ids = new HashSet<>();
        final FlowRecordListener collect = new FlowRecordListener()
        {
            @Override
            public void onRecord(final FlowView flow, final boolean isFinal, final EndReason endReason)
            {
                ids.add(FlowRecordEncoder.flowId(flow));
            }
        };
        exit[0] = new Replay(options.inspecting(filter), in, out, err, stop).tap(collect, null).run();
        return ids;
    }
}
