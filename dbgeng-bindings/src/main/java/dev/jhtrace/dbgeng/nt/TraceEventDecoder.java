package dev.jhtrace.dbgeng.nt;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;

/**
 * Turns raw trace entries into {@link TraceEvent}s. The kernel stores kernel and user frames in one
 * array, kernel frames first. Kernel frames are DROPPED: they can only be resolved against
 * ntoskrnl/driver symbols (which a user-mode symbol engine does not load), may be zeroed under
 * Restrict-Kernel-Address-Leaks, and would otherwise count as the "leaking frame" in grouping. The
 * number dropped is not kept. The user frames are kept in order, cut to the requested depth.
 * Not thread-safe (the stack table is not).
 */
public final class TraceEventDecoder {
    private final NtLayout layout;
    private final StackTable stacks = new StackTable();
    private final int maxDepth;

    /** @param maxDepth user frames kept per event (TraceOptions.stackDepth) */
    public TraceEventDecoder(NtLayout layout, int maxDepth) {
        this.layout = layout;
        this.maxDepth = maxDepth;
    }

    /** The event kind of an entry type. */
    public static EventKind kindOf(int type) {
        return switch (type) {
            case NtConstants.HANDLE_TRACE_DB_OPEN -> EventKind.OPEN;
            case NtConstants.HANDLE_TRACE_DB_CLOSE -> EventKind.CLOSE;
            case NtConstants.HANDLE_TRACE_DB_BADREF -> EventKind.BADREF;
            default -> throw new IllegalArgumentException("unknown handle trace entry type " + type);
        };
    }

    /** True for the entry types {@link #kindOf} knows. */
    public static boolean isKnownType(int type) {
        return type >= NtConstants.HANDLE_TRACE_DB_OPEN && type <= NtConstants.HANDLE_TRACE_DB_BADREF;
    }

    /** The user-mode part of a stack, innermost first, interned. */
    public StackTrace userStack(RawTraceEntry entry) {
        long[] user = new long[Math.min(entry.depth(), maxDepth)];
        int n = 0;
        for (int i = 0; i < entry.depth() && n < user.length; i++) {
            long address = entry.frame(i);
            if (!layout.isKernelAddress(address)) user[n++] = address;
        }
        return stacks.intern(java.util.Arrays.copyOf(user, n));
    }

    /** The event for an entry at position {@code order} in the merged history. */
    public TraceEvent event(long order, RawTraceEntry entry) {
        return new TraceEvent(order, kindOf(entry.type()), entry.handle(), entry.pid(), entry.tid(), TraceEvent.NO_TIME, userStack(entry));
    }
}
