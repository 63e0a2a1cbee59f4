package dev.jhtrace.perf;

import dev.jhtrace.gdb.LinuxProcess;
import dev.jhtrace.gdb.proc.ProcFdReader;
import dev.jhtrace.gdb.proc.ProcessFinder;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TargetOutput;
import dev.jhtrace.spi.TraceOptions;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The Linux engine that never stops the target: descriptor syscalls recorded from the kernel's tracepoints by
 * {@code perf}, with DWARF-unwound user stacks, no ptrace. Needs root or CAP_PERFMON.
 *
 * <p>Attach: perf records the process's threads, also those created later, and its children (whose events are decoded
 * but kept out of the target's diff: their tables are others). Launch: the command is perf's workload, recorded from
 * its exec. See {@link PerfTracing} for the stream and {@link PerfDecoder} for what the tracepoints cannot show.
 */
public final class PerfEngine implements Engine {
    /** The engine's name. */
    public static final String NAME = "perf";
    /** What perf's workload process is called until its exec. */
    static final String PERF_WORKLOAD_NAME = "perf-exec";

    /** Whether {@code name} is perf's workload before its exec: perf-exec, or perf's own name right after the fork. */
    static boolean isWorkloadBeforeExec(String name) {
        return name.equals(PERF_WORKLOAD_NAME) || name.equals("perf");
    }
    private final PerfInstallation installation;
    private Availability availability; // checked once per engine instance

    /** The engine with perf and setpriv from the PATH. */
    public PerfEngine() {
        this(PerfInstallation.fromPath());
    }

    PerfEngine(PerfInstallation installation) {
        this.installation = installation;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized Availability availability() {
        if (availability == null) availability = installation.check();
        return availability;
    }

    private void requireAvailable() {
        String permission = PerfInstallation.missingPermission();
        if (permission != null) throw new JhtraceException(Failure.PERMISSION_DENIED, "perf engine " + permission);
        Availability a = availability();
        if (!a.available()) throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "perf engine unavailable: " + a.detail());
    }

    /** Attaches perf to a running process; tracing is off until {@code tracing().enable(...)}. */
    @Override
    public PerfHandleSource attach(int pid, TraceOptions options) {
        LinuxProcess target = new LinuxProcess(pid);
        if (pid <= 0) throw new JhtraceException(Failure.BAD_INPUT, "not a process id: " + pid);
        if (pid == ProcessHandle.current().pid()) throw new JhtraceException(Failure.BAD_INPUT, "jhtrace cannot trace itself (pid " + pid + ")");
        if (!target.isAlive()) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no process with pid " + pid);
        requireAvailable();
        return new PerfHandleSource(new PerfTracing(installation, pid), pid, null, null, null);
    }

    /** Traces every process of the machine ({@code perf record -a}); tracing is off until {@code tracing().enable(...)}. */
    @Override
    public HandleSource attachAll(TraceOptions options) {
        requireAvailable();
        return new PerfSystemSource(new PerfTracing(installation, PerfTracing.SYSTEM_WIDE));
    }

    /** Launches {@code command} with jhtrace's own stdin and stdout (its stderr goes there too), traced from its exec. */
    @Override
    public PerfHandleSource launch(List<String> command, TraceOptions options) {
        return launch(command, options, TargetOutput.INHERIT);
    }

    /**
     * Launches {@code command} traced from its exec, its output where {@code output} says. perf in pipe mode gives its
     * workload perf's own stderr as stdout and stderr, so the program's two streams always go to one place: jhtrace's
     * stdout for INHERIT (its stderr where stdout cannot be reopened, a socket), jhtrace's stderr for STDERR.
     */
    @Override
    public PerfHandleSource launch(List<String> command, TraceOptions options, TargetOutput output) {
        ProcessBuilder.Redirect out = output == TargetOutput.STDERR ? ProcessBuilder.Redirect.INHERIT : jhtraceStdout();
        return launch(new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).redirectOutput(out), options);
    }

    /** jhtrace's stdout, reopened for perf's stderr; inherited stderr when it cannot be reopened. */
    private static ProcessBuilder.Redirect jhtraceStdout() {
        File stdout = new File("/dev/stdout");
        try (FileOutputStream probe = new FileOutputStream(stdout, true)) {
            return ProcessBuilder.Redirect.appendTo(stdout);
        } catch (IOException e) {
            return ProcessBuilder.Redirect.INHERIT;
        }
    }

    /**
     * Launches the command of {@code builder} (its input redirect, output redirect — stdout and stderr both go there —
     * and directory apply) with tracing enabled from its exec.
     */
    public PerfHandleSource launch(ProcessBuilder builder, TraceOptions options) {
        List<String> command = builder.command();
        if (command.isEmpty()) throw new JhtraceException(Failure.BAD_INPUT, "no command to launch");
        // the table before the exit is taken at the exit's first close, with the target held there: perf holds nothing
        if (options.exitTable() == dev.jhtrace.spi.ExitTable.BEFORE_EXIT) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the perf engine cannot take the table before the exit (--before-exit): use --engine gdb");
        }
        requireAvailable();
        dev.jhtrace.gdb.GdbEngine.checkRunnable(command.get(0), builder.directory());
        PerfTracing tracing = new PerfTracing(installation, 0);
        int pid = tracing.launch(command, builder, options);
        // perf enables its events at the exec, before the first instruction: nothing the command opens is missed, and
        // what it inherited has no event after the mark
        Snapshot atLaunch = new Snapshot("launch", Instant.now(), Snapshot.BEFORE_FIRST_EVENT, null);
        if (!reachesExec(pid, tracing)) {
            tracing.shutdown();
            throw new JhtraceException(Failure.BAD_INPUT, "cannot launch " + command.get(0) + ": the kernel refused to execute it");
        }
        Path file = Path.of(command.get(0)).getFileName();
        return new PerfHandleSource(tracing, pid, file == null ? command.get(0) : file.toString(), atLaunch, tracing.recordProcess());
    }

    /**
     * False when perf's workload ended without running the command: it was never seen past its exec (perf names it
     * perf-exec until then) and made not one traced call (a program that ran loads its libraries, or exits, first).
     */
    private static boolean reachesExec(int pid, PerfTracing tracing) {
        LinuxProcess target = new LinuxProcess(pid);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String name = target.name();
            if (name != null && !isWorkloadBeforeExec(name) && target.isAlive()) return true;
            if (!target.isAlive()) return tracing.log().size() > 0;
            Thread.onSpinWait();
        }
        return true; // still waiting for its exec: let the trace tell
    }

    /** Read from /proc: the target is never stopped. */
    @Override
    public HandleTable handles(int pid) {
        return ProcFdReader.read(pid);
    }

    @Override
    public List<ProcessInfo> findProcesses(String name) {
        return ProcessFinder.find(name);
    }

    /** The types its listings use, as gdb's (both read /proc). */
    @Override
    public List<String> handleTypes() {
        return dev.jhtrace.gdb.proc.FdTypes.ALL;
    }

    /** The names {@link #findProcesses} matches (as gdb's: comm, executable and argv[0] names). */
    @Override
    public java.util.SortedSet<String> processNames() {
        return ProcessFinder.names();
    }
}
