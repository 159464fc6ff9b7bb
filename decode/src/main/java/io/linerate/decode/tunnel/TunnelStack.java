package io.linerate.decode.tunnel;

import io.linerate.ingest.ring.FrameSlot;

/**
 * A copy of the tunnels a frame was found in (outermost first), kept by a flow from its first frame
 * for its record: type, outer endpoints and identifier of each. Reused: {@link #copyFrom} overwrites.
 */
public final class TunnelStack
{
    private int count;
    private final int[] type = new int[FrameSlot.MAX_TUNNELS];
    private final long[] id = new long[FrameSlot.MAX_TUNNELS];
    private final int[] ipVersion = new int[FrameSlot.MAX_TUNNELS];
    private final long[] srcHi = new long[FrameSlot.MAX_TUNNELS];
    private final long[] srcLo = new long[FrameSlot.MAX_TUNNELS];
    private final long[] dstHi = new long[FrameSlot.MAX_TUNNELS];
    private final long[] dstLo = new long[FrameSlot.MAX_TUNNELS];

    /** Takes the tunnels of the frame in {@code slot}. */
    public void copyFrom(final FrameSlot slot)
    {
        final int n = Math.min(slot.tunnelCount, FrameSlot.MAX_TUNNELS);
        count = n;
        System.arraycopy(slot.tunnelType, 0, type, 0, n);
        System.arraycopy(slot.tunnelId, 0, id, 0, n);
        System.arraycopy(slot.tunnelIpVersion, 0, ipVersion, 0, n);
        System.arraycopy(slot.tunnelSrcHi, 0, srcHi, 0, n);
        System.arraycopy(slot.tunnelSrcLo, 0, srcLo, 0, n);
        System.arraycopy(slot.tunnelDstHi, 0, dstHi, 0, n);
        System.arraycopy(slot.tunnelDstLo, 0, dstLo, 0, n);
    }

    /** Forgets every tunnel. */
    public void clear()
    {
        count = 0;
    }

    /** Number of tunnels, outermost first. */
    public int count()
    {
        return count;
    }

    /** The {@link TunnelType} of tunnel {@code i}. */
    public int type(final int i)
    {
        return type[i];
    }

    /** Tunnel {@code i}'s identifier (packed labels for MPLS), -1 when it has none. */
    public long id(final int i)
    {
        return id[i];
    }

    /** IP version of tunnel {@code i}'s outer endpoints, 0 when it has none (MPLS, PPPoE). */
    public int ipVersion(final int i)
    {
        return ipVersion[i];
    }

    public long srcHi(final int i)
    {
        return srcHi[i];
    }

    public long srcLo(final int i)
    {
        return srcLo[i];
    }

    public long dstHi(final int i)
    {
        return dstHi[i];
    }

    public long dstLo(final int i)
    {
        return dstLo[i];
    }
}
