package io.linerate.ops.cli;

import io.linerate.ingest.os.SystemErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A configuration file ({@code --config FILE}): the settings of a command line written as
 * {@code key = value} lines, each key a setting's long name without the dashes ({@link Setting#key()}),
 * each value the word the command line would take, read by the same parser. Lines that are empty or
 * start with {@code #} or {@code !} are comments. A repeatable setting ({@code out}, {@code read}) takes
 * one line per value; any other may be given once. The format is the properties format the
 * {@code --kafka-config} file and {@code /etc/default} files use, without escapes and continuation
 * lines, so that a value is exactly what follows the {@code =} and every error names its line.
 */
public final class ConfigFile
{
    /** One {@code key = value} line. */
    public record Entry(String key, String value, int line)
    {
    }

    private ConfigFile()
    {
    }

    /** The entries of {@code file}, in order; a line that is no {@code key = value} is a usage error naming it. */
    public static List<Entry> read(final Path file) throws UsageException
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UsageException("--config: " + SystemErrors.describe(file.toString(), ex));
        }
        final List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!"))
            {
                continue;
            }
            final int equals = line.indexOf('=');
            if (equals < 0)
            {
                throw new UsageException(where(file, i + 1) + "expected key = value, not '" + line + "'");
            }
            final String key = line.substring(0, equals).strip();
            final String value = line.substring(equals + 1).strip();
            if (key.isEmpty())
            {
                throw new UsageException(where(file, i + 1) + "no key before '='");
            }
            if (value.isEmpty())
            {
                throw new UsageException(where(file, i + 1) + key + " has no value");
            }
            entries.add(new Entry(key, value, i + 1));
        }
        return entries;
    }

    /** How a message names a line of {@code file}: {@code FILE:LINE: }, as compilers do. */
    static String where(final Path file, final int line)
    {
        return file + ":" + line + ": ";
    }
}
