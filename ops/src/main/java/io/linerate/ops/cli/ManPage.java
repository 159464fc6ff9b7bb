package io.linerate.ops.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The manual page, linerate(1), in roff, made from the settings' declarations ({@link Settings#ALL})
 * as the help is, so the two say the same; and the files the Debian package installs beside it (the
 * page gzipped, the bash completion script), written by the build ({@link #main}).
 */
public final class ManPage
{
    private ManPage()
    {
    }

    /** Writes {@code linerate.1.gz} and {@code linerate.bash-completion} into the directory {@code args[0]}. */
    public static void main(final String[] args) throws IOException
    {
        final Path dir = Files.createDirectories(Path.of(args[0]));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("linerate.1.gz"))))
        {
            out.write(roff().getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("linerate.bash-completion"), CommandLines.completion());
    }

    /** The page. */
    public static String roff()
    {
        final String version = CommandLines.version().strip();
        final StringBuilder sb = new StringBuilder();
        sb.append(".TH LINERATE 1 \"\" \"").append(escape(version)).append("\" \"User Commands\"\n");
        // Left-aligned, no hyphenation: option names and record fields are not to be broken.
        sb.append(".nh\n.ad l\n");
        sb.append(".SH NAME\n");
        sb.append("linerate \\- one record per connection from packet captures and live interfaces\n");
        sb.append(".SH SYNOPSIS\n");
        boolean first = true;
        for (final String command : CommandLines.commands())
        {
            if (!first)
            {
                sb.append(".br\n");
            }
            first = false;
            sb.append(".B linerate ").append(command).append('\n');
            final String synopsis = CommandLines.synopsis(command);
            if (!synopsis.isEmpty())
            {
                sb.append(escape(synopsis)).append('\n');
            }
        }
        sb.append(".br\n.B linerate \\-\\-help\n.br\n.B linerate \\-\\-version\n");
        sb.append(".SH DESCRIPTION\n");
        sb.append(paragraph("linerate replays pcap and pcapng captures (compressed or not, several merged by time, " +
            "standard input as -) or captures live from a device, and writes one linerate.flow/1 record per " +
            "connection: whether the handshake completed, its RTT, who sent the FIN or the RST, retransmissions, " +
            "windows, TLS and HTTP, ICMP errors, and a verdict in one word (ok, syn_unanswered, refused, " +
            "icmp_unreachable, handshake_incomplete, tls_alert, reset, zero_window_stall, lossy, midstream). " +
            "Records go to JSON lines files or standard output, to Kafka through a durable spill, and to a summary " +
            "table for people."));
        sb.append(paragraph("The filter expression is tcpdump's (pcap-filter(7)), the words after the files or " +
            "the options; --where takes a Wireshark display filter over connections."));
        sb.append(".SH COMMANDS\n");
        for (final String command : CommandLines.commands())
        {
            sb.append(".TP\n.B ").append(command).append('\n').append(escape(CommandLines.purpose(command))).append('\n');
        }
        sb.append(".SH OPTIONS\n");
        sb.append(paragraph("-c 5, -c5, --count 5 and --count=5 are the same; short switches go together (-S#); " +
            "-- ends the options. The commands each option belongs to are given when not every command that " +
            "runs the pipeline (replay, capture, packets, follow) takes it."));
        for (final Group g : Group.values())
        {
            final List<Setting<?>> settings = Settings.ALL.stream().filter(s -> s.group() == g).toList();
            if (settings.isEmpty())
            {
                continue;
            }
            sb.append(".SS ").append(escape(g.heading())).append('\n');
            for (final Setting<?> s : settings)
            {
                sb.append(".TP\n");
                final StringBuilder flags = new StringBuilder();
                for (final String flag : s.flags())
                {
                    flags.append(flags.length() == 0 ? "" : ", ").append("\\fB").append(escape(flag)).append("\\fR");
                }
                if (s.takesArgument())
                {
                    flags.append(" \\fI").append(escape(s.argument())).append("\\fR");
                }
                sb.append(flags).append('\n');
                final StringBuilder text = new StringBuilder();
                if (!s.commands().equals(Settings.PIPELINE) && !s.commands().equals(Settings.EVERY))
                {
                    text.append('(').append(String.join(", ", s.commands())).append(") ");
                }
                text.append(s.help());
                if (s.defaultValue() != null)
                {
                    text.append(" [default: ").append(s.defaultValue()).append(']');
                }
                if (s.configurable())
                {
                    text.append(" Configuration key: ").append(s.key()).append('.');
                }
                sb.append(escape(text.toString())).append('\n');
            }
        }
        sb.append(".SH CONFIGURATION FILE\n");
        sb.append(paragraph("--config FILE reads settings from FILE: key = value lines, one setting a line, each " +
            "key an option's long name without the dashes (count = 5, out = jsonl:flows.jsonl, interface = eth0); " +
            "read and filter stand for the files and the filter expression. A value is the word the command line " +
            "would take; a switch takes true or false; out and read take a line per value. Lines starting with # " +
            "or ! are comments. The command line overrides the file. An unknown key, a value the option refuses, a " +
            "key given twice or a line that is no key = value is a usage error naming the file, the line and the " +
            "key (exit status 2)."));
        sb.append(".SH EXIT STATUS\n");
        sb.append(".TP\n.B 0\ndone\n");
        sb.append(".TP\n.B 1\nbad input: a missing, unreadable, damaged or unsupported capture, a device that cannot " +
            "be opened, an output that cannot be written\n");
        sb.append(".TP\n.B 2\nbad usage: an unknown option, a value an option refuses, a bad configuration file\n");
        sb.append(".TP\n.B 130\na second SIGINT or SIGTERM\n");
        sb.append(".SH FILES\n");
        sb.append(".TP\n.I /etc/linerate/linerate.conf\nthe settings of the linerate service (linerate capture --config)\n");
        sb.append(".TP\n.I /etc/default/linerate\nthe service's JVM options (LINERATE_JAVA_OPTS) and options that " +
            "override the configuration file (LINERATE_OPTIONS)\n");
        sb.append(".TP\n.I /lib/systemd/system/linerate.service\nthe systemd unit: continuous capture as the user " +
            "linerate with CAP_NET_RAW and CAP_NET_ADMIN only\n");
        sb.append(".SH ENVIRONMENT\n");
        sb.append(".TP\n.B LINERATE_JAVA_OPTS\nthe JVM's options, in place of the launcher's own (a heap size and a collector)\n");
        sb.append(".SH SEE ALSO\n");
        sb.append(".BR tcpdump (8),\n.BR pcap\\-filter (7),\n.BR tshark (1),\n.BR wireshark\\-filter (4)\n");
        return sb.toString();
    }

    private static String paragraph(final String text)
    {
        return ".PP\n" + escape(text) + "\n";
    }

    /** Text as roff prints it: backslashes and dashes escaped, no line taken for a request. */
    static String escape(final String text)
    {
        final String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
