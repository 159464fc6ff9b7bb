package io.linerate.decode.tunnel;

import io.linerate.decode.DecodedFrame;

/**
 * The encapsulations a frame's innermost IP packet can sit in, as the record's {@code tunnel}
 * list names them, with the name of each one's identifier.
 *
 * <p>Some identifiers name a tenant or a session and are the same in both directions (a VXLAN or
 * Geneve VNI, a GRE key, an ERSPAN session, a PPPoE session): they are part of the flow key, so two
 * tenants' identical inner connections stay two connections ({@link #key}). Others are chosen per
 * direction (GTP-U's TEIDs, MPLS labels) and are kept in the record only.
 */
public final class TunnelType
{
    /** IPv4 or IPv6 carried in IPv4 or IPv6 (protocols 4 and 41; RFC 2003, RFC 4213, RFC 2473). */
    public static final int IP_IN_IP = 1;
    /** Generic Routing Encapsulation (RFC 2784, key and sequence number RFC 2890). */
    public static final int GRE = 2;
    /** Cisco ERSPAN (types I, II, III) in GRE: a mirrored Ethernet frame. */
    public static final int ERSPAN = 3;
    /** VXLAN (RFC 7348), UDP 4789 or a configured port. */
    public static final int VXLAN = 4;
    /** Geneve (RFC 8926), UDP 6081. */
    public static final int GENEVE = 5;
    /** GTP-U, the user plane of GPRS Tunnelling Protocol version 1 (3GPP TS 29.281), UDP 2152. */
    public static final int GTP_U = 6;
    /** Teredo, IPv6 in UDP through NATs (RFC 4380), UDP 3544. */
    public static final int TEREDO = 7;
    /** AYIYA, Anything In Anything (SixXS), UDP 5072. */
    public static final int AYIYA = 8;
    /** An MPLS label stack (RFC 3032). */
    public static final int MPLS = 9;
    /** A PPPoE session (RFC 2516). */
    public static final int PPPOE = 10;

    /** Names of the types, as the record writes them. */
    private static final String[] NAMES =
        {"", "ip-in-ip", "gre", "erspan", "vxlan", "geneve", "gtp-u", "teredo", "ayiya", "mpls", "pppoe"};
    /** Names of the identifier of each type, null when it has none. */
    private static final String[] ID_NAMES =
        {null, null, "key", "session_id", "vni", "vni", "teid", null, null, "labels", "session_id"};

    /** Bits of one MPLS label in a packed stack. */
    private static final int LABEL_BITS = 20;
    /** Labels a packed stack holds (the count sits in the top bits). */
    public static final int MAX_PACKED_LABELS = 3;
    private static final int COUNT_SHIFT = LABEL_BITS * MAX_PACKED_LABELS;

    private TunnelType()
    {
    }

    /** The record's name of a type ("vxlan"). */
    public static String name(final int type)
    {
        return type > 0 && type < NAMES.length ? NAMES[type] : "unknown";
    }

    /** The record's name of a type's identifier ("vni"), null when the type has none. */
    public static String idName(final int type)
    {
        return type > 0 && type < ID_NAMES.length ? ID_NAMES[type] : null;
    }

    /** True when the type's identifier is the same both ways, so it belongs in the flow key. */
    public static boolean identifiesBothDirections(final int type)
    {
        return type == GRE || type == ERSPAN || type == VXLAN || type == GENEVE || type == PPPOE;
    }

    /** Adds a label to a packed MPLS label stack (the first {@link #MAX_PACKED_LABELS} are kept). */
    public static long packLabel(final long packed, final int label)
    {
        final int count = labelCount(packed);
        if (count >= MAX_PACKED_LABELS)
        {
            return packed;
        }
        return (packed & ((1L << COUNT_SHIFT) - 1)) | (long)label << (LABEL_BITS * count) |
            (long)(count + 1) << COUNT_SHIFT;
    }

    /** Labels held in a packed MPLS label stack. */
    public static int labelCount(final long packed)
    {
        return (int)(packed >>> COUNT_SHIFT);
    }

    /** Label {@code i} (0: the top of the stack) of a packed MPLS label stack. */
    public static int label(final long packed, final int i)
    {
        return (int)(packed >>> (LABEL_BITS * i)) & ((1 << LABEL_BITS) - 1);
    }

    /**
     * The flow key component of a frame's tunnels: 0 without tunnels or without an identifier that
     * is the same both ways, else a mix of each such tunnel's type and identifier, never 0.
     */
    public static long key(final DecodedFrame slot)
    {
        long key = 0;
        final int n = Math.min(slot.tunnelCount, DecodedFrame.MAX_TUNNELS);
        for (int i = 0; i < n; i++)
        {
            final int type = slot.tunnelType[i];
            final long id = slot.tunnelId[i];
            if (id >= 0 && identifiesBothDirections(type))
            {
                key = (key ^ ((long)type << 48 ^ id)) * 0x9E37_79B9_7F4A_7C15L;
                key = key == 0 ? 1 : key;
            }
        }
        return key;
    }
}
