package dev.jhtrace.shell.cli;

import dev.jhtrace.shell.options.DurationConverter;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TargetOutput;
import dev.jhtrace.spi.TraceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jhtrace leaks}: the one-shot htrace workflow. Attach (or launch), enable tracing, snapshot,
 * wait, diff, report, detach.
 */
@Command(name = "leaks", mixinStandardHelpOptions = true,
        description = {"Find leaking handles: attach, trace for a while, and report the handles opened and not closed, grouped by the stack that opened them.",
                "With -- CMD ARGS, launch CMD under tracing and report what it still has open when it exits (or after --for).",
                "Children: the perf engine follows the processes CMD forks, as strace -f does, also after CMD has exited (a script",
                "that starts a daemon and exits): it reports when CMD and the children it traces have all exited, each child",
                "under its own pid. The gdb engine does not follow children: it reports at CMD's exit and counts those that ran.",
                "Ctrl-C ends the wait early and still reports.",
                "Output: the report goes to stdout, or to FILE with -o. A launched CMD's stdout goes to jhtrace's stderr while the report",
                "is on stdout, so the report is never mixed with it; with -o FILE, CMD writes to jhtrace's stdout. CMD's stderr is jhtrace's."},
        customSynopsis = {"jhtrace leaks (--pid PID | --name NAME) [--for DURATION] [options]",
                "jhtrace leaks --all [--for DURATION] [--processes N] [options]",
                "jhtrace leaks [--for DURATION] [options] -- CMD [ARGS...]"})
public final class LeaksCommand implements Callable<Integer> {
    /** How long a launched command gets to end on SIGTERM before SIGKILL. */
    static final long KILL_GRACE_MILLIS = 5_000;

    @Mixin
    TargetOptions target;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to trace (e.g. 30s, 5m). Default: 30s when attaching; until exit when launching.")
    Duration duration;

    @Option(names = "--all", description = "Trace every process of the machine (perf engine) and report the top leaking processes, each under its pid and name.")
    boolean all;

    @Option(names = "--processes", paramLabel = "N", defaultValue = "10",
            description = "With --all: the N processes with the most outstanding handles (default: ${DEFAULT-VALUE}).")
    int processes;

    @Option(names = "--stack-depth", paramLabel = "N", defaultValue = "16", description = "Frames recorded per event (default: ${DEFAULT-VALUE}).")
    int stackDepth;

    @Option(names = "--fail-on-leak", description = "Exit with code 3 when anything is outstanding.")
    boolean failOnLeak;

    @Option(names = "--kill-at-end", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"With -- CMD: when the report is made before CMD exits (--for, Ctrl-C, SIGTERM), end CMD (SIGTERM, then SIGKILL after 5s).",
                    "--no-kill-at-end leaves it running, untraced, and names its pid. Default: on. Children still running are",
                    "never ended: they run on, untraced, and are named."})
    boolean killAtEnd;

    @Option(names = "--before-exit", description = {"With -- CMD run to its end: judge it by what it held when it started exiting, so handles its runtime",
            "closes on its way out (Python's finalization, atexit handlers, C++ static destructors) count (gdb engine; each close then costs a stack walk)."})
    boolean beforeExit;

    @Option(names = "--at-exit", description = {"With -- CMD run to its end: judge it by what it still held when its process ended (the default:",
            "no cost per event, and for most native programs the same as --before-exit)."})
    boolean atExit;

    @Mixin
    TracingConsent consent;

    @Mixin
    EngineOption engineOption;

    @Mixin
    ReportOptions report;

    @Parameters(paramLabel = "CMD", arity = "0..*", description = "The command to launch (after --).")
    List<String> command;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean launch = command != null && !command.isEmpty();
        if (all && (launch || target.given())) throw new JhtraceException(Failure.BAD_INPUT, "--all traces every process: give no --pid, --name or command with it");
        if (processes < 1) throw new JhtraceException(Failure.BAD_INPUT, "--processes must be at least 1");
        if (launch && target.given()) throw new JhtraceException(Failure.BAD_INPUT, "give a target (--pid/--name) or a command to launch, not both");
        if (duration != null && (duration.isZero() || duration.isNegative())) throw new JhtraceException(Failure.BAD_INPUT, "--for must be positive");
        var analyzer = report.checkedAnalyzer();
        if (beforeExit && atExit) throw new JhtraceException(Failure.BAD_INPUT, "--before-exit and --at-exit exclude each other");
        TraceOptions options = consent.applyTo(new TraceOptions(stackDepth, 0))
                .withExitTable(beforeExit ? dev.jhtrace.spi.ExitTable.BEFORE_EXIT : dev.jhtrace.spi.ExitTable.AT_EXIT);
        Engine engine = engineOption.engine();
        PrintWriter err = spec.commandLine().getErr();

        // the report on stdout: the command's output must not mix into it (JSON read by another program)
        TargetOutput commandOutput = report.output().toStdout() ? TargetOutput.STDERR : TargetOutput.INHERIT;
        HandleSource source = all ? engine.attachAll(options) : launch ? engine.launch(command, options, commandOutput)
                : engine.attach(target.resolve(engine), options);
        Thread detachOnExit = new Thread(source::close, "jhtrace-detach");
        Runtime.getRuntime().addShutdownHook(detachOnExit); // SIGTERM or Ctrl-C outside the wait: still detach
        try {
            HtraceSession session = new HtraceSession(source);
            Snapshot snapshot = session.enable(options);
            Duration limit = duration != null ? duration : launch ? null : Duration.ofSeconds(30);
            String ended;
            // the signals are caught before the line below says so: a SIGTERM right after it still gets the report
            try (Interrupts ctrlC = new Interrupts()) {
                err.println("jhtrace: tracing " + describe(source) + (limit == null ? " until it exits" : " for " + seconds(limit.toNanos()))
                        + " (Ctrl-C ends the wait and reports)");
                err.flush();
                ended = waitFor(session, limit, ctrlC, err);
            }
            failIfEngineDied(source);
            if (all) {
                ProcessReports reports = ProcessReports.ofRunning(source.children(), analyzer);
                failIfEngineDied(source);
                if (ended != null) err.println("jhtrace: " + ended);
                err.println("jhtrace: " + reports.summary(processes));
                report.print(reports.top(processes), spec.commandLine().getOut());
                return failOnLeak && reports.hasLeaks() ? Failure.LEAK_FOUND.exitCode() : 0;
            }
            Diff diff = session.diff(snapshot);
            failIfEngineDied(source);
            LeakReport result = session.report(diff, analyzer);
            // forked children: each under its own pid, what it opened and still holds (or held at its end)
            ProcessReports children = ProcessReports.of(source.children(), analyzer);
            if (ended != null) err.println("jhtrace: " + ended);
            long untraced = source.untracedChildren();
            if (untraced > 0) err.println("jhtrace: " + untraced + " child process" + (untraced == 1 ? "" : "es") + " ran untraced (the "
                    + source.engineName() + " engine " + (children.reports().isEmpty() ? "does not follow children" : "follows this many at once") + "): their handles are not in this report");
            if (launch && !source.isAlive()) source.exit().ifPresent(x -> err.println("jhtrace: " + describe(source) + " " + x.describe()));
            List<String> notes = source.traceNotes();
            notes.forEach(note -> err.println("jhtrace: " + note));
            report.print(result, source.exit().orElse(null), children.reports(), notes, spec.commandLine().getOut());
            return failOnLeak && (result.hasLeaks() || children.hasLeaks()) ? Failure.LEAK_FOUND.exitCode() : 0;
        } finally {
            source.close();
            if (launch) endLaunched(source, err);
            try {
                Runtime.getRuntime().removeShutdownHook(detachOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing left to remove
            }
        }
    }

    /** Waits out the window, showing progress on a terminal; returns why it ended early, or null. */
    private static String waitFor(HtraceSession session, Duration limit, Interrupts ctrlC, PrintWriter err) {
        boolean terminal = System.console() != null;
        long start = System.nanoTime();
        long limitNanos = limit == null ? Long.MAX_VALUE : limit.toNanos();
        long lastProgress = 0;
        boolean saidChildren = false;
        try {
            while (true) {
                long elapsed = System.nanoTime() - start;
                if (elapsed >= limitNanos) return null;
                if (session.source().engineFailure().isPresent()) return null;
                if (!session.source().isAlive()) {
                    // the children it traces are followed to their end too, as strace -f does (perf; gdb follows none)
                    if (session.source().childrenAlive()) {
                        if (!saidChildren) {
                            err.println("jhtrace: " + describe(session.source()) + session.source().exit().map(x -> " " + x.describe()).orElse(" exited")
                                    + "; tracing the children it left running until they exit (Ctrl-C ends the wait and reports)");
                            err.flush();
                            saidChildren = true;
                        }
                    } else {
                        String how = session.source().exit().map(x -> " " + x.describe()).orElse(" exited");
                        return limit == null ? null : "the target" + how + (saidChildren ? ", and its children," : "") + " after " + seconds(elapsed)
                                + "; reporting what it had open at its end";
                    }
                }
                if (ctrlC.requested()) return "interrupted after " + seconds(elapsed) + "; reporting what was captured";
                if (terminal && elapsed - lastProgress >= 1_000_000_000L) {
                    lastProgress = elapsed;
                    long events = session.tracing().eventCount();
                    err.printf("\r  tracing %s%s  %d events ", seconds(elapsed), limit == null ? "" : " / " + seconds(limitNanos), events);
                    err.flush();
                }
                try {
                    Thread.sleep(Math.min(100, Math.max(1, (limitNanos - elapsed) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted; reporting what was captured";
                }
            }
        } finally {
            if (terminal && lastProgress > 0) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }

    /** A trace whose engine died is incomplete: one line and exit 1, never a report that looks whole. */
    private static void failIfEngineDied(HandleSource source) {
        source.engineFailure().ifPresent(why -> {
            throw new JhtraceException(Failure.OTHER, why + "; no report, the trace is incomplete (the target runs on, untraced)");
        });
    }

    /**
     * A launched command still running when the report is made: ended (the default) or named and left running. Its
     * traced children still running are never ended (they may be what the command started to outlive it): named.
     */
    private void endLaunched(HandleSource source, PrintWriter err) {
        List<String> running = source.children().stream().filter(HandleSource::isAlive).map(LeaksCommand::describe).toList();
        if (!running.isEmpty()) {
            err.println("jhtrace: " + running.size() + " of its children keep" + (running.size() == 1 ? "s" : "") + " running, untraced: "
                    + String.join(", ", running.subList(0, Math.min(5, running.size()))) + (running.size() > 5 ? ", ..." : ""));
        }
        int pid = source.target().pid();
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> {
            if (!killAtEnd) {
                err.println("jhtrace: " + describe(source) + " keeps running, untraced (--no-kill-at-end)");
            } else {
                p.destroy();
                try {
                    p.onExit().get(KILL_GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    p.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                } catch (java.util.concurrent.ExecutionException e) {
                    // onExit does not fail
                }
                err.println("jhtrace: ended " + describe(source) + " (--no-kill-at-end leaves it running)");
            }
            err.flush();
        });
    }

    private static String describe(HandleSource source) {
        var t = source.target();
        if (t.pid() == 0 && t.name() != null) return t.name();
        return (t.name() == null ? "pid " + t.pid() : t.name() + " (pid " + t.pid() + ")");
    }

    private static String seconds(long nanos) {
        return String.format("%.0fs", nanos / 1e9);
    }
}
