package dev.jhtrace.shell.api;

/**
 * Shows what a slow operation is doing (attaching, loading symbols): the REPL draws a status line
 * after a second; scripts and tests show nothing.
 */
@FunctionalInterface
public interface Status {
    /** Shows nothing. */
    Status NONE = label -> () -> { };

    /** Starts showing {@code label}; closing the result clears it. */
    Shown show(String label);

    /** An active status; {@link #close()} removes it. */
    interface Shown extends AutoCloseable {
        @Override
        void close();
    }
}
