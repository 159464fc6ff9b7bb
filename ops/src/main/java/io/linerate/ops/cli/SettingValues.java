package io.linerate.ops.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of one command's settings: those given on its command line, else those of its
 * configuration file ({@code --config}), else each setting's default; and the words of the command
 * line that are no option (files and the filter expression). Or, when the command line asked for the
 * help or the version, that answer instead.
 */
public final class SettingValues
{
    private final String command;
    private final Map<Setting<?>, List<Object>> commandLine;
    private final Map<Setting<?>, List<Object>> file;
    private final List<String> words;
    private final String answer;

    SettingValues(final String command, final Map<Setting<?>, List<Object>> commandLine,
        final Map<Setting<?>, List<Object>> file, final List<String> words, final String answer)
    {
        this.command = command;
        this.commandLine = Map.copyOf(commandLine);
        this.file = Map.copyOf(file);
        this.words = List.copyOf(words);
        this.answer = answer;
    }

    /** A command line answered at once: {@code answer} is its help or the version. */
    static SettingValues answering(final String command, final String answer)
    {
        return new SettingValues(command, new HashMap<>(), new HashMap<>(), List.of(), answer);
    }

    /** The command these settings are for. */
    public String command()
    {
        return command;
    }

    /** The help or the version the command line asked for, null when it asked for a run. */
    public String answer()
    {
        return answer;
    }

    /** The command line asked for the help or the version: nothing is to run. */
    public boolean answered()
    {
        return answer != null;
    }

    /** The words of the command line that are no option nor an option's value, in their order. */
    public List<String> words()
    {
        return words;
    }

    /** These values with other words ({@code packets} takes its endpoints out of them). */
    public SettingValues withWords(final List<String> others)
    {
        return new SettingValues(command, commandLine, file, others, answer);
    }

    /** The value of {@code setting} (the last given, for a repeatable one: see {@link #all}). */
    @SuppressWarnings("unchecked")
    public <T> T get(final Setting<T> setting)
    {
        final List<Object> values = values(setting);
        return values == null ? setting.initial() : (T)values.get(values.size() - 1);
    }

    /** Every value of a repeatable setting, in the order given; empty when none was. */
    @SuppressWarnings("unchecked")
    public <T> List<T> all(final Setting<T> setting)
    {
        final List<Object> values = values(setting);
        final List<T> all = new ArrayList<>();
        if (values != null)
        {
            values.forEach(v -> all.add((T)v));
        }
        return all;
    }

    /** The setting was given, on the command line or in the configuration file. */
    public boolean given(final Setting<?> setting)
    {
        return values(setting) != null;
    }

    /** The setting was given on the command line. */
    public boolean givenOnCommandLine(final Setting<?> setting)
    {
        return commandLine.containsKey(setting);
    }

    /** The values the configuration file gave {@code setting}, whether or not the command line overrides them. */
    @SuppressWarnings("unchecked")
    public <T> List<T> fromFile(final Setting<T> setting)
    {
        final List<T> all = new ArrayList<>();
        file.getOrDefault(setting, List.of()).forEach(v -> all.add((T)v));
        return all;
    }

    private List<Object> values(final Setting<?> setting)
    {
        final List<Object> given = commandLine.get(setting);
        return given != null ? given : file.get(setting);
    }
}
