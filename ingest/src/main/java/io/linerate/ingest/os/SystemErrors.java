package io.linerate.ingest.os;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The operating system's reason behind an I/O error, in its own words ({@code strerror}'s, as
 * {@code ls} and {@code tcpdump} print them, in lower case): {@code permission denied},
 * {@code no space left on device}, {@code is a directory}.
 *
 * <p>The JDK hides the reason in different places: {@link AccessDeniedException} and
 * {@link NoSuchFileException} carry only the path (their type is the reason), other
 * {@link FileSystemException}s carry it in {@link FileSystemException#getReason()}, {@code java.io}'s
 * {@link FileNotFoundException} puts it in brackets after the path, and a failed write says it alone.
 * A user who is told only the path (or a Java class name) cannot tell a full disk from a missing
 * permission.
 */
public final class SystemErrors
{
    private SystemErrors()
    {
    }

    /** {@code "PATH: reason"}, one line, for any I/O error on {@code path}. */
    public static String describe(final Object path, final IOException ex)
    {
        return path + ": " + reason(ex);
    }

    /** The reason alone, lower case, without the path; the exception's text when it gives none. */
    public static String reason(final IOException ex)
    {
        if (ex instanceof AccessDeniedException)
        {
            return reasonOr((FileSystemException)ex, "permission denied");
        }
        if (ex instanceof NoSuchFileException)
        {
            return reasonOr((FileSystemException)ex, "no such file or directory");
        }
        if (ex instanceof NotDirectoryException)
        {
            return reasonOr((FileSystemException)ex, "not a directory");
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return reasonOr((FileSystemException)ex, "file exists");
        }
        if (ex instanceof DirectoryNotEmptyException)
        {
            return reasonOr((FileSystemException)ex, "directory not empty");
        }
        if (ex instanceof FileSystemException)
        {
            return reasonOr((FileSystemException)ex, ex.getClass().getSimpleName());
        }
        final String message = ex.getMessage();
        if (message == null || message.isBlank())
        {
            return ex.getClass().getSimpleName();
        }
        if (ex instanceof FileNotFoundException && message.endsWith(")") && message.lastIndexOf(" (") > 0)
        {
            // java.io's "PATH (Reason)"
            return lowerFirst(message.substring(message.lastIndexOf(" (") + 2, message.length() - 1));
        }
        return lowerFirst(message);
    }

    private static String reasonOr(final FileSystemException ex, final String byType)
    {
        final String reason = ex.getReason();
        return reason == null || reason.isBlank() ? byType : lowerFirst(reason);
    }

    /** strerror's "No space left on device" as a clause: "no space left on device". */
    private static String lowerFirst(final String text)
    {
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && !Character.isUpperCase(text.charAt(1)))
        {
            return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
        }
        return text;
    }
}
