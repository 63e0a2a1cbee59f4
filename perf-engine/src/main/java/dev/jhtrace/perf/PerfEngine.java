package dev.jhtrace.perf;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.proc.ProcFdReader;
import dev.jhtrace.proc.ProcessFinder;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TargetOutput;
import dev.jhtrace.spi.TraceOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The Linux engine that never stops the target: descriptor syscalls recorded from the kernel's tracepoints by
 * {@code perf}, with DWARF-unwound user stacks (a Go program's by the kernel's frame-pointer walk), no ptrace. Needs root or CAP_PERFMON.
 *
 * <p>Attach: perf records the process's threads, also those created later, and its children (whose events are decoded
 * but kept out of the target's diff: their tables are others). Launch: the command waits at a gate until perf is
 * attached to its process, and is recorded from its exec ({@link LaunchGate}), it and its children until they have all
 * exited (a child outliving the command is traced on). See {@link PerfTracing} for the stream
 * and {@link PerfDecoder} for what the tracepoints cannot show.
 */
public final class PerfEngine implements Engine {
    /** The engine's name. */
    public static final String NAME = "perf";
    /** How long a launch waits for its shell to reach the gate, and then for its exec. */
    private static final long GATE_TIMEOUT_NANOS = 10_000_000_000L;
    private final PerfInstallation installation;
    private final PerfDecoder.Options decoding;
    private boolean goFramePointers = true;
    private FrameWalks walks = FrameWalks.ALL;
    private boolean widePipe = true;
    private Availability availability; // checked once per engine instance

    /** The engine with perf and setpriv from the PATH. */
    public PerfEngine() {
        this(PerfInstallation.fromPath());
    }

    PerfEngine(PerfInstallation installation) {
        this(installation, PerfDecoder.Options.ALL);
    }

    /** An engine whose tracings work out only what {@code decoding} says (tests: what each inference adds). */
    PerfEngine(PerfInstallation installation, PerfDecoder.Options decoding) {
        this.installation = installation;
        this.decoding = decoding;
    }

    /** The engine with perf and setpriv from the PATH, working out only what {@code decoding} says. */
    PerfEngine(PerfDecoder.Options decoding) {
        this(PerfInstallation.fromPath(), decoding);
    }

    /** This engine, recording Go programs' stacks with DWARF as any other's, as under {@code --all} (tests). */
    PerfEngine withoutGoFramePointers() {
        goFramePointers = false;
        return this;
    }

    /** This engine, leaving DWARF-unwound Go stacks as perf's unwinder ends them (tests: the control of {@link GoFrames}). */
    PerfEngine withoutGoFrameWalk() {
        walks = walks.withoutGo();
        return this;
    }

    /** This engine, leaving interpreted Java frames named {@code Interpreter} as the perf map names them (tests: the control of {@link HotSpotMethods}). */
    PerfEngine withoutInterpretedJavaNames() {
        walks = walks.withoutInterpretedJava();
        return this;
    }

    /** This engine, leaving perf record's pipe at the kernel's 64 KiB (benchmarks: the control of {@link PipeCapacity}). */
    PerfEngine withKernelDefaultPipe() {
        widePipe = false;
        return this;
    }

    /**
     * The engine's choices for a tracing: a Go program's stacks by the kernel's frame-pointer walk when it is the
     * program traced (see {@link ElfFile#isGo}); the same walk in the stack copies for Go programs recorded with DWARF
     * ({@link GoFrames}); perf record's pipe widened ({@link PipeCapacity}).
     */
    private void configure(PerfTracing tracing, Path executable) {
        if (goFramePointers && executable != null && ElfFile.isGo(executable)) tracing.stacksByFramePointers();
        tracing.walking(walks);
        if (!widePipe) tracing.withKernelDefaultPipe();
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

    /**
     * A 32-bit program's calls pass no syscall tracepoint: traced, it would show no descriptor opened, and so no leak.
     * Refused rather than reported clean.
     */
    private static void refuse32Bit(Path executable, String what) {
        if (ElfFile.is32Bit(executable)) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, what + " is a 32-bit program: the kernel's syscall tracepoints do not"
                    + " report a 32-bit task's calls, so the perf engine would see none of its descriptors");
        }
    }

    /** Attaches perf to a running process; tracing is off until {@code tracing().enable(...)}. */
    @Override
    public PerfHandleSource attach(int pid, TraceOptions options) {
        LinuxProcess target = new LinuxProcess(pid);
        if (pid <= 0) throw new JhtraceException(Failure.BAD_INPUT, "not a process id: " + pid);
        if (pid == ProcessHandle.current().pid()) throw new JhtraceException(Failure.BAD_INPUT, "jhtrace cannot trace itself (pid " + pid + ")");
        if (!target.isAlive()) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no process with pid " + pid);
        requireAvailable();
        refuse32Bit(Path.of("/proc", Integer.toString(pid), "exe"), "pid " + pid);
        PerfTracing tracing = new PerfTracing(installation, pid, dev.jhtrace.spi.TraceRetention.DEFAULT, decoding);
        configure(tracing, Path.of("/proc", Integer.toString(pid), "exe"));
        return new PerfHandleSource(tracing, pid, null, null, null);
    }

    /** Traces every process of the machine ({@code perf record -a}); tracing is off until {@code tracing().enable(...)}. */
    @Override
    public HandleSource attachAll(TraceOptions options) {
        requireAvailable();
        PerfTracing tracing = new PerfTracing(installation, PerfTracing.SYSTEM_WIDE, dev.jhtrace.spi.TraceRetention.DEFAULT, decoding);
        configure(tracing, null); // one call graph for every process: DWARF
        return new PerfSystemSource(tracing);
    }

    /** Launches {@code command} with jhtrace's stdin, stdout and stderr, traced from its exec. */
    @Override
    public PerfHandleSource launch(List<String> command, TraceOptions options) {
        return launch(command, options, TargetOutput.INHERIT);
    }

    /** Launches {@code command} traced from its exec, with jhtrace's stdin and stderr; its stdout goes where {@code output} says. */
    @Override
    public PerfHandleSource launch(List<String> command, TraceOptions options, TargetOutput output) {
        return launch(new ProcessBuilder(command).inheritIO(), options, output == TargetOutput.STDERR);
    }

    /**
     * Launches the command of {@code builder} (its redirects, directory and environment apply) traced from its exec,
     * with tracing enabled. The process is not perf's child: if jhtrace or perf dies it runs on.
     */
    public PerfHandleSource launch(ProcessBuilder builder, TraceOptions options) {
        return launch(builder, options, false);
    }

    private PerfHandleSource launch(ProcessBuilder builder, TraceOptions options, boolean outputToStderr) {
        List<String> command = builder.command();
        if (command.isEmpty()) throw new JhtraceException(Failure.BAD_INPUT, "no command to launch");
        // the table before the exit is taken at the exit's first close, with the target held there: perf holds nothing
        if (options.exitTable() == dev.jhtrace.spi.ExitTable.BEFORE_EXIT) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the perf engine cannot take the table before the exit (--before-exit): use --engine gdb");
        }
        requireAvailable();
        Path executable = dev.jhtrace.proc.CommandCheck.resolve(command.get(0), builder.directory());
        if (executable != null) refuse32Bit(executable, command.get(0));
        LaunchGate gate;
        try {
            gate = LaunchGate.start(builder, outputToStderr);
        } catch (IOException e) {
            throw new JhtraceException(Failure.BAD_INPUT, "cannot launch " + command.get(0) + ": " + e.getMessage(), e);
        }
        PerfTracing tracing = null;
        try {
            if (!gate.awaitReady(GATE_TIMEOUT_NANOS)) {
                throw new JhtraceException(Failure.OTHER, "cannot launch " + command.get(0) + ": its shell did not reach the gate");
            }
            tracing = new PerfTracing(installation, gate.pid(), dev.jhtrace.spi.TraceRetention.DEFAULT, decoding);
            configure(tracing, executable);
            tracing.enable(options);
            tracing.endWithLaunch();
            // everything the command does from its exec on is recorded: it runs only now
            Snapshot atLaunch = new Snapshot("launch", Instant.now(), Snapshot.BEFORE_FIRST_EVENT, null);
            gate.open();
            if (!reachesExec(gate, tracing)) {
                throw new JhtraceException(Failure.BAD_INPUT, "cannot launch " + command.get(0) + ": the kernel refused to execute it");
            }
            Path file = Path.of(command.get(0)).getFileName();
            PerfHandleSource source = new PerfHandleSource(tracing, gate.pid(), file == null ? command.get(0) : file.toString(), atLaunch, gate.process());
            tracing = null;
            return source;
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot launch " + command.get(0) + ": " + e.getMessage(), e);
        } finally {
            gate.close(); // a shell still at the gate exits without running the command
            if (tracing != null) tracing.shutdown();
        }
    }

    /**
     * False when the shell ended without running the command: it made no exec and failed as a shell does when it cannot
     * execute a file (126, 127). Waits until it exec'd or ended; past a deadline, true (its trace will show what ran).
     */
    private static boolean reachesExec(LaunchGate gate, PerfTracing tracing) {
        long deadline = System.nanoTime() + GATE_TIMEOUT_NANOS;
        Process shell = gate.process();
        while (System.nanoTime() < deadline) {
            if (gate.isPastGate()) return true;
            if (!shell.isAlive()) return tracing.targetExeced() || shell.exitValue() != 126 && shell.exitValue() != 127;
            LaunchGate.pause();
        }
        return true;
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
        return dev.jhtrace.proc.FdTypes.ALL;
    }

    /** The names {@link #findProcesses} matches (as gdb's: comm, executable and argv[0] names). */
    @Override
    public java.util.SortedSet<String> processNames() {
        return ProcessFinder.names();
    }
}
