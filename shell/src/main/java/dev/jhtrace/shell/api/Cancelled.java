package dev.jhtrace.shell.api;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

/** Thrown out of a wait when the user pressed Ctrl-C; {@code withTracing} still disables and detaches. */
public final class Cancelled extends JhtraceException {
    private static final long serialVersionUID = 1L;

    public Cancelled() {
        super(Failure.OTHER, "interrupted");
    }
}
