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
        // Stacks are interned, so equal stacks are nearly always one object: bucket by identity (cheap),
        // then join buckets whose keys are equal by value (few: one per distinct stack).
        Map<StackTrace, Integer> leakIndexCache = new IdentityHashMap<>();
        Map<StackTrace, List<OutstandingHandle>> byStack = new IdentityHashMap<>();
        for (OutstandingHandle h : handles) byStack.computeIfAbsent(h.stack(), k -> new ArrayList<>()).add(h);
        Map<Object, List<OutstandingHandle>> buckets = new LinkedHashMap<>();
        for (Map.Entry<StackTrace, List<OutstandingHandle>> e : byStack.entrySet()) {
            StackTrace stack = e.getKey();
            int leak = leakIndexCache.computeIfAbsent(stack, this::leakFrameIndex);
            if (groupBy == GroupBy.TYPE) {
                for (OutstandingHandle h : e.getValue()) buckets.computeIfAbsent(keyOf(h, stack, leak), k -> new ArrayList<>()).add(h);
            } else {
                buckets.computeIfAbsent(keyOf(null, stack, leak), k -> new ArrayList<>()).addAll(e.getValue());
            }
        }
        List<LeakGroup> groups = new ArrayList<>(buckets.size());
        for (List<OutstandingHandle> members : buckets.values()) {
            members.sort(java.util.Comparator.comparingLong(h -> h.open() == null ? Long.MAX_VALUE : h.open().order()));
            groups.add(group(members, leakIndexCache));
        }
        groups.sort(Comparator.comparingInt(LeakGroup::count).reversed().thenComparing(LeakGroup::key));
        Map<String, Integer> types = HandleTable.countByType(handles.stream().map(OutstandingHandle::type).toList());
        return new LeakReport(diff.target(), engine, handles.size(), diff.lostEvents(), types, groupBy, groups);
    }

    /** Index of the first frame outside the system modules; -1 for an empty stack; the last frame when all are system frames. */
    public int leakFrameIndex(StackTrace stack) {
        List<StackFrame> frames = stack.frames();
        for (int i = 0; i < frames.size(); i++) {
            if (!systemModules.isSystem(frames.get(i))) return i;
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
        Map<StackTrace, Integer> stackCounts = new IdentityHashMap<>();
        for (OutstandingHandle h : members) stackCounts.merge(h.stack(), 1, Integer::sum);
        StackTrace stack = stackCounts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int leak = leakIndexCache.computeIfAbsent(stack, this::leakFrameIndex);
        StackFrame leakFrame = leak < 0 ? null : stack.frame(leak);

        List<String> names = new ArrayList<>();
        TreeSet<Integer> threads = new TreeSet<>();
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        int lastTid = Integer.MIN_VALUE;
        for (OutstandingHandle h : members) {
            if (h.name() != null && names.size() < sampleNames && !names.contains(h.name())) names.add(h.name());
            TraceEvent open = h.open();
            if (open == null) continue;
            if (open.tid() != lastTid) threads.add(lastTid = open.tid());
            if (open.epochNanos() != TraceEvent.NO_TIME) {
                first = Math.min(first, open.epochNanos());
                last = Math.max(last, open.epochNanos());
            }
        }
        String key = switch (groupBy) {
            case TYPE -> members.get(0).type() == null ? HandleTable.UNKNOWN_TYPE : members.get(0).type();
            case MODULE -> leakFrame == null ? "(unknown)" : String.valueOf(leakFrame.module());
            case FUNCTION -> leakFrame == null ? "(unknown)" : functionOf(leakFrame);
            case STACK -> leakFrame == null ? "(stack unknown)" : leakFrame.symbol();
        };
        Map<String, Integer> types = HandleTable.countByType(members.stream().map(OutstandingHandle::type).toList());
        return new LeakGroup(key, members.size(), types, List.copyOf(names), List.copyOf(threads), leakFrame, stack,
                instant(first), instant(last), List.copyOf(members));
    }

    private static Instant instant(long epochNanos) {
        if (epochNanos == Long.MAX_VALUE || epochNanos == Long.MIN_VALUE) return null;
        return TraceEvent.instant(epochNanos);
    }
}
