package dev.jhtrace.model;

/** What a trace event records, as {@code !htrace} names it. */
public enum EventKind {
    /** A handle (descriptor) was created. */
    OPEN,
    /** A handle (descriptor) was closed. */
    CLOSE,
    /** An invalid handle was used ({@code BAD REFERENCE} in WinDbg). */
    BADREF
}
