package dev.jhtrace.perf;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.recorder.EventRecorder;
import dev.jhtrace.spi.TraceRetention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One process of a perf stream other than the target (a forked child, or any process with {@code --all}): its events
 * in a recorder of its own, bounded as the target's is, and its descriptors as the trace replays them (for when it has
 * exited and /proc has no table of it). Thread-safe.
 */
final class TracedProcess {
    private final int pid;
    private final Instant firstSeen;
    private final EventRecorder recorder;
    private final Map<Long, String> openTypes = new HashMap<>(); // what it opened while traced and has not closed
    private volatile String name;

    TracedProcess(int pid, String name, Instant firstSeen, TraceRetention retention) {
        this.pid = pid;
        this.name = name;
        this.firstSeen = firstSeen;
        this.recorder = new EventRecorder(retention);
    }

    int pid() {
        return pid;
    }

    /** Its name as last seen: the fork's child name, the file its exec ran, or /proc's comm. */
    String name() {
        return name;
    }

    void name(String name) {
        if (name != null && !name.isEmpty()) this.name = name;
    }

    /** When its first event was decoded. */
    Instant firstSeen() {
        return firstSeen;
    }

    EventRecorder recorder() {
        return recorder;
    }

    /** Records one of its events and returns the order it was kept under; orders stay strictly increasing (two events can share a nanosecond). */
    synchronized long add(EventKind kind, long monoNanos, long fd, int pid, int tid, long epochNanos, String type) {
        if (kind == EventKind.OPEN) openTypes.put(fd, type);
        else openTypes.remove(fd);
        return recorder.add(Math.max(monoNanos, recorder.lastOrder() + 1), kind, fd, pid, tid, epochNanos);
    }

    /** Whether something it opened while traced is still open in the replay (a process that closed all has nothing outstanding). */
    synchronized boolean holdsOpened() {
        return !openTypes.isEmpty();
    }

    /** What it opened while traced and had not closed, typed by the call that made it (its table at its end, once exited). */
    synchronized HandleTable replayedTable() {
        List<HandleEntry> entries = new ArrayList<>();
        openTypes.forEach((fd, type) -> entries.add(HandleEntry.of(fd, type, null)));
        return new HandleTable(pid, Instant.now(), entries);
    }
}
