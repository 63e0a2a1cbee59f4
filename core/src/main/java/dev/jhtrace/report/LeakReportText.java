package dev.jhtrace.report;

import dev.jhtrace.analysis.GroupBy;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.StackFrame;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain-text renderings of reports and listings for terminals and logs. */
public final class LeakReportText {
    private LeakReportText() {
    }

    /** The leak report: a headline, the groups heaviest first with their leaking frame and stack, then counts by type. */
    public static String render(LeakReport report) {
        StringBuilder sb = new StringBuilder();
        String name = report.target().name();
        int pid = report.target().pid();
        String target = pid == 0 ? (name == null ? "" : name) : name == null ? "pid " + pid : name + " (pid " + pid + ")";
        sb.append(report.outstanding()).append(" outstanding handle").append(report.outstanding() == 1 ? "" : "s");
        if (!target.isEmpty()) sb.append(" in ").append(target);
        sb.append(" [").append(report.engine()).append("]");
        if (report.lostEvents() != null && report.lostEvents() > 0) sb.append(", ").append(report.lostEvents()).append(" trace events lost");
        sb.append('\n');
        int i = 1;
        for (LeakGroup g : report.groups()) {
            sb.append('\n').append('#').append(i++).append("  ").append(g.count()).append(" x ").append(typeMix(g.types()));
            if (report.groupBy() == GroupBy.STACK) {
                sb.append("  leaked by ").append(g.leakFrame() == null ? "(stack unknown)" : frame(g.leakFrame()));
            } else {
                sb.append("  ").append(report.groupBy().name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(g.key());
            }
            sb.append('\n');
            if (!g.threads().isEmpty()) sb.append("    threads: ").append(threads(g.threads())).append('\n');
            if (!g.names().isEmpty()) sb.append("    names:   ").append(String.join(", ", g.names())).append('\n');
            if (g.orderingUnknown() > 0) {
                sb.append("    ordering unknown: ").append(g.orderingUnknown()).append(" of these had several opens in an order the trace cannot tell; the newest was taken\n");
            }
            if (g.inferred() > 0) {
                sb.append("    inferred: ").append(g.inferred()).append(" of these were not seen opened but worked out: received (SCM_RIGHTS) where the engine could not read them, at the lowest free numbers the kernel gives\n");
            }
            if (g.firstSeen() != null) sb.append("    opened:  first ").append(g.firstSeen()).append(", last ").append(g.lastSeen()).append('\n');
            if (!g.stack().isEmpty()) sb.append(stack(g)).append('\n');
        }
        if (!report.types().isEmpty()) {
            sb.append("\nOutstanding by type:\n");
            report.types().forEach((t, n) -> sb.append(String.format("%-24s %d%n", t, n)));
        }
        return sb.toString();
    }

    /** A listing like {@code !handle 0 0} followed by the handles. */
    public static String render(HandleListing listing) {
        StringBuilder sb = new StringBuilder();
        if (listing.pid() != null) sb.append("pid ").append(listing.pid()).append(": ");
        sb.append(listing.total()).append(" Handles\n");
        sb.append("Type                     Count\n");
        // as String.format("%-24s %d%n") would, without loading the formatter in every short run
        String newline = System.lineSeparator();
        for (Map.Entry<String, Integer> t : listing.types().entrySet()) padded(sb, t.getKey(), 24).append(' ').append(t.getValue().intValue()).append(newline);
        if (!listing.processes().isEmpty()) {
            for (ProcessHandles p : listing.processes()) {
                sb.append("\nPROCESS ").append(p.image() == null ? "(unknown)" : p.image());
                if (p.pid() != null) sb.append("  Cid: 0x").append(Integer.toHexString(p.pid())).append(" (").append(p.pid()).append(')');
                sb.append("  ").append(p.total()).append(String.format(" Handles%n"));
                handleRows(sb, p.handles());
            }
        } else if (!listing.handles().isEmpty()) {
            sb.append('\n');
            handleRows(sb, listing.handles());
        }
        return sb.toString();
    }

    /**
     * The handle rows; Object and Handles/Pointers columns only when some handle knows them (kernel logs).
     * Padded by hand, not String.format per line: that cost a 19,000-descriptor listing a fifth of its CPU time,
     * most of it before the JIT had compiled the formatter.
     */
    private static void handleRows(StringBuilder sb, List<HandleEntry> handles) {
        boolean objects = handles.stream().anyMatch(h -> h.details().containsKey("Object"));
        boolean counts = handles.stream().anyMatch(h -> h.handleCount() != null || h.pointerCount() != null);
        String newline = System.lineSeparator();
        padded(sb, "Handle", 10).append(' ');
        padded(sb, "Type", 12).append(' ');
        padded(sb, "Access", 12).append(' ');
        if (objects) padded(sb, "Object", 18).append(' ');
        if (counts) padded(sb, "Handles/Pointers", 16).append(' ');
        sb.append("Name").append(newline);
        // a row per call: the JIT compiles a method after a few hundred calls, a loop only after some 60,000 rounds
        for (HandleEntry h : handles) handleRow(sb, h, objects, counts, newline);
    }

    private static void handleRow(StringBuilder sb, HandleEntry h, boolean objects, boolean counts, String newline) {
        padded(sb, h.hex(), 10).append(' ');
        padded(sb, h.type() == null ? "" : h.type(), 12).append(' ');
        padded(sb, h.grantedAccess() == null ? "" : "0x".concat(Long.toHexString(h.grantedAccess())), 12).append(' ');
        if (objects) padded(sb, h.details().containsKey("Object") ? "0x" + h.details().get("Object") : "", 18).append(' ');
        if (counts) padded(sb, (h.handleCount() == null ? "?" : h.handleCount()) + "/" + (h.pointerCount() == null ? "?" : h.pointerCount()), 16).append(' ');
        sb.append(h.name() == null ? "" : h.name()).append(newline);
    }

    /** Appends {@code text} left-aligned in {@code width} columns, as {@code %-Ns} does (never cut). */
    private static StringBuilder padded(StringBuilder sb, String text, int width) {
        sb.append(text);
        for (int i = text.length(); i < width; i++) sb.append(' ');
        return sb;
    }

    private static String typeMix(Map<String, Integer> types) {
        if (types.size() == 1 && types.containsKey(dev.jhtrace.model.HandleTable.UNKNOWN_TYPE)) return "handles (type unknown)";
        return types.entrySet().stream().map(e -> types.size() == 1 ? e.getKey() : e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    /** A group's stack, a frame a line (no final newline), the leaking frame marked with {@code >}. */
    public static String stack(LeakGroup g) {
        return g.stack().frames().stream().map(f -> (f.equals(g.leakFrame()) ? "  > " : "    ") + frame(f)).collect(Collectors.joining("\n"));
    }

    /** Up to {@value #THREADS_SHOWN} thread ids, then how many more: a server's 200 threads fit on one line. */
    static String threads(java.util.List<Integer> tids) {
        String shown = tids.stream().limit(THREADS_SHOWN).map(String::valueOf).collect(Collectors.joining(", "));
        return tids.size() <= THREADS_SHOWN ? shown : tids.size() + " threads: " + shown + " and " + (tids.size() - THREADS_SHOWN) + " more";
    }

    private static final int THREADS_SHOWN = 5;

    /** One frame: address, module!function+offset, and file:line when known. */
    public static String frame(StackFrame f) {
        // a frame in no module (JIT or other anonymous code): its address once, and why there is no name
        String s = f.isUnresolved() ? String.format("0x%x (no module: JIT or anonymous code)", f.address())
                : String.format("0x%x %s", f.address(), f.symbol());
        if (f.file() != null) s += "  " + f.file() + (f.line() == null ? "" : ":" + f.line());
        return s;
    }
}
