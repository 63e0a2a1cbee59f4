package dev.jhtrace.capture;

import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An unattended capture, engine-neutral: attach (or, counts-only, just read the handle table), record at
 * every interval into the capture directory, write reports when a trigger fires and at the end, and
 * always leave the target as it was: tracing disabled and detached however the run ends.
 */
public final class CaptureRun {
    private static final int TRIGGER_WINDOW = 1024;
    private static final long POLL_MILLIS = 100;
    private static final int MAX_LEFT_OUT_REMEMBERED = 4096;
    /** The children of one target recorded at once, each a segment of its own (the others are counted and left out). */
    static final int MAX_CHILDREN = 16;

    private final Engine engine;
    private final CaptureSettings settings;
    private final CaptureTarget target;
    private final Clock clock;
    private final Consumer<String> log;
    private final DiskBudget budget;
    private final String captureId;
    private final Listener listener;

    private long seq;
    private int lastPid;
    private int segments;
    private int rotated;
    private boolean aboveHandles;
    private boolean aboveGrowth;

    /**
     * @param engine   the engine reaching live processes
     * @param settings how to capture
     * @param target   what to capture
     * @param clock    for record times
     * @param log      one-line progress messages (for the service's log)
     */
    public CaptureRun(Engine engine, CaptureSettings settings, CaptureTarget target, Clock clock, Consumer<String> log) {
        this(engine, settings, target, clock, log, new Listener() { });
    }

    /**
     * What a capture tells as it goes, e.g. to a metrics endpoint. Called on the capture's thread; a listener
     * must not block it.
     */
    public interface Listener {
        /** A segment began: the process is attached (or, counts-only, found) and about to be recorded. */
        default void segmentStarted(int segment, int pid, String name, String engine, boolean tracing) {
        }

        /** A record was written to the capture. */
        default void recorded(CaptureRecord record) {
        }

        /** The segment ended (the process exited, time ran out, or the capture was stopped), with why. */
        default void segmentEnded(int segment, String why) {
        }

        /** The capture ended and its reports were written with this verdict. */
        default void ended(Verdict verdict) {
        }
    }

    /** A run that also tells {@code listener} about each segment, record and the final verdict. */
    public CaptureRun(Engine engine, CaptureSettings settings, CaptureTarget target, Clock clock, Consumer<String> log, Listener listener) {
        this.listener = listener;
        this.engine = engine;
        this.settings = settings;
        this.target = target;
        this.clock = clock;
        this.log = log;
        // a traced target's children are written beside it: the budget's parts are sized for them all
        this.budget = new DiskBudget(settings.maxDiskBytes(), settings.trace() ? 1 + MAX_CHILDREN : 1);
        this.captureId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(clock.instant())
                + "-" + ProcessHandle.current().pid();
    }

    /** The id naming this capture's files. */
    public String captureId() {
        return captureId;
    }

    /**
     * Runs until the duration ends, {@code stop} says so, or (for a pid) the target exits.
     * The target is detached before this returns or throws.
     */
    public CaptureResult run(BooleanSupplier stop) {
        if (target instanceof CaptureTarget.All all) return runAll(all, stop);
        CaptureFiles.prepareDirectory(settings.dir());
        Instant deadline = settings.duration() == null ? Instant.MAX : clock.instant().plus(settings.duration());
        String ended;
        while (true) {
            if (stop.getAsBoolean()) {
                ended = "stopped";
                break;
            }
            if (!clock.instant().isBefore(deadline)) {
                ended = "the capture time is over";
                break;
            }
            Integer pid = nextPid(deadline, stop);
            if (pid == null) {
                ended = stop.getAsBoolean() ? "stopped" : "the capture time is over";
                break;
            }
            HandleSource source;
            try {
                source = open(pid);
            } catch (JhtraceException e) {
                if (target instanceof CaptureTarget.Name && e.failure() == Failure.TARGET_NOT_FOUND) {
                    log.accept("pid " + pid + " went away before it could be attached; waiting for the next one");
                    lastPid = pid;
                    sleepUntil(clock.instant().plus(pollInterval()), deadline, stop);
                    continue;
                }
                throw e;
            }
            int segment = ++segments;
            lastPid = pid;
            String why = captureSegment(source, deadline, stop);
            listener.segmentEnded(segment, why);
            if (target instanceof CaptureTarget.Pid || !why.startsWith("the target exited")) {
                ended = why;
                break;
            }
            log.accept(why + "; waiting for a new process named '" + ((CaptureTarget.Name) target).name() + "'");
        }
        return finish(ended);
    }

    /** Writes the reports (when anything was recorded) and keeps the directory within its budget. */
    private CaptureResult finish(String ended) {
        log.accept("capture ended: " + ended);
        if (seq == 0) return new CaptureResult(null, 0, segments, ended);
        Verdict verdict = writeReports();
        listener.ended(verdict);
        try {
            // the reports count against the budget too: make room by dropping the oldest records, never the newest file
            List<java.nio.file.Path> files = CaptureFiles.list(settings.dir());
            budget.enforce(settings.dir(), files.isEmpty() ? null : files.get(files.size() - 1));
        } catch (IOException e) {
            log.accept("cannot rotate " + settings.dir() + ": " + e.getMessage());
        }
        log.accept(verdict.summary());
        return new CaptureResult(verdict, seq, segments, ended);
    }

    /**
     * The processes seen and not captured (over the limit of those recorded at once): how many, and the pids of the
     * latest, bounded, since a busy server makes new pids for hours.
     */
    private static final class LeftOut {
        private final java.util.Set<Integer> latest = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<Integer, Boolean> eldest) {
                return size() > MAX_LEFT_OUT_REMEMBERED;
            }
        });
        private long count;

        /** Notes {@code pid} left out; true the first time it is (as far as the bound remembers). */
        boolean note(int pid) {
            if (!latest.add(pid)) return false;
            count++;
            return true;
        }

        boolean noted(int pid) {
            return latest.contains(pid);
        }

        long count() {
            return count;
        }
    }

    /** One process of {@code --all} being recorded. */
    private record Recording(HandleSource source, Recorder recorder, SegmentWriter writer) {
    }

    /**
     * {@code capture --all}: the engine traces every process; each one seen holding descriptors it opened while traced
     * becomes a segment of its own (up to the limit, the first seen), recorded at every interval until it exits or the
     * capture ends. The records of all go into the one directory and budget; the reports judge each process on its own.
     */
    private CaptureResult runAll(CaptureTarget.All all, BooleanSupplier stop) {
        if (!settings.trace()) throw new JhtraceException(Failure.BAD_INPUT, "capture --all traces every process: --no-trace is for one process");
        if (settings.handlesAbove() != null || settings.growthPerHourAbove() != null) {
            throw new JhtraceException(Failure.BAD_INPUT, "--when-handles-exceed and --when-growth-exceeds watch one process: not with --all");
        }
        CaptureFiles.prepareDirectory(settings.dir());
        Instant deadline = settings.duration() == null ? Instant.MAX : clock.instant().plus(settings.duration());
        DiskBudget shared = new DiskBudget(settings.maxDiskBytes(), all.maxProcesses());
        java.util.Set<java.nio.file.Path> writing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Map<Integer, Recording> recording = new java.util.LinkedHashMap<>();
        LeftOut leftOut = new LeftOut();
        HandleSource machine = engine.attachAll(settings.traceOptions());
        String ended;
        try {
            machine.tracing().filter(t -> !t.isEnabled()).ifPresent(t -> t.enable(settings.traceOptions()));
            log.accept("capturing every process (" + machine.engineName() + ") every " + settings.interval().toMillis() + "ms into "
                    + settings.dir() + ", at most " + all.maxProcesses() + " at once");
            Instant next = clock.instant();
            while (true) {
                for (HandleSource process : machine.children()) {
                    int pid = process.target().pid();
                    if (recording.containsKey(pid) || !process.isAlive()) continue;
                    if (recording.size() >= all.maxProcesses()) {
                        if (leftOut.note(pid) && leftOut.count() == 1) log.accept("more than " + all.maxProcesses() + " processes: the others are not captured (--max-processes)");
                        continue;
                    }
                    recording.put(pid, startProcess(process, shared, writing));
                }
                recordEach(recording, "the process exited");
                next = next.plus(settings.interval());
                if (next.isBefore(clock.instant())) next = clock.instant();
                if (!sleepUntil(next, deadline, stop)) {
                    ended = stop.getAsBoolean() ? "stopped" : "the capture time is over";
                    break;
                }
            }
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot write the capture in " + settings.dir() + ": " + e.getMessage(), e);
        } finally {
            for (Recording r : recording.values()) endProcess(r, "the capture ended");
            machine.close();
        }
        if (leftOut.count() > 0) log.accept(leftOut.count() + " more processes were seen and not captured (--max-processes " + all.maxProcesses() + ")");
        return finish(ended);
    }

    private Recording startProcess(HandleSource process, DiskBudget shared, java.util.Set<java.nio.file.Path> writing) throws IOException {
        int pid = process.target().pid();
        Recorder recorder = new Recorder(process, ++segments, settings.maxGroups(), settings.maxEntries(), clock);
        process.launchSnapshot().ifPresentOrElse(recorder::startFrom, () -> recorder.start(settings.traceOptions()));
        String name = process.target().name();
        CaptureHeader header = new CaptureHeader(CaptureHeader.FORMAT, captureId, segments, 1, pid, name, process.engineName(), recorder.tracing(),
                clock.instant(), settings.interval().toMillis(), settings.maxGroups(), settings.maxEntries(), rotated, commandLine(pid), true);
        SegmentWriter writer = new SegmentWriter(settings.dir(), header, shared, rotated, writing);
        listener.segmentStarted(segments, pid, name, process.engineName(), recorder.tracing());
        log.accept("segment " + segments + ": " + (name == null ? "pid " + pid : name + " (pid " + pid + ")"));
        return new Recording(process, recorder, writer);
    }

    private void endProcess(Recording r, String why) {
        rotated = Math.max(rotated, r.writer().rotatedFiles());
        try {
            r.writer().close();
        } catch (IOException e) {
            log.accept("cannot close " + r.writer().file() + ": " + e.getMessage());
        }
        if (!why.equals("the capture ended")) log.accept("segment " + r.recorder().segment() + " ended: " + why);
        listener.segmentEnded(r.recorder().segment(), why);
    }

    /** Reads what is on disk, judges it and writes report.txt/json/html; returns the verdict. */
    private Verdict writeReports() {
        Capture capture = CaptureReader.read(settings.dir(), false);
        Verdict verdict = LeakVerdict.DEFAULT.judge(capture);
        CaptureReport.writeAll(settings.dir(), capture, verdict);
        return verdict;
    }

    private HandleSource open(int pid) {
        String name = target instanceof CaptureTarget.Name n ? n.name() : null;
        if (!settings.trace()) return new TableOnlySource(engine, new TargetInfo(pid, name));
        return engine.attach(pid, settings.traceOptions());
    }

    /** The pid to capture next, waiting for it under --name; null when stopped or out of time. */
    private Integer nextPid(Instant deadline, BooleanSupplier stop) {
        if (target instanceof CaptureTarget.Pid p) {
            if (segments > 0) return null;
            return p.pid();
        }
        String name = ((CaptureTarget.Name) target).name();
        boolean said = false;
        long self = ProcessHandle.current().pid();
        while (!stop.getAsBoolean() && clock.instant().isBefore(deadline)) {
            // the pid just captured may linger as a zombie under its name: wait for a new one
            List<Engine.ProcessInfo> found = engine.findProcesses(name).stream().filter(p -> p.pid() != self && p.pid() != lastPid)
                    .sorted(Comparator.comparingInt(Engine.ProcessInfo::pid)).toList();
            if (!found.isEmpty()) {
                if (found.size() > 1) log.accept(found.size() + " processes named '" + name + "': capturing the oldest, pid " + found.get(0).pid());
                return found.get(0).pid();
            }
            if (!said) log.accept("waiting for a process named '" + name + "'");
            said = true;
            if (!sleepUntil(clock.instant().plus(pollInterval()), deadline, stop)) break;
        }
        return null;
    }

    /** How often to look for a process by name: every second, or every interval if shorter. */
    private Duration pollInterval() {
        return Duration.ofMillis(Math.min(1000, settings.interval().toMillis()));
    }

    /** The process's command line as the OS reports it to this user (for the report), or null when it does not. */
    private static String commandLine(int pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).filter(c -> !c.isBlank()).orElse(null);
    }

    /**
     * Records one process until it exits, time runs out, or stop; returns why it ended. Always detaches. The children it
     * forks that the engine traces (perf follows them) are recorded beside it, each a segment of its own judged on its
     * own, as under {@code capture --all}: in a pre-forking server the leak is often a worker's, not the parent's.
     */
    private String captureSegment(HandleSource source, Instant deadline, BooleanSupplier stop) {
        int pid = source.target().pid();
        int segment = segments;
        Recorder recorder = new Recorder(source, segment, settings.maxGroups(), settings.maxEntries(), clock);
        SegmentWriter writer = null;
        ArrayDeque<double[]> window = new ArrayDeque<>();
        Instant segmentStart = clock.instant();
        java.util.Set<java.nio.file.Path> writing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Map<Integer, Recording> children = new java.util.LinkedHashMap<>();
        LeftOut leftOut = new LeftOut();
        try {
            try {
                recorder.start(settings.traceOptions());
            } catch (JhtraceException e) {
                if (!source.isAlive() || e.failure() == Failure.TARGET_NOT_FOUND) return "the target exited (pid " + pid + ")";
                throw e;
            }
            String name = source.target().name() != null ? source.target().name()
                    : target instanceof CaptureTarget.Name n ? n.name() : null;
            CaptureHeader header = new CaptureHeader(CaptureHeader.FORMAT, captureId, segment, 1, pid, name, source.engineName(),
                    recorder.tracing(), clock.instant(), settings.interval().toMillis(), settings.maxGroups(), settings.maxEntries(), rotated,
                    commandLine(pid));
            writer = new SegmentWriter(settings.dir(), header, budget, rotated, writing);
            listener.segmentStarted(segment, pid, name, source.engineName(), recorder.tracing());
            log.accept("segment " + segment + ": capturing pid " + pid + (recorder.tracing() ? " with stack tracing" : " (counts only)")
                    + " every " + settings.interval().toMillis() + "ms into " + writer.file());
            Instant next = clock.instant();
            while (true) {
                CaptureRecord record;
                try {
                    record = recorder.record(++seq);
                } catch (JhtraceException e) {
                    seq--;
                    if (!source.isAlive() || e.failure() == Failure.TARGET_NOT_FOUND) return "the target exited (pid " + pid + ")";
                    throw e;
                }
                String trigger = triggers(record, window, segmentStart);
                if (trigger != null) record = record.withTrigger(trigger);
                writer.append(record);
                listener.recorded(record);
                rotated = writer.rotatedFiles();
                recordChildren(source, children, leftOut, writing);
                if (trigger != null) {
                    log.accept("trigger: " + trigger + "; writing the report");
                    writeReports();
                }
                next = next.plus(settings.interval());
                if (next.isBefore(clock.instant())) next = clock.instant(); // a slow record: do not try to catch up
                if (!sleepUntil(next, deadline, stop)) return stop.getAsBoolean() ? "stopped" : "the capture time is over";
                if (!source.isAlive()) {
                    if (!source.childrenAlive()) return "the target exited (pid " + pid + ")";
                    log.accept("the target exited (pid " + pid + "); recording the children it left running until they exit");
                    return recordOrphans(source, children, leftOut, writing, next, deadline, stop);
                }
            }
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot write the capture in " + settings.dir() + ": " + e.getMessage(), e);
        } finally {
            for (Recording r : children.values()) endProcess(r, "the capture of pid " + pid + " ended");
            if (leftOut.count() > 0) log.accept(leftOut.count() + " more children of pid " + pid + " were not captured (at most " + MAX_CHILDREN + " at once)");
            recorder.stop().ifPresent(log);
            source.close();
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    log.accept("cannot close " + writer.file() + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * After the target exited: its children that run on are recorded, and new ones they fork, until all have exited,
     * time runs out, or stop (as {@code strace -f} follows them); returns why it ended.
     */
    private String recordOrphans(HandleSource target, java.util.Map<Integer, Recording> children, LeftOut leftOut,
                                 java.util.Set<java.nio.file.Path> writing, Instant next, Instant deadline, BooleanSupplier stop) throws IOException {
        int pid = target.target().pid();
        while (true) {
            recordChildren(target, children, leftOut, writing);
            if (children.isEmpty() && !target.childrenAlive()) return "the target (pid " + pid + ") and the children it left running exited";
            next = next.plus(settings.interval());
            if (next.isBefore(clock.instant())) next = clock.instant();
            if (!sleepUntil(next, deadline, stop)) return stop.getAsBoolean() ? "stopped" : "the capture time is over";
        }
    }

    /** One round for the target's children: the new ones start a segment, each is recorded, the exited ones end theirs. */
    private void recordChildren(HandleSource target, java.util.Map<Integer, Recording> children, LeftOut leftOut,
                                java.util.Set<java.nio.file.Path> writing) throws IOException {
        for (HandleSource child : target.children()) {
            int pid = child.target().pid();
            if (children.containsKey(pid) || leftOut.noted(pid) || !child.isAlive()) continue;
            if (children.size() >= MAX_CHILDREN) {
                if (leftOut.note(pid) && leftOut.count() == 1) {
                    log.accept("more than " + MAX_CHILDREN + " children of pid " + target.target().pid() + " at once: the others are not captured");
                }
                continue;
            }
            children.put(pid, startProcess(child, budget, writing));
        }
        recordEach(children, "the child exited");
    }

    /** Records each process being recorded side by side; one that exited, or could not be recorded, ends its segment. */
    private void recordEach(java.util.Map<Integer, Recording> recording, String exited) throws IOException {
        for (java.util.Iterator<Recording> it = recording.values().iterator(); it.hasNext(); ) {
            Recording r = it.next();
            boolean alive = r.source().isAlive();
            String gone = null;
            try {
                CaptureRecord record = r.recorder().record(++seq);
                r.writer().append(record);
                listener.recorded(record);
            } catch (JhtraceException e) {
                seq--; // one process's failure is its segment's end, not the capture's
                gone = "pid " + r.source().target().pid() + " could not be recorded: " + e.getMessage();
            }
            if (!alive || gone != null) {
                it.remove();
                endProcess(r, gone != null ? gone : exited + " (pid " + r.source().target().pid() + ")");
            }
        }
    }

    /** The triggers this record fires, or null. Each fires when its condition becomes true, again only after it was false. */
    private String triggers(CaptureRecord r, ArrayDeque<double[]> window, Instant segmentStart) {
        String why = null;
        if (settings.handlesAbove() != null) {
            boolean above = r.total() > settings.handlesAbove();
            if (above && !aboveHandles) why = r.total() + " handles, above " + settings.handlesAbove();
            aboveHandles = above;
        }
        if (window.size() == TRIGGER_WINDOW) window.removeFirst();
        window.addLast(new double[] {Duration.between(segmentStart, r.time()).toNanos() / 3.6e12, r.total()});
        if (settings.growthPerHourAbove() != null) {
            double[] hours = window.stream().mapToDouble(p -> p[0]).toArray();
            double[] values = window.stream().mapToDouble(p -> p[1]).toArray();
            Growth g = LeakVerdict.DEFAULT.judge("all handles", null, hours, values);
            boolean above = g.judgement() == Growth.Judgement.LEAK && g.perHour() > settings.growthPerHourAbove();
            if (above && !aboveGrowth) {
                String growth = String.format("handles growing %s/hour (R² %.2f), above %s/hour", LeakVerdict.rate(g.perHour()), g.confidence(),
                        LeakVerdict.rate(settings.growthPerHourAbove()));
                why = why == null ? growth : why + "; " + growth;
            }
            aboveGrowth = above;
        }
        return why;
    }

    /** Sleeps until {@code when}; false when stopped or past the deadline first. */
    private boolean sleepUntil(Instant when, Instant deadline, BooleanSupplier stop) {
        while (true) {
            if (stop.getAsBoolean()) return false;
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) return false;
            if (!now.isBefore(when)) return true;
            long millis = Math.min(POLL_MILLIS, Math.max(1, Duration.between(now, when.isBefore(deadline) ? when : deadline).toMillis()));
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
