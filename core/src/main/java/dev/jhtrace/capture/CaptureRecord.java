package dev.jhtrace.capture;

import dev.jhtrace.model.HandleEntry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One interval of a capture: the handle table (counts by type, and entries up to a cap) and the stacks
 * holding handles opened since tracing began and still open (up to a cap), with what was dropped.
 *
 * @param seq             record number within the capture, from 1, increasing across segments
 * @param segment         the segment (process) it belongs to
 * @param pid             the process
 * @param time            when the table was read
 * @param total           handles open
 * @param types           handles open per type, heaviest first (always complete)
 * @param entries         the handles, by value, at most the header's {@code maxEntries}
 * @param entriesDropped  handles not written because of the cap
 * @param outstanding     handles opened since tracing began and still open (0 for counts-only captures)
 * @param opened          of those, how many were opened since the previous record
 * @param newEvents       trace events since the previous record
 * @param lostEvents      trace events the engine reports lost so far, or null when it cannot tell
 * @param droppedEvents   trace events already recorded that jhtrace discarded to bound its memory, so far
 * @param groups          outstanding handles by opening stack, heaviest first, at most the header's {@code maxGroups}
 * @param groupsDropped   stack groups not written because of the cap
 * @param trigger         why a report was written at this record, or null
 * @param notes           what the engine could not see as it usually does, so far, one line each
 *                        ({@code HandleSource.traceNotes}: perf's descriptors received into the heap); empty when nothing
 */
public record CaptureRecord(long seq, int segment, int pid, Instant time, int total, Map<String, Integer> types,
                            List<HandleEntry> entries, int entriesDropped, int outstanding, int opened, int newEvents,
                            Long lostEvents, long droppedEvents, List<StackGroup> groups, int groupsDropped, String trigger,
                            List<String> notes) {
    public CaptureRecord {
        types = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(types));
        entries = List.copyOf(entries);
        groups = List.copyOf(groups);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A record without notes. */
    public CaptureRecord(long seq, int segment, int pid, Instant time, int total, Map<String, Integer> types,
                         List<HandleEntry> entries, int entriesDropped, int outstanding, int opened, int newEvents,
                         Long lostEvents, long droppedEvents, List<StackGroup> groups, int groupsDropped, String trigger) {
        this(seq, segment, pid, time, total, types, entries, entriesDropped, outstanding, opened, newEvents, lostEvents, droppedEvents,
                groups, groupsDropped, trigger, List.of());
    }

    /** This record with a trigger noted. */
    public CaptureRecord withTrigger(String why) {
        return new CaptureRecord(seq, segment, pid, time, total, types, entries, entriesDropped, outstanding, opened, newEvents,
                lostEvents, droppedEvents, groups, groupsDropped, why, notes);
    }

    /** This record with other entries (none, to keep it small), all else kept. */
    public CaptureRecord withEntries(List<HandleEntry> entries) {
        return new CaptureRecord(seq, segment, pid, time, total, types, entries, entriesDropped, outstanding, opened, newEvents,
                lostEvents, droppedEvents, groups, groupsDropped, trigger, notes);
    }

    /** This record with other groups (their stacks interned, say), all else kept. */
    public CaptureRecord withGroups(List<StackGroup> groups) {
        return new CaptureRecord(seq, segment, pid, time, total, types, entries, entriesDropped, outstanding, opened, newEvents,
                lostEvents, droppedEvents, groups, groupsDropped, trigger, notes);
    }
}
