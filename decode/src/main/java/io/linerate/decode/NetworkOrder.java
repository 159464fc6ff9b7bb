package io.linerate.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads of fixed-size fields from a frame buffer, in network byte order (big-endian) unless the
 * name says otherwise.
 *
 * <p>Multi-byte reads go through byte-array view {@link VarHandle}s, which the JIT compiles to one
 * load and a byte swap; every call site uses the exact signature, so nothing is boxed. Reads are
 * bounds-checked by the JVM against the array only: callers check fields against the captured
 * length before reading them.
 */
public final class NetworkOrder
{
    private static final VarHandle SHORT_BIG_ENDIAN =
        MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BIG_ENDIAN =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BIG_ENDIAN =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LITTLE_ENDIAN =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private NetworkOrder()
    {
    }

    /** Unsigned 8-bit field at {@code index}. */
    public static int uint8(final byte[] buffer, final int index)
    {
        return buffer[index] & 0xFF;
    }

    /** Unsigned 16-bit big-endian field at {@code index}. */
    public static int uint16(final byte[] buffer, final int index)
    {
        return (short)SHORT_BIG_ENDIAN.get(buffer, index) & 0xFFFF;
    }

    /** Signed 32-bit big-endian field at {@code index}. */
    public static int int32(final byte[] buffer, final int index)
    {
        return (int)INT_BIG_ENDIAN.get(buffer, index);
    }

    /** Unsigned 32-bit big-endian field at {@code index}, in the low 32 bits of a long. */
    public static long uint32(final byte[] buffer, final int index)
    {
        return (int)INT_BIG_ENDIAN.get(buffer, index) & 0xFFFF_FFFFL;
    }

    /** 64-bit big-endian field at {@code index} (an IPv6 address half). */
    public static long int64(final byte[] buffer, final int index)
    {
        return (long)LONG_BIG_ENDIAN.get(buffer, index);
    }

    /** Unsigned 16-bit little-endian field at {@code index} (radiotap, or a little-endian host's order). */
    public static int uint16LittleEndian(final byte[] buffer, final int index)
    {
        return (buffer[index] & 0xFF) | (buffer[index + 1] & 0xFF) << 8;
    }

    /** Signed 32-bit little-endian field at {@code index} (host order of a little-endian machine). */
    public static int int32LittleEndian(final byte[] buffer, final int index)
    {
        return (int)INT_LITTLE_ENDIAN.get(buffer, index);
    }
}
