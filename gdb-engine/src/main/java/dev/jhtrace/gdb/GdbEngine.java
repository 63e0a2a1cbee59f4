package dev.jhtrace.gdb;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.proc.CommandCheck;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.proc.ProcFdReader;
import dev.jhtrace.proc.ProcessFinder;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SuspendedLaunch;
import dev.jhtrace.spi.TargetOutput;
import dev.jhtrace.spi.TraceOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Linux engine: file descriptors of live processes, traced through gdb 13+ (x86-64).
 *
 * <p>Attach: {@code Engines.named("gdb").attach(pid, TraceOptions.DEFAULT)} gives a {@link HandleSource};
 * {@code new HtraceSession(source).enable(...)} starts tracing. Events are drained from gdb by a
 * background thread, nothing needs to be polled. {@code close()} detaches, leaving the process running.
 *
 * <p>Launch: the command is started stopped by a shell trampoline ({@code kill -STOP $$; exec "$@"}),
 * gdb attaches, tracing is enabled and the command runs — traced from its first instruction, yet a
 * process of its own: if jhtrace or gdb dies, it is detached, never killed. Under
 * {@code kernel.yama.ptrace_scope=1} attaching to a non-child (also the launched process, which is a
 * child of the JVM, not of gdb) needs root or CAP_SYS_PTRACE.
 *
 * <p>Children after fork are not traced (gdb detaches them); their descriptors are not in the report.
 */
public final class GdbEngine implements Engine {
    /** The engine's name. */
    public static final String NAME = "gdb";
    private final GdbInstallation installation;
    private Availability availability; // checked once per engine instance

    /** The engine with the gdb from the environment ({@link GdbInstallation#fromEnvironment()}). */
    public GdbEngine() {
        this(GdbInstallation.fromEnvironment());
    }

    public GdbEngine(GdbInstallation installation) {
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
        Availability a = availability();
        if (!a.available()) throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, a.detail());
    }

    /** Attaches gdb to a running process. Tracing is off until {@code tracing().enable(...)}. */
    @Override
    public GdbHandleSource attach(int pid, TraceOptions options) {
        new LinuxProcess(pid).checkAttachable();
        requireAvailable();
        return new GdbHandleSource(GdbProcess.attach(installation, pid, true, false, options.symbolPath()));
    }

    /** Launches {@code command} with jhtrace's own stdin, stdout and stderr, traced from the start. */
    @Override
    public GdbHandleSource launch(List<String> command, TraceOptions options) {
        return launch(new ProcessBuilder(command).inheritIO(), options);
    }

    /**
     * Launches the command of {@code builder} (its redirects, directory and environment apply) traced from
     * its first instruction, with tracing enabled. The process is not gdb's child: if jhtrace dies it runs on.
     */
    public GdbHandleSource launch(ProcessBuilder builder, TraceOptions options) {
        return launch(builder, options, TargetOutput.INHERIT);
    }

    /**
     * Launches {@code command} with jhtrace's stdin and stderr; its stdout goes where {@code output} says.
     * Sent to stderr, the redirect is made by the launching shell before the program is traced, so it is
     * neither an event nor an outstanding handle in the report.
     */
    @Override
    public GdbHandleSource launch(List<String> command, TraceOptions options, TargetOutput output) {
        return launch(new ProcessBuilder(command).inheritIO(), options, output);
    }

    private GdbHandleSource launch(ProcessBuilder builder, TraceOptions options, TargetOutput output) {
        List<String> command = builder.command();
        if (command.isEmpty()) throw new JhtraceException(Failure.BAD_INPUT, "no command to launch");
        requireAvailable();
        CommandCheck.checkRunnable(command.get(0), builder.directory());
        String redirect = output == TargetOutput.STDERR ? "exec 1>&2; " : "";
        List<String> trampoline = new ArrayList<>(List.of("/bin/sh", "-c", redirect + "kill -STOP $$; exec \"$@\"", "jhtrace-launch"));
        trampoline.addAll(command);
        Launch launch = new Launch(new ProcessBuilder(trampoline).directory(builder.directory()).redirectInput(builder.redirectInput())
                .redirectOutput(builder.redirectOutput()).redirectError(builder.redirectError()), command, options);
        GdbHandleSource source = launch.run();
        Process p = source.launchedProcess().orElseThrow();
        int pid = (int) p.pid();
        LinuxProcess target = new LinuxProcess(pid);
        String trampolineArgs = launch.trampolineArgs;
        // gdb swallows the trampoline's SIGSTOP; should a job-control stop remain anyway, continue it until it execs
        long execDeadline = System.nanoTime() + 10_000_000_000L;
        long lastContinue = 0;
        String args = trampolineArgs;
        while (source.isAlive() && Objects.equals(trampolineArgs, args = target.commandLine())) {
            // 'T' is a plain job-control stop, 't' may be one seen through ptrace: SIGCONT ends either (harmless to the shell)
            if (target.isStopped() && System.nanoTime() - lastContinue > 50_000_000L) {
                resume(pid);
                lastContinue = System.nanoTime();
            }
            if (System.nanoTime() > execDeadline) break;
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // gone without an exec jhtrace saw (it may have missed a very short program's): the shell's exit code tells
        boolean execSeen = args != null && !args.isEmpty() && !args.equals(trampolineArgs);
        // an empty command line is a process already exiting, which gdb may not have noticed yet on a loaded machine
        boolean gone = args == null || args.isEmpty() || !source.isAlive();
        if (!execSeen && gone && ranIntoShellError(p)) {
            source.close();
            throw new JhtraceException(Failure.BAD_INPUT, "cannot launch " + command.get(0) + ": the shell could not run it (exit " + p.exitValue() + ")");
        }
        if (source.isAlive()) {
            source.gdb().passStopSignals();
            source.target(); // learn the name it took at its exec
        }
        return source;
    }

    /** True when the trampoline ended with the shell's own "cannot execute" (126) or "not found" (127). */
    private static boolean ranIntoShellError(Process trampoline) {
        try {
            return trampoline.waitFor(5, TimeUnit.SECONDS) && (trampoline.exitValue() == 126 || trampoline.exitValue() == 127);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The file name of a command ({@code ./bin/server} gives {@code server}), for the report before the exec is seen. */
    private static String commandName(String command) {
        Path name = Path.of(command).getFileName();
        return name == null ? command : name.toString();
    }

    private static void resume(int pid) {
        new LinuxProcess(pid).sendContinue();
    }

    /** Read from /proc: no gdb, no ptrace, the target is never stopped. */
    @Override
    public HandleTable handles(int pid) {
        return ProcFdReader.read(pid);
    }

    @Override
    public List<String> handleTypes() {
        return dev.jhtrace.proc.FdTypes.ALL;
    }

    @Override
    public List<ProcessInfo> findProcesses(String name) {
        return ProcessFinder.find(name);
    }

    @Override
    public java.util.SortedSet<String> processNames() {
        return ProcessFinder.names();
    }

    /** The launch protocol ({@link SuspendedLaunch}) with gdb: the trampoline stops itself, gdb attaches, enables and continues it. */
    private final class Launch extends SuspendedLaunch<Process, GdbHandleSource> {
        private final ProcessBuilder trampoline;
        private final List<String> command;
        private final TraceOptions options;
        /** The stopped trampoline's command line: a different one later means the command was exec'd. */
        String trampolineArgs;

        Launch(ProcessBuilder trampoline, List<String> command, TraceOptions options) {
            this.trampoline = trampoline;
            this.command = command;
            this.options = options;
        }

        @Override
        protected Process startSuspended() {
            Process p;
            try {
                p = trampoline.start();
            } catch (IOException e) {
                throw new JhtraceException(Failure.BAD_INPUT, "cannot start " + command.get(0) + ": " + e.getMessage(), e);
            }
            LinuxProcess target = new LinuxProcess((int) p.pid());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!target.isStopped()) {
                if (!p.isAlive()) throw new JhtraceException(Failure.BAD_INPUT, "cannot launch " + command.get(0) + ": the shell exited with " + p.exitValue());
                if (System.nanoTime() > deadline) throw new JhtraceException(Failure.OTHER, "the launched command did not reach its start point");
                Thread.onSpinWait();
            }
            // the exec is seen as a new command line (the executable may be the same: sh -c ...); read before it
            // runs on, since a short program can be past its exec at once
            trampolineArgs = target.commandLine();
            return p;
        }

        @Override
        protected GdbHandleSource attach(Process p) {
            return new GdbHandleSource(GdbProcess.attach(installation, (int) p.pid(), false, true, options.symbolPath()), p, commandName(command.get(0)));
        }

        @Override
        protected HandleTable inheritedTable(Process p, GdbHandleSource source) {
            return ProcFdReader.read((int) p.pid());
        }

        @Override
        protected void mark(GdbHandleSource source, Snapshot launch) {
            source.markLaunch(launch);
        }

        @Override
        protected void enable(GdbHandleSource source) {
            source.gdbTracing().enableStopped(options);
        }

        @Override
        protected void resume(Process p, GdbHandleSource source) {
            source.gdb().resume();
        }

        @Override
        protected void resumeAbandoned(Process p) {
            GdbEngine.resume((int) p.pid());
        }
    }
}
