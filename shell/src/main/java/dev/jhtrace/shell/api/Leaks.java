package dev.jhtrace.shell.api;

import dev.jhtrace.analysis.GroupBy;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.SystemModules;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;

import java.util.List;
import java.util.Map;

/**
 * What {@code !htrace -diff} found: the handles opened since a snapshot and still open. Group them
 * to see which code leaks: {@link #byStack()}, {@link #byType()}, {@link #byModule()}, {@link #byFunction()}.
 */
public final class Leaks {
    private final Diff diff;
    private final String engine;
    private final LeakAnalyzer analyzer;

    /** The leaks of a diff captured by {@code engine}, grouped with the default system modules. */
    public Leaks(Diff diff, String engine) {
        this(diff, engine, LeakAnalyzer.DEFAULT);
    }

    private Leaks(Diff diff, String engine, LeakAnalyzer analyzer) {
        this.diff = diff;
        this.engine = engine;
        this.analyzer = analyzer;
    }

    /**
     * The same leaks, treating frames of these modules as system frames too, so that the leaking frame
     * is found below them (e.g. {@code skipping('advapi32')} to blame the caller of {@code RegOpenKeyExW}).
     * Names match without path, case or extension.
     */
    public Leaks skipping(String... modules) {
        java.util.Set<String> names = new java.util.HashSet<>(analyzer.systemModules().names());
        names.addAll(java.util.Arrays.asList(modules));
        LeakAnalyzer wider = new LeakAnalyzer(new SystemModules(names), analyzer.groupBy(), analyzer.mergeAtLeakFrame(), analyzer.sampleNames());
        return new Leaks(diff, engine, wider);
    }

    /** The core diff record (snapshot compared against, outstanding handles, event counts). */
    public Diff getDiff() {
        return diff;
    }

    /** Number of outstanding handles. */
    public int size() {
        return diff.size();
    }

    /** The outstanding handles in the order they were opened. */
    public List<OutstandingHandle> getOutstanding() {
        return diff.outstanding();
    }

    /** Outstanding handles per type, heaviest first. */
    public Map<String, Integer> countsByType() {
        return HandleTable.countByType(diff.outstanding().stream().map(OutstandingHandle::type).toList());
    }

    /** Grouped by the full stack that opened them (what one reads {@code !htrace -diff} for). */
    public Groups byStack() {
        return groupedBy(GroupBy.STACK);
    }

    /** Grouped by stack, merging stacks that differ only in the callers of their leaking frame. */
    public Groups byLeakFrame() {
        return new Groups(analyzer.withGroupBy(GroupBy.STACK).withMergeAtLeakFrame(true).analyze(diff, engine));
    }

    /** Grouped by handle type. */
    public Groups byType() {
        return groupedBy(GroupBy.TYPE);
    }

    /** Grouped by the module of the leaking frame. */
    public Groups byModule() {
        return groupedBy(GroupBy.MODULE);
    }

    /** Grouped by the function of the leaking frame. */
    public Groups byFunction() {
        return groupedBy(GroupBy.FUNCTION);
    }

    /** Grouped as named: {@code stack}, {@code type}, {@code module} or {@code function}. */
    public Groups groupedBy(String how) {
        return groupedBy(GroupBy.parse(how));
    }

    /** Grouped as asked. */
    public Groups groupedBy(GroupBy how) {
        return new Groups(analyzer.withGroupBy(how).withMergeAtLeakFrame(false).analyze(diff, engine));
    }

    @Override
    public String toString() {
        return diff.size() + " outstanding handle" + (diff.size() == 1 ? "" : "s") + " since '" + diff.since().name() + "' " + countsByType();
    }
}
