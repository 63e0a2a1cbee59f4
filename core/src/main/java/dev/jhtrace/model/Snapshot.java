package dev.jhtrace.model;

import java.time.Instant;

/**
 * What {@code !htrace -snapshot} records: a point in the trace, and when the engine can give it,
 * the handle table at that moment so that a later diff is anchored on real tables.
 *
 * @param name      a label ("snapshot 1", or the user's)
 * @param time      when it was taken
 * @param traceMark order of the newest trace event at that moment (-1 when there was none)
 * @param table     the handle table then, or null when the source has no table (imported traces)
 */
public record Snapshot(String name, Instant time, long traceMark, HandleTable table) {
}
