package dev.jhtrace.perf;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.TraceOptions;

import java.util.Arrays;

/**
 * For benchmarks/engine-overhead.sh: launches a command traced by the perf engine (its output goes to stderr, as perf's
 * workload output does), waits for it to exit, and prints the events captured, the events lost, and the memory the
 * trace holds per event: on the heap (with the log just asked for) and outside it (the recorder's columns, the stream's
 * chunks). {@code --default-pipe} first: perf record's pipe left at the kernel's 64 KiB (the control of
 * {@link PipeCapacity}).
 */
public final class PerfOverheadRunner {
    private PerfOverheadRunner() {
    }

    public static void main(String[] args) throws Exception {
        boolean defaultPipe = args.length > 0 && args[0].equals("--default-pipe");
        PerfEngine engine = defaultPipe ? new PerfEngine().withKernelDefaultPipe() : new PerfEngine();
        String[] command = defaultPipe ? Arrays.copyOfRange(args, 1, args.length) : args;
        try (PerfHandleSource source = engine.launch(new ProcessBuilder(Arrays.asList(command)).inheritIO(), TraceOptions.DEFAULT)) {
            int pipeBytes = source.perfTracing().streamPipeBytes(); // while perf record runs
            source.launchedProcess().orElseThrow().waitFor();
            TraceLog log = source.tracing().orElseThrow().log();
            long opens = log.events().stream().filter(e -> e.kind() == EventKind.OPEN).count();
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heap = rt.totalMemory() - rt.freeMemory();
            // outside the heap: the recorder's event columns and the stream's chunks
            long direct = java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                    .filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed).sum();
            System.out.println("perf events " + log.size() + " opens " + opens + " lost " + log.lostEvents()
                    + " distinct-stacks " + log.events().stream().map(e -> e.stack()).distinct().count()
                    + " heap-bytes-per-event " + (log.size() == 0 ? 0 : heap / log.size())
                    + " direct-bytes-per-event " + (log.size() == 0 ? 0 : direct / log.size())
                    + " stream-read-ahead-peak-bytes " + source.perfTracing().streamPeakBytes()
                    + " pipe-bytes " + pipeBytes);
        }
    }
}
