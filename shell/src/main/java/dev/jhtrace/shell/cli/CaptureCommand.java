package dev.jhtrace.shell.cli;

import dev.jhtrace.shell.options.DurationConverter;
import dev.jhtrace.capture.CaptureResult;
import dev.jhtrace.capture.CaptureRun;
import dev.jhtrace.capture.CaptureSettings;
import dev.jhtrace.capture.CaptureTarget;
import dev.jhtrace.shell.metrics.CaptureMetrics;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code jhtrace capture}: unattended capture for servers. Records the handle table and the leaking stacks
 * at every interval into crash-safe files, follows a named process across restarts, writes a report when a
 * trigger fires and at the end, and exits 3 when the capture shows a steady leak.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Capture a server's handles unattended, for hours, into crash-safe files; judge whether it leaks.",
                "Enables tracing and at every interval appends the handle table and the stacks holding handles to DIR "
                        + "(JSON lines, fsync'd, owner-only); writes DIR/report.{txt,json,html} at the end and whenever a trigger fires.",
                "With --name it waits for the process (the oldest, if several match) and follows it across restarts.",
                "With --pid or --name and the perf engine, the children the process forks are recorded beside it, each judged on its own, "
                        + "also after the process exits, until they have all exited (as strace -f follows them).",
                "With --all (perf engine) it captures every process that holds descriptors it opened while traced, each on its own, "
                        + "and the report ranks the processes: leaking first, fastest growth first.",
                "SIGTERM or Ctrl-C stops it cleanly: tracing disabled, target detached, report written.",
                "Exit code 0: no leak; 3: a steady leak (see 'jhtrace report' and docs/capture.md)."},
        customSynopsis = "jhtrace capture (--pid PID | --name NAME | --all [--max-processes 64]) [--every 5m] [--for 8h] [--when-handles-exceed N] [--when-growth-exceeds N/h] [--out DIR] [--max-disk 500MB] [options]")
public final class CaptureCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--all", description = "Capture every process of the machine (perf engine), each on its own; the report ranks them.")
    boolean all;

    @Option(names = "--max-processes", paramLabel = "N", defaultValue = "64",
            description = "With --all: the most processes recorded at once, the first seen (default: ${DEFAULT-VALUE}); the others are counted.")
    int maxProcesses;

    @Option(names = "--every", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "Time between records (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to capture (default: until stopped, or with --pid until the process and the children it traces have exited).")
    Duration duration;

    @Option(names = "--when-handles-exceed", paramLabel = "N", description = "Write the report when the handle count rises above N.")
    Integer handlesAbove;

    @Option(names = "--when-growth-exceeds", paramLabel = "N/h", converter = RateConverter.class,
            description = "Write the report when handles grow steadily faster than this (e.g. 100/h, 5/m).")
    Double growthAbove;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "jhtrace-capture", description = "Where the capture goes (default: ${DEFAULT-VALUE}; created 0700).")
    Path out;

    @Option(names = "--max-disk", paramLabel = "SIZE", defaultValue = "500MB", converter = SizeConverter.class,
            description = "The most DIR may hold; the oldest capture files are deleted first (default: ${DEFAULT-VALUE}).")
    long maxDisk;

    @Option(names = "--max-stacks", paramLabel = "N", defaultValue = "20", description = "Most stacks recorded per interval (default: ${DEFAULT-VALUE}).")
    int maxStacks;

    @Option(names = "--max-entries", paramLabel = "N", defaultValue = "2000", description = "Most handle entries recorded per interval (default: ${DEFAULT-VALUE}).")
    int maxEntries;

    @Option(names = "--stack-depth", paramLabel = "N", defaultValue = "16", description = "Frames recorded per event (default: ${DEFAULT-VALUE}).")
    int stackDepth;

    @Option(names = "--no-trace", description = "Counts only: read the handle table without attaching a debugger (no stacks).")
    boolean noTrace;

    @Mixin
    TracingConsent consent;

    @Mixin
    EngineOption engineOption;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics (OpenMetrics) on http://ADDRESS:PORT/metrics while capturing: handles by type, "
                    + "growth per hour by type and for the top stacks, the verdict, lost events, capture health. 0 picks a free port.")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS", description = "The address to serve metrics on (default: 127.0.0.1, this machine only).")
    String metricsBind;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CaptureTarget what = target();
        CaptureSettings settings = new CaptureSettings(out, every, duration, handlesAbove, growthAbove, maxDisk, maxStacks, maxEntries, !noTrace,
                consent.applyTo(new TraceOptions(stackDepth, 0)));
        Engine engine = engineOption.engine();
        Engine.Availability availability = engine.availability();
        if (!availability.available()) throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the " + engine.name() + " engine is unavailable: " + availability.detail());
        PrintWriter err = spec.commandLine().getErr();
        java.util.function.Consumer<String> log = line -> {
            err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " jhtrace capture: " + line);
            err.flush();
        };
        if (metricsBind != null && metricsPort == null) throw new JhtraceException(Failure.BAD_INPUT, "--metrics-bind needs --metrics-port");
        try (CaptureMetrics metrics = new CaptureMetrics()) {
            if (metricsPort != null) {
                String bind = metricsBind == null ? "127.0.0.1" : metricsBind;
                metrics.serve(bind, metricsPort);
                log.accept("metrics on http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + metrics.port() + "/metrics");
            }
            return capture(new CaptureRun(engine, settings, what, Clock.systemUTC(), log, metrics), what);
        }
    }

    private int capture(CaptureRun run, CaptureTarget what) {

        // SIGTERM (service stop) runs shutdown hooks: ask the run to stop and wait until it has detached and reported
        AtomicBoolean terminated = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onTerm = new Thread(() -> {
            terminated.set(true);
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jhtrace-capture-stop");
        Runtime.getRuntime().addShutdownHook(onTerm);
        try (Interrupts ctrlC = new Interrupts()) {
            CaptureResult result = run.run(() -> terminated.get() || ctrlC.requested());
            if (result.verdict() == null) {
                throw new JhtraceException(Failure.TARGET_NOT_FOUND, what instanceof CaptureTarget.Name n
                        ? "no process named '" + n.name() + "' appeared (" + result.ended() + ")" : "nothing was recorded (" + result.ended() + ")");
            }
            PrintWriter o = spec.commandLine().getOut();
            o.println(result.verdict().summary());
            o.println("report: " + out.resolve("report.html").toAbsolutePath() + " (and report.txt, report.json)");
            o.flush();
            return result.verdict().exitCode();
        } finally {
            finished.countDown();
            if (!terminated.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onTerm);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it returns now that the run has finished
                }
            }
        }
    }

    private CaptureTarget target() {
        if (all) {
            if (target.given()) throw new JhtraceException(Failure.BAD_INPUT, "--all captures every process: give no --pid or --name with it");
            if (metricsPort != null) throw new JhtraceException(Failure.BAD_INPUT, "--metrics-port serves one process's metrics: not with --all");
            if (maxProcesses < 1) throw new JhtraceException(Failure.BAD_INPUT, "--max-processes must be at least 1");
            return new CaptureTarget.All(maxProcesses);
        }
        if (target.pid != null && target.name != null) throw new JhtraceException(Failure.BAD_INPUT, "give --pid or --name, not both");
        if (target.pid != null) {
            if (target.pid <= 0) throw new JhtraceException(Failure.BAD_INPUT, "--pid must be a positive process id, not " + target.pid);
            if (ProcessHandle.of(target.pid).isEmpty()) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no process with pid " + target.pid);
            return new CaptureTarget.Pid(target.pid);
        }
        if (target.name == null || target.name.isBlank()) throw new JhtraceException(Failure.BAD_INPUT, "no target: give --pid PID, --name NAME or --all");
        return new CaptureTarget.Name(target.name);
    }
}
