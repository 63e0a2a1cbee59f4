package dev.jhtrace.analysis;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Groups the outstanding handles of a diff into a {@link LeakReport}.
 *
 * @param systemModules     modules skipped when choosing a group's leaking frame
 * @param groupBy           how to group
 * @param mergeAtLeakFrame  with {@link GroupBy#STACK}: merge stacks that differ only in the callers of the leaking frame
 * @param sampleNames       how many sample object names each group keeps
 */
public record LeakAnalyzer(SystemModules systemModules, GroupBy groupBy, boolean mergeAtLeakFrame, int sampleNames) {

    /** Group by full stack with the default system modules. */
    public static final LeakAnalyzer DEFAULT = new LeakAnalyzer(SystemModules.DEFAULT, GroupBy.STACK, false, 5);

    public LeakAnalyzer withGroupBy(GroupBy g) {
        return new LeakAnalyzer(systemModules, g, mergeAtLeakFrame, sampleNames);
    }

    public LeakAnalyzer withMergeAtLeakFrame(boolean merge) {
        return new LeakAnalyzer(systemModules, groupBy, merge, sampleNames);
    }

    /** The report for a diff. */
    public LeakReport analyze(Diff diff, String engine) {
        List<OutstandingHandle> handles = diff.outstanding();
        // Stacks are interned, so most equal stacks are one object: key by identity first, then by value.
        Map<StackTrace, Integer> leakIndexCache = new IdentityHashMap<>();
        Map<Object, List<OutstandingHandle>> buckets = new LinkedHashMap<>();
        for (OutstandingHandle h : handles) {
            StackTrace stack = h.stack();
            int leak = leakIndexCache.computeIfAbsent(stack, this::leakFrameIndex);
            buckets.computeIfAbsent(keyOf(h, stack, leak), k -> new ArrayList<>()).add(h);
        }
        List<LeakGroup> groups = new ArrayList<>(buckets.size());
        for (Map.Entry<Object, List<OutstandingHandle>> b : buckets.entrySet()) {
            groups.add(group(b.getValue(), leakIndexCache));
        }
        groups.sort(Comparator.comparingInt(LeakGroup::count).reversed().thenComparing(LeakGroup::key));
        Map<String, Integer> types = HandleTable.countByType(handles.stream().map(OutstandingHandle::type).toList());
        return new LeakReport(diff.target(), engine, handles.size(), diff.lostEvents(), types, groupBy, groups);
    }

    /** Index of the first frame outside the system modules; -1 for an empty stack; the last frame when all are system frames. */
    public int leakFrameIndex(StackTrace stack) {
        List<StackFrame> frames = stack.frames();
        for (int i = 0; i < frames.size(); i++) {
            if (!systemModules.contains(frames.get(i).module())) return i;
        }
        return frames.size() - 1;
    }

    /** The leaking frame of a stack, or null for an empty stack. */
    public StackFrame leakFrame(StackTrace stack) {
        int i = leakFrameIndex(stack);
        return i < 0 ? null : stack.frame(i);
    }

    private Object keyOf(OutstandingHandle h, StackTrace stack, int leak) {
        return switch (groupBy) {
            case STACK -> mergeAtLeakFrame && leak >= 0 ? stack.frames().subList(0, leak + 1) : stack;
            case TYPE -> h.type() == null ? HandleTable.UNKNOWN_TYPE : h.type();
            case MODULE -> leak < 0 ? "(unknown)" : String.valueOf(stack.frame(leak).module());
            case FUNCTION -> leak < 0 ? "(unknown)" : functionOf(stack.frame(leak));
        };
    }

    private static String functionOf(StackFrame f) {
        if (f.function() == null) return f.symbol();
        return f.module() == null ? f.function() : f.module() + "!" + f.function();
    }

    private LeakGroup group(List<OutstandingHandle> members, Map<StackTrace, Integer> leakIndexCache) {
        // The group's stack is its most common one (all the same unless merged or grouped by type/module/function).
        Map<StackTrace, Integer> stackCounts = new HashMap<>();
        for (OutstandingHandle h : members) stackCounts.merge(h.stack(), 1, Integer::sum);
        StackTrace stack = stackCounts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int leak = leakIndexCache.computeIfAbsent(stack, this::leakFrameIndex);
        StackFrame leakFrame = leak < 0 ? null : stack.frame(leak);

        List<String> names = new ArrayList<>();
        TreeSet<Integer> threads = new TreeSet<>();
        Instant first = null, last = null;
        for (OutstandingHandle h : members) {
            if (h.name() != null && names.size() < sampleNames && !names.contains(h.name())) names.add(h.name());
            TraceEvent open = h.open();
            if (open == null) continue;
            threads.add(open.tid());
            if (open.epochNanos() != TraceEvent.NO_TIME) {
                Instant t = open.time().orElseThrow();
                if (first == null || t.isBefore(first)) first = t;
                if (last == null || t.isAfter(last)) last = t;
            }
        }
        String key = switch (groupBy) {
            case TYPE -> members.get(0).type() == null ? HandleTable.UNKNOWN_TYPE : members.get(0).type();
            case MODULE -> leakFrame == null ? "(unknown)" : String.valueOf(leakFrame.module());
            case FUNCTION -> leakFrame == null ? "(unknown)" : functionOf(leakFrame);
            case STACK -> leakFrame == null ? "(stack unknown)" : leakFrame.symbol();
        };
        Map<String, Integer> types = HandleTable.countByType(members.stream().map(OutstandingHandle::type).toList());
        return new LeakGroup(key, members.size(), types, List.copyOf(names), List.copyOf(threads), leakFrame, stack, first, last, List.copyOf(members));
    }
}
