package dev.jhtrace.spi;

/** Why a jhtrace operation failed, each with the exit code every jhtrace command uses for it. */
public enum Failure {
    /** Bad usage or unreadable input. */
    BAD_INPUT(2),
    /** A command asked to judge found a leak. */
    LEAK_FOUND(3),
    /** The target process (or dump) does not exist. */
    TARGET_NOT_FOUND(4),
    /** The operating system refused access to the target. */
    PERMISSION_DENIED(5),
    /** The debugger engine (gdb, dbgeng) is missing, too old, or not for this platform. */
    ENGINE_UNAVAILABLE(6),
    /** Anything else. */
    OTHER(1);

    private final int exitCode;

    Failure(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
