package io.linerate.decode.ethernet;

/**
 * EtherType values the decoder follows (IEEE Registration Authority; also the protocol field of
 * Linux cooked captures).
 */
public final class EtherType
{
    /** Internet Protocol version 4. */
    public static final int IPV4 = 0x0800;
    /** Address Resolution Protocol (not decoded: counted as non-IP). */
    public static final int ARP = 0x0806;
    /** IEEE 802.1Q customer VLAN tag (C-tag). */
    public static final int VLAN = 0x8100;
    /** Internet Protocol version 6. */
    public static final int IPV6 = 0x86DD;
    /** IEEE 802.1ad service VLAN tag (S-tag, QinQ outer tag). */
    public static final int QINQ = 0x88A8;
    /** Pre-standard QinQ outer tag, still sent by some switches. */
    public static final int QINQ_LEGACY = 0x9100;
    /** IEEE 802.1ah provider backbone bridging: a 4-byte I-TAG, then a customer Ethernet frame. */
    public static final int PBB_ITAG = 0x88E7;
    /** Cisco FabricPath: a 2-byte FTag/TTL field, then the original Ethernet frame. */
    public static final int FABRICPATH = 0x8903;
    /** Transparent Ethernet Bridging: a whole Ethernet frame, as GRE (RFC 1701) and NVGRE carry it. */
    public static final int TRANSPARENT_ETHERNET_BRIDGING = 0x6558;
    /** ERSPAN type II in GRE (type I when the GRE header has no sequence number). */
    public static final int ERSPAN_TYPE_II = 0x88BE;
    /** ERSPAN type III in GRE. */
    public static final int ERSPAN_TYPE_III = 0x22EB;
    /** PPP in GRE (PPTP's enhanced GRE, RFC 2637). */
    public static final int PPP = 0x880B;
    /** Values below this are IEEE 802.3 length fields, not EtherTypes. */
    public static final int MIN_ETHERTYPE = 0x0600;

    private EtherType()
    {
    }

    /** True for encapsulations that carry a whole Ethernet frame (MAC addresses included). */
    public static boolean isMacInMac(final int etherType)
    {
        return etherType == PBB_ITAG || etherType == FABRICPATH;
    }

    /** Bytes between a MAC-in-MAC EtherType and the inner frame's MAC addresses. */
    public static int macInMacHeaderLength(final int etherType)
    {
        return etherType == PBB_ITAG ? 4 : 2;
    }

    /** True for the tag protocol identifiers of a VLAN tag: another tag or the payload follows. */
    public static boolean isVlanTag(final int etherType)
    {
        return etherType == VLAN || etherType == QINQ || etherType == QINQ_LEGACY;
    }
}
