package io.linerate.decode.loopback;

/**
 * AF_* values found in loopback headers. IPv4 is 2 everywhere; IPv6 differs between the BSDs, and a
 * file may come from any of them (https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html).
 */
public final class AddressFamily
{
    public static final int INET = 2;
    /** AF_INET6 on NetBSD, OpenBSD and BSD/OS. */
    public static final int INET6_BSD = 24;
    /** AF_INET6 on FreeBSD and DragonFly BSD. */
    public static final int INET6_FREEBSD = 28;
    /** AF_INET6 on macOS (Darwin). */
    public static final int INET6_DARWIN = 30;

    private AddressFamily()
    {
    }

    /** True for every value that means IPv6 in some BSD. */
    public static boolean isInet6(final int family)
    {
        return family == INET6_BSD || family == INET6_FREEBSD || family == INET6_DARWIN;
    }
}
