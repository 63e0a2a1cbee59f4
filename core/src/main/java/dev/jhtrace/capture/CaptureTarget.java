package dev.jhtrace.capture;

/** What to capture: one process by id, whichever process has a name (followed across restarts), or every process. */
public sealed interface CaptureTarget {

    /** One process; the capture ends when it exits. */
    record Pid(int pid) implements CaptureTarget {
    }

    /** The process with this name: waited for, and followed across restarts (each new pid is a new segment). */
    record Name(String name) implements CaptureTarget {
    }

    /**
     * Every process of the machine (an engine that can trace them all: {@code Engine#attachAll}): each process seen
     * holding descriptors it opened while traced is a segment of its own, recorded side by side, at most
     * {@code maxProcesses} at once (the first seen; the others are counted).
     */
    record All(int maxProcesses) implements CaptureTarget {
        public All {
            if (maxProcesses < 1) throw new dev.jhtrace.spi.JhtraceException(dev.jhtrace.spi.Failure.BAD_INPUT, "--max-processes must be at least 1");
        }
    }
}
