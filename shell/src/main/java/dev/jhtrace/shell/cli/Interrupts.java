package dev.jhtrace.shell.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT) into a flag for the length of a wait, so the command can still report what it
 * captured and detach cleanly instead of the JVM exiting mid-way. The previous handler is restored on close.
 */
final class Interrupts implements AutoCloseable {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final SignalHandler previous;

    Interrupts() {
        SignalHandler p;
        try {
            p = Signal.handle(new Signal("INT"), s -> requested.set(true));
        } catch (IllegalArgumentException e) {
            p = null; // no SIGINT on this platform/JVM configuration: Ctrl-C falls back to the shutdown hook
        }
        previous = p;
    }

    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        if (previous != null) Signal.handle(new Signal("INT"), previous);
    }
}
