package dev.jhtrace.perf;

/**
 * The user registers and user stack copy a sample recorded with a DWARF call graph carries (PERF_SAMPLE_REGS_USER,
 * PERF_SAMPLE_STACK_USER, include/uapi/linux/perf_event.h), read in place from the sample's bytes.
 *
 * <p>For a syscall tracepoint the registers are the task's user registers saved at the syscall's entry (pt_regs): on
 * x86-64 at the syscall's exit they still hold its arguments (rdi, rsi, rdx, r10, r8, r9; the {@code syscall}
 * instruction clobbers only rcx and r11), so an exit sample tells the flags a call was made with, at no extra event.
 * The registers a sample holds are those of its attribute's {@code sample_regs_user} mask, lowest bit first, numbered as
 * arch/x86/include/uapi/asm/perf_regs.h numbers them; the mask is read from the stream's attribute, not assumed.
 * The stack copy starts at the user stack pointer: the bytes of user memory from SP up to SP + its dynamic size.
 */
final class UserRegisters {
    // PERF_REG_X86_*
    static final int AX = 0, BX = 1, CX = 2, DX = 3, SI = 4, DI = 5, BP = 6, SP = 7, IP = 8, R8 = 16, R9 = 17, R10 = 18;
    private static final long REGS_USER = 1 << 12;
    private static final long STACK_USER = 1 << 13;
    private static final long ABI_64 = 2;

    private UserRegisters() {
    }

    /**
     * The registers a tracepoint's samples carry, from a HEADER_ATTR record: its {@code sample_regs_user} mask, or 0
     * when its samples carry no registers or no stack (recorded without a call graph) or it is no tracepoint.
     */
    static long maskOf(byte[] attrRecord) {
        if (attrRecord.length < 8 + 88 || Le.u32(attrRecord, 8) != 2) return 0; // PERF_TYPE_TRACEPOINT
        long attrSize = Le.u32(attrRecord, 12);
        long sampleType = Le.u64(attrRecord, 32);
        if (attrSize < 88 || (sampleType & REGS_USER) == 0 || (sampleType & STACK_USER) == 0) return 0;
        return Le.u64(attrRecord, 8 + 80);
    }

    /** The tracepoint id (attr.config) of a HEADER_ATTR record. */
    static long tracepointOf(byte[] attrRecord) {
        return Le.u64(attrRecord, 16);
    }

    /** Where register {@code reg} lies among those of {@code mask}, or -1 when the mask has none such. */
    static int slot(long mask, int reg) {
        if ((mask & (1L << reg)) == 0) return -1;
        return Long.bitCount(mask & ((1L << reg) - 1));
    }

    /**
     * Whether {@code s} carries a 64-bit task's registers (a sample with a stack whose ABI is PERF_SAMPLE_REGS_ABI_64;
     * not NONE, and not a 32-bit task's, whose arguments lie in other registers).
     */
    static boolean present(TraceSample s) {
        return s.stack() != null && Le.u64(s.record(), s.rawOffset() + s.rawLength()) == ABI_64;
    }

    /** The register at {@code slot} (see {@link #slot}); only when {@link #present}. */
    static long read(TraceSample s, int slot) {
        return Le.u64(s.record(), s.rawOffset() + s.rawLength() + 8 + 8 * slot);
    }

    /**
     * Where the user memory at {@code address .. address + length} lies in {@code s}'s stack copy (an index into
     * {@code s.record()}), or -1 when it is not all in it. {@code count} registers, {@code sp} the stack pointer; only
     * when {@link #present}.
     */
    static int inStack(TraceSample s, int count, long sp, long address, long length) {
        if (!s.stack().hasStackCopy()) return -1; // registers only (a frame-pointer call graph)
        int[] copy = RawStack.stackCopy(s.record(), s.rawOffset() + s.rawLength() + 8 + 8 * count);
        if (copy == null) return -1;
        long copied = copy[1];
        long from = address - sp;
        if (length < 0 || from < 0 || from > copied || length > copied - from) return -1;
        return copy[0] + (int) from;
    }
}
