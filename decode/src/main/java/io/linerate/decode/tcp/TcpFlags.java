package io.linerate.decode.tcp;

/**
 * Bit values of the TCP control bits as stored in {@code DecodedFrame#tcpFlags}: the 8 bits of header
 * byte 13 (RFC 9293 §3.1, ECE/CWR from RFC 3168 §23.2) plus NS (RFC 3540, historic; the bit Accurate
 * ECN calls AE) from the low bit of byte 12 as bit 8.
 */
public final class TcpFlags
{
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;
    public static final int NS = 0x100;
    /** All nine bits. */
    public static final int MASK = 0x1FF;

    private TcpFlags()
    {
    }
}
