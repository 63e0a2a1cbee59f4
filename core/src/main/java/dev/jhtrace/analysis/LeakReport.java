package dev.jhtrace.analysis;

import dev.jhtrace.model.TargetInfo;

import java.util.List;
import java.util.Map;

/**
 * Which code leaks what: the outstanding handles of a diff, grouped, heaviest group first.
 *
 * @param target      the process
 * @param engine      the engine that captured it ({@code gdb}, {@code windows}, {@code windbg-log} ...)
 * @param outstanding number of outstanding handles
 * @param lostEvents  events lost from the trace, or null when unknown
 * @param types       outstanding handles per type, heaviest first
 * @param groupBy     how the groups were formed
 * @param groups      the groups, by count descending
 */
public record LeakReport(TargetInfo target, String engine, int outstanding, Long lostEvents,
                         Map<String, Integer> types, GroupBy groupBy, List<LeakGroup> groups) {

    /** The first {@code n} groups. */
    public LeakReport top(int n) {
        return new LeakReport(target, engine, outstanding, lostEvents, types, groupBy, groups.subList(0, Math.min(n, groups.size())));
    }

    /** True when anything is outstanding. */
    public boolean hasLeaks() {
        return outstanding > 0;
    }
}
