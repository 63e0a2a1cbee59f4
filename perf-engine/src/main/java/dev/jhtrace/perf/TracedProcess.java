package dev.jhtrace.perf;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.recorder.EventRecorder;
import dev.jhtrace.spi.TraceRetention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One process of a perf stream (the target, a forked child, or any process with {@code --all}): its events in a
 * recorder of its own, bounded, and its descriptors as the trace replays them (for when it has exited and /proc has no
 * table of it): what it held when tracing began (the target's, seeded from /proc) and what it opened since, typed by
 * the call that made it, named by /proc while it ran where a naming round reached it. Thread-safe.
 */
final class TracedProcess {
    private final int pid;
    private final Instant firstSeen;
    private final EventRecorder recorder;
    private final LongMap<OpenDescriptor> open = new LongMap<>(); // fd -> what holds it now, replayed
    private OpenDescriptor spare; // a closed descriptor's, for the next open: no object per event
    private volatile ReplayedTable seed; // its open numbers when tracing began (the target's), for the decoder's replay
    private volatile String name;
    private volatile boolean execed;

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

    /** It made an exec of {@code file} (its name from now on) while traced. */
    void exec(String file) {
        execed = true;
        name(file);
    }

    /** Whether it made an exec while traced (a launch's gate shell: it reached its command). */
    boolean execed() {
        return execed;
    }

    /** The file its last exec ran, or null when it made none while traced. */
    String execName() {
        return execed ? name : null;
    }

    /** When its first event was decoded (the target: when its tracing was made). */
    Instant firstSeen() {
        return firstSeen;
    }

    EventRecorder recorder() {
        return recorder;
    }

    /**
     * What it held when tracing began, with /proc's types and names (flags included in {@code table}); the start of
     * the replay. Seeded before the stream starts.
     */
    synchronized void seed(List<HandleEntry> entries, ReplayedTable table) {
        for (HandleEntry e : entries) open.put(e.handle(), new OpenDescriptor(e.type(), Long.MIN_VALUE, e.name()));
        seed = table;
    }

    /** A copy of its open numbers when tracing began, or null when it was not seeded (a process first seen in the stream). */
    ReplayedTable seededTable() {
        ReplayedTable s = seed;
        return s == null ? null : s.copy();
    }

    /** Records one of its events and returns the order it was kept under; orders stay strictly increasing (two events can share a nanosecond). */
    synchronized long add(EventKind kind, long monoNanos, long fd, int pid, int tid, long epochNanos, String type, boolean inferred) {
        OpenDescriptor was = open.remove(fd);
        if (kind == EventKind.OPEN) {
            if (was == null) {
                was = spare != null ? spare : new OpenDescriptor(null, 0, null);
                spare = null;
            }
            open.put(fd, was.set(type, monoNanos, null));
        } else if (was != null) {
            spare = was;
        }
        return recorder.add(Math.max(monoNanos, recorder.lastOrder() + 1), kind, fd, pid, tid, epochNanos, inferred);
    }

    /** Whether something it opened while traced is still open in the replay (a process that closed all has nothing outstanding). */
    synchronized boolean holdsOpened() {
        boolean[] any = {false};
        open.forEachValue(d -> any[0] |= d.order != Long.MIN_VALUE);
        return any[0];
    }

    /** Its descriptors as replayed, typed and named as far as the trace and /proc told (its table at its end, once exited). */
    synchronized HandleTable replayedTable() {
        List<HandleEntry> entries = new ArrayList<>();
        open.forEach((fd, d) -> entries.add(HandleEntry.of(fd, d.type, d.name)));
        return new HandleTable(pid, Instant.now(), entries);
    }

    /** Its open descriptors still without a name. */
    synchronized List<Long> unnamed() {
        List<Long> none = new ArrayList<>();
        open.forEach((fd, d) -> {
            if (d.name == null) none.add(fd);
        });
        return none;
    }

    /**
     * Names descriptors from /proc's links read after a sync that began at {@code syncedNanos}: only one whose open was
     * decoded before then, so a descriptor reopened since (its newer open replaces it when decoded) never keeps a name
     * read for another. One whose open the trace never saw (a copy) gets the type its name tells.
     */
    synchronized void nameFromProc(Map<Long, String> links, long syncedNanos) {
        links.forEach((fd, link) -> {
            OpenDescriptor d = open.get(fd);
            if (d != null && d.name == null && d.order <= syncedNanos) {
                open.put(fd, new OpenDescriptor(d.type != null ? d.type : dev.jhtrace.proc.FdTypes.ofLink(link), d.order, link));
            }
        });
    }

    /** Its open descriptors that have a name (for tests). */
    synchronized Map<Long, String> namedDescriptors() {
        Map<Long, String> named = new java.util.HashMap<>();
        open.forEach((fd, d) -> {
            if (d.name != null) named.put(fd, d.name);
        });
        return named;
    }

    /** One open descriptor as replayed: its type, its open's kernel time (MIN_VALUE: held when tracing began), its name once /proc gave it. */
    private static final class OpenDescriptor {
        private String type;
        private long order;
        private String name;

        OpenDescriptor(String type, long order, String name) {
            set(type, order, name);
        }

        OpenDescriptor set(String type, long order, String name) {
            this.type = type;
            this.order = order;
            this.name = name;
            return this;
        }
    }
}
