package dev.jhtrace.perf;

import dev.jhtrace.model.StackFrame;

import java.util.List;

/** One record of {@code perf script}'s text output, as {@link PerfScriptParser} reads it. */
sealed interface PerfRecord {

    /**
     * A tracepoint sample.
     *
     * @param pid        process id (thread group)
     * @param tid        thread id
     * @param monoNanos  kernel time stamp, CLOCK_MONOTONIC nanoseconds (perf records with {@code -k CLOCK_MONOTONIC})
     * @param event      tracepoint name without its group, e.g. {@code sys_exit_openat}
     * @param payload    the tracepoint's formatted fields ({@code 0x4}, {@code fd: 0x00000004}, {@code child_pid=12})
     * @param frames     user frames, innermost first (empty for events recorded without a call graph)
     */
    record Sample(int pid, int tid, long monoNanos, String event, String payload, List<StackFrame> frames) implements PerfRecord {
    }

    /**
     * A PERF_RECORD_LOST: the kernel dropped samples because perf's ring buffer was full.
     *
     * @param count how many samples were dropped
     */
    record Lost(long count) implements PerfRecord {
    }
}
