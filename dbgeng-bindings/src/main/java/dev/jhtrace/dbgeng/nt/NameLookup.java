package dev.jhtrace.dbgeng.nt;

/**
 * The outcome of asking an object's name.
 *
 * @param name    the name ({@code ""} for an unnamed object), or null when it could not be read
 * @param problem why there is no name ({@code timed out}, an NTSTATUS ...), or null
 */
public record NameLookup(String name, String problem) {
    /** The text reported for a query that was abandoned. */
    public static final String TIMED_OUT = "timed out";

    public static NameLookup of(String name) {
        return new NameLookup(name, null);
    }

    public static NameLookup failed(String problem) {
        return new NameLookup(null, problem);
    }

    /** {@code name unavailable (timed out)} and the like, for listings. */
    public String describeProblem() {
        return problem == null ? null : "name unavailable (" + problem + ")";
    }
}
