package dev.jhtrace.perf;

/**
 * One tracepoint sample as read from perf's pipe stream, its fields read in place from the raw tracepoint data.
 *
 * @param pid       process id (thread group)
 * @param tid       thread id
 * @param monoNanos kernel time stamp, CLOCK_MONOTONIC nanoseconds (perf records with {@code -k CLOCK_MONOTONIC})
 * @param format    the tracepoint's layout
 * @param record    the bytes holding the sample: perf's stream as read (valid until the reader reuses them, see
 *                  {@link PipeReader.Listener#reusesBytes}), or the sample alone
 * @param rawOffset where the tracepoint's raw data starts in {@code record}
 * @param rawLength its length
 * @param stack     the user registers and stack bytes to unwind later, for samples recorded with a call graph; else null
 */
record TraceSample(int pid, int tid, long monoNanos, TracepointFormat format, byte[] record, int rawOffset, int rawLength, RawStack stack) {
    /** The tracepoint's name, e.g. {@code sys_exit_openat}. */
    String event() {
        return format.name();
    }

    /** A numeric field, sign-extended as declared; -1 when the tracepoint has no such field. */
    long number(String field) {
        return format.number(record, rawOffset, field);
    }

    /** A string field, or null. */
    String text(String field) {
        return format.text(record, rawOffset, rawLength, field);
    }
}
