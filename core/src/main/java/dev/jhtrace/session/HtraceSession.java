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
    /** A diff stops waiting when none of those threads made progress for this long. */
    public static final long SETTLE_IDLE_MILLIS = 2_000;
    /** Only handles opened this long before the table was read can be passing through (a loaded machine's gdb lags seconds). */
    public static final long SETTLE_WINDOW_MILLIS = 10_000;
    private static final long SETTLE_POLL_MILLIS = 20;
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
        if (!t.isEnabled()) {
            t.enable(options);
        } else if (snapshots.isEmpty()) {
            recordModules();
            Optional<Snapshot> launch = source.launchSnapshot();
            if (launch.isPresent()) {
                snapshots.add(launch.get());
                return launch.get();
            }
        }
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
        if (now != null && settle(raw, now, log.lastOrder())) raw = HtraceDiff.compute(source.target(), base, tracing().log(), now, tableMark, clock.instant());
        return withResolvedStacks(raw, since);
    }

    /**
     * Waits until every thread that opened an outstanding handle has made a traced call after that open, for as
     * long as such threads keep making progress ({@link #SETTLE_IDLE_MILLIS} without progress ends it; at most
     * {@link #SETTLE_TIMEOUT_MILLIS}; only opens of the last {@link #SETTLE_WINDOW_MILLIS} count). A handle that is only passing through (opened, used, closed) is then seen
     * closed instead of reported: under a tracer that stops threads at each call (gdb) such a handle stays open
     * while its thread waits its turn, tens of milliseconds on an idle machine and seconds on a loaded one, and a
     * busy threaded program has many. A thread that leaked and then blocks costs one idle period.
     * Returns whether events newer than the diff's log ({@code logLastOrder}) arrived meanwhile.
     */
    private boolean settle(Diff raw, HandleTable now, long logLastOrder) {
        long recentNanos = (now.time().toEpochMilli() - SETTLE_WINDOW_MILLIS) * 1_000_000L;
        Map<Integer, Long> waiting = new HashMap<>(); // thread -> the order of its newest outstanding open
        long seen = Long.MAX_VALUE; // events up to this order were looked at
        for (OutstandingHandle h : raw.outstanding()) {
            TraceEvent open = h.open();
            if (open == null || (open.epochNanos() != TraceEvent.NO_TIME && open.epochNanos() < recentNanos)) continue;
            waiting.merge(open.tid(), open.order(), Math::max);
            seen = Math.min(seen, open.order());
        }
        if (waiting.isEmpty() || !source.isAlive()) return false;
        HandleTracing tracing = tracing();
        long start = System.nanoTime();
        long lastProgress = start;
        while (true) {
            int before = waiting.size();
            // only the events not looked at yet: a busy target's log is long, and this runs every poll
            for (TraceEvent e : tracing.eventsAfter(seen)) {
                Long open = waiting.get(e.tid());
                if (open != null && e.order() > open) waiting.remove(e.tid());
                seen = Math.max(seen, e.order());
            }
            long nowNanos = System.nanoTime();
            if (waiting.size() < before) lastProgress = nowNanos;
            if (waiting.isEmpty() || !source.isAlive() || nowNanos - lastProgress > SETTLE_IDLE_MILLIS * 1_000_000L
                    || nowNanos - start > SETTLE_TIMEOUT_MILLIS * 1_000_000L) {
                return seen > logLastOrder;
            }
            try {
                Thread.sleep(SETTLE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return seen > logLastOrder;
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
