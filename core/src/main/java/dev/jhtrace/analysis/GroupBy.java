package dev.jhtrace.analysis;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.util.Locale;

/** How outstanding handles are grouped in a leak report. */
public enum GroupBy {
    /** By the full stack that opened them (what {@code !htrace -diff} readers do by eye). */
    STACK,
    /** By handle type, like {@code !handle 0 0}. */
    TYPE,
    /** By the module of the leaking frame. */
    MODULE,
    /** By the function of the leaking frame. */
    FUNCTION;

    /** Parses {@code stack|type|module|function}. */
    public static GroupBy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "unknown grouping '" + text + "': use stack, type, module or function");
        }
    }
}
