package io.linerate.decode.sll;

/**
 * The ARPHRD_* device types of Linux ({@code include/uapi/linux/if_arp.h}) that change how a cooked
 * header's protocol field is read.
 */
public final class ArpHardwareType
{
    /** Ethernet: the protocol field is an EtherType. */
    public static final int ETHER = 1;
    /** Loopback device. */
    public static final int LOOPBACK = 772;
    /** Netlink socket monitor: the protocol field is a netlink family, never an EtherType. */
    public static final int NETLINK = 824;
    /** Device without a hardware header (tun): the protocol field is an EtherType. */
    public static final int NONE = 0xFFFE;

    private ArpHardwareType()
    {
    }
}
