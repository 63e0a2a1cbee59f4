package dev.jhtrace.proc;

import dev.jhtrace.model.HandleTable;

/**
 * Times {@link ProcFdReader#read(int)} inside one JVM, for {@code benchmarks/handles-vs-lsof.sh}.
 * <pre>
 *   java -cp ... dev.jhtrace.proc.ProcFdTiming PID [WARM_RUNS]   prints "fds N", "first MS", then "warm MS" per run
 *   java -cp ... dev.jhtrace.proc.ProcFdTiming --startup         does nothing: times JVM start-up alone
 * </pre>
 * The first listing includes class loading and JIT warm-up of the reader; JVM start-up is excluded.
 */
public final class ProcFdTiming {
    private ProcFdTiming() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--startup")) {
            if (args.length == 0) System.err.println("usage: ProcFdTiming PID [WARM_RUNS] | --startup");
            return;
        }
        int pid = Integer.parseInt(args[0]);
        int warmRuns = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long start = System.nanoTime();
        HandleTable first = ProcFdReader.read(pid);
        long firstNanos = System.nanoTime() - start;
        System.out.println("fds " + first.size());
        System.out.printf("first %.3f%n", firstNanos / 1e6);
        for (int i = 0; i < warmRuns; i++) {
            start = System.nanoTime();
            HandleTable t = ProcFdReader.read(pid);
            long nanos = System.nanoTime() - start;
            if (t.size() != first.size()) System.err.println("listing " + i + " saw " + t.size() + " fds");
            System.out.printf("warm %.3f%n", nanos / 1e6);
        }
    }
}
