package io.linerate.ops.filter;

/** What a field holds, which says which literals it compares with and which operators apply. */
public enum FieldType
{
    /** An unsigned or signed integer: ports, counts, microseconds; also compares with durations when its unit is microseconds. */
    INTEGER("Integer"),
    /** A number with a fraction (a rate). */
    DOUBLE("Floating point"),
    /** 0 or 1 (Wireshark's boolean flags); {@code True} and {@code False} compare too. */
    BOOLEAN("Boolean"),
    /** Text. */
    STRING("Character string"),
    /** An IPv4 or IPv6 address; literals may be a CIDR block. */
    ADDRESS("IP address"),
    /** Present or not, no value (a protocol name, an expert-info flag): only the bare test applies. */
    LABEL("Label");

    private final String label;

    FieldType(final String label)
    {
        this.label = label;
    }

    /** The type's name in messages, as Wireshark words it. */
    public String label()
    {
        return label;
    }
}
