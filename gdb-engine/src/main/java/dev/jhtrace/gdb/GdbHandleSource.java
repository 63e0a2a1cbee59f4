package dev.jhtrace.gdb;

import dev.jhtrace.gdb.trace.GdbSymbols;
import dev.jhtrace.gdb.trace.GdbTracing;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.LoadedModule;
import dev.jhtrace.model.ProcessExit;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.ThreadInfo;
import dev.jhtrace.proc.DescriptorsBeingClosed;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.proc.ProcFdReader;
import dev.jhtrace.proc.ProcessLayout;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;

import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * A live Linux process with gdb attached: descriptors from {@code /proc/PID/fd}, tracing and symbols
 * through gdb. {@link #close()} turns tracing off and detaches; the process keeps running with every
 * descriptor. When jhtrace dies without closing, gdb's watchdog detaches on its own.
 */
public final class GdbHandleSource implements HandleSource {
    private static final int COMM_LENGTH = 15; // /proc/PID/comm keeps this many characters of a name
    private final GdbProcess gdb;
    private volatile TargetInfo target;
    private final GdbSymbols symbols;
    private final GdbTracing tracing;
    private final Process launched;
    private volatile Snapshot launchSnapshot;
    private boolean closed;

    /** An attached process. */
    GdbHandleSource(GdbProcess gdb) {
        this(gdb, null, new LinuxProcess(gdb.pid()).name());
    }

    /** A launched command: its trampoline process and the command's name; {@link #markLaunch} gives it the snapshot before its first instruction. */
    GdbHandleSource(GdbProcess gdb, Process launched, String name) {
        this.gdb = gdb;
        this.launched = launched;
        this.target = new TargetInfo(gdb.pid(), name);
        this.symbols = new GdbSymbols(gdb);
        this.tracing = new GdbTracing(gdb);
    }

    @Override
    public TargetInfo target() {
        // a launched command may exec something else (a wrapper script): follow the name, unless it is only
        // the kernel's 15-character cut of the name already known
        if (launched != null && isAlive()) {
            String name = new LinuxProcess(target.pid()).name();
            boolean cut = name != null && name.length() == COMM_LENGTH && target.name().startsWith(name);
            if (name != null && !name.equals(target.name()) && !cut) target = new TargetInfo(target.pid(), name);
        }
        return target;
    }

    @Override
    public String engineName() {
        return GdbEngine.NAME;
    }

    @Override
    public HandleTable handles() {
        if (isAlive()) return ProcFdReader.read(target.pid());
        // exited: what it still held when it called exit_group, as the helper read it then
        return tracing.exitTable().map(rows -> ProcFdReader.fromExitRows(target.pid(), rows))
                .orElseThrow(() -> new JhtraceException(Failure.TARGET_NOT_FOUND, "process " + target.pid() + " has exited"));
    }

    /** Descriptors whose thread gdb holds at the entry of close, its event not yet drained (see {@link DescriptorsBeingClosed}). */
    @Override
    public Set<Long> releasesInFlight(Set<Long> handles) {
        return isAlive() ? DescriptorsBeingClosed.among(target.pid(), handles) : Set.of();
    }

    /** From {@code /proc/PID/task}, without stopping the process. */
    @Override
    public List<ThreadInfo> threads() {
        return ProcessLayout.threads(target.pid());
    }

    /** From {@code /proc/PID/maps}, without stopping the process. */
    @Override
    public List<LoadedModule> loadedModules() {
        return ProcessLayout.modules(target.pid());
    }

    /** The launch protocol's mark: what the command inherited, before its first instruction. */
    void markLaunch(Snapshot launch) {
        this.launchSnapshot = launch;
    }

    @Override
    public Optional<Snapshot> launchSnapshot() {
        return Optional.ofNullable(launchSnapshot);
    }

    @Override
    public Optional<HandleTracing> tracing() {
        return Optional.of(tracing);
    }

    GdbProcess gdb() {
        return gdb;
    }

    /** The tracing with its gdb-specific type. */
    public GdbTracing gdbTracing() {
        return tracing;
    }

    @Override
    public SymbolResolver symbols() {
        return symbols;
    }

    @Override
    public boolean isAlive() {
        return !gdb.targetExited();
    }

    @Override
    public Optional<ProcessExit> exit() {
        if (gdb.exit().isPresent() || launched == null || isAlive()) return gdb.exit();
        try {
            // gone by /proc, but Java may not have reaped it yet: its status is a moment away
            if (!launched.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) return gdb.exit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return gdb.exit();
        }
        // a launched command jhtrace started: its status is ours to read even when gdb missed the end
        int status = launched.exitValue();
        return Optional.of(status > 128 && status < 128 + 32 ? ProcessExit.killedBy(SignalNames.name(status - 128)) : ProcessExit.exited(status));
    }

    @Override
    public Set<Long> standardHandles() {
        return LinuxProcess.STANDARD_DESCRIPTORS;
    }

    @Override
    public long untracedChildren() {
        return tracing.untracedChildren();
    }

    @Override
    public Optional<String> engineFailure() {
        return gdb.failure();
    }

    /** For {@link GdbEngine#launch}: the started process (its stdin/stdout when redirected to pipes); empty after attach. */
    public Optional<Process> launchedProcess() {
        return Optional.ofNullable(launched);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            tracing.shutdown();
        } finally {
            gdb.close(); // detach (removes the catchpoint) and end gdb
        }
    }
}
