package dev.jhtrace.windbg;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.report.HandleListing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the model in WinDbg's own format, so that jhtrace output can be read by people and tools that know
 * WinDbg, and so that parse, render and parse again gives the same model. Kernel-format {@code !handle} facts
 * (free entries, process header) are not printed: handles are always printed in the user-mode format.
 * Lines end with {@code \n}.
 */
public final class WindbgWriter {
    /** Status line of {@code !htrace -enable}. */
    public static final String TRACING_ENABLED = "Handle tracing enabled.";
    /** Status line of {@code !htrace -disable}. */
    public static final String TRACING_DISABLED = "Handle tracing disabled.";
    /** Status line of {@code -enable}, {@code -snapshot} and {@code -diff}. */
    public static final String SNAPSHOT_TAKEN = "Handle tracing information snapshot successfully taken.";
    /** Details key of the access names printed under {@code GrantedAccess}, one printed line per {@code \n}. */
    public static final String RIGHTS = "Rights";
    /** Details key set to {@link #NOT_AVAILABLE} when WinDbg printed {@code No Object Specific Information available}. */
    public static final String OBJECT_INFO = "Object Specific Information";
    /** See {@link #OBJECT_INFO}. */
    public static final String NOT_AVAILABLE = "not available";

    private static final String DISPLAYED = "Displayed 0x%x stack traces for outstanding handles opened since the previous snapshot.";

    private WindbgWriter() {
    }

    /** A whole log: each command after its prompt, then its output. */
    public static String render(WindbgLog log) {
        StringBuilder sb = new StringBuilder();
        for (CommandOutput o : log.outputs()) {
            if (o.prompt() != null) sb.append(o.prompt()).append("> ").append(o.command() == null ? "" : o.command()).append('\n');
            sb.append(render(o.content()));
        }
        return sb.toString();
    }

    /** One command's output. */
    public static String render(OutputContent content) {
        if (content instanceof HtraceOutput h) return render(h);
        if (content instanceof HandleOutput h) return render(h);
        OtherOutput o = (OtherOutput) content;
        return o.lines().isEmpty() ? "" : String.join("\n", o.lines()) + "\n";
    }

    /** An {@code !htrace} output: status lines, header, entries newest first between separators, footer. */
    public static String render(HtraceOutput h) {
        StringBuilder sb = new StringBuilder();
        boolean kernel = h.layout() == HtraceLayout.KERNEL;
        int w = h.layout().digits();
        for (String u : h.usage()) line(sb, u);
        for (String m : h.messages()) line(sb, m);
        if (h.newTraces() != null) line(sb, "0x" + Long.toHexString(h.newTraces()) + " new stack traces since the previous snapshot.");
        if (h.ignoringClosed()) line(sb, HtraceParser.IGNORING);
        if (h.diffHeader()) line(sb, HtraceParser.OUTSTANDING);
        if (h.process() != null) line(sb, "Process 0x" + upper(Hex.padded(h.process(), 8)));
        if (h.objectTable() != null) line(sb, "ObjectTable 0x" + upper(Hex.padded(h.objectTable(), 8)));
        for (String n : h.notes()) line(sb, n);
        List<TraceEvent> events = h.events();
        for (int i = events.size() - 1; i >= 0; i--) {
            TraceEvent e = events.get(i);
            line(sb, LineCleaner.SEPARATOR);
            if (kernel) {
                line(sb, "Handle 0x" + upper(Long.toHexString(e.handle())) + " - " + kindText(e.kind()) + ":");
            } else {
                line(sb, "Handle = 0x" + Hex.padded(e.handle(), w) + " - " + kindText(e.kind()));
                line(sb, "Thread ID = 0x" + Hex.padded(Integer.toUnsignedLong(e.tid()), w)
                        + ", Process ID = 0x" + Hex.padded(Integer.toUnsignedLong(e.pid()), w));
                sb.append('\n');
            }
            for (StackFrame f : e.stack().frames()) line(sb, frame(f, h.layout()));
        }
        for (int i = 0; i < h.elisions(); i++) {
            line(sb, LineCleaner.SEPARATOR);
            line(sb, "...");
        }
        if (!events.isEmpty() || h.elisions() > 0) line(sb, LineCleaner.SEPARATOR);
        if (h.parsed() != null) line(sb, "Parsed 0x" + upper(Long.toHexString(h.parsed())) + " stack traces.");
        if (h.dumped() != null) line(sb, "Dumped 0x" + upper(Long.toHexString(h.dumped())) + " stack traces.");
        if (h.displayed() != null) line(sb, String.format(Locale.ROOT, DISPLAYED, h.displayed()));
        return sb.toString();
    }

    /** One frame as {@code !htrace} prints it. */
    static String frame(StackFrame f, HtraceLayout layout) {
        boolean kernel = layout == HtraceLayout.KERNEL;
        int w = layout.digits();
        String addr = kernel ? upper(Hex.padded(f.address(), 8)) : Hex.padded(f.address(), w);
        StringBuilder sb = new StringBuilder("0x").append(addr).append(": ");
        if (f.module() == null && f.function() == null) {
            long off = f.offset() == null ? f.address() : f.offset();
            return sb.append("+0x").append(kernel ? upper(Long.toHexString(off)) : Hex.padded(off, w)).toString();
        }
        if (f.module() != null) sb.append(f.module());
        if (f.function() != null) sb.append('!').append(f.function());
        if (f.offset() != null) sb.append("+0x").append(kernel ? upper(Long.toHexString(f.offset())) : Hex.padded(f.offset(), w));
        return sb.toString();
    }

    private static String kindText(EventKind kind) {
        return kind == EventKind.BADREF ? "BAD REFERENCE" : kind.name();
    }

    /** A {@code !handle} output: per-handle lines or blocks, then the summary or the typed footer. */
    public static String render(HandleOutput h) {
        StringBuilder sb = new StringBuilder();
        for (String n : h.notes()) line(sb, n);
        for (HandleEntry e : h.handles()) entry(sb, e, h.handleDigits());
        for (int i = 0; i < h.elisions(); i++) line(sb, "...");
        summary(sb, h.reportedTotal(), h.typeCounts());
        if (h.typeFilter() != null) line(sb, h.typeFilterCount() + " handles of type " + h.typeFilter());
        return sb.toString();
    }

    private static void entry(StringBuilder sb, HandleEntry e, int digits) {
        line(sb, "Handle " + (digits > 0 ? Hex.padded(e.handle(), digits) : Long.toHexString(e.handle())));
        Map<String, String> d = e.details();
        if (e.type() != null) field(sb, "Type", e.type());
        if (e.attributes() != null) field(sb, "Attributes", Long.toHexString(e.attributes()));
        String rights = d.get(RIGHTS);
        if (e.grantedAccess() != null) {
            field(sb, "GrantedAccess", "0x" + Long.toHexString(e.grantedAccess()) + (rights == null ? "" : ":"));
            if (rights != null) for (String r : rights.split("\n")) line(sb, "         " + r);
        }
        if (e.handleCount() != null) field(sb, "HandleCount", Long.toString(e.handleCount()));
        if (e.pointerCount() != null) field(sb, "PointerCount", Long.toString(e.pointerCount()));
        if (e.name() != null) field(sb, "Name", e.name());
        else if (d.containsKey("Name")) field(sb, "Name", d.get("Name"));
        List<String> info = new ArrayList<>();
        for (Map.Entry<String, String> x : d.entrySet()) {
            String k = x.getKey(), v = x.getValue();
            if (k.equals(RIGHTS) || k.equals("Name") || k.equals(OBJECT_INFO)) continue;
            if (HandleParser.PADDED_LABELS.contains(k)) info.add("    " + String.format(Locale.ROOT, "%-11s %s", k, v));
            else if (HandleParser.SPACED_LABELS.contains(k)) info.add("    " + k + " " + v);
            else info.add("    " + k + (v.isEmpty() ? "" : "  " + v));
        }
        if (!info.isEmpty()) {
            line(sb, "  " + OBJECT_INFO);
            info.forEach(i -> line(sb, i));
        } else if (NOT_AVAILABLE.equals(d.get(OBJECT_INFO))) {
            line(sb, "  No Object Specific Information available");
        }
    }

    private static void field(StringBuilder sb, String name, String value) {
        line(sb, "  " + String.format(Locale.ROOT, "%-13s", name) + "\t" + value);
    }

    private static void summary(StringBuilder sb, Integer total, Map<String, Integer> types) {
        if (total != null) line(sb, total + " Handles");
        if (!types.isEmpty()) {
            line(sb, String.format(Locale.ROOT, "%-15s\t%s", "Type", "Count"));
            types.forEach((t, n) -> line(sb, String.format(Locale.ROOT, "%-15s\t%d", t, n)));
        }
    }

    /** {@code !htrace -diff} output for a diff: header, the outstanding handles' OPEN entries newest first, footer. */
    public static String htraceDiff(Diff diff) {
        List<TraceEvent> opens = new ArrayList<>();
        int pid = diff.target().pid();
        long order = 0;
        for (OutstandingHandle o : diff.outstanding()) {
            TraceEvent e = o.open();
            // Re-number so that printing order follows the diff's (opening) order even across sources.
            opens.add(e == null ? new TraceEvent(order++, EventKind.OPEN, o.handle(), pid, 0, TraceEvent.NO_TIME, StackTrace.EMPTY)
                    : new TraceEvent(order++, EventKind.OPEN, e.handle(), e.pid(), e.tid(), e.epochNanos(), e.stack()));
        }
        HtraceOutput h = new HtraceOutput(HtraceCommand.DIFF, layoutFor(opens), List.of(SNAPSHOT_TAKEN), (long) diff.newEvents(),
                true, true, null, null, opens, 0, null, null, (long) opens.size(), List.of(), List.of());
        return render(h);
    }

    /** Full {@code !htrace} listing of trace events given oldest first (printed newest first). */
    public static String htraceListing(List<TraceEvent> events) {
        HtraceOutput h = new HtraceOutput(HtraceCommand.LISTING, layoutFor(events), List.of(), null, false, false, null, null,
                events, 0, (long) events.size(), (long) events.size(), null, List.of(), List.of());
        return render(h);
    }

    /** {@code !handle} output for a listing: type-only lines (or detail blocks when more is known), then the summary. */
    public static String handleListing(HandleListing listing) {
        return render(new HandleOutput(listing.handles(), 0, listing.total(), listing.types(), null, null, 0, 0, null, null, List.of()));
    }

    /** {@code !handle 0 0} output for a listing: the {@code N Handles} line and the type table only. */
    public static String handleSummary(HandleListing listing) {
        return render(new HandleOutput(List.of(), 0, listing.total(), listing.types(), null, null, 0, 0, null, null, List.of()));
    }

    private static HtraceLayout layoutFor(List<TraceEvent> events) {
        for (TraceEvent e : events) {
            if (e.handle() >>> 32 != 0) return HtraceLayout.USER_64;
            for (StackFrame f : e.stack().frames()) {
                if (f.address() >>> 32 != 0 || (f.offset() != null && f.offset() >>> 32 != 0)) return HtraceLayout.USER_64;
            }
        }
        return HtraceLayout.USER_32;
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    private static void line(StringBuilder sb, String s) {
        sb.append(s).append('\n');
    }
}
