package dev.sightline.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Whole-payload byte checks that run for every request, eight bytes at a time. */
final class Bytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private Bytes() {}

    /** True when every byte in {@code [from, to)} is below 0x80. */
    static boolean ascii(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            if (((long) LONGS.get(b, i) & HIGH_BITS) != 0) return false;
        }
        for (; i < to; i++) {
            if (b[i] < 0) return false;
        }
        return true;
    }

    /** True when {@code value} occurs in {@code [from, to)}. */
    static boolean contains(byte[] b, int from, int to, byte value) {
        long pattern = LOW_BITS * (value & 0xff);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ pattern;
            // a zero byte in x is a match (the classic has-zero-byte test)
            if (((x - LOW_BITS) & ~x & HIGH_BITS) != 0) return true;
        }
        for (; i < to; i++) {
            if (b[i] == value) return true;
        }
        return false;
    }
}
