package dev.jhtrace.perf;

/**
 * One tracepoint sample as read from perf's pipe stream, its fields read in place from the raw tracepoint data: its
 * process id (thread group) and thread id, its kernel time stamp (CLOCK_MONOTONIC nanoseconds: perf records with
 * {@code -k CLOCK_MONOTONIC}), its tracepoint's layout, the bytes holding it (perf's stream as read, valid until the
 * reader reuses them, see {@link PipeReader.Listener#reusesBytes}, or the sample alone), where the tracepoint's raw data
 * lies in them, and the user registers and stack bytes to unwind later for a sample recorded with a call graph (else
 * null).
 *
 * <p>Not a record: a {@link PipeReader} whose listener is done with a round's samples by the next round mark (as it is
 * with their bytes) reuses the sample objects too, so that decoding allocates nothing per sample; such a listener
 * keeps no sample beyond that.
 */
final class TraceSample {
    private int pid;
    private int tid;
    private long monoNanos;
    private TracepointFormat format;
    private byte[] record;
    private int rawOffset;
    private int rawLength;
    private RawStack stack;

    TraceSample(int pid, int tid, long monoNanos, TracepointFormat format, byte[] record, int rawOffset, int rawLength, RawStack stack) {
        set(pid, tid, monoNanos, format, record, rawOffset, rawLength, stack);
    }

    /** Makes this the given sample (the reader's, reusing it). */
    TraceSample set(int pid, int tid, long monoNanos, TracepointFormat format, byte[] record, int rawOffset, int rawLength, RawStack stack) {
        this.pid = pid;
        this.tid = tid;
        this.monoNanos = monoNanos;
        this.format = format;
        this.record = record;
        this.rawOffset = rawOffset;
        this.rawLength = rawLength;
        this.stack = stack;
        return this;
    }

    int pid() {
        return pid;
    }

    int tid() {
        return tid;
    }

    long monoNanos() {
        return monoNanos;
    }

    TracepointFormat format() {
        return format;
    }

    byte[] record() {
        return record;
    }

    int rawOffset() {
        return rawOffset;
    }

    int rawLength() {
        return rawLength;
    }

    RawStack stack() {
        return stack;
    }

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

    @Override
    public String toString() {
        return format.name() + " pid " + pid + " tid " + tid + " at " + monoNanos;
    }
}
