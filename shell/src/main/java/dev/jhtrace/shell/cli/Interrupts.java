package dev.jhtrace.shell.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT), SIGTERM, and on Windows Ctrl-Break, into a flag for the length of a wait, so the command
 * can still report what it captured and detach cleanly instead of the JVM exiting mid-way (or, for
 * Ctrl-Break, printing a thread dump). The previous handlers are restored on close.
 */
final class Interrupts implements AutoCloseable {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final Map<String, SignalHandler> previous = new LinkedHashMap<>();

    Interrupts() {
        // TERM too: `kill PID` or `systemctl stop` of a running `jhtrace leaks` still gets its report
        for (String name : new String[] {"INT", "TERM", "BREAK"}) {
            try {
                previous.put(name, Signal.handle(new Signal(name), s -> requested.set(true)));
            } catch (IllegalArgumentException e) {
                // no such signal here (BREAK exists only on Windows), or the JVM reserves it: the shutdown hook remains
            }
        }
    }

    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
    }
}
