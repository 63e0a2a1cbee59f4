package dev.jhtrace.shell.repl;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;

import java.util.List;
import java.util.Map;

/**
 * Renders handles and traces in WinDbg's layout (see the transcripts under shared/fixtures/windbg), so
 * that output can be read, diffed and parsed like {@code !handle} and {@code !htrace} output.
 * Pointer-sized fields are 16 hex digits on 64-bit targets and 8 on 32-bit ones, as WinDbg prints them.
 */
final class WindbgText {
    static final String SEPARATOR = "--------------------------------------";
    static final int TYPE = 0x1, BASIC = 0x2, NAME = 0x4, SPECIFIC = 0x8;

    private WindbgText() {
    }

    /** {@code !htrace -enable}. */
    static String enabled() {
        return "Handle tracing enabled.\n" + snapshotTaken();
    }

    static String snapshotTaken() {
        return "Handle tracing information snapshot successfully taken.\n";
    }

    static String disabled() {
        return "Handle tracing disabled.\n";
    }

    /** {@code !htrace -diff}: header, one entry per outstanding handle, footer. */
    static String diff(Diff diff) {
        int width = width(diff.outstanding().stream().map(OutstandingHandle::stack).toList());
        StringBuilder sb = new StringBuilder(snapshotTaken());
        sb.append(String.format("0x%x new stack traces since the previous snapshot.%n", diff.newEvents()));
        sb.append("Ignoring handles that were already closed...\n");
        sb.append("Outstanding handles opened since the previous snapshot:\n");
        int shown = 0;
        for (OutstandingHandle h : diff.outstanding()) {
            if (h.open() == null) continue; // WinDbg only lists what its trace still holds
            entry(sb, h.open(), width);
            shown++;
        }
        sb.append(SEPARATOR).append('\n');
        sb.append(String.format("Displayed 0x%x stack traces for outstanding handles opened since the previous snapshot.%n", shown));
        return sb.toString();
    }

    /** {@code !htrace} or {@code !htrace Handle}: events newest first. */
    static String traces(List<TraceEvent> newestFirst) {
        int width = width(newestFirst.stream().map(TraceEvent::stack).toList());
        StringBuilder sb = new StringBuilder();
        for (TraceEvent e : newestFirst) entry(sb, e, width);
        sb.append(SEPARATOR).append('\n');
        sb.append(String.format("Parsed 0x%X stack traces.%nDumped 0x%X stack traces.%n", newestFirst.size(), newestFirst.size()));
        return sb.toString();
    }

    private static void entry(StringBuilder sb, TraceEvent e, int width) {
        String hex = "0x%0" + width + "x";
        sb.append(SEPARATOR).append('\n');
        sb.append(String.format("Handle = " + hex + " - %s%n", e.handle(), e.kind().name()));
        sb.append(String.format("Thread ID = " + hex + ", Process ID = " + hex + "%n%n", e.tid(), e.pid()));
        for (StackFrame f : e.stack().frames()) {
            sb.append(String.format(hex + ": ", f.address()));
            if (f.module() == null && f.function() == null) {
                sb.append(String.format(hex, f.address()));
            } else {
                if (f.module() != null) sb.append(f.module());
                if (f.function() != null) sb.append(f.module() != null ? "!" : "").append(f.function());
                if (f.offset() != null) sb.append(String.format("+" + hex, f.offset()));
            }
            sb.append('\n');
        }
    }

    /** {@code !handle h flags}: one handle. */
    static String handle(HandleEntry h, int flags) {
        StringBuilder sb = new StringBuilder(String.format("Handle %x%n", h.handle()));
        if ((flags & TYPE) != 0) row(sb, "Type", h.type() == null ? "" : h.type());
        if ((flags & BASIC) != 0) {
            row(sb, "Attributes", h.attributes() == null ? "0" : Long.toHexString(h.attributes()));
            row(sb, "GrantedAccess", h.grantedAccess() == null ? "0" : "0x" + Long.toHexString(h.grantedAccess()));
            row(sb, "HandleCount", h.handleCount() == null ? "1" : String.valueOf(h.handleCount()));
            row(sb, "PointerCount", h.pointerCount() == null ? "1" : String.valueOf(h.pointerCount()));
        }
        if ((flags & NAME) != 0) row(sb, "Name", h.name() == null ? "<none>" : h.name());
        if ((flags & SPECIFIC) != 0) {
            if (h.details().isEmpty()) {
                sb.append("  No Object Specific Information available\n");
            } else {
                sb.append("  Object Specific Information\n");
                h.details().forEach((k, v) -> sb.append("    ").append(k).append(' ').append(v).append('\n'));
            }
        }
        return sb.toString();
    }

    /** The summary that ends {@code !handle} and is all of {@code !handle 0 0}. */
    static String summary(int total, Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder(total + " Handles\n");
        sb.append(String.format("%-15s\t%s%n", "Type", "Count"));
        counts.forEach((t, n) -> sb.append(String.format("%-15s\t%d%n", t, n)));
        return sb.toString();
    }

    /** The footer of {@code !handle 0 F Type}. */
    static String ofType(int count, String type) {
        return count + " handles of type " + type + "\n";
    }

    private static void row(StringBuilder sb, String label, String value) {
        sb.append(String.format("  %-13s\t%s%n", label, value));
    }

    /** 16 hex digits when any address needs more than 32 bits, else 8. */
    private static int width(List<StackTrace> stacks) {
        for (StackTrace s : stacks) {
            for (StackFrame f : s.frames()) if ((f.address() >>> 32) != 0) return 16;
        }
        return stacks.stream().anyMatch(s -> !s.isEmpty()) ? 8 : 16;
    }
}
