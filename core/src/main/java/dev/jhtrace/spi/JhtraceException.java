package dev.jhtrace.spi;

/**
 * A failure with a message meant for the user: one line saying what went wrong and, where it helps,
 * what to do. The {@link Failure} decides the exit code.
 */
public class JhtraceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Failure failure;

    public JhtraceException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public JhtraceException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
