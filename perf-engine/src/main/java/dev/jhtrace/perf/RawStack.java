package dev.jhtrace.perf;

import dev.jhtrace.model.StackTrace;

/**
 * A creation event's sample kept for unwinding later (heaptrack's idea: record raw, symbolize afterwards): perf's
 * bytes (user registers and stack copy) until {@link StackSamples} has had perf unwind it, then only the stack.
 *
 * <p>Made by {@link PipeReader} as a view of the stream's bytes, not a copy: most descriptors close within the round
 * that opened them, and their 2 KiB stack copies were most of what the decoder allocated. Only a stack still needed when
 * those bytes are about to be reused gets bytes of its own ({@link #detach}), cut to the stack the kernel actually copied.
 * Guarded by its {@link StackSamples}.
 */
final class RawStack {
    final long sequence; // its place in perf's stream, among the side-band records
    final int pid;
    final int tid;
    final long monoNanos;
    final long sp; // the user stack pointer: where the stack copy begins in the process's memory (0: unknown)
    final long bp; // the user frame pointer register (0: unknown), where a frame-pointer walk starts (GoFrames)
    private byte[] record; // its own bytes once detached; null while a view, or once resolved or dropped
    private byte[] source; // the stream's bytes holding the whole sample, while a view
    private int sourceAt;
    private int sourceSize;
    private int stackAt; // where PERF_SAMPLE_STACK_USER's size lies in the sample, or -1: kept whole
    private final int length; // the bytes it keeps (trimmed)
    StackTrace resolved; // null until unwound
    int holders; // descriptors whose creation it is (a pipe's two)
    int heldAt = -1; // its place among its StackSamples' held samples, or -1

    /** A sample with bytes of its own. */
    RawStack(long sequence, int pid, int tid, long monoNanos, byte[] record) {
        this.sequence = sequence;
        this.pid = pid;
        this.tid = tid;
        this.monoNanos = monoNanos;
        this.sp = 0;
        this.bp = 0;
        this.record = record;
        this.length = record.length;
    }

    /**
     * The sample at {@code source[at..at + size)}, whose user stack copy's size lies at {@code stackAt} (-1: none to
     * trim), viewed in place until {@link #detach}.
     */
    RawStack(long sequence, int pid, int tid, long monoNanos, byte[] source, int at, int size, int stackAt, long sp, long bp) {
        this.sequence = sequence;
        this.pid = pid;
        this.tid = tid;
        this.monoNanos = monoNanos;
        this.sp = sp;
        this.bp = bp;
        this.source = source;
        this.sourceAt = at;
        this.sourceSize = size;
        this.stackAt = stackAt;
        this.length = trimmedLength(source, at, size, stackAt);
    }

    /** Whether the sample holds a copy of the user stack (a DWARF call graph's; a frame-pointer call graph has none). */
    boolean hasStackCopy() {
        return stackAt >= 0;
    }

    /**
     * The user stack copy whose size lies at {@code stackAt} in {@code record} (a sample's own bytes, as {@link #bytes()}
     * gives them, or the stream's): {index of its first byte, bytes the kernel actually copied}; null when there is none.
     */
    static int[] stackCopy(byte[] record, int stackAt) {
        if (record == null || stackAt < 0 || stackAt + 8 > record.length) return null;
        long size = Le.u64(record, stackAt);
        if (size <= 0 || size > 1 << 16 || stackAt + 8 + size + 8 > record.length) return null; // perf copies at most 65528
        long dyn = Le.u64(record, stackAt + 8 + (int) size);
        return new int[] {stackAt + 8, (int) Math.min(size, dyn)};
    }

    /** Where PERF_SAMPLE_STACK_USER's size lies in its bytes, or -1. */
    int stackAt() {
        return stackAt;
    }

    /** Whether it still has its bytes (its own or the stream's). */
    boolean hasBytes() {
        return record != null || source != null;
    }

    /** Bytes it keeps: what a held sample costs. */
    int length() {
        return length;
    }

    /** Its bytes, its own from now on; null when it has none. */
    byte[] bytes() {
        detach();
        return record;
    }

    /** Takes a copy of its bytes, the stream's being about to be reused. */
    void detach() {
        if (source == null) return;
        record = trimmed(source, sourceAt, sourceSize, stackAt, length);
        source = null;
    }

    /** Lets its bytes go (its descriptors closed, or it was unwound). */
    void drop() {
        record = null;
        source = null;
    }

    /**
     * The sample's size with its user stack copy cut to the bytes the kernel actually copied ({@code dyn_size}, rounded
     * up to 8): perf copies a fixed {@code size} (2 KiB) whatever the stack's depth, and perf script reads {@code dyn_size}.
     */
    private static int trimmedLength(byte[] r, int at, int size, int stackAt) {
        if (stackAt < 0) return size;
        int keep = kept(r, at, size, stackAt);
        return keep < 0 ? size : size - (int) Le.u64(r, at + stackAt) + keep;
    }

    /** The stack bytes to keep, or -1 to keep the sample as it is. */
    private static int kept(byte[] r, int at, int size, int stackAt) {
        long stackSize = Le.u64(r, at + stackAt);
        if (stackSize == 0 || stackAt + 8 + stackSize + 8 > size) return -1;
        long dyn = Le.u64(r, at + stackAt + 8 + (int) stackSize);
        int keep = (int) Math.min(stackSize, (dyn + 7) & ~7L);
        return keep == stackSize ? -1 : keep;
    }

    private static byte[] trimmed(byte[] r, int at, int size, int stackAt, int newSize) {
        if (newSize == size) return java.util.Arrays.copyOfRange(r, at, at + size);
        int keep = kept(r, at, size, stackAt);
        int dataAt = stackAt + 8;
        int dynAt = dataAt + (int) Le.u64(r, at + stackAt);
        byte[] t = new byte[newSize];
        System.arraycopy(r, at, t, 0, dataAt + keep);
        System.arraycopy(r, at + dynAt, t, dataAt + keep, size - dynAt); // dyn_size and what follows
        Le.put64(t, stackAt, keep);
        Le.put16(t, 6, newSize);
        return t;
    }
}
