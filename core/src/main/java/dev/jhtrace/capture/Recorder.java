package dev.jhtrace.capture;

import dev.jhtrace.analysis.HtraceDiff;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.session.CachingSymbolizer;
import dev.jhtrace.session.RecordedModules;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.TraceOptions;
import dev.jhtrace.spi.TraceTrimming;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes the records of one segment from a {@link HandleSource}. Each record reads the handle table,
 * diffs it against the previous record's ({@code !htrace -diff} semantics: the tables decide what is
 * open, the trace supplies stacks), and keeps, per stack, the handles opened since tracing began that
 * are still open. Its memory is bounded by the target's own handle table: events are forgotten once
 * recorded (when the engine offers {@link TraceTrimming}), and each record keeps at most
 * {@code maxGroups} stacks and {@code maxEntries} entries, counting what it left out.
 */
public final class Recorder {
    private static final int SAMPLE_NAMES = 3;

    private final HandleSource source;
    private final int segment;
    private final int maxGroups;
    private final int maxEntries;
    private final Clock clock;
    private final LeakAnalyzer analyzer = LeakAnalyzer.DEFAULT;
    private StackTable stackTable;
    private CachingSymbolizer symbolizer;
    /** Module maps recorded at each record while the target runs: kept across symbol cache resets. */
    private final RecordedModules modules = new RecordedModules();
    private final HandleTracing tracing;

    /** handle -> the stack that opened it, for handles opened since tracing began and still open */
    private final Map<Long, Held> held = new HashMap<>();
    /** stack id -> the stack, for the stacks in {@link #held} */
    private final Map<String, StackTrace> stacks = new HashMap<>();
    private HandleTable previousTable;
    /** The trace's order just before {@link #previousTable} was read. */
    private long previousMark = -1;
    /** handle -> order of its OPEN, for the handles the previous record counted from events after its mark */
    private Map<Long, Long> countedAfterMark = Map.of();
    private Instant previousTime;
    private long droppedEvents;

    private record Held(String stackId, String type, String name, boolean inferred) {
    }

    /**
     * @param source    the target
     * @param segment   the segment the records belong to
     * @param maxGroups most stacks per record
     * @param maxEntries most handle entries per record
     * @param clock     for record times
     */
    public Recorder(HandleSource source, int segment, int maxGroups, int maxEntries, Clock clock) {
        this.source = source;
        this.segment = segment;
        this.maxGroups = maxGroups;
        this.maxEntries = maxEntries;
        this.clock = clock;
        resetSymbolCache();
        this.tracing = source.tracing().orElse(null);
    }

    /**
     * Stacks resolved before the symbol cache is started afresh: it is keyed by stack object, so an engine
     * that does not intern its stacks would otherwise grow it by one entry per handle, for days.
     */
    private static final int MAX_RESOLVES_PER_CACHE = 200_000;
    private int resolves;

    private void resetSymbolCache() {
        resolves = 0;
        stackTable = new StackTable();
        symbolizer = new CachingSymbolizer(source.symbols(), stackTable, modules);
    }

    /** The segment the records belong to. */
    public int segment() {
        return segment;
    }

    /** True when the source traces stacks. */
    public boolean tracing() {
        return tracing != null;
    }

    /** Turns tracing on (adopting a trace already running) and takes the baseline: handles open now are not counted. */
    public void start(TraceOptions options) {
        if (tracing != null && !tracing.isEnabled()) tracing.enable(options);
        if (tracing != null) previousMark = tracing.lastOrder();
        previousTable = source.handles();
        previousTime = clock.instant();
    }

    /**
     * Starts from {@code baseline} instead of now: a process of {@code --all} or a child, whose baseline is its first
     * event ({@link HandleSource#launchSnapshot()}, without a table): what it opened since is counted.
     */
    public void startFrom(Snapshot baseline) {
        previousMark = baseline.traceMark();
        previousTable = baseline.table();
        previousTime = baseline.time();
    }

    /** Takes the next record. */
    public CaptureRecord record(long seq) {
        // the trace's mark, then the table: what is opened while the table is read, before the trace has it, is then
        // the next record's with its stack (read after the table, the mark would pass over it for good)
        long tableMark = tracing == null ? 0 : tracing.lastOrder();
        HandleTable table = source.handles();
        Instant now = clock.instant();
        Map<Long, HandleEntry> open = table.byHandle();
        held.keySet().retainAll(open.keySet());
        Map<String, Integer> openedNow = new HashMap<>();
        int opened = 0, newEvents = 0;
        Long lost = null;
        if (tracing != null) {
            if (resolves > MAX_RESOLVES_PER_CACHE || stackTable.distinctStacks() > MAX_RESOLVES_PER_CACHE / 10) resetSymbolCache();
            TraceLog log = tracing.log();
            // reopened stdin/stdout/stderr replaced a standard handle, never added one
            Diff diff = HtraceDiff.compute(source.target(), new Snapshot("previous record", previousTime, previousMark, previousTable), log, table,
                    tableMark, now).without(source.standardHandles());
            modules.recordFrom(source);
            // every new address of this record's stacks in one engine call
            symbolizer.resolveAll(diff.outstanding().stream().filter(h -> h.open() != null).map(h -> h.open().stack()).toList());
            Map<Long, Long> counted = new HashMap<>();
            for (OutstandingHandle h : diff.outstanding()) {
                // made while the previous table was read: that record counted it, and it is in that table, so it is
                // found again here
                Long countedOrder = h.open() == null ? null : countedAfterMark.get(h.handle());
                boolean countedBefore = countedOrder != null && countedOrder == h.open().order();
                if (h.open() != null && h.open().order() > tableMark) counted.put(h.handle(), h.open().order());
                if (countedBefore) continue;
                StackTrace stack = h.open() == null ? StackTrace.EMPTY : symbolizer.resolve(h.open().stack());
                resolves++;
                String id = StackIds.of(stack);
                stacks.putIfAbsent(id, stack);
                held.put(h.handle(), new Held(id, h.type(), h.name(), h.open() != null && h.open().inferred()));
                openedNow.merge(id, 1, Integer::sum);
                opened++;
            }
            countedAfterMark = counted;
            // the events up to the table's mark: those after it are the next record's
            newEvents = diff.newEvents() - log.after(tableMark).size();
            lost = log.lostEvents();
            previousMark = tableMark;
            if (tracing instanceof TraceTrimming trimming) droppedEvents += trimming.discardThrough(previousMark);
        }
        previousTable = table;
        previousTime = now;

        Map<String, List<Held>> byStack = new HashMap<>();
        for (Held h : held.values()) byStack.computeIfAbsent(h.stackId(), k -> new ArrayList<>()).add(h);
        stacks.keySet().retainAll(byStack.keySet());
        List<Map.Entry<String, List<Held>>> ranked = new ArrayList<>(byStack.entrySet());
        ranked.sort(Comparator.comparingInt((Map.Entry<String, List<Held>> e) -> e.getValue().size()).reversed().thenComparing(Map.Entry::getKey));
        List<StackGroup> groups = new ArrayList<>();
        for (Map.Entry<String, List<Held>> e : ranked.subList(0, Math.min(maxGroups, ranked.size()))) {
            groups.add(group(e.getKey(), e.getValue(), openedNow.getOrDefault(e.getKey(), 0)));
        }
        List<HandleEntry> entries = table.entries();
        int entriesDropped = Math.max(0, entries.size() - maxEntries);
        if (entriesDropped > 0) entries = entries.subList(0, maxEntries);
        return new CaptureRecord(seq, segment, source.target().pid(), now, table.size(), table.countsByType(), entries, entriesDropped,
                held.size(), opened, newEvents, lost, droppedEvents, groups, ranked.size() - groups.size(), null, source.traceNotes());
    }

    /** Turns tracing off, if the target is still there to hear it; errors are ignored (it may have just exited). */
    public Optional<String> stop() {
        if (tracing == null) return Optional.empty();
        try {
            if (source.isAlive() && tracing.isEnabled()) tracing.disable();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("could not disable tracing: " + e.getMessage());
        }
    }

    private StackGroup group(String id, List<Held> members, int openedNow) {
        StackTrace stack = stacks.getOrDefault(id, StackTrace.EMPTY);
        StackFrame leak = analyzer.leakFrame(stack);
        String key = leak == null ? "(stack unknown)" : leak.symbol();
        List<String> names = new ArrayList<>();
        for (Held h : members) {
            if (names.size() >= SAMPLE_NAMES) break;
            if (h.name() != null && !names.contains(h.name())) names.add(h.name());
        }
        Map<String, Integer> types = new LinkedHashMap<>(HandleTable.countByType(members.stream().map(Held::type).toList()));
        int inferred = (int) members.stream().filter(Held::inferred).count();
        return new StackGroup(id, key, members.size(), openedNow, types, names, stack, inferred);
    }
}
