package dev.jhtrace.perf;

import dev.jhtrace.proc.LinuxProcess;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The processes (and threads: a fork event does not tell them apart) the traced processes forked, as the stream's fork
 * events show them, also those that never made a descriptor call: perf follows each (its events inherit the forker's),
 * after the target has exited too, so tracing goes on while one runs. Those that have exited are let go at each look,
 * so a pid is held while its process runs and /proc's answer is about that process. Bounded: when more than three
 * quarters of {@link #MAX_HELD} still run as it fills, no more are held and {@link #overflowed()} says so. Thread-safe.
 */
final class Descendants {
    /** Running descendants held at most. */
    static final int MAX_HELD = 4096;
    private final Set<Integer> pids = new LinkedHashSet<>();
    private long forks; // fork events seen
    private boolean overflowed;

    /** A fork event of a traced process made {@code pid}. */
    synchronized void forked(int pid) {
        forks++;
        if (overflowed) return;
        if (pids.size() >= MAX_HELD) {
            pids.removeIf(p -> !new LinuxProcess(p).isAlive());
            // freeing a quarter at least: a look at /proc per fork costs at most a few reads, never MAX_HELD
            if (pids.size() > MAX_HELD / 4 * 3) {
                overflowed = true;
                return;
            }
        }
        pids.add(pid);
    }

    /** How many fork events were seen: a look at {@link #anyAlive()} holds only for the forks seen before it. */
    synchronized long forks() {
        return forks;
    }

    /** Whether one of them still runs (a zombie has ended); the ended ones are let go. */
    synchronized boolean anyAlive() {
        pids.removeIf(p -> !new LinuxProcess(p).isAlive());
        return !pids.isEmpty();
    }

    /** Whether some ran beyond {@link #MAX_HELD} at once: then whether any still runs is not known. */
    synchronized boolean overflowed() {
        return overflowed;
    }
}
