package dev.jhtrace.shell.api;

import dev.jhtrace.model.Snapshot;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.HandleSource;

import java.util.function.Consumer;

/**
 * A process (or dump, or saved session) jhtrace is attached to. {@link #detach()} leaves a live
 * process running with all its handles; it never kills it.
 * <pre>
 * def p = attach(name: 'demo-server')
 * println p.handles().countsByType()
 * p.htrace.enable()
 * p.detach()
 * </pre>
 */
public final class Target implements AutoCloseable {
    private final HandleSource source;
    private final Htrace htrace;
    private final Consumer<Target> onClose;
    private final java.util.function.Supplier<Status> status;
    private final Target parent;
    /** The children seen so far, by pid: each keeps its own snapshots across calls. */
    private final java.util.Map<Integer, Target> children = new java.util.LinkedHashMap<>();
    private boolean detached;

    Target(HandleSource source, Consumer<Target> onClose, java.util.function.Supplier<Status> status) {
        this(source, onClose, status, null);
    }

    private Target(HandleSource source, Consumer<Target> onClose, java.util.function.Supplier<Status> status, Target parent) {
        this.source = source;
        this.htrace = new Htrace(new HtraceSession(source), status);
        this.onClose = onClose;
        this.status = status;
        this.parent = parent;
    }

    /**
     * The processes traced through this target, each a target of its own: the forked children of a launched or
     * attached process (perf engine), or, for {@link Jhtrace#attachAll()}, every process seen holding descriptors it
     * opened while traced. A child's {@code htrace.enable()} returns its first traced event as the snapshot, and its
     * {@code htrace.diff()} what it opened since and still holds (or held when it ended). Its tracer is this target's:
     * detaching a child changes nothing. Empty for engines that do not follow children (gdb).
     * <pre>
     * def all = attachAll()
     * all.htrace.enable()
     * sleep 5000
     * all.children.each { p -> p.htrace.enable(); println "$p: ${p.htrace.diff().size()} outstanding" }
     * </pre>
     */
    public java.util.List<Target> getChildren() {
        synchronized (children) {
            for (HandleSource c : source.children()) {
                children.computeIfAbsent(c.target().pid(), pid -> new Target(c, closed -> { }, status, this));
            }
            return java.util.List.copyOf(children.values());
        }
    }

    /** The target this one was found through ({@link #getChildren()}), or null. */
    public Target getParent() {
        return parent;
    }

    /** The engine's handle source (for what this API does not cover). */
    public HandleSource getSource() {
        return source;
    }

    /**
     * What a report of this target cannot show by itself about how its trace was made, one sentence each; empty when
     * there is nothing to say. With perf: how many received messages held their control data where perf's stack copy
     * does not reach (SCM_RIGHTS into the heap), and what became of the descriptors they carried.
     */
    public java.util.List<String> getTraceNotes() {
        return source.traceNotes();
    }

    /** Process id (0 when unknown, e.g. some dumps). */
    public int getPid() {
        return source.target().pid();
    }

    /** Process name, or null when unknown. */
    public String getName() {
        return source.target().name();
    }

    /** The engine: {@code gdb}, {@code dbgeng}, {@code minidump}, {@code saved} ... */
    public String getEngine() {
        return source.engineName();
    }

    /** False once a live process has exited (always true for a dump or a saved session). */
    public boolean isAlive() {
        return !detached && source.isAlive();
    }

    /** True after {@link #detach()}. */
    public boolean isDetached() {
        return detached;
    }

    /** The handles open now (for a dump: when it was written; for a saved session: at its last snapshot). */
    public Handles handles() {
        return new Handles(source.handles());
    }

    /**
     * The handles as a listing: counts by type and the handles. For an imported WinDbg log the counts are
     * the ones its {@code !handle 0 0} printed, even when only a few handles were listed.
     */
    public HandleListing listing() {
        if (source instanceof WindbgLogSource w) return w.log().handleListing();
        return HandleListing.of(handles().getTable());
    }

    /** Handle tracing: enable, snapshot, diff, disable. */
    public Htrace getHtrace() {
        return htrace;
    }

    /** Shortcut for {@code htrace.snapshot()}. */
    public Snapshot snapshot() {
        return htrace.snapshot();
    }

    /** Detaches (live) or closes the file (dump). The process keeps running. Idempotent. */
    public void detach() {
        if (detached) return;
        detached = true;
        synchronized (children) {
            for (Target c : children.values()) c.detached = true; // their tracer goes with this one
        }
        try {
            source.close(); // the engine continues a target its debugger left stopped
        } finally {
            onClose.accept(this);
        }
    }

    /** Same as {@link #detach()}, for try-with-resources. */
    @Override
    public void close() {
        detach();
    }

    @Override
    public String toString() {
        String n = getName() == null ? "" : getName() + " ";
        String state = detached ? ", detached" : source instanceof WindbgLogSource ? "" : isAlive() ? "" : ", exited";
        return n + "(pid " + getPid() + ", " + getEngine() + state + ")";
    }
}
