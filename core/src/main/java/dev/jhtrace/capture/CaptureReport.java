package dev.jhtrace.capture;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.report.ReportJson;

import java.nio.file.Path;
import java.util.List;

/**
 * The leak report of a capture as text and JSON ({@code docs/capture.md}), and writing all three forms
 * (with {@link CaptureReportHtml}) into the capture directory.
 */
public final class CaptureReport {
    /** How many stacks and types the reports show. */
    public static final int TOP = 10;

    private CaptureReport() {
    }

    /**
     * The report for people: verdict, growth per stack and per type, what was lost. For a capture of every process,
     * first the processes (leaking first, fastest first), then the details of the first.
     */
    public static String text(Capture capture, Verdict verdict) {
        StringBuilder sb = new StringBuilder();
        sb.append(verdict.summary()).append('\n');
        sb.append(describe(capture)).append('\n');
        if (capture.allProcesses()) {
            List<ProcessVerdict> each = verdict.processes();
            sb.append(String.format("%nProcesses judged (%d; too short-lived to judge: %d), leaking first:%n", each.size(),
                    capture.segments().size() - each.size()));
            sb.append(String.format("%8s  %-20s %8s %8s %12s %6s  %-14s %s%n", "pid", "name", "first", "last", "per hour", "R²", "judgement", "fastest stack"));
            for (ProcessVerdict p : each.subList(0, Math.min(TOP, each.size()))) {
                Growth g = p.verdict().total();
                String stack = p.verdict().stacks().isEmpty() ? "" : p.verdict().stacks().get(0).group().key();
                sb.append(String.format("%8d  %-20s %8d %8d %12s %6.2f  %-14s %s%n", p.pid(), p.name() == null ? "?" : p.name(), g.first(), g.last(),
                        LeakVerdict.rate(g.perHour()), g.confidence(), p.verdict().leak() ? "LEAK" : g.judgement().text(), stack));
            }
            if (verdict.segment() != 0) {
                Capture alone = capture.segmentAlone(verdict.segment());
                sb.append(String.format("%nDetails of %s (pid %d):%n", alone.name(), alone.segments().get(0).pid()));
                capture = alone;
            }
        }
        if (verdict.total() != null) {
            sb.append(String.format("%nSegment %d: all handles %d -> %d, %s%n", verdict.segment(), verdict.total().first(), verdict.total().last(),
                    verdict.total().judgement().text()));
            if (!verdict.stacks().isEmpty()) {
                sb.append("\nStacks holding handles opened during the capture, fastest growth first:\n");
                int i = 1;
                for (Verdict.StackGrowth s : verdict.stacks().subList(0, Math.min(TOP, verdict.stacks().size()))) {
                    Growth g = s.growth();
                    sb.append(String.format("%n#%d  %s/hour (R² %.2f)  %d open  %s  %s%n", i++, LeakVerdict.rate(g.perHour()), g.confidence(), g.last(),
                            g.judgement().text(), s.group().key()));
                    if (!s.group().names().isEmpty()) sb.append("    names: ").append(String.join(", ", s.group().names())).append('\n');
                    for (StackFrame f : s.group().stack().frames()) sb.append("    ").append(f).append('\n');
                }
            }
            sb.append("\nGrowth per type:\n");
            sb.append(String.format("%-20s %8s %8s %12s %6s  %s%n", "type", "first", "last", "per hour", "R²", "judgement"));
            for (Growth g : verdict.types().subList(0, Math.min(TOP, verdict.types().size()))) {
                sb.append(String.format("%-20s %8d %8d %12s %6.2f  %s%n", g.subject(), g.first(), g.last(), LeakVerdict.rate(g.perHour()),
                        g.confidence(), g.judgement().text()));
            }
        }
        for (String p : capture.problems()) sb.append("note: ").append(p).append('\n');
        return sb.toString();
    }

    /** One line saying what was captured. */
    public static String describe(Capture capture) {
        List<CaptureRecord> records = capture.records();
        String name = capture.name() == null ? "pid " + capture.segments().get(0).pid() : capture.name();
        StringBuilder sb = new StringBuilder();
        sb.append("capture ").append(capture.captureId()).append(" of ").append(name).append(" [").append(capture.engine())
                .append(capture.tracing() ? ", traced" : ", counts only").append("]: ")
                .append(records.size()).append(" record").append(records.size() == 1 ? "" : "s")
                .append(" in ").append(capture.segments().size()).append(" segment").append(capture.segments().size() == 1 ? "" : "s");
        if (!records.isEmpty()) sb.append(", ").append(records.get(0).time()).append(" to ").append(records.get(records.size() - 1).time());
        if (capture.rotatedFiles() > 0) sb.append(", ").append(capture.rotatedFiles()).append(" older file(s) rotated away");
        if (capture.skippedLines() > 0) sb.append(", ").append(capture.skippedLines()).append(" unreadable line(s) skipped");
        return sb.toString();
    }

    /** The report as JSON (see {@code docs/capture.md}). */
    public static ObjectNode json(Capture capture, Verdict verdict) {
        ObjectNode root = ReportJson.mapper().createObjectNode();
        ObjectNode c = root.putObject("capture");
        c.put("id", capture.captureId());
        c.put("name", capture.name());
        c.put("engine", capture.engine());
        c.put("tracing", capture.tracing());
        c.put("started", capture.started().toString());
        c.put("intervalMillis", capture.intervalMillis());
        c.put("records", capture.records().size());
        c.put("rotatedFiles", capture.rotatedFiles());
        c.put("skippedLines", capture.skippedLines());
        c.put("allProcesses", capture.allProcesses());
        ArrayNode segs = c.putArray("segments");
        for (Capture.Segment s : capture.segments()) {
            ObjectNode n = segs.addObject();
            n.put("segment", s.segment());
            n.put("pid", s.pid());
            if (s.name() != null) n.put("name", s.name());
            n.put("records", s.records().size());
            n.put("first", s.records().isEmpty() ? null : s.records().get(0).time().toString());
            n.put("last", s.records().isEmpty() ? null : s.records().get(s.records().size() - 1).time().toString());
        }
        ObjectNode v = root.putObject("verdict");
        v.put("leak", verdict.leak());
        v.put("summary", verdict.summary());
        v.put("segment", verdict.segment() == 0 ? null : verdict.segment());
        if (verdict.total() == null) v.putNull("total"); else growth(v.putObject("total"), verdict.total());
        ArrayNode types = root.putArray("types");
        verdict.types().forEach(g -> growth(types.addObject(), g));
        ArrayNode stacks = root.putArray("stacks");
        for (Verdict.StackGrowth s : verdict.stacks()) {
            ObjectNode n = stacks.addObject();
            growth(n, s.growth());
            n.put("id", s.group().id());
            ObjectNode t = n.putObject("types");
            s.group().types().forEach(t::put);
            ArrayNode names = n.putArray("names");
            s.group().names().forEach(names::add);
            ArrayNode frames = n.putArray("stack");
            for (StackFrame f : s.group().stack().frames()) ReportJson.frame(frames.addObject(), f);
        }
        if (capture.allProcesses()) {
            ArrayNode processes = root.putArray("processes");
            for (ProcessVerdict p : verdict.processes()) {
                ObjectNode n = processes.addObject();
                n.put("segment", p.segment());
                n.put("pid", p.pid());
                n.put("name", p.name());
                n.put("leak", p.verdict().leak());
                n.put("summary", p.verdict().summary());
                growth(n.putObject("total"), p.verdict().total());
                ArrayNode top = n.putArray("stacks");
                for (Verdict.StackGrowth s : p.verdict().stacks().subList(0, Math.min(TOP, p.verdict().stacks().size()))) {
                    ObjectNode st = top.addObject();
                    growth(st, s.growth());
                    st.put("id", s.group().id());
                    StackFrame leak = dev.jhtrace.analysis.LeakAnalyzer.DEFAULT.leakFrame(s.group().stack());
                    if (leak == null) st.putNull("leakFrame"); else ReportJson.frame(st.putObject("leakFrame"), leak);
                }
            }
        }
        ArrayNode problems = root.putArray("problems");
        capture.problems().forEach(problems::add);
        return root;
    }

    /** Writes {@code report.txt}, {@code report.json} and {@code report.html} into the directory, each replaced atomically. */
    public static void writeAll(Path dir, Capture capture, Verdict verdict) {
        CaptureFiles.writeAtomically(dir.resolve("report.txt"), text(capture, verdict));
        CaptureFiles.writeAtomically(dir.resolve("report.json"), ReportJson.write(json(capture, verdict)) + "\n");
        CaptureFiles.writeAtomically(dir.resolve("report.html"), CaptureReportHtml.render(capture, verdict));
    }

    private static void growth(ObjectNode n, Growth g) {
        n.put("subject", g.subject());
        n.put("first", g.first());
        n.put("last", g.last());
        n.put("perHour", round(g.perHour()));
        n.put("confidence", round(g.confidence()));
        n.put("overallPerHour", round(g.overall().slopePerHour()));
        n.put("judgement", g.judgement().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
