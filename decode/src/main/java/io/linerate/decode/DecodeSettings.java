package io.linerate.decode;

/**
 * How a {@link PacketDecoder} treats tunnels.
 *
 * @param tunnelDepth tunnels opened in one frame, 0 (none: a tunnel's packets stay the outer flow's)
 *                    to {@link DecodeCursor#MAX_TUNNEL_DEPTH}; a frame with more is the anomaly
 *                    {@link Anomaly#TUNNEL_TOO_DEEP}
 * @param vxlanPort   a UDP port VXLAN is also taken on besides 4789 (0: none)
 * @param tunnelKey   true when connections in tunnels are told apart by the tunnels' identifiers
 *                    that name both directions (VNI, GRE key, ERSPAN and PPPoE session): two
 *                    tenants' equal inner 5-tuples are two connections; false when the inner
 *                    5-tuple alone keys them (for tunnels that use another VNI each way)
 */
public record DecodeSettings(int tunnelDepth, int vxlanPort, boolean tunnelKey)
{
    /** Every tunnel opened, VXLAN on 4789 only, connections told apart by tunnel identifiers. */
    public static final DecodeSettings DEFAULT = new DecodeSettings(DecodeCursor.MAX_TUNNEL_DEPTH, 0, true);

    public DecodeSettings
    {
        if (tunnelDepth < 0 || tunnelDepth > DecodeCursor.MAX_TUNNEL_DEPTH)
        {
            throw new IllegalArgumentException(
                "tunnel depth " + tunnelDepth + " not in 0.." + DecodeCursor.MAX_TUNNEL_DEPTH);
        }
        if (vxlanPort < 0 || vxlanPort > 0xFFFF)
        {
            throw new IllegalArgumentException("VXLAN port " + vxlanPort + " not in 0..65535");
        }
    }
}
