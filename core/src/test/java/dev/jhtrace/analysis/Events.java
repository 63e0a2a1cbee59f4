package dev.jhtrace.analysis;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;

import java.util.ArrayList;
import java.util.List;

/** Builds trace logs for tests, one event at a time, in order. */
final class Events {
    private final StackTable stacks = new StackTable();
    private final List<TraceEvent> events = new ArrayList<>();

    StackTrace stack(String... symbols) {
        List<StackFrame> frames = new ArrayList<>();
        long address = 0x1000;
        for (String s : symbols) {
            String[] parts = s.split("!");
            frames.add(new StackFrame(address += 0x10, parts[0], parts.length > 1 ? parts[1] : null, 0x10L, null, null));
        }
        return stacks.intern(new StackTrace(frames));
    }

    Events open(long handle, StackTrace stack) {
        return add(EventKind.OPEN, handle, 7, stack);
    }

    Events open(long handle, int tid, StackTrace stack) {
        return add(EventKind.OPEN, handle, tid, stack);
    }

    /** An OPEN of the object {@code objectId} (an inode). */
    Events openObject(long handle, int tid, long objectId, StackTrace stack) {
        events.add(new TraceEvent(events.size(), EventKind.OPEN, handle, 100, tid, 1_000_000_000L * (events.size() + 1), stack, objectId));
        return this;
    }

    Events close(long handle) {
        return add(EventKind.CLOSE, handle, 7, StackTrace.EMPTY);
    }

    Events add(EventKind kind, long handle, int tid, StackTrace stack) {
        events.add(new TraceEvent(events.size(), kind, handle, 100, tid, 1_000_000_000L * (events.size() + 1), stack));
        return this;
    }

    long lastOrder() {
        return events.size() - 1;
    }

    List<TraceEvent> list() {
        return List.copyOf(events);
    }
}
