package dev.jhtrace.spi;

import dev.jhtrace.model.HandleTable;

import java.nio.file.Path;
import java.util.List;

/**
 * A way to reach targets: gdb or perf on Linux, the Windows engine (ntdll and dbgeng) on Windows, the minidump
 * reader anywhere.
 * Implementations are found with {@link java.util.ServiceLoader}; see {@link Engines}.
 */
public interface Engine {

    /** Short name: {@code gdb}, {@code perf}, {@code windows}, {@code minidump}. */
    String name();

    /** Other names {@code --engine} accepts for this engine, e.g. a former name ({@code dbgeng} for {@code windows}). */
    default List<String> aliases() {
        return List.of();
    }

    /** Whether this engine can run here, and if not, why (and how to fix it). */
    Availability availability();

    /**
     * What {@code jhtrace doctor} shows of this engine's setup beyond {@link #availability()} (libraries found and
     * their versions, settings that limit it), one fact per line; empty when there is nothing more to say here.
     * Never throws: whatever is wrong becomes a line.
     */
    default List<String> diagnostics() {
        return List.of();
    }

    /** Attaches to a running process without stopping it for longer than it takes to attach. */
    default HandleSource attach(int pid, TraceOptions options) {
        throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the " + name() + " engine cannot attach to live processes");
    }

    /**
     * Traces every process of the machine ({@code --all}): a source with no table of its own whose
     * {@link HandleSource#children()} are the processes seen making descriptor calls, each diffed on its own.
     */
    default HandleSource attachAll(TraceOptions options) {
        throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the " + name() + " engine cannot trace every process (--all); the perf engine can");
    }

    /** Starts a command under this engine, traced from its first instruction. */
    default HandleSource launch(List<String> command, TraceOptions options) {
        throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the " + name() + " engine cannot launch processes");
    }

    /**
     * Starts a command as {@link #launch(List, TraceOptions)} does, with its standard output sent where
     * {@code output} says. Engines that cannot redirect say so rather than mix the program's output
     * into jhtrace's.
     */
    default HandleSource launch(List<String> command, TraceOptions options, TargetOutput output) {
        if (output == TargetOutput.INHERIT) return launch(command, options);
        throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the " + name()
                + " engine cannot send a launched program's output to stderr; write the report to a file with -o FILE");
    }

    /**
     * The handles a process has open now, read without attaching a debugger and without stopping it
     * (Linux: /proc; Windows: NtQueryInformationProcess).
     */
    default HandleTable handles(int pid) {
        throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the " + name() + " engine cannot list handles of live processes");
    }

    /** Opens a dump file. */
    default HandleSource open(Path dump) {
        throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the " + name() + " engine cannot open dump files");
    }

    /** The handle type names this engine's listings use ({@code File}, {@code Socket} …), for checking a filter; empty when open-ended. */
    default List<String> handleTypes() {
        return List.of();
    }

    /** Processes whose name matches, for attach by name. */
    default List<ProcessInfo> findProcesses(String name) {
        return List.of();
    }

    /**
     * The names {@link #findProcesses} accepts for the processes running now, sorted, for Tab completion of
     * {@code attach NAME}. The default offers each process's executable file name (what engines matching on the
     * image name accept); engines with other rules override it.
     */
    default java.util.SortedSet<String> processNames() {
        long self = ProcessHandle.current().pid();
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> p.info().command()
                .map(c -> c.substring(Math.max(c.lastIndexOf('/'), c.lastIndexOf('\\')) + 1))
                .filter(n -> !n.isEmpty()).ifPresent(names::add));
        return names;
    }

    /**
     * Whether an engine can run here.
     *
     * @param available true when usable
     * @param detail    version found, or why not and what to do
     */
    record Availability(boolean available, String detail) {
    }

    /**
     * A running process.
     *
     * @param pid     process id
     * @param name    process name
     * @param command full command line, when known
     */
    record ProcessInfo(int pid, String name, String command) {
    }
}
