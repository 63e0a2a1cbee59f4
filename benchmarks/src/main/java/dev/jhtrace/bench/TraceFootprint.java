package dev.jhtrace.bench;

import dev.jhtrace.model.TraceLog;

/**
 * Measures the heap a trace log retains per event: heap used after building it minus before, with
 * full collections around both readings. Run: {@code java -cp benchmarks/target/benchmarks.jar dev.jhtrace.bench.TraceFootprint}.
 */
public final class TraceFootprint {
    private TraceFootprint() {
    }

    public static void main(String[] args) throws InterruptedException {
        int opens = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long before = usedAfterGc();
        TraceLog log = SyntheticTrace.build(opens, 200, 42);
        long after = usedAfterGc();
        int events = log.size();
        System.out.printf("events=%d retained=%d bytes perEvent=%.1f bytes%n", events, after - before, (after - before) / (double) events);
        if (log.events().isEmpty()) System.out.println("(empty)"); // keeps the log reachable until here
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
