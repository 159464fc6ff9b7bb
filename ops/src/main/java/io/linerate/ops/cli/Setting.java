package io.linerate.ops.cli;

import java.util.List;

/**
 * One setting of the command line: its flags, its argument, its default and its help line. Every
 * setting linerate has is declared in {@link Settings#ALL}, so {@code --help} shows them all.
 *
 * @param flags    the spellings, e.g. {@code -c} and {@code --count}
 * @param argument the argument's name, or null for a switch
 * @param defaultValue shown in the help, null when there is none
 * @param help     one line
 * @param commands the commands that take it
 */
public record Setting(List<String> flags, String argument, String defaultValue, String help, List<String> commands)
{
    public boolean takesArgument()
    {
        return argument != null;
    }

    public String name()
    {
        return flags.get(flags.size() - 1);
    }
}
