package dev.jhtrace.shell.repl;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.shell.api.Cancelled;
import dev.jhtrace.shell.api.Group;
import dev.jhtrace.shell.api.Groups;
import dev.jhtrace.shell.api.Htrace;
import dev.jhtrace.shell.api.Leaks;
import dev.jhtrace.shell.api.Target;
import dev.jhtrace.shell.options.DurationConverter;
import dev.jhtrace.shell.options.OutputOption;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The leak hunt: snapshot, diff, show, watch. */
final class LeakCommands {
    private final ReplContext ctx;

    LeakCommands(ReplContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "snapshot", description = "Remember the handles open now (turns tracing on first if it is off).")
    void snapshot(@Parameters(arity = "0..1", paramLabel = "SNAPSHOT", description = "A name for it (default: snapshot N).") String name) {
        Htrace h = ctx.target().getHtrace();
        boolean wasOn = h.isEnabled();
        Snapshot s = h.snapshot(name);
        ctx.print((wasOn ? "" : "tracing enabled\n") + "snapshot '" + s.name() + "': " + (s.table() == null ? "?" : s.table().size()) + " handles open");
    }

    @Command(name = "diff", description = {"What was opened since a snapshot (the last one by default) and is still open, grouped.",
            "Groups are numbered: show N prints one in full."})
    void diff(@Parameters(arity = "0..1", paramLabel = "SNAPSHOT", description = "The snapshot to compare against.") String name,
              @Option(names = "--top", paramLabel = "N", description = "Only the N heaviest groups.") Integer top,
              @Option(names = "--group-by", paramLabel = "KEY", defaultValue = "stack", description = "stack, type, module or function (default: ${DEFAULT-VALUE}).") String groupBy,
              @Option(names = "--json", description = "The leak report as JSON (see docs/json.md).") boolean json,
              @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE (atomically, owner-only); a name ending .json means --json.") Path file) {
        OutputOption output = OutputOption.to(file);
        if (top != null && top < 1) throw new JhtraceException(Failure.BAD_INPUT, "--top must be at least 1");
        output.check();
        Htrace h = ctx.target().getHtrace();
        Leaks leaks = name == null ? h.diff() : h.diff(name);
        Groups groups = leaks.groupedBy(groupBy);
        if (top != null) groups = groups.top(top);
        ctx.lastGroups(groups);
        if (output.json(json) || !output.toStdout()) {
            // the report as the leaks command writes it, for a file or a program; the numbered view is for the screen
            LeakReport report = groups.getReport();
            output.write(output.json(json) ? ReportJson.write(ReportJson.tree(report)) : LeakReportText.render(report), ctx.out());
            if (!output.toStdout()) ctx.print(groups.getOutstanding() + " outstanding in " + groups.size() + (groups.size() == 1 ? " group" : " groups") + " written to " + output.file());
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(leaks.size()).append(" outstanding handle").append(leaks.size() == 1 ? "" : "s")
                .append(" since '").append(leaks.getDiff().since().name()).append("'");
        if (!leaks.countsByType().isEmpty()) sb.append(": ").append(leaks.countsByType());
        sb.append('\n');
        int i = 1;
        for (Group g : groups) sb.append(String.format("%s %s%n", ctx.bold(String.format("#%-3d", i++)), g));
        if (groups.size() > 0) sb.append("(show N prints a group's full stack)\n");
        ctx.print(sb.append(notes(ctx.target())).toString());
    }

    /** The target's trace notes ({@link Target#getTraceNotes()}), a line each after a diff; empty when none. */
    static String notes(Target target) {
        StringBuilder sb = new StringBuilder();
        for (String note : target.getTraceNotes()) sb.append("note: ").append(note).append('\n');
        return sb.toString();
    }

    @Command(name = "show", description = "One group of the last diff in full: its stack, threads and handles.")
    void show(@Parameters(paramLabel = "GROUP", description = "The group number from diff (1 = heaviest).") int number) {
        Groups groups = ctx.lastGroups();
        if (number < 1 || number > groups.size()) throw new JhtraceException(Failure.BAD_INPUT, "no group #" + number + ": the last diff has " + groups.size());
        Group g = groups.getAt(number - 1);
        StringBuilder sb = new StringBuilder();
        sb.append(ctx.bold("#" + number)).append(' ').append(g).append('\n');
        if (!g.getDetail().threads().isEmpty()) sb.append("threads: ").append(g.getDetail().threads()).append('\n');
        sb.append("stack:\n").append(g.stackText()).append('\n');
        sb.append("handles:\n");
        for (OutstandingHandle h : g.getHandles()) {
            sb.append(String.format("  0x%-6x %-10s %s%n", h.handle(), h.type() == null ? "" : h.type(), h.name() == null ? "" : h.name()));
        }
        ctx.print(sb.toString());
    }

    @Command(name = "watch", description = {"Live handle counts by type, sampled every interval; new handles in green, closed in red.",
            "On a terminal the view is redrawn in place, with the latest changes; otherwise each sample is printed.",
            "Ctrl-C stops watching."})
    void watch(@Option(names = "--every", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
                       description = "Sampling interval (default: ${DEFAULT-VALUE}).") Duration every,
               @Option(names = "--count", paramLabel = "N", description = "Stop after N samples (default: until Ctrl-C).") Integer count) {
        if (every.toMillis() < 100) throw new JhtraceException(Failure.BAD_INPUT, "--every must be at least 100ms");
        if (count != null && count < 1) throw new JhtraceException(Failure.BAD_INPUT, "--count must be at least 1");
        Target t = ctx.target();
        Map<Long, HandleEntry> before = null;
        Deque<Change> recent = new ArrayDeque<>(); // the latest changes, shown when redrawing (this sample's coloured)
        int samples = 0;
        int drawnLines = 0;
        try {
            while (count == null || samples < count) {
                if (samples > 0) ctx.api().sleep(every.toMillis());
                if (!t.isAlive()) {
                    ctx.print("the target has exited");
                    return;
                }
                Map<Long, HandleEntry> now = t.handles().getTable().byHandle();
                samples++;
                List<Change> changes = changes(before, now);
                StringBuilder view = new StringBuilder(counts(before, now, samples));
                if (ctx.redraws()) {
                    // a view of fixed height: moving up over it and clearing it redraws in place, as top does
                    int older = recent.size(); // from earlier samples, at the front
                    for (Change c : changes) recent.addLast(c);
                    int hidden = 0;
                    while (recent.size() > RECENT_CHANGES) {
                        recent.removeFirst();
                        if (--older < 0) hidden++;
                    }
                    older = Math.max(older, 0);
                    int i = 0;
                    for (Change c : recent) view.append(i++ < older ? c.line() : c.coloured(ctx)).append('\n');
                    if (hidden > 0) view.append("  (").append(hidden).append(" more changes in this sample)\n");
                    if (drawnLines > 0) ctx.out().print("\033[" + drawnLines + "F\033[J");
                    drawnLines = (int) view.chars().filter(ch -> ch == '\n').count();
                } else {
                    for (Change c : changes) view.append(c.line()).append('\n');
                }
                ctx.print(view.toString());
                before = now;
            }
        } catch (Cancelled stop) {
            ctx.print("watch stopped after " + samples + " sample" + (samples == 1 ? "" : "s"));
        }
    }

    /** How many changed handles a redrawn view shows. */
    private static final int RECENT_CHANGES = 12;

    /** A handle opened or closed between two samples, as its watch line. */
    private record Change(boolean opened, String line) {
        String coloured(ReplContext ctx) {
            return opened ? ctx.green(line) : ctx.red(line);
        }
    }

    private String counts(Map<Long, HandleEntry> before, Map<Long, HandleEntry> now, int sample) {
        Map<String, int[]> counts = new LinkedHashMap<>(); // type -> {now, was}
        now.values().forEach(e -> counts.computeIfAbsent(type(e), k -> new int[2])[0]++);
        if (before != null) before.values().forEach(e -> counts.computeIfAbsent(type(e), k -> new int[2])[1]++);
        StringBuilder sb = new StringBuilder(ctx.bold(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "  " + now.size() + " handles"))
                .append("  (sample ").append(sample).append(")\n");
        for (String type : new TreeSet<>(counts.keySet())) {
            int[] c = counts.get(type);
            int delta = before == null ? 0 : c[0] - c[1];
            String d = delta > 0 ? ctx.green("+" + delta) : delta < 0 ? ctx.red(String.valueOf(delta)) : "";
            sb.append(String.format("  %-16s %6d %s%n", type, c[0], d));
        }
        return sb.toString();
    }

    /** The handles opened, then those closed, between two samples. */
    private static List<Change> changes(Map<Long, HandleEntry> before, Map<Long, HandleEntry> now) {
        List<Change> changes = new ArrayList<>();
        if (before == null) return changes;
        Set<Long> opened = new TreeSet<>(now.keySet());
        opened.removeAll(before.keySet());
        Set<Long> closed = new TreeSet<>(before.keySet());
        closed.removeAll(now.keySet());
        for (long h : opened) changes.add(new Change(true, line('+', now.get(h))));
        for (long h : closed) changes.add(new Change(false, line('-', before.get(h))));
        return changes;
    }

    private static String line(char sign, HandleEntry e) {
        return String.format("  %c %s %s %s", sign, e.hex(), type(e), e.name() == null ? "" : e.name());
    }

    private static String type(HandleEntry e) {
        return e.type() == null ? dev.jhtrace.model.HandleTable.UNKNOWN_TYPE : e.type();
    }
}
