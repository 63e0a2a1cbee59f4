package dev.jhtrace.model;

import java.time.Instant;

/**
 * What {@code !htrace -snapshot} records: a point in the trace, and when the engine can give it,
 * the handle table at that moment so that a later diff is anchored on real tables.
 *
 * @param name      a label ("snapshot 1", or the user's)
 * @param time      when it was taken
 * @param traceMark order of the newest trace event at that moment ({@link #BEFORE_FIRST_EVENT} when there was none)
 * @param table     the handle table then, or null when the source has no table (imported traces)
 */
public record Snapshot(String name, Instant time, long traceMark, HandleTable table) {
    /** The trace mark of a snapshot taken before the first event (below every event's order). */
    public static final long BEFORE_FIRST_EVENT = -1;

    /** The snapshot of a command launched under tracing, taken before its first instruction. */
    public static Snapshot atLaunch(HandleTable inherited) {
        return new Snapshot("launch", inherited.time(), BEFORE_FIRST_EVENT, inherited);
    }
}
