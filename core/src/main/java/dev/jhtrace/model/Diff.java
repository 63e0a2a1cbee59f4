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

    /** This diff without the given handles among its outstanding ones (the same diff when none of them is). */
    public Diff without(java.util.Set<Long> handles) {
        if (handles.isEmpty()) return this;
        List<OutstandingHandle> kept = new java.util.ArrayList<>(outstanding.size());
        for (OutstandingHandle h : outstanding) if (!handles.contains(h.handle())) kept.add(h);
        return kept.size() == outstanding.size() ? this : new Diff(target, since, time, kept, newEvents, lostEvents);
    }
}
