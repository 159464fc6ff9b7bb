package io.linerate.ops.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One setting of the command line, declared once: its flags, its argument, its help group, the
 * commands that take it, its default (as {@code --help} shows it, and as a value), the parser that
 * turns a word of the command line or a value of the configuration file into its value, and its help
 * line. Every setting linerate has is declared in {@link Settings#ALL}; the command line
 * ({@link CommandLines}), the configuration file ({@link ConfigFile}), {@code --help}, the bash
 * completion and the man page are all made from these declarations.
 *
 * <p>A setting's configuration-file key is its long name without the dashes ({@link #key()}).
 *
 * @param <T> the type of its value
 */
public final class Setting<T>
{
    /** Turns one word into a setting's value, or says why it cannot (a usage error). */
    @FunctionalInterface
    public interface Parser<T>
    {
        /**
         * @param name  how the setting is named in a message: its long flag on the command line, its key
         *              in a configuration file
         * @param value the word
         */
        T parse(String name, String value) throws UsageException;
    }

    private final List<String> flags;
    private final String argument;
    private final Group group;
    private final List<String> commands;
    private final String defaultText;
    private final Supplier<T> defaultValue;
    private final Parser<T> parser;
    private final String help;
    private final boolean repeatable;
    private final boolean configurable;

    private Setting(final List<String> flags, final String argument, final Group group, final List<String> commands,
        final String defaultText, final Supplier<T> defaultValue, final Parser<T> parser, final String help,
        final boolean repeatable, final boolean configurable)
    {
        this.flags = List.copyOf(flags);
        this.argument = argument;
        this.group = group;
        this.commands = List.copyOf(commands);
        this.defaultText = defaultText;
        this.defaultValue = defaultValue;
        this.parser = parser;
        this.help = help;
        this.repeatable = repeatable;
        this.configurable = configurable;
    }

    /**
     * A setting that takes an argument, whose default is {@code defaultText} parsed by {@code parser}
     * (null: none, the value is null).
     */
    static <T> Setting<T> option(final List<String> flags, final String argument, final Group group,
        final List<String> commands, final String defaultText, final Parser<T> parser, final String help)
    {
        final String name = flags.get(flags.size() - 1);
        return new Setting<>(flags, argument, group, commands, defaultText,
            () -> parseDefault(parser, name, defaultText), parser, help, false, true);
    }

    /** A setting that takes an argument, whose default is worked out when it is needed ({@code --max-flows}: from the heap). */
    static <T> Setting<T> computed(final List<String> flags, final String argument, final Group group,
        final List<String> commands, final String defaultText, final Supplier<T> defaultValue, final Parser<T> parser,
        final String help)
    {
        return new Setting<>(flags, argument, group, commands, defaultText, defaultValue, parser, help, false, true);
    }

    /** A setting given any number of times ({@code --out}, {@code -r}): its value is the list of them all. */
    static <T> Setting<T> repeatable(final List<String> flags, final String argument, final Group group,
        final List<String> commands, final String defaultText, final Parser<T> parser, final String help)
    {
        return new Setting<>(flags, argument, group, commands, defaultText, () -> null, parser, help, true, true);
    }

    /** A switch: false unless given; {@code true} or {@code false} in a configuration file. */
    static Setting<Boolean> flag(final List<String> flags, final Group group, final List<String> commands,
        final String help)
    {
        return new Setting<>(flags, null, group, commands, null, () -> false, Setting::bool, help, false, true);
    }

    /** A switch of the command line alone ({@code --help}, {@code --version}): no configuration key. */
    static Setting<Boolean> action(final List<String> flags, final Group group, final List<String> commands,
        final String help)
    {
        return new Setting<>(flags, null, group, commands, null, () -> false, Setting::bool, help, false, false);
    }

    /** A setting of the command line alone, with an argument ({@code --config FILE}). */
    Setting<T> commandLineOnly()
    {
        return new Setting<>(flags, argument, group, commands, defaultText, defaultValue, parser, help, repeatable, false);
    }

    private static <T> T parseDefault(final Parser<T> parser, final String name, final String text)
    {
        if (text == null)
        {
            return null;
        }
        try
        {
            return parser.parse(name, text);
        }
        catch (final UsageException ex)
        {
            throw new IllegalStateException("the default of " + name + " is no value of it: " + ex.getMessage(), ex);
        }
    }

    private static Boolean bool(final String name, final String value) throws UsageException
    {
        switch (value.toLowerCase(Locale.ROOT))
        {
            case "true":
            case "yes":
                return true;
            case "false":
            case "no":
                return false;
            default:
                throw new UsageException(name + " takes true or false, not " + value);
        }
    }

    /** The spellings, e.g. {@code -c} and {@code --count}. */
    public List<String> flags()
    {
        return flags;
    }

    /** The argument's name, or null for a switch. */
    public String argument()
    {
        return argument;
    }

    public boolean takesArgument()
    {
        return argument != null;
    }

    /** Its longest spelling, the name messages use. */
    public String name()
    {
        return flags.get(flags.size() - 1);
    }

    /** Its key in a configuration file: the long name without the dashes ({@code count} for {@code --count}). */
    public String key()
    {
        return name().replaceFirst("^-+", "");
    }

    /** The default as the help shows it, null when there is none. */
    public String defaultValue()
    {
        return defaultText;
    }

    /** The default as a value (null when there is none). */
    T initial()
    {
        return defaultValue.get();
    }

    /** The value of {@code word}. */
    public T parse(final String name, final String word) throws UsageException
    {
        return parser.parse(name, word);
    }

    public Group group()
    {
        return group;
    }

    /** The commands that take it. */
    public List<String> commands()
    {
        return commands;
    }

    /** One line of help. */
    public String help()
    {
        return help;
    }

    /** Given any number of times, each adding to its list of values. */
    public boolean repeatable()
    {
        return repeatable;
    }

    /** It has a configuration-file key. */
    public boolean configurable()
    {
        return configurable;
    }

    @Override
    public String toString()
    {
        return name();
    }
}
