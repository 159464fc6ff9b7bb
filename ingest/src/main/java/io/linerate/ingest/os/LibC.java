package io.linerate.ingest.os;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;

/**
 * The few libc calls the capture thread makes, bound through jnr-ffi: CPU affinity, giving up
 * root, and whether stderr is a terminal. Functions that fail set {@code errno}, read with {@link jnr.ffi.LastError}.
 */
public interface LibC
{
    /** {@code struct passwd} on LP64 glibc: name, passwd, then {@code uid_t pw_uid} and {@code gid_t pw_gid}. */
    int PASSWD_UID_OFFSET = 16;
    int PASSWD_GID_OFFSET = 20;

    /** {@code sched_setaffinity(pid, cpusetsize, mask)}; pid 0 is the calling thread. */
    @SaveError
    int sched_setaffinity(int pid, long cpusetsize, Pointer mask);

    @SaveError
    int sched_getaffinity(int pid, long cpusetsize, Pointer mask);

    Pointer getpwnam(String name);

    @SaveError
    int initgroups(String user, int group);

    @SaveError
    int setgid(int gid);

    @SaveError
    int setuid(int uid);

    int getuid();

    int geteuid();

    String strerror(int errnum);

    /** 1 when the file descriptor is a terminal (linerate's progress line goes only to one). */
    int isatty(int fd);

    static LibC get()
    {
        return Holder.LIBC;
    }

    static jnr.ffi.Runtime runtime()
    {
        return jnr.ffi.Runtime.getRuntime(Holder.LIBC);
    }

    /** Lazy holder: libc is bound the first time linerate needs it. */
    final class Holder
    {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");

        private Holder()
        {
        }
    }
}
