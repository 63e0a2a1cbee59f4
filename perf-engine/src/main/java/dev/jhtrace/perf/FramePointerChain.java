package dev.jhtrace.perf;

/**
 * The frame records of a sample's user stack copy, followed up the stack: each record is 16 bytes, the caller's frame
 * pointer (saved rbp) and then the return address into the caller. Where perf's DWARF unwinder stops (code without
 * unwind tables: a Go program's, a JVM's compiled and interpreted code), code that keeps its frame pointers can still
 * be walked this way, as the kernel's {@code --call-graph fp} walks it, from the copy instead of the live stack.
 */
final class FramePointerChain {
    private FramePointerChain() {
    }

    /** What is done at each frame record. */
    interface Visitor {
        /**
         * The record at offset {@code at} in the copy, with its return address {@code returnAddress}: it belongs to the
         * frame found last, and returns into that frame's caller. Returns whether to go on to the caller's record.
         */
        boolean visit(int at, long returnAddress);
    }

    /**
     * Visits the records from the one at offset {@code at} of the copy (as {@link RawStack#stackCopy} gives it, whose
     * first byte is at the stack pointer {@code sp}) while each saved frame pointer lies higher up the stack than its
     * record and inside the copy, and the visitor wants more.
     */
    static void follow(byte[] record, int[] copy, long sp, int at, Visitor visitor) {
        int from = copy[0];
        int length = copy[1];
        while (at >= 0 && ((sp + at) & 7) == 0 && at + 16 <= length) {
            long saved = Le.u64(record, from + at);
            if (!visitor.visit(at, Le.u64(record, from + at + 8))) return;
            long next = saved - sp;
            if (Long.compareUnsigned(saved, sp + at) <= 0 || next > Integer.MAX_VALUE) return; // a caller's record lies above
            at = (int) next;
        }
    }
}
