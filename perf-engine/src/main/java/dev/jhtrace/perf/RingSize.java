package dev.jhtrace.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The size of perf's ring buffer per CPU when jhtrace may choose it (root): 64 MiB on machines of up to 4 CPUs, less on
 * larger ones so that the rings together stay within {@link #BUDGET_BYTES}, never below 16 MiB.
 *
 * <p>Why this large: the ring must hold what the target does while perf record is not draining it, and perf record
 * stalls when jhtrace's JVM does (its pipe holds 64 KiB). At 200,000 events/s from one thread, half of them with 2 KiB
 * stacks (about 220 MB/s into one CPU's ring), 16 MiB fills in 70 ms, less than one young collection of jhtrace's JVM
 * on 2 busy cores (137 ms measured): 12,930 / 13,101 / 15,088 of 600,000 events were lost with 16 MiB, 0 / 0 / 9,175
 * with 32 MiB and 0 / 0 / 0 with 64 MiB, runs interleaved (benchmarks/decoder-throughput.sh).
 */
final class RingSize {
    /** What the rings of all CPUs may take together, unless that leaves less than {@link #MIN_PAGES} per CPU. */
    static final long BUDGET_BYTES = 256L << 20;
    static final int MIN_PAGES = 4096; // 16 MiB
    static final int MAX_PAGES = 16384; // 64 MiB
    private static final int PAGE_BYTES = 4096;

    private RingSize() {
    }

    /** Pages per CPU (a power of two, as perf's -m wants) for a machine of {@code cpus} online CPUs. */
    static int pagesFor(int cpus) {
        long perCpu = BUDGET_BYTES / PAGE_BYTES / Math.max(1, cpus);
        int pages = (int) Long.highestOneBit(Math.max(1, perCpu));
        return Math.max(MIN_PAGES, Math.min(MAX_PAGES, pages));
    }

    /** Pages per CPU for this machine: perf record maps a ring on every online CPU. */
    static int pagesForThisMachine() {
        return pagesFor(onlineCpus());
    }

    /** The CPUs online now ({@code /sys/devices/system/cpu/online}, as "0-3,8-11"), or the JVM's count when unreadable. */
    static int onlineCpus() {
        try {
            return countCpuList(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The number of CPUs in a kernel CPU list ("0-3,8,10-11"). */
    static int countCpuList(String list) {
        int n = 0;
        for (String range : list.trim().split(",")) {
            if (range.isEmpty()) continue;
            int dash = range.indexOf('-');
            n += dash < 0 ? 1 : Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
        }
        if (n == 0) throw new IllegalArgumentException("no CPU in \"" + list + "\"");
        return n;
    }
}
