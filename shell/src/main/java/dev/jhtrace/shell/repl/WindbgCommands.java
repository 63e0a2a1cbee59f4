package dev.jhtrace.shell.repl;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.shell.api.Htrace;
import dev.jhtrace.shell.api.Target;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.windbg.HandleOutput;
import dev.jhtrace.windbg.WindbgWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The WinDbg commands people type from muscle memory, printing WinDbg's layout (through {@link WindbgWriter}). */
final class WindbgCommands {
    static final int TYPE = 0x1, BASIC = 0x2, NAME = 0x4, SPECIFIC = 0x8;
    private final ReplContext ctx;

    WindbgCommands(ReplContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = ".attach", description = "Attach to a process (WinDbg: the PID is hex by default; 0n1234 is decimal).")
    void attach(@Parameters(paramLabel = "PID", description = "Process id: 4d2, 0x4d2 or 0n1234.") String pid) {
        long value = WindbgNumber.parse(pid);
        if (value <= 0 || value > Integer.MAX_VALUE) throw new JhtraceException(Failure.BAD_INPUT, "'" + pid + "' is not a process id");
        String digits = pid.strip();
        if (digits.chars().allMatch(Character::isDigit) && ProcessHandle.of(value).isEmpty()
                && digits.length() < 10 && ProcessHandle.of(Long.parseLong(digits)).isPresent()) {
            // a decimal pid typed as WinDbg users forget: no such hex pid, but the decimal one runs
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "0x" + digits + " is hex as in WinDbg; use 0n" + digits + " for decimal");
        }
        Target t = ctx.api().attach((int) value);
        ctx.print(String.format("Attached to process 0n%d (0x%x)%s", t.getPid(), t.getPid(), t.getName() == null ? "" : " " + t.getName()));
    }

    @Command(name = ".detach", description = "Detach from the current target; the process keeps running.")
    void detach() {
        Target t = ctx.target();
        t.detach();
        ctx.print("Detached from " + t);
    }

    @Command(name = ".opendump", description = "Open a dump file (.dmp) or a saved session.")
    void openDump(@Parameters(paramLabel = "FILE", description = "The dump file.") String file) {
        Target t = ctx.api().open(file);
        ctx.print("Opened " + file + ": " + t);
    }

    @Command(name = "!htrace", description = {"Handle tracing as in WinDbg:",
            "  !htrace -enable [Max_Traces]   turn tracing on and take a snapshot",
            "  !htrace -snapshot              take a snapshot",
            "  !htrace -diff                  outstanding handles opened since the last snapshot (and take a new one)",
            "  !htrace -disable               turn tracing off",
            "  !htrace [Handle [Max_Traces]]  the traces of one handle, or all, newest first"})
    void htrace(@Option(names = "-enable", arity = "0..1", fallbackValue = "0", paramLabel = "Max_Traces", description = "Enable tracing.") String enable,
                @Option(names = "-snapshot", description = "Take a snapshot.") boolean snapshot,
                @Option(names = "-diff", description = "Diff against the last snapshot.") boolean diff,
                @Option(names = "-disable", description = "Disable tracing.") boolean disable,
                @Parameters(index = "0", arity = "0..1", paramLabel = "Handle", description = "A handle value (hex), 0 for all.") String handle,
                @Parameters(index = "1", arity = "0..1", paramLabel = "Max_Traces", description = "At most this many traces.") String max) {
        int modes = (enable != null ? 1 : 0) + (snapshot ? 1 : 0) + (diff ? 1 : 0) + (disable ? 1 : 0);
        if (modes > 1) throw new JhtraceException(Failure.BAD_INPUT, "!htrace: give one of -enable, -snapshot, -diff, -disable");
        Htrace h = ctx.target().getHtrace();
        if (enable != null) {
            long ring = WindbgNumber.parse(enable);
            if (ring > Integer.MAX_VALUE) throw new JhtraceException(Failure.BAD_INPUT, "Max_Traces is too large: " + enable);
            h.enable((int) ring);
            ctx.print(WindbgWriter.TRACING_ENABLED + "\n" + WindbgWriter.SNAPSHOT_TAKEN);
        } else if (snapshot) {
            h.snapshot();
            ctx.print(WindbgWriter.SNAPSHOT_TAKEN);
        } else if (diff) {
            Diff d = h.diff().getDiff();
            if (ctx.target().isAlive()) h.snapshot(); // WinDbg's -diff also takes a new snapshot
            String notes = LeakCommands.notes(ctx.target());
            ctx.print(WindbgWriter.htraceDiff(d) + (notes.isEmpty() ? "" : "\n" + notes.stripTrailing()));
        } else if (disable) {
            h.disable();
            ctx.print(WindbgWriter.TRACING_DISABLED);
        } else {
            long value = handle == null ? 0 : WindbgNumber.parse(handle);
            List<TraceEvent> events = h.log().events(); // oldest first; printed newest first
            if (value != 0) events = events.stream().filter(e -> e.handle() == value).toList();
            if (max != null) events = events.subList(Math.max(0, events.size() - (int) Math.min(events.size(), WindbgNumber.parse(max))), events.size());
            ctx.print(WindbgWriter.htraceListing(events));
        }
    }

    @Command(name = "!handle", description = {"Handles as in WinDbg:",
            "  !handle                  every handle with its type, then counts by type",
            "  !handle 0 0              counts by type only",
            "  !handle <h> f            everything about one handle",
            "  !handle 0 ff <Type>      everything about the handles of one type",
            "Flags: 1 type, 2 access and counts, 4 name, 8 object-specific information."})
    void handle(@Parameters(index = "0", arity = "0..1", paramLabel = "Handle", description = "Handle value (hex), 0 for all.") String handle,
                @Parameters(index = "1", arity = "0..1", paramLabel = "UMFlags", description = "What to show (hex), default 1.") String flags,
                @Parameters(index = "2", arity = "0..1", paramLabel = "TYPE", description = "Only handles of this type.") String type) {
        long value = handle == null ? 0 : WindbgNumber.parse(handle);
        int f = flags == null ? TYPE : (int) WindbgNumber.parse(flags);
        HandleTable table = ctx.target().handles().getTable();
        if (value != 0) {
            HandleEntry e = table.byHandle().get(value);
            if (e == null) throw new JhtraceException(Failure.BAD_INPUT, String.format("Handle 0x%x is not a valid handle", value));
            ctx.print(WindbgWriter.render(output(List.of(project(e, f == 0 ? TYPE : f)), null, Map.of(), null, null)));
        } else if (type != null) {
            HandleTable only = table.ofType(type);
            List<HandleEntry> shown = f == 0 ? List.of() : only.entries().stream().map(e -> project(e, f)).toList();
            ctx.print(WindbgWriter.render(output(shown, null, Map.of(), type, only.size())));
        } else {
            HandleListing listing = ctx.target().listing();
            List<HandleEntry> shown = f == 0 ? List.of() : listing.handles().stream().map(e -> project(e, f)).toList();
            ctx.print(WindbgWriter.render(output(shown, listing.total(), listing.types(), null, null)));
        }
    }

    private static HandleOutput output(List<HandleEntry> shown, Integer total, Map<String, Integer> counts, String type, Integer ofType) {
        return new HandleOutput(shown, 0, total, counts, type, ofType, 0, 0, null, null, List.of());
    }

    /** The facts {@code !handle}'s flags ask for: 1 type, 2 attributes, access and counts, 4 name, 8 object-specific. */
    static HandleEntry project(HandleEntry e, int flags) {
        boolean basic = (flags & BASIC) != 0;
        Map<String, String> details = new LinkedHashMap<>();
        if ((flags & NAME) != 0 && e.name() == null) details.put("Name", "<none>");
        if ((flags & SPECIFIC) != 0) {
            if (e.details().isEmpty()) details.put(WindbgWriter.OBJECT_INFO, WindbgWriter.NOT_AVAILABLE);
            else details.putAll(e.details());
        }
        return new HandleEntry(e.handle(), (flags & TYPE) != 0 ? e.type() : null, (flags & NAME) != 0 ? e.name() : null,
                basic ? e.grantedAccess() : null, basic ? e.attributes() : null, basic ? e.handleCount() : null,
                basic ? e.pointerCount() : null, details);
    }

}
