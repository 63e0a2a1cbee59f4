package dev.jhtrace.dump;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The handle trace a dump carries, read from its HandleOperationListStream (18): read-only, frozen when the
 * dump was written. Stacks are raw addresses; resolve them with the source's {@link ModuleMap}.
 */
public final class DumpHandleTrace implements HandleTracing {
    private final TraceLog log;

    /** The trace of {@code operations} (in file order), ordered oldest first as {@code order} says the file is. */
    public DumpHandleTrace(List<HandleOperation> operations, OperationOrder order) {
        this.log = toLog(operations, order);
    }

    /**
     * Turns stream-18 entries into trace events, oldest first, {@code order} 0, 1, 2 ... A dump holds
     * no times, and cannot tell whether its ring had wrapped, so lost events are unknown (null).
     */
    public static TraceLog toLog(List<HandleOperation> operations, OperationOrder order) {
        StackTable stacks = new StackTable();
        Map<List<Long>, StackTrace> byList = new HashMap<>(); // few distinct stacks: build each StackTrace once
        int n = operations.size();
        List<TraceEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            HandleOperation op = operations.get(order == OperationOrder.NEWEST_FIRST ? n - 1 - i : i);
            StackTrace stack = byList.computeIfAbsent(op.returnAddresses(),
                    list -> stacks.intern(list.stream().mapToLong(Long::longValue).toArray()));
            events.add(new TraceEvent(i, kindOf(op.operationType()), op.handle(), op.processId(), op.threadId(),
                    TraceEvent.NO_TIME, stack));
        }
        return new TraceLog(events, false, null);
    }

    private static EventKind kindOf(int operationType) {
        return switch (operationType) {
            case HandleOperation.OPEN -> EventKind.OPEN;
            case HandleOperation.CLOSE -> EventKind.CLOSE;
            default -> EventKind.BADREF;
        };
    }

    /** Always true: the dump was written with a trace on. */
    @Override
    public boolean isEnabled() {
        return true;
    }

    /** @throws JhtraceException BAD_INPUT, always: a dump cannot be traced */
    @Override
    public void enable(TraceOptions options) {
        throw new JhtraceException(Failure.BAD_INPUT, "a dump cannot be traced: its handle trace is what was recorded when it was written");
    }

    /** @throws JhtraceException BAD_INPUT, always: a dump cannot be traced */
    @Override
    public void disable() {
        throw new JhtraceException(Failure.BAD_INPUT, "a dump cannot be traced: there is no live trace to disable");
    }

    @Override
    public TraceLog log() {
        return log;
    }
}
