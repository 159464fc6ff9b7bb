package io.linerate.sink.record;

import io.linerate.decode.ip.IpProtocol;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The Community ID flow hash, version 1 (corelight/community-id-spec): the string Zeek, Suricata and
 * others write, so linerate's records join with their logs. {@code "1:" + base64(sha1(seed, addresses,
 * protocol, 0, ports))}, endpoints ordered so both directions give the same value; ICMP types are
 * mapped to port-like values, request and reply types paired.
 *
 * <p>One instance per thread (it keeps its digest and buffer).
 */
public final class CommunityId
{
    private final MessageDigest sha1;
    private static final int SHA1_BYTES = 20;
    private static final byte[] VERSION = JsonBuffer.ascii("1:");

    private final byte[] buffer = new byte[2 + 16 + 16 + 2 + 4];
    private final byte[] digest = new byte[SHA1_BYTES];
    /** The digest in base64: 20 bytes take 28 characters, padding included. */
    private final byte[] text = new byte[(SHA1_BYTES + 2) / 3 * 4];
    private final int seed;

    public CommunityId(final int seed)
    {
        try
        {
            sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
        }
        this.seed = seed;
    }

    /**
     * The Community ID of a flow seen from its initiator.
     *
     * @param srcPort source port, or the ICMP type for ICMP/ICMPv6
     * @param dstPort destination port, or the ICMP code for ICMP/ICMPv6
     */
    public String of(
        final int ipVersion, final int protocol,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        digest(ipVersion, protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        return "1:" + Base64.getEncoder().encodeToString(digest);
    }

    /** Appends the Community ID ({@link #of}) to {@code out}, unquoted. */
    public JsonBuffer append(
        final JsonBuffer out, final int ipVersion, final int protocol,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        digest(ipVersion, protocol, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
        Base64.getEncoder().encode(digest, text);
        return out.raw(VERSION).raw(text);
    }

    private void digest(
        final int ipVersion, final int protocol,
        final long srcHi, final long srcLo, final int srcPort,
        final long dstHi, final long dstLo, final int dstPort)
    {
        int sPort = srcPort;
        int dPort = dstPort;
        boolean oneWay = false;
        if (protocol == IpProtocol.ICMP || protocol == IpProtocol.ICMPV6)
        {
            final int type = srcPort;
            final int counterpart = protocol == IpProtocol.ICMP ? icmpCounterpart(type) : icmp6Counterpart(type);
            if (counterpart >= 0)
            {
                dPort = counterpart;
            }
            else
            {
                oneWay = true;
            }
        }
        final boolean hasPorts =
            IpProtocol.hasPorts(protocol) || protocol == IpProtocol.ICMP || protocol == IpProtocol.ICMPV6;

        boolean swap = false;
        if (!oneWay)
        {
            final int c = compareAddress(ipVersion, srcHi, srcLo, dstHi, dstLo);
            swap = c > 0 || (c == 0 && hasPorts && sPort > dPort);
        }
        int n = 0;
        buffer[n++] = (byte)(seed >>> 8);
        buffer[n++] = (byte)seed;
        n = putAddress(ipVersion, swap ? dstHi : srcHi, swap ? dstLo : srcLo, n);
        n = putAddress(ipVersion, swap ? srcHi : dstHi, swap ? srcLo : dstLo, n);
        buffer[n++] = (byte)protocol;
        buffer[n++] = 0;
        if (hasPorts)
        {
            final int p1 = swap ? dPort : sPort;
            final int p2 = swap ? sPort : dPort;
            buffer[n++] = (byte)(p1 >>> 8);
            buffer[n++] = (byte)p1;
            buffer[n++] = (byte)(p2 >>> 8);
            buffer[n++] = (byte)p2;
        }
        // No reset first: digest() leaves the MessageDigest reset for the next flow.
        sha1.update(buffer, 0, n);
        try
        {
            sha1.digest(digest, 0, SHA1_BYTES);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("SHA-1 gives 20 bytes", ex);
        }
    }

    private int putAddress(final int ipVersion, final long hi, final long lo, final int offset)
    {
        int n = offset;
        if (ipVersion == 4)
        {
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                buffer[n++] = (byte)(lo >>> shift);
            }
            return n;
        }
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            buffer[n++] = (byte)(hi >>> shift);
        }
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            buffer[n++] = (byte)(lo >>> shift);
        }
        return n;
    }

    private static int compareAddress(final int ipVersion, final long aHi, final long aLo, final long bHi, final long bLo)
    {
        if (ipVersion != 4 && aHi != bHi)
        {
            return Long.compareUnsigned(aHi, bHi);
        }
        return Long.compareUnsigned(aLo, bLo);
    }

    /** ICMPv4 request/reply pairs (echo, timestamp, info, address mask, router advert/solicit). */
    private static int icmpCounterpart(final int type)
    {
        switch (type)
        {
            case 8: return 0;
            case 0: return 8;
            case 13: return 14;
            case 14: return 13;
            case 15: return 16;
            case 16: return 15;
            case 17: return 18;
            case 18: return 17;
            case 10: return 9;
            case 9: return 10;
            default: return -1;
        }
    }

    /** ICMPv6 request/reply pairs (echo, MLD, neighbor and router discovery, home agent, prefix). */
    private static int icmp6Counterpart(final int type)
    {
        switch (type)
        {
            case 128: return 129;
            case 129: return 128;
            case 130: return 131;
            case 131: return 130;
            case 133: return 134;
            case 134: return 133;
            case 135: return 136;
            case 136: return 135;
            case 139: return 140;
            case 140: return 139;
            case 144: return 145;
            case 145: return 144;
            default: return -1;
        }
    }
}
