package io.linerate.ops.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The command lines of linerate, made with picocli from the settings' declarations
 * ({@link Settings#ALL}): tcpdump's and GNU's spellings ({@code -c5}, {@code -c 5}, {@code --count=5},
 * {@code --count 5}, short switches together, {@code --} ends the options), the help of each command
 * grouped by {@link Group}, {@code --version}, and the bash completion script. A command's values
 * are its command line's over its configuration file's ({@code --config FILE}, {@link ConfigFile}),
 * each word parsed by its setting's own parser.
 */
public final class CommandLines
{
    /** The program's name, in the help, the completion script and the man page. */
    public static final String PROGRAM = "linerate";

    private static final int HELP_WIDTH = 100;
    private static final Map<String, String> SYNOPSIS = new LinkedHashMap<>();

    static
    {
        SYNOPSIS.put(Settings.REPLAY_COMMAND, "FILE|DIR|-... [options] [filter expression]");
        SYNOPSIS.put(Settings.CAPTURE_COMMAND, "-i IFACE [options] [filter expression]");
        SYNOPSIS.put("interfaces", "");
        SYNOPSIS.put(Settings.PACKETS_COMMAND, "FILE... (--flow ID | --where EXPR | ADDR:PORT ADDR:PORT) [-S] [-#] [options]");
        SYNOPSIS.put(Settings.FOLLOW_COMMAND,
            "FILE... (--flow ID | --where EXPR | ADDR:PORT ADDR:PORT) [--as ascii|hex|raw] [options]");
        SYNOPSIS.put("completion", "");
    }

    private static final Map<String, String> PURPOSE = Map.of(
        Settings.REPLAY_COMMAND, "replay pcap/pcapng captures into one linerate.flow/1 record per connection",
        Settings.CAPTURE_COMMAND, "capture live from a device into one linerate.flow/1 record per connection",
        "interfaces", "the devices to capture on, as tcpdump -D lists them",
        Settings.PACKETS_COMMAND, "a connection's packets, as tcpdump prints them, with Wireshark's expert tags",
        Settings.FOLLOW_COMMAND, "a connection's bytes, as Wireshark's Follow TCP Stream shows them",
        "completion", "the bash completion script of linerate");

    private CommandLines()
    {
    }

    /** The commands, in the order the help lists them. */
    public static List<String> commands()
    {
        return List.copyOf(SYNOPSIS.keySet());
    }

    /** What follows {@code linerate COMMAND} in the synopsis. */
    public static String synopsis(final String command)
    {
        return SYNOPSIS.get(command);
    }

    /** What {@code command} does, in one line. */
    public static String purpose(final String command)
    {
        return PURPOSE.get(command);
    }

    /** The version of linerate, as {@code --version} prints it. */
    public static String version()
    {
        final Properties properties = new Properties();
        try (InputStream in = CommandLines.class.getResourceAsStream("version.properties"))
        {
            if (in != null)
            {
                properties.load(in);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return PROGRAM + " " + properties.getProperty("version", "(unknown version)") + "\n";
    }

    /**
     * Parses the arguments after {@code command}, reads its configuration file if it names one, and
     * parses each value with its setting's parser; a usage error says which option, or which key and
     * line of the file.
     */
    public static SettingValues parse(final String command, final List<String> args) throws UsageException
    {
        final CommandLine line = commandLine(command);
        final CommandLine.ParseResult parsed;
        try
        {
            parsed = line.parseArgs(args.toArray(new String[0]));
        }
        catch (final CommandLine.UnmatchedArgumentException ex)
        {
            final String arg = ex.getUnmatched().isEmpty() ? "?" : ex.getUnmatched().get(0);
            final String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            for (final Setting<?> s : Settings.ALL)
            {
                if (s.flags().contains(flag))
                {
                    throw new UsageException(flag + " is an option of " + String.join(", ", s.commands()) + ", not of " +
                        command + " (see linerate " + command + " --help)");
                }
            }
            throw new UsageException((arg.startsWith("-") ? "unknown option " : "unexpected argument ") + arg +
                " (see linerate " + command + " --help)");
        }
        catch (final CommandLine.MissingParameterException ex)
        {
            final String missing = ex.getMissing().isEmpty() ? ex.getMessage() :
                ex.getMissing().get(0) instanceof OptionSpec o ? o.longestName() + " needs " + o.paramLabel() :
                    ex.getMessage();
            throw new UsageException(missing);
        }
        catch (final CommandLine.ParameterException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        if (parsed.hasMatchedOption(Settings.HELP.name()))
        {
            return SettingValues.answering(command, help(command));
        }
        if (parsed.hasMatchedOption(Settings.VERSION.name()))
        {
            return SettingValues.answering(command, version());
        }
        final Map<Setting<?>, List<Object>> given = new HashMap<>();
        for (final Setting<?> s : Settings.of(command))
        {
            final OptionSpec option = parsed.matchedOption(s.name());
            if (option == null)
            {
                continue;
            }
            final List<Object> values = new ArrayList<>();
            if (s.takesArgument())
            {
                for (final String word : option.stringValues())
                {
                    values.add(s.parse(s.name(), word));
                }
            }
            else
            {
                values.add(Boolean.TRUE);
            }
            given.put(s, values);
        }
        final List<String> words = new ArrayList<>();
        for (final PositionalParamSpec p : parsed.matchedPositionals())
        {
            if (p.index().min() == 0 && words.isEmpty())
            {
                words.addAll(p.stringValues());
            }
        }
        final Map<Setting<?>, List<Object>> file = new HashMap<>();
        final List<Object> config = given.get(Settings.CONFIG);
        if (config != null)
        {
            read(command, (Path)config.get(config.size() - 1), file);
        }
        return new SettingValues(command, given, file, words, null);
    }

    /** The settings of configuration file {@code path}, each parsed by its setting; errors name the key and line. */
    private static void read(final String command, final Path path, final Map<Setting<?>, List<Object>> into)
        throws UsageException
    {
        final Map<Setting<?>, Integer> firstLine = new HashMap<>();
        for (final ConfigFile.Entry e : ConfigFile.read(path))
        {
            final String at = ConfigFile.where(path, e.line());
            final Setting<?> setting = byKey(e.key());
            if (setting == null || !setting.configurable() && setting != Settings.CONFIG)
            {
                throw new UsageException(at + "unknown key '" + e.key() + "' (the keys are the long options of " +
                    "linerate " + command + " --help, without the dashes)");
            }
            if (setting == Settings.CONFIG)
            {
                throw new UsageException(at + "config: a configuration file cannot name another one");
            }
            if (!setting.commands().contains(command))
            {
                throw new UsageException(at + e.key() + " is a setting of " + String.join(", ", setting.commands()) +
                    ", not of " + command);
            }
            if (!setting.repeatable() && firstLine.containsKey(setting))
            {
                throw new UsageException(at + e.key() + " is given twice (first on line " + firstLine.get(setting) + ")");
            }
            firstLine.putIfAbsent(setting, e.line());
            final Object value;
            try
            {
                value = setting.parse(e.key(), e.value());
            }
            catch (final UsageException ex)
            {
                throw new UsageException(at + ex.getMessage());
            }
            into.computeIfAbsent(setting, s -> new ArrayList<>()).add(value);
        }
    }

    private static Setting<?> byKey(final String key)
    {
        for (final Setting<?> s : Settings.ALL)
        {
            if (s.key().equals(key))
            {
                return s;
            }
        }
        return null;
    }

    /** The picocli command line of {@code command}: its settings as options, and its words. */
    static CommandLine commandLine(final String command)
    {
        final CommandLine line = new CommandLine(spec(command, false));
        configure(line);
        return line;
    }

    private static void configure(final CommandLine line)
    {
        // As tcpdump and the parser before picocli: an option's value is the next word, whatever it is;
        // a repeated option's last value wins; @FILE is a file name, not a file of arguments.
        line.setAllowOptionsAsOptionParameters(true);
        line.setOverwrittenOptionsAllowed(true);
        line.setExpandAtFiles(false);
        line.setUsageHelpWidth(HELP_WIDTH);
    }

    /**
     * The picocli model of {@code command}; {@code annotated}: each option's description says which
     * commands take it when not every pipeline command does (the help of linerate as a whole).
     */
    private static CommandSpec spec(final String command, final boolean annotated)
    {
        final CommandSpec spec = CommandSpec.create().name(command == null ? PROGRAM : command);
        spec.usageMessage().width(HELP_WIDTH);
        spec.usageMessage().description(command == null ? "" : PURPOSE.get(command));
        for (final Setting<?> s : command == null ? Settings.ALL : Settings.of(command))
        {
            spec.addOption(option(s, annotated));
        }
        if (command != null && !SYNOPSIS.get(command).isEmpty())
        {
            spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").type(List.class)
                .auxiliaryTypes(command.equals(Settings.CAPTURE_COMMAND) ? String.class : Path.class)
                .paramLabel(command.equals(Settings.CAPTURE_COMMAND) ? "FILTER" : "FILE|DIR|- ... [FILTER]")
                .description(command.equals(Settings.CAPTURE_COMMAND) ? "the tcpdump filter expression" :
                    "the captures, then the tcpdump filter expression").build());
        }
        return spec;
    }

    private static OptionSpec option(final Setting<?> s, final boolean annotated)
    {
        final StringBuilder description = new StringBuilder();
        if (annotated && !s.commands().equals(Settings.PIPELINE) && !s.commands().equals(Settings.EVERY))
        {
            description.append('(').append(String.join(", ", s.commands())).append(") ");
        }
        description.append(s.help());
        if (s.defaultValue() != null)
        {
            description.append(" [default: ").append(s.defaultValue()).append(']');
        }
        final OptionSpec.Builder b = OptionSpec.builder(s.flags().toArray(new String[0]))
            .description(description.toString().replace("%", "%%"));
        if (s.takesArgument())
        {
            // A file's or directory's name is completed as one (picocli completes Path options so).
            final boolean path = s.argument().contains("FILE") || s.argument().contains("DIR");
            b.paramLabel(s.argument()).type(List.class).auxiliaryTypes(path ? Path.class : String.class).arity("1");
            if (s.argument().contains("|"))
            {
                // A choice of words (yes|no, text|json): the completion offers them.
                b.completionCandidates(List.of(s.argument().split("\\|")));
            }
        }
        else
        {
            b.type(boolean.class).arity("0");
        }
        if (s == Settings.HELP)
        {
            b.usageHelp(true);
        }
        if (s == Settings.VERSION)
        {
            b.versionHelp(true);
        }
        return b.build();
    }

    /** The help of {@code command}: its synopsis, then its options by group. */
    public static String help(final String command)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("usage: ").append(PROGRAM).append(' ').append(command);
        if (!SYNOPSIS.get(command).isEmpty())
        {
            sb.append(' ').append(SYNOPSIS.get(command));
        }
        sb.append("\n\n").append(PURPOSE.get(command)).append(".\n");
        sb.append(options(spec(command, false)));
        sb.append(footer());
        return sb.toString();
    }

    /** The help of linerate as a whole: every command's synopsis, then every option by group. */
    public static String usage()
    {
        final StringBuilder sb = new StringBuilder();
        String prefix = "usage: ";
        for (final Map.Entry<String, String> c : SYNOPSIS.entrySet())
        {
            sb.append(prefix).append(PROGRAM).append(' ').append(c.getKey())
                .append(c.getValue().isEmpty() ? "" : " " + c.getValue()).append('\n');
            prefix = "       ";
        }
        sb.append(prefix).append(PROGRAM).append(" top FILE... | -i IFACE [options]      the connections on the ")
            .append("terminal, updating (q quits; ").append(Settings.ACTIVE_TIMEOUT.name()).append(' ')
            .append(Settings.TOP_ACTIVE_TIMEOUT).append(" unless given)\n");
        sb.append(prefix).append(PROGRAM).append(" --help | --version\n\n");
        sb.append("Replays pcap/pcapng captures, or captures live from a device, into one linerate.flow/1 record per connection.\n");
        sb.append("Captures may be compressed (gzip, zstd, lz4, xz, bzip2); - reads standard input; ");
        sb.append("several files are merged by time.\n");
        sb.append("linerate COMMAND --help shows the options of one command.\n");
        sb.append(options(spec(null, true)));
        sb.append(footer());
        return sb.toString();
    }

    private static String footer()
    {
        return "\nEvery option with a long name but --config, --help and --version is also a key of a --config\n" +
            "file (the name without the dashes, key = value, one line each; the command line overrides the file).\n" +
            "exit codes: 0 done, 1 bad input (missing, damaged or unsupported capture), 2 bad usage\n";
    }

    private static String options(final CommandSpec spec)
    {
        final Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
        final StringBuilder sb = new StringBuilder();
        final List<Setting<?>> settings = spec.name().equals(PROGRAM) ? Settings.ALL : Settings.of(spec.name());
        for (final Group g : Group.values())
        {
            final List<OptionSpec> options = new ArrayList<>();
            for (final Setting<?> s : settings)
            {
                if (s.group() == g)
                {
                    options.add(spec.findOption(s.name()));
                }
            }
            if (options.isEmpty())
            {
                continue;
            }
            final Help.Layout layout = help.createDefaultLayout(spec.options(), List.of(), help.colorScheme());
            layout.addOptions(options, help.parameterLabelRenderer());
            sb.append('\n').append(g.heading()).append(":\n").append(layout);
        }
        return sb.toString();
    }

    /** The bash completion script of linerate: its commands and each command's options. */
    public static String completion()
    {
        final CommandSpec top = CommandSpec.create().name(PROGRAM);
        top.addOption(option(Settings.HELP, false));
        top.addOption(option(Settings.VERSION, false));
        final CommandLine line = new CommandLine(top);
        for (final String command : SYNOPSIS.keySet())
        {
            line.addSubcommand(command, new CommandLine(spec(command, false)));
        }
        return AutoComplete.bash(PROGRAM, line);
    }
}
