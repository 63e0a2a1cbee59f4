package dev.jhtrace.shell.api;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The targets a {@link Jhtrace} attached or opened and has not yet detached, and which one is current. Thread-safe. */
final class OpenTargets {
    private final List<Target> targets = new ArrayList<>();
    private volatile Target current;

    /** The source as a target, made current; it leaves this list when detached. */
    Target adopt(HandleSource source, Supplier<Status> status) {
        Target t = new Target(source, closed -> {
            synchronized (targets) {
                targets.remove(closed);
            }
            if (current == closed) current = null;
        }, status);
        synchronized (targets) {
            targets.add(t);
        }
        current = t;
        return t;
    }

    /** The target most recently adopted or made current and not yet detached, or null. */
    Target current() {
        Target c = current;
        if (c != null && c.isDetached()) current = c = null;
        return c;
    }

    void setCurrent(Target target) {
        current = target;
    }

    List<Target> all() {
        synchronized (targets) {
            return List.copyOf(targets);
        }
    }

    /** Detaches every target, all of them also when one fails (that failure is thrown after). Never kills a process. */
    void detachAll() {
        JhtraceException first = null;
        for (Target t : all()) {
            try {
                t.detach();
            } catch (RuntimeException e) {
                if (first == null) first = e instanceof JhtraceException j ? j : new JhtraceException(Failure.OTHER, "detach failed: " + e.getMessage(), e);
            }
        }
        if (first != null) throw first;
    }
}
