package dev.jhtrace.model;

import java.util.List;

/**
 * Trace events in capture order, oldest first.
 *
 * @param events     the events, oldest first
 * @param wrapped    true when a ring buffer wrapped and older events were lost
 * @param lostEvents how many events are known lost, or null when the source cannot tell
 */
public record TraceLog(List<TraceEvent> events, boolean wrapped, Long lostEvents) {

    public static final TraceLog EMPTY = new TraceLog(List.of(), false, 0L);

    public TraceLog {
        events = List.copyOf(events);
    }

    /** A complete log: nothing lost. */
    public static TraceLog of(List<TraceEvent> events) {
        return new TraceLog(events, false, 0L);
    }

    public int size() {
        return events.size();
    }

    /** The events whose {@link TraceEvent#order()} is greater than {@code order}. */
    public List<TraceEvent> after(long order) {
        int lo = 0, hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).order() <= order) lo = mid + 1; else hi = mid;
        }
        return events.subList(lo, events.size());
    }

    /** The order of the newest event, or -1 for an empty log. */
    public long lastOrder() {
        return events.isEmpty() ? Snapshot.BEFORE_FIRST_EVENT : events.get(events.size() - 1).order();
    }
}
