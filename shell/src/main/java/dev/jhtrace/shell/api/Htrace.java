package dev.jhtrace.shell.api;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Handle tracing on one target, the {@code !htrace} extension as an object:
 * <pre>
 * p.htrace.enable()                 // !htrace -enable
 * def s = p.htrace.snapshot()       // !htrace -snapshot
 * def leaks = p.htrace.diff(s)      // !htrace -diff
 * p.htrace.disable()                // !htrace -disable
 * </pre>
 * Snapshots are kept by name so that the REPL's {@code diff NAME} and scripts see the same ones.
 */
public final class Htrace {
    private final HtraceSession session;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private int stackDepth = TraceOptions.DEFAULT.stackDepth();
    private int unnamed;

    private final java.util.function.Supplier<Status> status;

    Htrace(HtraceSession session, java.util.function.Supplier<Status> status) {
        this.session = session;
        this.status = status;
    }

    /** The core session this wraps. */
    public HtraceSession getSession() {
        return session;
    }

    /** True while tracing is on. */
    public boolean isEnabled() {
        return session.source().tracing().map(t -> t.isEnabled()).orElse(false);
    }

    /** Frames recorded per event from the next {@link #enable()} on (default 16). */
    public void setStackDepth(int frames) {
        new TraceOptions(frames, 0); // validates
        this.stackDepth = frames;
    }

    public int getStackDepth() {
        return stackDepth;
    }

    /** {@code !htrace -enable}: turns tracing on (adopting a trace already running) and takes a first snapshot named {@code enable}. */
    public Snapshot enable() {
        return enable(0);
    }

    /** {@code !htrace -enable Max_Traces}: as {@link #enable()}, with the ring size for engines that have one (Windows). */
    public Snapshot enable(int maxTraces) {
        Snapshot s = session.enable(new TraceOptions(stackDepth, maxTraces));
        remember(s);
        return s;
    }

    /** {@code !htrace -disable}: turns tracing off; what was captured stays readable. */
    public void disable() {
        session.disable();
    }

    /** {@code !htrace -snapshot}: remembers the handle table and trace position now, named {@code s1}, {@code s2} .... */
    public Snapshot snapshot() {
        return snapshot(null);
    }

    /** A snapshot with a name (a name used before now means this new snapshot). Enables tracing first if it is off. */
    public Snapshot snapshot(String name) {
        if (!isEnabled()) session.tracing().enable(new TraceOptions(stackDepth, 0));
        Snapshot s = session.snapshot(name == null ? "s" + (++unnamed) : name);
        remember(s);
        return s;
    }

    /** The snapshots so far, oldest first (including those loaded from a saved session). */
    public List<Snapshot> getSnapshots() {
        return List.copyOf(snapshots);
    }

    /** The newest snapshot with this name, or a BAD_INPUT error naming the ones there are. */
    public Snapshot named(String name) {
        for (int i = snapshots.size() - 1; i >= 0; i--) if (snapshots.get(i).name().equals(name)) return snapshots.get(i);
        throw new JhtraceException(Failure.BAD_INPUT, "no snapshot named '" + name + "'"
                + (snapshots.isEmpty() ? ": take one with snapshot" : "; there are: " + String.join(", ", snapshots.stream().map(Snapshot::name).toList())));
    }

    /** The newest snapshot, or a BAD_INPUT error when there is none. */
    public Snapshot last() {
        if (snapshots.isEmpty()) throw new JhtraceException(Failure.BAD_INPUT, "no snapshot yet: enable tracing or take a snapshot first");
        return snapshots.get(snapshots.size() - 1);
    }

    /** {@code !htrace -diff}: what was opened since the newest snapshot and is still open. */
    public Leaks diff() {
        return diff(last());
    }

    /** What was opened since the snapshot with this name and is still open. */
    public Leaks diff(String name) {
        return diff(named(name));
    }

    /** What was opened since {@code since} and is still open. */
    public Leaks diff(Snapshot since) {
        try (Status.Shown shown = status.get().show("diffing against '" + since.name() + "' and resolving symbols")) {
            return new Leaks(session.diff(since), session.source().engineName());
        }
    }

    /** Every event captured so far, oldest first. */
    public TraceLog log() {
        return session.tracing().log();
    }

    /** {@code !htrace Handle}: the events of one handle value, newest first, as {@code !htrace} lists them. */
    public List<TraceEvent> events(long handle) {
        List<TraceEvent> found = new ArrayList<>();
        for (TraceEvent e : log().events()) if (e.handle() == handle) found.add(e);
        java.util.Collections.reverse(found);
        return found;
    }

    /** Number of OPEN events captured. */
    public long opens() {
        return log().events().stream().filter(e -> e.kind() == EventKind.OPEN).count();
    }

    /** Adds a snapshot taken elsewhere (a loaded session). */
    void remember(Snapshot s) {
        snapshots.add(s);
    }

    @Override
    public String toString() {
        return "htrace " + (isEnabled() ? "enabled" : "disabled") + ", " + snapshots.size() + " snapshot" + (snapshots.size() == 1 ? "" : "s");
    }
}
