package dev.jhtrace.model;

/**
 * How a traced process ended: its exit status, or the signal that ended it.
 *
 * @param exitCode   the exit status (0–255) when it exited, or -1 when a signal ended it
 * @param signalName the signal that ended it ({@code SIGTERM}, {@code SIGSEGV} …), or null when it exited
 */
public record ProcessExit(int exitCode, String signalName) {

    /** A process that called exit with {@code code}. */
    public static ProcessExit exited(int code) {
        return new ProcessExit(code, null);
    }

    /** A process ended by {@code signalName}. */
    public static ProcessExit killedBy(String signalName) {
        return new ProcessExit(-1, signalName);
    }

    /** True when a signal ended it. */
    public boolean bySignal() {
        return signalName != null;
    }

    /** "exited with status 7" or "was killed by SIGTERM". */
    public String describe() {
        return bySignal() ? "was killed by " + signalName : "exited with status " + exitCode;
    }
}
