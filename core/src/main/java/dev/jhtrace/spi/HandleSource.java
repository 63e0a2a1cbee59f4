package dev.jhtrace.spi;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.ProcessExit;
import dev.jhtrace.model.LoadedModule;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.ThreadInfo;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A live process or a dump that jhtrace reads handles from. Every engine (gdb and perf on Linux, windows
 * on Windows, the minidump reader) offers this one interface, so everything above it is written once.
 * Closing detaches and leaves a live target running with all of its handles.
 */
public interface HandleSource extends AutoCloseable {

    /** The process. */
    TargetInfo target();

    /** The engine's name: {@code gdb}, {@code perf}, {@code windows}, {@code minidump}, {@code windbg-log} ... */
    String engineName();

    /** The handles open now (for a dump: when it was written). */
    HandleTable handles();

    /**
     * The handle table a diff goes by, or empty when the trace alone decides what is still open: a record of a trace
     * (an imported log, a saved session of a process that had exited). Live sources and dumps: {@link #handles()}.
     */
    default Optional<HandleTable> tableForDiff() {
        return Optional.of(handles());
    }

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

    /**
     * Which of {@code handles} a thread of the target is releasing right now, before the trace shows it: under a
     * tracer that holds each thread at the entry of its calls (gdb), a descriptor being closed is still in the table
     * until the tracer's turn for that thread comes, which on a loaded machine can take seconds. A diff does not
     * report those as outstanding. Engines that cannot tell return none.
     */
    default Set<Long> releasesInFlight(Set<Long> handles) {
        return Set.of();
    }

    /**
     * The processes the target created (forked children and theirs) that the engine traced each on its own, or, for a
     * system-wide source ({@link Engine#attachAll}), every process it saw: one source per process, whose trace holds that
     * process's events only and whose diff from its {@link #launchSnapshot()} reports what it opened while traced and
     * still holds (or held when it ended). Empty for engines that do not follow children ({@link #untracedChildren()}
     * counts those).
     */
    default List<HandleSource> children() {
        return List.of();
    }

    /**
     * Whether a process the engine follows besides the target (one of {@link #children()}, or a descendant that has not
     * made a handle call yet) still runs: its tracing goes on after the target has exited, as {@code strace -f}'s does.
     * False for engines that follow no children.
     */
    default boolean childrenAlive() {
        return children().stream().anyMatch(HandleSource::isAlive);
    }

    /**
     * The handles a process has by convention (Linux's standard descriptors 0, 1 and 2), which a diff never reports
     * outstanding, as valgrind's {@code --track-fds=yes} does not: whatever reopened one (a shell's redirection dup2s a
     * pipe onto it before the exec, a daemon reopens its log onto stdout) replaced one standard handle, never added one.
     * Empty where the engine's handles have no such convention.
     */
    default Set<Long> standardHandles() {
        return Set.of();
    }

    /** How many child processes the target created that the engine did not trace (their handles are in no report). */
    default long untracedChildren() {
        return 0;
    }

    /**
     * What the report cannot show by itself about how the trace was made, one line each (e.g. descriptors the engine
     * could only infer); empty when there is nothing to say. Commands print them beside the report.
     */
    default List<String> traceNotes() {
        return List.of();
    }

    /**
     * Why the engine stopped working while the target may still run (e.g. "gdb died: killed by SIGKILL"), or
     * empty while it works. What the source reports after that would look complete and not be: callers fail.
     */
    default Optional<String> engineFailure() {
        return Optional.empty();
    }

    /** True for a running process (also after it exited); false for a dump, a log or a saved session, which never run. */
    default boolean isLive() {
        return true;
    }

    /**
     * The threads of the process now (WinDbg {@code ~}), by id.
     *
     * @throws JhtraceException ENGINE_UNAVAILABLE when the engine cannot list them (yet)
     */
    default List<ThreadInfo> threads() {
        throw notSupported("listing threads (~)");
    }

    /**
     * The modules loaded in the process now (WinDbg {@code lm}), by base address.
     *
     * @throws JhtraceException ENGINE_UNAVAILABLE when the engine cannot list them (yet)
     */
    default List<LoadedModule> loadedModules() {
        throw notSupported("listing modules (lm)");
    }

    /**
     * The call stack of one thread now (WinDbg {@code k}), innermost frame first.
     *
     * @param tid a thread id from {@link #threads()}
     * @throws JhtraceException ENGINE_UNAVAILABLE when the engine cannot read a running thread's stack (yet)
     */
    default StackTrace stack(int tid) {
        throw notSupported("reading a thread's stack (k)");
    }

    /** The error for a WinDbg habit this source's engine does not offer. */
    private JhtraceException notSupported(String what) {
        return new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the " + engineName() + " engine does not support " + what + " yet");
    }

    /** Detaches (live) or closes the file (dump). Never kills or leaves the target stopped. Idempotent. */
    @Override
    void close();
}
