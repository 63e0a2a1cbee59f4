package dev.jhtrace.windbg;

import dev.jhtrace.analysis.HtraceDiff;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.ProcessHandles;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What {@code jhtrace import FILE...} computes from WinDbg logs: the htrace leak diff (and its report), the
 * handle listing, the problems met while parsing, and the target.
 *
 * <p>Leak diff: {@link HtraceDiff}, the one diff live targets use too, over the trace the logs show. When the logs
 * hold {@code !htrace -diff} output, the OPEN entries listed there are the outstanding handles; otherwise, for full
 * {@code !htrace} listings, the handles whose newest event is an OPEN. A handle listed by several outputs counts
 * once (the output later in the logs wins). Type and name come from any {@code !handle}
 * output in the same logs, matched by handle value.
 *
 * <p>Handle listing: every handle shown by any {@code !handle} output, once, with what all outputs know of it
 * merged ({@link HandleEntry#mergedWith}); {@code total} is the debugger's own {@code N Handles} figure when a
 * log has one (even if the listing was cut short), else the number of distinct handles shown; {@code types} come
 * from the last summary table when there is one, else from the handles shown. Kernel output spanning several
 * processes ({@code !handle 0 3 0 [TYPE]}) gives a listing by process: a handle is one process's, merged with
 * what other outputs show of the same process's handle; processes showing no handles are left out; each
 * process's total is its {@code entries in use} (the handles shown when the command named a type) and the
 * listing's the sum.
 *
 * <pre>{@code
 * WindbgImport imp = WindbgImport.read(List.of(Path.of("session.log")));
 * imp.problems().forEach(System.err::println);
 * if (imp.hasHtrace()) print(imp.leakReport());
 * if (imp.hasHandles()) print(imp.handleListing());
 * }</pre>
 * Immutable once built.
 */
public final class WindbgImport {
    /** The engine name reports carry for imported logs. */
    public static final String ENGINE = "windbg-log";

    private final List<WindbgLog> logs;
    private final StackTable stacks;

    private WindbgImport(List<WindbgLog> logs, StackTable stacks) {
        this.logs = List.copyOf(logs);
        this.stacks = stacks;
    }

    /**
     * Reads and parses log files, stacks interned in one table.
     *
     * @throws dev.jhtrace.spi.JhtraceException BAD_INPUT when a file is missing, unreadable, too large or binary
     */
    public static WindbgImport read(List<Path> files) {
        WindbgLogParser parser = new WindbgLogParser();
        List<WindbgLog> logs = new ArrayList<>(files.size());
        for (Path f : files) logs.add(parser.parse(f));
        return new WindbgImport(logs, parser.stacks());
    }

    /** An import of logs already parsed (with {@code stacks}, the table their parser interned stacks in). */
    public static WindbgImport of(List<WindbgLog> logs, StackTable stacks) {
        return new WindbgImport(logs, stacks);
    }

    /** The parsed logs, in the order given. */
    public List<WindbgLog> logs() {
        return logs;
    }

    /** The table the logs' stacks are interned in. */
    public StackTable stacks() {
        return stacks;
    }

    /** True when some log holds an {@code !htrace -diff} or {@code !htrace} listing (even one with no entries). */
    public boolean hasHtrace() {
        return !traceOutputs().isEmpty();
    }

    /** True when some log holds {@code !handle} output. */
    public boolean hasHandles() {
        return logs.stream().anyMatch(l -> !l.handleOutputs().isEmpty());
    }

    /**
     * Fails unless some log holds something to report.
     *
     * @return this import
     * @throws JhtraceException BAD_INPUT naming the logs when none holds an {@code !htrace} listing or diff, or {@code !handle} output
     */
    public WindbgImport requireContent() {
        if (hasHtrace() || hasHandles()) return this;
        String names = logs.stream().map(WindbgLog::source).collect(Collectors.joining(", "));
        throw new JhtraceException(Failure.BAD_INPUT, "no !htrace listing or diff and no !handle output in " + (names.isEmpty() ? "the input" : names));
    }

    /** Every parse problem, as {@code file:line: message: text}, in file then line order. */
    public List<String> problems() {
        return parseProblems().stream().map(ParseProblem::toString).toList();
    }

    /** Every parse problem, in file then line order. */
    public List<ParseProblem> parseProblems() {
        return logs.stream().flatMap(l -> l.problems().stream()).toList();
    }

    /** The target: pid from the {@code Process ID =} lines of {@code !htrace} (or the kernel {@code !handle} header), else 0. */
    public TargetInfo target() {
        for (WindbgLog l : logs) {
            for (HtraceOutput h : l.htraceOutputs()) {
                for (TraceEvent e : h.events()) if (e.pid() != 0) return new TargetInfo(e.pid(), null);
            }
        }
        for (WindbgLog l : logs) {
            for (HandleOutput h : l.handleOutputs()) if (h.pid() != null) return new TargetInfo(h.pid(), h.process());
        }
        return TargetInfo.UNKNOWN;
    }

    /** The diff outputs when there are any, else the listings. */
    private List<HtraceOutput> traceOutputs() {
        List<HtraceOutput> diffs = new ArrayList<>(), listings = new ArrayList<>();
        for (WindbgLog l : logs) {
            for (HtraceOutput h : l.htraceOutputs()) {
                if (h.command() == HtraceCommand.DIFF) diffs.add(h);
                else if (h.command() == HtraceCommand.LISTING) listings.add(h);
            }
        }
        return diffs.isEmpty() ? listings : diffs;
    }

    /**
     * The trace the logs show, as {@link HtraceDiff} reads it: the OPEN entries of every {@code !htrace -diff}
     * output (a diff lists the handles still open, so its CLOSE-free entries are the whole story), or, when the
     * logs hold no diff, every entry of every listing; outputs in log order, each oldest first, orders renumbered
     * across outputs. Nothing is known lost: a log does not say.
     */
    public TraceLog trace() {
        List<TraceEvent> events = new ArrayList<>();
        for (HtraceOutput h : traceOutputs()) {
            for (TraceEvent e : h.events()) {
                if (h.command() == HtraceCommand.DIFF && e.kind() != EventKind.OPEN) continue;
                events.add(renumbered(e, events.size()));
            }
        }
        return new TraceLog(events, false, null);
    }

    /**
     * The leak diff ({@link HtraceDiff} over {@link #trace()}, from its start): the outstanding handles in the
     * order they were opened, each with its OPEN event (orders renumbered 0, 1, ... over the outstanding handles)
     * and its {@code !handle} entry when a log shows one. The new events are the debugger's own
     * {@code new stack traces} figures when every diff prints one, else the entries shown. Empty when there is
     * no htrace output.
     */
    public Diff diff() {
        List<HtraceOutput> outputs = traceOutputs();
        boolean diffs = !outputs.isEmpty() && outputs.get(0).command() == HtraceCommand.DIFF;
        Snapshot since = new Snapshot(diffs ? "previous snapshot" : "start of trace", null, Snapshot.BEFORE_FIRST_EVENT, null);
        // no handle table: the log's !handle output rarely lists the same handles, so the trace alone decides
        Diff traced = HtraceDiff.compute(target(), since, trace(), null, null);
        Map<Long, HandleEntry> entries = mergedHandles();
        List<OutstandingHandle> outstanding = new ArrayList<>(traced.size());
        for (OutstandingHandle o : traced.outstanding()) {
            outstanding.add(new OutstandingHandle(o.handle(), entries.get(o.handle()), renumbered(o.open(), outstanding.size()), false));
        }
        long newEvents = 0;
        for (HtraceOutput h : outputs) {
            if (h.newTraces() == null) {
                newEvents = outputs.stream().mapToLong(o -> o.events().size()).sum();
                break;
            }
            newEvents += h.newTraces();
        }
        return new Diff(traced.target(), since, null, outstanding, (int) Math.min(Integer.MAX_VALUE, newEvents), null);
    }

    private static TraceEvent renumbered(TraceEvent e, long order) {
        return new TraceEvent(order, e.kind(), e.handle(), e.pid(), e.tid(), e.epochNanos(), e.stack());
    }

    /** The leak report of {@link #diff()}, grouped by {@link LeakAnalyzer#DEFAULT}. */
    public LeakReport leakReport() {
        return leakReport(LeakAnalyzer.DEFAULT);
    }

    /** The leak report of {@link #diff()}, grouped by {@code analyzer}. */
    public LeakReport leakReport(LeakAnalyzer analyzer) {
        return analyzer.analyze(diff(), ENGINE);
    }

    /** The handle listing (see the class comment for how totals and types are chosen). */
    public HandleListing handleListing() {
        List<ProcessHandles> processes = mergedProcesses();
        if (processes.size() > 1) return HandleListing.ofProcesses(processes);
        Map<Long, HandleEntry> merged = mergedHandles();
        Integer total = null;
        Map<String, Integer> table = Map.of();
        for (WindbgLog l : logs) {
            for (HandleOutput h : l.handleOutputs()) {
                if (h.reportedTotal() != null) total = h.reportedTotal();
                if (!h.typeCounts().isEmpty()) table = h.typeCounts();
            }
        }
        List<HandleEntry> handles = List.copyOf(merged.values());
        Map<String, Integer> types = table.isEmpty()
                ? HandleTable.countByType(handles.stream().map(HandleEntry::type).toList())
                : heaviestFirst(table);
        int pid = target().pid();
        return new HandleListing(pid == 0 ? null : pid, total != null ? total : handles.size(), types, handles);
    }

    /** All handles shown by {@code !handle} outputs, by value, later outputs' facts first. */
    private Map<Long, HandleEntry> mergedHandles() {
        Map<Long, HandleEntry> byValue = new TreeMap<>();
        for (WindbgLog l : logs) {
            for (HandleOutput h : l.handleOutputs()) {
                for (HandleEntry e : h.handles()) byValue.merge(e.handle(), e, (older, newer) -> newer.mergedWith(older));
            }
        }
        return byValue;
    }

    /**
     * The handles of all {@code !handle} outputs by process (pid null for user-mode output and for kernel handles
     * printed before any PROCESS block), in first-seen order, merged by value within a process, without processes
     * that show no handles.
     */
    private List<ProcessHandles> mergedProcesses() {
        Map<Integer, ProcessHandles> byPid = new LinkedHashMap<>();
        Map<Integer, Map<Long, HandleEntry>> handles = new LinkedHashMap<>();
        for (WindbgLog l : logs) {
            for (HandleOutput h : l.handleOutputs()) {
                List<ProcessHandles> parts = h.processes().isEmpty()
                        ? List.of(new ProcessHandles(h.pid(), h.process(), h.reportedTotal(), h.handles())) : h.processes();
                for (ProcessHandles p : parts) {
                    ProcessHandles known = byPid.get(p.pid());
                    byPid.put(p.pid(), known == null ? p : new ProcessHandles(p.pid(),
                            p.image() != null ? p.image() : known.image(),
                            p.reportedTotal() != null ? p.reportedTotal() : known.reportedTotal(), List.of()));
                    Map<Long, HandleEntry> values = handles.computeIfAbsent(p.pid(), k -> new TreeMap<>());
                    for (HandleEntry e : p.handles()) values.merge(e.handle(), e, (older, newer) -> newer.mergedWith(older));
                }
            }
        }
        List<ProcessHandles> result = new ArrayList<>();
        byPid.forEach((pid, p) -> {
            List<HandleEntry> shown = List.copyOf(handles.get(pid).values());
            if (!shown.isEmpty()) result.add(new ProcessHandles(pid, p.image(), p.reportedTotal(), shown));
        });
        return result;
    }

    private static Map<String, Integer> heaviestFirst(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }
}
