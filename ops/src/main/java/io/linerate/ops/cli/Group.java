package io.linerate.ops.cli;

/** The sections of {@code --help}, in the order they are shown: a setting belongs to one. */
public enum Group
{
    INPUT("Input"),
    ANALYSIS("Analysis"),
    OUTPUTS("Outputs"),
    KAFKA("Kafka"),
    CAPTURE("Capture"),
    PERFORMANCE("Performance"),
    CONNECTION("The connection (packets, follow)"),
    GENERAL("General");

    private final String heading;

    Group(final String heading)
    {
        this.heading = heading;
    }

    /** The section's heading in the help. */
    public String heading()
    {
        return heading;
    }
}
