package io.linerate.aggregate;

import io.linerate.aggregate.tcp.RttSummary;
import io.linerate.aggregate.tls.HelloReassembler;
import io.linerate.decode.tunnel.TunnelStack;

/**
 * What a flow record cannot hold, for the few flows that have it: TLS names (strings), the tunnels of
 * the first frame, a TLS hello being collected, and the RTT samples of a direction past the record's
 * three. {@link Connections} keep one per flow index that needs one, lent from its pool when first
 * asked for and given back, reset, when the flow leaves the table, so a flow without any of these
 * costs a null reference.
 */
public final class FlowExtras
{
    String tlsSni;
    String tlsAlpn;
    /** Allocated at the first tunnelled flow this object serves, then reused. */
    TunnelStack tunnels;
    HelloReassembler.HelloBuffer helloBuffer;
    /** RTT samples past the record's three, per direction; allocated once, reset on reuse. */
    private RttSummary c2sRtt;
    private RttSummary s2cRtt;
    private boolean c2sRttInUse;
    private boolean s2cRttInUse;

    /** The RTT samples of the client's ({@code client}) or the server's data, made ready for use. */
    public RttSummary rtt(final boolean client)
    {
        if (client)
        {
            if (c2sRtt == null)
            {
                c2sRtt = new RttSummary();
            }
            c2sRttInUse = true;
            return c2sRtt;
        }
        if (s2cRtt == null)
        {
            s2cRtt = new RttSummary();
        }
        s2cRttInUse = true;
        return s2cRtt;
    }

    /** The RTT samples of a direction that spilled over, or null. */
    public RttSummary rttIfAny(final boolean client)
    {
        return client ? (c2sRttInUse ? c2sRtt : null) : (s2cRttInUse ? s2cRtt : null);
    }

    /** Back to nothing held: the hello buffer goes back to its pool. */
    void clear()
    {
        tlsSni = null;
        tlsAlpn = null;
        if (tunnels != null)
        {
            tunnels.clear();
        }
        if (helloBuffer != null)
        {
            helloBuffer.release();
            helloBuffer = null;
        }
        if (c2sRttInUse)
        {
            c2sRtt.reset();
            c2sRttInUse = false;
        }
        if (s2cRttInUse)
        {
            s2cRtt.reset();
            s2cRttInUse = false;
        }
    }
}
