package dev.jhtrace.capture;

/** What to capture: one process by id, or whichever process has a name, followed across restarts. */
public sealed interface CaptureTarget {

    /** One process; the capture ends when it exits. */
    record Pid(int pid) implements CaptureTarget {
    }

    /** The process with this name: waited for, and followed across restarts (each new pid is a new segment). */
    record Name(String name) implements CaptureTarget {
    }
}
