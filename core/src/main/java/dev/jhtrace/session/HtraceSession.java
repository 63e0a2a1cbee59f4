package dev.jhtrace.session;

import dev.jhtrace.analysis.HtraceDiff;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * The {@code !htrace} workflow on any {@link HandleSource}: enable, snapshot, diff, report. Written
 * once above the engines, so Linux, Windows and scripts behave alike.
 */
public final class HtraceSession {
    /** How long a diff waits at most for the threads of outstanding handles to make their next call. */
    public static final long SETTLE_TIMEOUT_MILLIS = 15_000;
    /** A diff stops waiting when the tracer delivered no event for this long. */
    public static final long SETTLE_IDLE_MILLIS = 2_000;
    /** Only handles opened this long before the table was read can be passing through (a loaded machine's gdb lags seconds). */
    public static final long SETTLE_WINDOW_MILLIS = 10_000;
    private static final long SETTLE_POLL_MILLIS = 20;
    /** At most this many rounds of settling per diff (each round waits for the fresh opens the last one revealed). */
    private static final int SETTLE_ROUNDS = 4;
    /** Releases in flight are read every this many polls: it costs a /proc read per thread on Linux. */
    private static final int SETTLE_RELEASE_POLLS = 5;
    private final HandleSource source;
    private final Clock clock;
    private final RecordedModules modules = new RecordedModules();
    private final CachingSymbolizer symbolizer;
    private final List<Snapshot> snapshots = new ArrayList<>();

    public HtraceSession(HandleSource source) {
        this(source, Clock.systemUTC());
    }

    public HtraceSession(HandleSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
        this.symbolizer = new CachingSymbolizer(source.symbols(), new StackTable(), modules);
    }

    public HandleSource source() {
        return source;
    }

    /** The tracing of the source, or a clear error when it has none. */
    public HandleTracing tracing() {
        return source.tracing().orElseThrow(() -> new JhtraceException(Failure.ENGINE_UNAVAILABLE,
                "the " + source.engineName() + " source has no handle tracing"));
    }

    /**
     * {@code !htrace -enable}: turns tracing on (adopting a trace already running) and takes the first
     * snapshot. For a launched command, whose trace began before its first instruction, the first snapshot
     * is that moment ({@link HandleSource#launchSnapshot()}), named {@code launch}.
     */
    public Snapshot enable(TraceOptions options) {
        HandleTracing t = tracing();
        Optional<Snapshot> launch = snapshots.isEmpty() ? source.launchSnapshot() : Optional.empty();
        // a launch traced from its start is diffed from it, also when it ended before this (its tracing then ended
        // too, with the whole of its trace: enabling again would start a new, empty one)
        if (launch.isPresent() && (t.isEnabled() || !source.isAlive())) {
            recordModules();
            snapshots.add(launch.get());
            return launch.get();
        }
        if (!t.isEnabled()) t.enable(options);
        return snapshot("enable");
    }

    /** {@code !htrace -snapshot}: remembers the current handle table and trace position. */
    public Snapshot snapshot(String name) {
        recordModules();
        long mark = tracing().lastOrder();
        HandleTable table = source.handles();
        Snapshot s = new Snapshot(name == null ? "snapshot " + (snapshots.size() + 1) : name, clock.instant(), mark, table);
        snapshots.add(s);
        return s;
    }

    /** The snapshots taken so far, oldest first. */
    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** The newest snapshot, or a clear error when there is none. */
    public Snapshot lastSnapshot() {
        if (snapshots.isEmpty()) throw new JhtraceException(Failure.BAD_INPUT, "no snapshot yet: enable tracing or take a snapshot first");
        return snapshots.get(snapshots.size() - 1);
    }

    /**
     * {@code !htrace -diff}: the handles open now that were opened since {@code since}, with their
     * stacks resolved. When the target has exited and the engine kept no table of it, the trace alone decides what is still open.
     * Built once the trace has settled, then symbolized once: one {@link dev.jhtrace.spi.SymbolResolver#resolveAll} call
     * for the addresses not resolved before.
     */
    public Diff diff(Snapshot since) {
        recordModules();
        // the trace's mark, then the table, then the trace: what opened after the table was read waits for the
        // next diff, and what closed after it is known closed (HtraceDiff)
        long tableMark = tracing().lastOrder();
        HandleTable now = tableForDiff();
        TraceLog log = tracing().log();
        Snapshot base = now == null ? new Snapshot(since.name(), since.time(), since.traceMark(), null) : since;
        Diff raw = HtraceDiff.compute(source.target(), base, log, now, tableMark, clock.instant());
        if (now != null) {
            // settling brings events that can name new fresh opens (one whose return the tracer had not reported when
            // the table was read has no stack at first), so it goes round until a round has nothing to wait for
            long deadlineNanos = System.nanoTime() + SETTLE_TIMEOUT_MILLIS * 1_000_000L;
            Set<Long> closing = new HashSet<>();
            long logLastOrder = log.lastOrder();
            for (int round = 1; ; round++) {
                Settled settled = settle(raw, now, logLastOrder, deadlineNanos);
                closing.addAll(settled.closing());
                if (settled.newerEvents()) {
                    TraceLog newer = tracing().log();
                    logLastOrder = newer.lastOrder();
                    raw = HtraceDiff.compute(source.target(), base, newer, now, tableMark, clock.instant());
                }
                if (!settled.waited() || !settled.newerEvents() || round == SETTLE_ROUNDS) break;
            }
            raw = raw.without(closing);
        }
        raw = raw.without(source.standardHandles());
        return withResolvedStacks(raw, since);
    }

    /** Whether there was anything to wait for, whether events newer than the diff's log arrived meanwhile, and the outstanding handles a thread was seen releasing. */
    private record Settled(boolean waited, boolean newerEvents, Set<Long> closing) {
    }

    /**
     * Waits until every thread that opened an outstanding handle has made a traced call after that open, or is
     * releasing the handles it opened ({@link HandleSource#releasesInFlight}), for as long as the tracer keeps
     * delivering events ({@link #SETTLE_IDLE_MILLIS} without a new event ends it; at most
     * {@link #SETTLE_TIMEOUT_MILLIS}; only opens of the last {@link #SETTLE_WINDOW_MILLIS} count). A handle that is
     * only passing through (opened, used, closed) is then seen closed instead of reported: under a tracer that holds
     * threads at each call (gdb) such a handle stays open while its thread waits its turn, tens of milliseconds on an
     * idle machine and seconds on a loaded one, and a busy threaded program has many. Progress is any new event, not
     * only one from a waiting thread: a loaded gdb serves 200 threads' stops in turn. A thread that leaked and then
     * blocks costs one idle period in a quiet program and at most the timeout in a busy one.
     */
    private Settled settle(Diff raw, HandleTable now, long logLastOrder, long deadlineNanos) {
        long recentNanos = (now.time().toEpochMilli() - SETTLE_WINDOW_MILLIS) * 1_000_000L;
        Map<Integer, Long> waiting = new HashMap<>(); // thread -> the order of its newest outstanding open
        Map<Integer, Set<Long>> opened = new HashMap<>(); // thread -> the outstanding handles it opened
        long seen = Long.MAX_VALUE; // events up to this order were looked at
        for (OutstandingHandle h : raw.outstanding()) {
            TraceEvent open = h.open();
            if (open == null || (open.epochNanos() != TraceEvent.NO_TIME && open.epochNanos() < recentNanos)) continue;
            waiting.merge(open.tid(), open.order(), Math::max);
            opened.computeIfAbsent(open.tid(), t -> new HashSet<>()).add(h.handle());
            seen = Math.min(seen, open.order());
        }
        Set<Long> closing = new HashSet<>();
        if (waiting.isEmpty() || !source.isAlive()) return new Settled(false, false, closing);
        HandleTracing tracing = tracing();
        long start = System.nanoTime();
        long lastProgress = start;
        long newest = seen;
        for (int poll = 0; ; poll++) {
            // only the events not looked at yet: a busy target's log is long, and this runs every poll
            for (TraceEvent e : tracing.eventsAfter(seen)) {
                Long open = waiting.get(e.tid());
                if (open != null && e.order() > open) waiting.remove(e.tid());
                seen = Math.max(seen, e.order());
            }
            if (poll % SETTLE_RELEASE_POLLS == 0) {
                Set<Long> candidates = new HashSet<>();
                waiting.keySet().forEach(tid -> candidates.addAll(opened.get(tid)));
                closing.addAll(source.releasesInFlight(candidates));
                waiting.keySet().removeIf(tid -> closing.containsAll(opened.get(tid)));
            }
            long nowNanos = System.nanoTime();
            if (seen > newest) {
                newest = seen;
                lastProgress = nowNanos;
            }
            if (waiting.isEmpty() || !source.isAlive() || nowNanos - lastProgress > SETTLE_IDLE_MILLIS * 1_000_000L
                    || nowNanos > deadlineNanos) {
                return new Settled(true, seen > logLastOrder, closing);
            }
            try {
                Thread.sleep(SETTLE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Settled(true, seen > logLastOrder, closing);
            }
        }
    }

    /**
     * The diff with every outstanding handle's stack symbolized through the source's resolver (one batch, one cache),
     * reported against {@code since}.
     */
    public Diff withResolvedStacks(Diff raw, Snapshot since) {
        return symbolizer.symbolize(raw, since);
    }

    /** The module maps of a running target, kept for frames its engine cannot resolve later (after it exited, say). */
    private void recordModules() {
        modules.recordFrom(source);
    }

    /** The report for a diff. */
    public LeakReport report(Diff diff, LeakAnalyzer analyzer) {
        return analyzer.analyze(diff, source.engineName());
    }

    /** {@code !htrace -disable}. */
    public void disable() {
        tracing().disable();
    }

    private HandleTable tableForDiff() {
        try {
            return source.tableForDiff().orElse(null);
        } catch (JhtraceException e) {
            if (e.failure() == Failure.TARGET_NOT_FOUND) return null; // exited as the table was read, none kept: the trace alone decides
            throw e;
        }
    }
}
