package dev.jhtrace.perf;

import dev.jhtrace.model.StackTrace;

/**
 * A creation event's sample kept for unwinding later (heaptrack's idea: record raw, symbolize afterwards): perf's
 * bytes (user registers and stack copy) until {@link StackSamples} has had perf unwind it, then only the stack.
 * Guarded by its {@link StackSamples}.
 */
final class RawStack {
    final long sequence; // its place in perf's stream, among the side-band records
    final int pid;
    final int tid;
    final long monoNanos;
    byte[] record; // null once resolved or dropped
    StackTrace resolved; // null until unwound
    int holders; // descriptors whose creation it is (a pipe's two)

    RawStack(long sequence, int pid, int tid, long monoNanos, byte[] record) {
        this.sequence = sequence;
        this.pid = pid;
        this.tid = tid;
        this.monoNanos = monoNanos;
        this.record = record;
    }
}
