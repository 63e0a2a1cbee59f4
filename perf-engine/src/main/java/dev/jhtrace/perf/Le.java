package dev.jhtrace.perf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian reads from a byte array (perf's stream is in the machine's order, little-endian on x86-64 and arm64). */
final class Le {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Le() {
    }

    static int u16(byte[] b, int at) {
        return (short) SHORT.get(b, at) & 0xffff;
    }

    static long u32(byte[] b, int at) {
        return (int) INT.get(b, at) & 0xffffffffL;
    }

    static long u64(byte[] b, int at) {
        return (long) LONG.get(b, at);
    }

    static void put16(byte[] b, int at, int v) {
        SHORT.set(b, at, (short) v);
    }

    static void put32(byte[] b, int at, long v) {
        INT.set(b, at, (int) v);
    }

    static void put64(byte[] b, int at, long v) {
        LONG.set(b, at, v);
    }
}
