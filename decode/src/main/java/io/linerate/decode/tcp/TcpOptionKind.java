package io.linerate.decode.tcp;

/**
 * TCP option kinds the decoder reads (IANA "TCP Option Kind Numbers"), with their lengths.
 */
public final class TcpOptionKind
{
    /** End of Option List (RFC 9293 §3.2): one byte, no length. */
    public static final int END_OF_OPTION_LIST = 0;
    /** No-Operation (RFC 9293 §3.2): one byte, no length. */
    public static final int NO_OPERATION = 1;
    /** Maximum Segment Size (RFC 9293 §3.7.1). */
    public static final int MAXIMUM_SEGMENT_SIZE = 2;
    public static final int MAXIMUM_SEGMENT_SIZE_LENGTH = 4;
    /** Window Scale (RFC 7323 §2.2). */
    public static final int WINDOW_SCALE = 3;
    public static final int WINDOW_SCALE_LENGTH = 3;
    /** SACK-Permitted (RFC 2018 §2). */
    public static final int SACK_PERMITTED = 4;
    public static final int SACK_PERMITTED_LENGTH = 2;
    /** SACK (RFC 2018 §3): 2 bytes then 8 bytes (left edge, right edge) per block. */
    public static final int SACK = 5;
    public static final int SACK_BLOCK_LENGTH = 8;
    /** Timestamps (RFC 7323 §3.2). */
    public static final int TIMESTAMPS = 8;
    public static final int TIMESTAMPS_LENGTH = 10;

    private TcpOptionKind()
    {
    }
}
