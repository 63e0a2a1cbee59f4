package dev.jhtrace.perf;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.ProcessExit;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.proc.ProcFdReader;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.SymbolResolver;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A live Linux process traced by perf: descriptors from {@code /proc/PID/fd}, events and stacks from perf (its frames
 * come symbolized from perf's own unwinding, so the resolver has nothing left to do). {@link #close()} stops perf; the
 * process never noticed it.
 */
public final class PerfHandleSource implements HandleSource {
    /** How long Java may take to reap a launched command /proc already shows ended. */
    private static final long REAP_MILLIS = 5_000;
    private final PerfTracing tracing;
    private final Snapshot launchSnapshot;
    private final Process launched;
    private volatile TargetInfo target;
    private boolean closed;

    /** @param name the process's name, or null to read it from /proc */
    PerfHandleSource(PerfTracing tracing, int pid, String name, Snapshot launchSnapshot, Process launched) {
        this.tracing = tracing;
        this.launchSnapshot = launchSnapshot;
        this.launched = launched;
        this.target = new TargetInfo(pid, name != null ? name : new LinuxProcess(pid).name());
    }

    @Override
    public TargetInfo target() {
        // after an exec: /proc's name while it runs, the trace's once it has exited (an exec since the last look)
        String name = isAlive() ? new LinuxProcess(target.pid()).name() : tracing.targetExecName();
        if (name != null && !name.equals(target.name())) target = new TargetInfo(target.pid(), name);
        return target;
    }

    @Override
    public String engineName() {
        return PerfEngine.NAME;
    }

    /**
     * The /proc table; once the process has exited, the table the trace replays (what it held when tracing began, with
     * /proc's types, and what it opened since, typed by the call that made it).
     */
    @Override
    public HandleTable handles() {
        if (!isAlive()) return tracing.tableAtExit();
        return ProcFdReader.read(target.pid());
    }

    @Override
    public Optional<HandleTracing> tracing() {
        return Optional.of(tracing);
    }

    /** The tracing with its perf-specific type. */
    public PerfTracing perfTracing() {
        return tracing;
    }

    /** Its children and theirs, each with its own trace (perf follows forks; their tables are not the target's). */
    @Override
    public List<HandleSource> children() {
        return tracing.processSources();
    }

    /** Whether a process it forked (or they forked) still runs, traced: also those that made no descriptor call yet. */
    @Override
    public boolean childrenAlive() {
        return tracing.descendantsAlive();
    }

    @Override
    public Set<Long> standardHandles() {
        return LinuxProcess.STANDARD_DESCRIPTORS;
    }

    /** Children beyond {@link PerfTracing#MAX_PROCESSES} kept at once. */
    @Override
    public long untracedChildren() {
        return tracing.untracedProcesses();
    }

    /**
     * How many recvmsg messages carried their control data where no sample could read it (the heap), and what became
     * of the descriptors they may have carried: attributed to their receive by the lowest-free rule, or opened without
     * a stack when more than one receive could have made them (see {@link UnreadReceives}).
     */
    @Override
    public List<String> traceNotes() {
        long unread = tracing.unreadReceives();
        if (unread == 0) return List.of();
        long[] inferred = tracing.inferredReceives();
        return List.of(unread + " received message" + (unread == 1 ? "" : "s") + " held control data outside the stack perf copies (SCM_RIGHTS into the heap): "
                + inferred[0] + " descriptor" + (inferred[0] == 1 ? "" : "s") + " credited to " + (inferred[0] == 1 ? "its" : "their") + " receive by the lowest-free rule, "
                + inferred[1] + " that more than one receive could have made reported without a stack");
    }

    /** Frames arrive resolved by perf (module, function, offset). */
    @Override
    public SymbolResolver symbols() {
        return SymbolResolver.NONE;
    }

    @Override
    public Optional<Snapshot> launchSnapshot() {
        return Optional.ofNullable(launchSnapshot);
    }

    /** For a launch: the command's process (its streams are the command's). Empty after attach. */
    public Optional<Process> launchedProcess() {
        return Optional.ofNullable(launched);
    }

    /** A launched command's end: its status, or the signal that killed it. Empty while it runs, and after attach. */
    @Override
    public Optional<ProcessExit> exit() {
        if (launched == null || isAlive()) return Optional.empty();
        try {
            if (!launched.waitFor(REAP_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        int value = launched.exitValue();
        return Optional.of(value > 128 && value < 128 + 32 ? ProcessExit.killedBy(signalName(value - 128)) : ProcessExit.exited(value));
    }

    private static String signalName(int signal) {
        String[] names = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
                "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};
        return signal < names.length ? names[signal] : "signal " + signal;
    }

    @Override
    public boolean isAlive() {
        return new LinuxProcess(target.pid()).isAlive();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        tracing.disable();
    }
}
