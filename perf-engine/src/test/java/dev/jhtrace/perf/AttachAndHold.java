package dev.jhtrace.perf;

import dev.jhtrace.spi.TraceOptions;

/**
 * A JVM that attaches the perf engine to a pid, prints "tracing PERF_RECORD_PID", and waits to be killed (PerfTargetsTest).
 * A refusal is one line on stderr and the failure's exit code, as jhtrace's commands give it.
 */
public final class AttachAndHold {
    private AttachAndHold() {
    }

    public static void main(String[] args) throws InterruptedException {
        PerfHandleSource source;
        try {
            source = new PerfEngine().attach(Integer.parseInt(args[0]), TraceOptions.DEFAULT);
        } catch (dev.jhtrace.spi.JhtraceException e) {
            System.err.println("jhtrace: " + e.getMessage());
            System.exit(e.failure().exitCode());
            return;
        }
        source.perfTracing().enable(TraceOptions.DEFAULT);
        System.out.println("tracing " + source.perfTracing().recordPid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
