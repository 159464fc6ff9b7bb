package io.linerate.ingest.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether one of the process's file descriptors is a terminal, as {@code isatty(3)} says, asked at
 * every start (the progress line is drawn only on a terminal). On Linux the answer is in
 * {@code /proc/self/fd}: the descriptor links to the terminal's device ({@code /dev/pts/N},
 * {@code /dev/ttyN}, {@code /dev/console}), and reading the link takes microseconds, where binding
 * libc through jnr-ffi for {@code isatty} took 0.27–0.36 s of the start of every command (its native
 * stub loaded, its call generated). Elsewhere, libc's {@code isatty} is asked.
 */
public final class Terminal
{
    private static final Path FDS = Path.of("/proc/self/fd");

    private Terminal()
    {
    }

    /** True when file descriptor {@code fd} (0 standard input, 1 output, 2 error) is a terminal. */
    public static boolean isTerminal(final int fd)
    {
        if (Files.isDirectory(FDS))
        {
            try
            {
                return isTerminalDevice(Files.readSymbolicLink(FDS.resolve(Integer.toString(fd))).toString());
            }
            catch (final IOException | UnsupportedOperationException ex)
            {
                return false; // closed, or not a link: not a terminal
            }
        }
        try
        {
            return LibC.get().isatty(fd) == 1;
        }
        catch (final UnsatisfiedLinkError | RuntimeException ex)
        {
            return false;
        }
    }

    /** True for the path of a terminal device: a pseudo-terminal, a virtual or serial console. */
    static boolean isTerminalDevice(final String target)
    {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
