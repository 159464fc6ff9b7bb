package io.linerate.ops.pipeline;

/** Names of pcap LINKTYPE_ values, for messages about captures linerate cannot analyse. */
final class LinkTypeNames
{
    private LinkTypeNames()
    {
    }

    static String name(final int linkType)
    {
        switch (linkType)
        {
            case 0: return "NULL (BSD loopback)";
            case 1: return "ETHERNET";
            case 6: return "IEEE802_5 (Token Ring)";
            case 9: return "PPP";
            case 10: return "FDDI";
            case 12: return "RAW (OpenBSD)";
            case 50: return "PPP_HDLC";
            case 51: return "PPP_ETHER (PPPoE)";
            case 101: return "RAW";
            case 104: return "C_HDLC (Cisco HDLC)";
            case 105: return "IEEE802_11 (Wi-Fi)";
            case 108: return "LOOP (OpenBSD loopback)";
            case 113: return "LINUX_SLL";
            case 127: return "IEEE802_11_RADIOTAP";
            case 129: return "ARCNET_LINUX";
            case 192: return "PPI";
            case 195: return "IEEE802_15_4";
            case 201: return "BLUETOOTH_HCI_H4_WITH_PHDR";
            case 220: return "USB_LINUX_MMAPPED";
            case 226: return "IPNET";
            case 228: return "IPV4";
            case 229: return "IPV6";
            case 239: return "NFLOG";
            case 249: return "USBPCAP";
            case 253: return "NETLINK";
            case 272: return "NORDIC_BLE";
            case 276: return "LINUX_SLL2";
            default: return "LINKTYPE " + linkType;
        }
    }
}
