package dev.jhtrace.shell.cli;

import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
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
                "Ctrl-C ends the wait early and still reports."},
        customSynopsis = {"jhtrace leaks (--pid PID | --name NAME) [--for DURATION] [options]",
                "jhtrace leaks [--for DURATION] [options] -- CMD [ARGS...]"})
public final class LeaksCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to trace (e.g. 30s, 5m). Default: 30s when attaching; until exit when launching.")
    Duration duration;

    @Option(names = "--stack-depth", paramLabel = "N", defaultValue = "16", description = "Frames recorded per event (default: ${DEFAULT-VALUE}).")
    int stackDepth;

    @Option(names = "--fail-on-leak", description = "Exit with code 3 when anything is outstanding.")
    boolean failOnLeak;

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
        if (launch && target.given()) throw new JhtraceException(Failure.BAD_INPUT, "give a target (--pid/--name) or a command to launch, not both");
        if (duration != null && (duration.isZero() || duration.isNegative())) throw new JhtraceException(Failure.BAD_INPUT, "--for must be positive");
        var analyzer = report.analyzer();
        TraceOptions options = new TraceOptions(stackDepth, 0);
        consent.apply();
        Engine engine = engineOption.engine();
        PrintWriter err = spec.commandLine().getErr();

        HandleSource source = launch ? engine.launch(command, options) : engine.attach(target.resolve(engine), options);
        Thread detachOnExit = new Thread(source::close, "jhtrace-detach");
        Runtime.getRuntime().addShutdownHook(detachOnExit); // SIGTERM or Ctrl-C outside the wait: still detach
        try {
            HtraceSession session = new HtraceSession(source);
            Snapshot snapshot = session.enable(options);
            Duration limit = duration != null ? duration : launch ? null : Duration.ofSeconds(30);
            err.println("jhtrace: tracing " + describe(source) + (limit == null ? " until it exits" : " for " + seconds(limit.toNanos()))
                    + " (Ctrl-C ends the wait and reports)");
            err.flush();
            String ended = waitFor(session, limit, err);
            Diff diff = session.diff(snapshot);
            LeakReport result = session.report(diff, analyzer);
            if (ended != null) err.println("jhtrace: " + ended);
            report.print(result, spec.commandLine().getOut());
            return failOnLeak && result.hasLeaks() ? Failure.LEAK_FOUND.exitCode() : 0;
        } finally {
            source.close();
            try {
                Runtime.getRuntime().removeShutdownHook(detachOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing left to remove
            }
        }
    }

    /** Waits out the window, showing progress on a terminal; returns why it ended early, or null. */
    private static String waitFor(HtraceSession session, Duration limit, PrintWriter err) {
        boolean terminal = System.console() != null;
        long start = System.nanoTime();
        long limitNanos = limit == null ? Long.MAX_VALUE : limit.toNanos();
        long lastProgress = 0;
        try (Interrupts ctrlC = new Interrupts()) {
            while (true) {
                long elapsed = System.nanoTime() - start;
                if (elapsed >= limitNanos) return null;
                if (!session.source().isAlive()) return limit == null ? null : "the target exited after " + seconds(elapsed) + "; reporting what it had open at exit";
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

    private static String describe(HandleSource source) {
        var t = source.target();
        return (t.name() == null ? "pid " + t.pid() : t.name() + " (pid " + t.pid() + ")");
    }

    private static String seconds(long nanos) {
        return String.format("%.0fs", nanos / 1e9);
    }
}
