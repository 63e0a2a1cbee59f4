package dev.jhtrace.dump;

/**
 * The order of the entries in a dump's HandleOperationListStream (18), which no document states.
 * dbghelp takes them from the process's handle trace, which Windows returns most recent first (the
 * kernel query walks the ring backwards from the newest slot, and {@code !htrace} prints in that order),
 * so {@link #NEWEST_FIRST} is assumed by default. {@link #OLDEST_FIRST} is there for a writer found
 * to differ.
 */
public enum OperationOrder {
    /** The first entry is the most recent operation (the default). */
    NEWEST_FIRST,
    /** The first entry is the oldest operation. */
    OLDEST_FIRST
}
