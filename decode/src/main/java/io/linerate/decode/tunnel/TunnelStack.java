package io.linerate.decode.tunnel;

import io.linerate.decode.DecodedFrame;

/**
 * A copy of the tunnels a frame was found in (outermost first): type, outer endpoints, outer UDP
 * ports and identifier of each. A flow keeps its first frame's for its record; a datagram being
 * reassembled keeps its first fragment's, to put back in the reassembled frame ({@link #copyTo}),
 * whose bytes hold none of them. Reused: {@link #copyFrom} overwrites.
 */
public final class TunnelStack
{
    private int count;
    private final int[] type = new int[DecodedFrame.MAX_TUNNELS];
    private final long[] id = new long[DecodedFrame.MAX_TUNNELS];
    private final int[] ipVersion = new int[DecodedFrame.MAX_TUNNELS];
    private final long[] srcHi = new long[DecodedFrame.MAX_TUNNELS];
    private final long[] srcLo = new long[DecodedFrame.MAX_TUNNELS];
    private final long[] dstHi = new long[DecodedFrame.MAX_TUNNELS];
    private final long[] dstLo = new long[DecodedFrame.MAX_TUNNELS];
    private final int[] srcPort = new int[DecodedFrame.MAX_TUNNELS];
    private final int[] dstPort = new int[DecodedFrame.MAX_TUNNELS];

    /** Takes the tunnels of the frame in {@code slot}. */
    public void copyFrom(final DecodedFrame slot)
    {
        final int n = Math.min(slot.tunnelCount, DecodedFrame.MAX_TUNNELS);
        count = n;
        System.arraycopy(slot.tunnelType, 0, type, 0, n);
        System.arraycopy(slot.tunnelId, 0, id, 0, n);
        System.arraycopy(slot.tunnelIpVersion, 0, ipVersion, 0, n);
        System.arraycopy(slot.tunnelSrcHi, 0, srcHi, 0, n);
        System.arraycopy(slot.tunnelSrcLo, 0, srcLo, 0, n);
        System.arraycopy(slot.tunnelDstHi, 0, dstHi, 0, n);
        System.arraycopy(slot.tunnelDstLo, 0, dstLo, 0, n);
        System.arraycopy(slot.tunnelSrcPort, 0, srcPort, 0, n);
        System.arraycopy(slot.tunnelDstPort, 0, dstPort, 0, n);
    }

    /**
     * Writes these tunnels into the tunnel arrays of {@code slot} and sets its {@code tunnelCount};
     * the slot's {@code tunnelKey} is left to its decoder, which derives it from them.
     */
    public void copyTo(final DecodedFrame slot)
    {
        final int n = count;
        System.arraycopy(type, 0, slot.tunnelType, 0, n);
        System.arraycopy(id, 0, slot.tunnelId, 0, n);
        System.arraycopy(ipVersion, 0, slot.tunnelIpVersion, 0, n);
        System.arraycopy(srcHi, 0, slot.tunnelSrcHi, 0, n);
        System.arraycopy(srcLo, 0, slot.tunnelSrcLo, 0, n);
        System.arraycopy(dstHi, 0, slot.tunnelDstHi, 0, n);
        System.arraycopy(dstLo, 0, slot.tunnelDstLo, 0, n);
        System.arraycopy(srcPort, 0, slot.tunnelSrcPort, 0, n);
        System.arraycopy(dstPort, 0, slot.tunnelDstPort, 0, n);
        slot.tunnelCount = n;
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
