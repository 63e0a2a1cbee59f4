package dev.jhtrace.spi;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.ProcessExit;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TargetInfo;

import java.util.Optional;

/**
 * A live process or a dump that jhtrace reads handles from. Every engine (gdb on Linux, dbgeng on
 * Windows, the minidump reader) offers this one interface, so everything above it is written once.
 * Closing detaches and leaves a live target running with all of its handles.
 */
public interface HandleSource extends AutoCloseable {

    /** The process. */
    TargetInfo target();

    /** The engine's name: {@code gdb}, {@code dbgeng}, {@code minidump}, {@code windbg-log} ... */
    String engineName();

    /** The handles open now (for a dump: when it was written). */
    HandleTable handles();

    /** Handle tracing, when the source has it (a dump has none). */
    Optional<HandleTracing> tracing();

    /** Symbol resolution for this target's addresses. */
    SymbolResolver symbols();

    /**
     * For a command launched under tracing: the moment before its first instruction, as a snapshot (the
     * handles it inherited, and a trace mark before the first event). A diff from it misses nothing the
     * program opened while jhtrace was still getting ready. Empty for an attached process or a dump.
     */
    default Optional<Snapshot> launchSnapshot() {
        return Optional.empty();
    }

    /** False once a live target has exited; always true for a dump. */
    boolean isAlive();

    /** How a live target ended (exit status or signal), once it has and the engine saw it; empty otherwise. */
    default Optional<ProcessExit> exit() {
        return Optional.empty();
    }

    /** How many child processes the target created that the engine did not trace (their handles are in no report). */
    default long untracedChildren() {
        return 0;
    }

    /**
     * Why the engine stopped working while the target may still run (e.g. "gdb died: killed by SIGKILL"), or
     * empty while it works. What the source reports after that would look complete and not be: callers fail.
     */
    default Optional<String> engineFailure() {
        return Optional.empty();
    }

    /** Detaches (live) or closes the file (dump). Never kills or leaves the target stopped. Idempotent. */
    @Override
    void close();
}
