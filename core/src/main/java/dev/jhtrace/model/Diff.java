package dev.jhtrace.model;

import java.time.Instant;
import java.util.List;

/**
 * What {@code !htrace -diff} reports: the handles open now that were opened since a snapshot.
 *
 * @param target      the process
 * @param since       the snapshot compared against
 * @param time        when the diff was taken
 * @param outstanding the outstanding handles, in the order they were opened
 * @param newEvents   trace events captured since the snapshot (opens, closes and bad references)
 * @param lostEvents  events known lost from the trace, or null when unknown
 */
public record Diff(TargetInfo target, Snapshot since, Instant time, List<OutstandingHandle> outstanding,
                   int newEvents, Long lostEvents) {
    public Diff {
        outstanding = List.copyOf(outstanding);
    }

    public int size() {
        return outstanding.size();
    }
}
