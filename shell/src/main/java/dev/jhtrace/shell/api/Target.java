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
    private boolean detached;

    Target(HandleSource source, Consumer<Target> onClose, java.util.function.Supplier<Status> status) {
        this.source = source;
        this.htrace = new Htrace(new HtraceSession(source), status);
        this.onClose = onClose;
    }

    /** The engine's handle source (for what this API does not cover). */
    public HandleSource getSource() {
        return source;
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
