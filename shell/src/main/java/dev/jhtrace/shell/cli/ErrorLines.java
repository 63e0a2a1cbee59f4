package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

/**
 * How a command's failure is told: the one line after {@code jhtrace: } and the exit code. Shared by the picocli
 * command line and {@link QuickHandles}; names no picocli type.
 */
final class ErrorLines {
    private ErrorLines() {
    }

    /** The message of a failure, without the {@code jhtrace: } prefix. */
    static String message(Throwable ex) {
        if (ex instanceof JhtraceException) return ex.getMessage();
        if (ex instanceof OutOfMemoryError) return "out of memory: " + ex.getMessage();
        String m = ex.getMessage();
        return "internal error: " + ex.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** The exit code of a failure: its {@link Failure}'s, or {@link Failure#OTHER}'s. */
    static int exitCode(Throwable ex) {
        return ex instanceof JhtraceException j ? j.failure().exitCode() : Failure.OTHER.exitCode();
    }
}
