package io.linerate.ingest.bpf;

/**
 * The two numberings of link types: the {@code LINKTYPE_*} values written in capture files and the
 * {@code DLT_*} values libpcap's API takes and returns. They agree except for a few old types whose
 * DLT value differs between operating systems; this is libpcap's {@code dlt_to_linktype} for those,
 * on Linux.
 */
public final class DataLinkTypes
{
    private static final int[][] LINKTYPE_DLT = {
        {100, 11},   // ATM_RFC1483
        {101, 12},   // RAW (raw IPv4/IPv6)
        {102, 15},   // SLIP_BSDOS
        {103, 16},   // PPP_BSDOS
        {106, 19},   // ATM_CLIP (Linux)
    };

    private DataLinkTypes()
    {
    }

    /** The {@code LINKTYPE_*} to write in a capture file for a live handle's DLT. */
    public static int toLinkType(final int dlt)
    {
        for (final int[] pair : LINKTYPE_DLT)
        {
            if (pair[1] == dlt)
            {
                return pair[0];
            }
        }
        // DLT_RAW is 14 on OpenBSD; both 12 and 14 mean raw IP in a file read here.
        return dlt == 14 ? 101 : dlt;
    }
}
