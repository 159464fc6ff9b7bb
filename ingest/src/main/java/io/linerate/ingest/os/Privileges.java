package io.linerate.ingest.os;

import jnr.ffi.LastError;
import jnr.ffi.Pointer;

/**
 * Gives up root once the capture device is open, as {@code tcpdump -Z USER} does: supplementary
 * groups ({@code initgroups}), then the group, then the user. glibc applies {@code setuid} and
 * {@code setgid} to every thread of the process, so the JVM's other threads lose root too.
 */
public final class Privileges
{
    private Privileges()
    {
    }

    /**
     * Becomes {@code user} for good.
     *
     * @throws IllegalStateException when the user does not exist or a call fails (not root, for one)
     */
    public static void dropTo(final String user)
    {
        final LibC libc = LibC.get();
        final Pointer pw = libc.getpwnam(user);
        if (pw == null)
        {
            throw new IllegalStateException("no such user: " + user);
        }
        final int uid = pw.getInt(LibC.PASSWD_UID_OFFSET);
        final int gid = pw.getInt(LibC.PASSWD_GID_OFFSET);
        // Order matters: once the user is changed, the groups can no longer be.
        call(libc.initgroups(user, gid), "initgroups(" + user + ")");
        call(libc.setgid(gid), "setgid(" + gid + ")");
        call(libc.setuid(uid), "setuid(" + uid + ")");
        if (libc.getuid() != uid || libc.geteuid() != uid)
        {
            throw new IllegalStateException("still running as uid " + libc.geteuid() + " after setuid(" + uid + ")");
        }
    }

    /** The effective user id of the process. */
    public static int effectiveUid()
    {
        return LibC.get().geteuid();
    }

    private static void call(final int rc, final String what)
    {
        if (rc != 0)
        {
            final int errno = LastError.getLastError(LibC.runtime());
            throw new IllegalStateException(what + " failed: " + LibC.get().strerror(errno));
        }
    }
}
