package dev.jhtrace.windbg;

/** How an {@code !htrace} output lays out its entries, kept so that a writer prints them back alike. */
public enum HtraceLayout {
    /** User mode, 32-bit target: {@code Handle = 0x0000003c - OPEN}, 8-digit values. */
    USER_32(8),
    /** User mode, 64-bit target: 16-digit values. */
    USER_64(16),
    /** Kernel debugger: {@code Handle 0x7CC - OPEN:}, no thread/process line, upper-case hex, unpadded offsets. */
    KERNEL(8);

    private final int digits;

    HtraceLayout(int digits) {
        this.digits = digits;
    }

    /** Hex digits of a pointer-sized value in this layout. */
    public int digits() {
        return digits;
    }
}
