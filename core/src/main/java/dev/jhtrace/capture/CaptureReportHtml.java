package dev.jhtrace.capture;

import dev.jhtrace.model.StackFrame;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * The capture report as one self-contained HTML page: the verdict, what was captured (process, command
 * line, engine, events seen and lost, local times), an inline SVG chart of handle counts over time (all
 * handles, then a panel per type, each y axis scaled to its own data so small types show their shape),
 * and the leaking stacks with a sparkline of their growth. No scripts, fonts or images from anywhere (a
 * Content-Security-Policy forbids them), so it opens offline and can be mailed around.
 * <p>
 * The structure is kept stable for checks of the rendered page: {@code svg#chart} and each sparkline
 * ({@code svg.spark} in {@code table#stacks}) hold {@code .panel} groups, each with the
 * {@code polyline.series} it draws on one y scale (one per segment, {@code data-type} naming the type,
 * {@code all}, or the stack id) and its {@code .ytick} grid lines (a line and its label);
 * {@code #facts} rows carry {@code data-fact}; times are {@code <time datetime="instant">}.
 */
public final class CaptureReportHtml {
    private static final int WIDTH = 900;
    /** The all-handles panel, then the type panels in a grid of {@code COLUMNS}. */
    private static final int MAIN_HEIGHT = 250, TYPE_HEIGHT = 130, COLUMNS = 3, PANEL_GAP = 16;
    /** Margins inside a panel: room for y labels on the left, the title above, time labels below. */
    private static final int LEFT = 64, RIGHT = 14, TOP = 22, BOTTOM = 22;
    private static final int SPARK_WIDTH = 140, SPARK_HEIGHT = 30;
    private static final int MAX_POINTS = 1000;
    private static final int CHART_TYPES = 6;
    private static final String TOTAL_COLOUR = "#222";
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final Pattern BARE_ADDRESS = Pattern.compile("0x[0-9a-fA-F]+");

    private CaptureReportHtml() {
    }

    /** The page, with times in this machine's time zone. */
    public static String render(Capture capture, Verdict verdict) {
        return render(capture, verdict, ZoneId.systemDefault());
    }

    /** The page, with times to the second in {@code zone}, named. */
    public static String render(Capture capture, Verdict verdict, ZoneId zone) {
        StringBuilder sb = new StringBuilder(16 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>jhtrace capture ").append(esc(capture.captureId())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}")
                .append(".verdict{padding:12px 16px;border-radius:6px;font-weight:bold;font-size:16px}")
                .append(".leak{background:#fde2e1;border:1px solid #d62728}.ok{background:#e3f6e3;border:1px solid #2ca02c}")
                .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
                .append("td.n{text-align:right}pre{margin:4px 0;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}.muted{color:#666;font-size:13px}")
                .append("#facts{margin-top:12px}#facts th{background:#f6f6f6;font-weight:normal;color:#555}#facts code{white-space:pre-wrap;word-break:break-all}\n")
                .append("</style></head><body>\n");
        sb.append("<h1>jhtrace capture report</h1>\n");
        sb.append("<div class=\"verdict ").append(verdict.leak() ? "leak" : "ok").append("\" id=\"verdict\">")
                .append(esc(headline(verdict))).append("</div>\n");
        facts(sb, capture, zone);
        Capture detail = capture;
        if (capture.allProcesses()) {
            processes(sb, verdict.processes());
            if (verdict.segment() != 0) {
                detail = capture.segmentAlone(verdict.segment());
                sb.append("<h2 id=\"detail\">").append(esc(detail.name())).append(" (pid ").append(detail.segments().get(0).pid()).append(")</h2>\n");
            }
        }
        sb.append("<h2>Handles over time</h2>\n");
        chart(sb, detail, zone);
        stacks(sb, detail, verdict);
        types(sb, verdict);
        if (!capture.problems().isEmpty()) {
            sb.append("<h2>Notes</h2>\n<ul>");
            for (String p : capture.problems()) sb.append("<li>").append(esc(p)).append("</li>");
            sb.append("</ul>\n");
        }
        sb.append("<p class=\"muted\">Each panel's y axis spans its own data, not from zero. Growth is the least-squares slope over the ")
                .append("later half of a segment; R² says how steady it is. A leak keeps growing there; warm-up growth has levelled off.</p>\n</body></html>\n");
        return sb.toString();
    }

    /**
     * The verdict's line, with a stack named by code people can find: when the leaking frame has no module
     * (only an address), by the nearest caller that has one.
     */
    static String headline(Verdict verdict) {
        String summary = verdict.summary();
        for (Verdict.StackGrowth s : verdict.stacks()) {
            String key = s.group().key();
            if (BARE_ADDRESS.matcher(key).matches() && summary.contains(key)) summary = summary.replace(key, stackName(s.group()));
        }
        return summary;
    }

    /** A stack's leaking frame as {@code module!function+offset} or {@code module+offset}, else the nearest caller that has a module. */
    static String stackName(StackGroup group) {
        String key = group.key();
        if (!BARE_ADDRESS.matcher(key).matches()) return key;
        List<StackFrame> frames = group.stack().frames();
        int leak = 0;
        while (leak < frames.size() && !frames.get(leak).symbol().equals(key)) leak++;
        for (int i = leak + 1; i < frames.size(); i++) {
            if (frames.get(i).module() != null) return "code without symbols, called from " + frames.get(i).symbol();
        }
        return "a stack without symbols";
    }

    /** The processes of a capture of every process, leaking first, fastest first. */
    private static void processes(StringBuilder sb, List<ProcessVerdict> each) {
        sb.append("<h2>Processes</h2>\n<table id=\"processes\"><tr><th>pid</th><th>name</th><th>first</th><th>last</th><th>growth/hour</th>")
                .append("<th>R²</th><th>judgement</th><th>fastest stack</th></tr>\n");
        for (ProcessVerdict p : each.subList(0, Math.min(CaptureReport.TOP, each.size()))) {
            Growth g = p.verdict().total();
            String stack = p.verdict().stacks().isEmpty() ? "" : stackName(p.verdict().stacks().get(0).group());
            sb.append("<tr class=\"").append(p.verdict().leak() ? "leak" : "ok").append("\"><td class=\"n\">").append(p.pid()).append("</td><td>")
                    .append(esc(p.name() == null ? "" : p.name())).append("</td><td class=\"n\">").append(g.first()).append("</td><td class=\"n\">")
                    .append(g.last()).append("</td><td class=\"n\">").append(esc(LeakVerdict.rate(g.perHour()))).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.2f", g.confidence())).append("</td><td>").append(p.verdict().leak() ? "LEAK" : esc(g.judgement().text()))
                    .append("</td><td><code>").append(esc(stack)).append("</code></td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void facts(StringBuilder sb, Capture capture, ZoneId zone) {
        sb.append("<table id=\"facts\">\n");
        if (capture.allProcesses()) {
            // every process, or a target and the children it forked
            String who = Capture.ALL_PROCESSES.equals(capture.name()) ? Capture.ALL_PROCESSES : capture.name() + " and its children";
            fact(sb, "process", "processes", esc(who) + " <span class=\"muted\">" + capture.segments().size() + " captured</span>");
        } else {
            processFacts(sb, capture);
        }
        fact(sb, "engine", "engine", esc(capture.engine()) + (capture.tracing() ? ", stacks traced" : ", counts only (no stacks)"));
        timeFacts(sb, capture, zone);
    }

    private static void processFacts(StringBuilder sb, Capture capture) {
        String pids = String.join(", ", capture.segments().stream().map(s -> String.valueOf(s.pid())).toList());
        fact(sb, "process", "process", esc(capture.name() == null ? "(name unknown)" : capture.name()) + " <span class=\"muted\">pid"
                + (capture.segments().size() == 1 ? " " : "s ") + esc(pids) + (capture.segments().size() > 1
                ? ", " + (capture.segments().size() - 1) + " restart" + (capture.segments().size() == 2 ? "" : "s") : "") + "</span>");
        Set<String> commands = new LinkedHashSet<>();
        for (Capture.Segment s : capture.segments()) if (s.command() != null) commands.add(s.command());
        fact(sb, "command", "command line", commands.isEmpty() ? "<span class=\"muted\">not recorded</span>"
                : String.join("<br>", commands.stream().map(c -> "<code>" + esc(c) + "</code>").toList()));
    }

    private static void timeFacts(StringBuilder sb, Capture capture, ZoneId zone) {
        List<CaptureRecord> records = capture.records();
        if (!records.isEmpty()) {
            // the segments of --all are side by side: the earliest and the latest of all
            Instant first = records.stream().map(CaptureRecord::time).min(Instant::compareTo).orElseThrow();
            Instant last = records.stream().map(CaptureRecord::time).max(Instant::compareTo).orElseThrow();
            fact(sb, "time", "captured", time(first, zone) + " to " + time(last, zone) + " <span class=\"muted\">(" + esc(duration(
                    Duration.between(first, last).toMillis() / 1000.0)) + ", " + records.size() + " record" + (records.size() == 1 ? "" : "s")
                    + " every " + esc(duration(capture.intervalMillis() / 1000.0)) + ")</span>");
        }
        if (capture.tracing()) {
            long seen = records.stream().mapToLong(CaptureRecord::newEvents).sum();
            Long lost = lostEvents(capture);
            fact(sb, "events", "trace events", "<span class=\"seen\">" + String.format(Locale.ROOT, "%,d", seen) + "</span> seen, "
                    + (lost == null ? "<span class=\"lost\">unknown</span> lost (the engine cannot tell)"
                    : "<span class=\"lost\">" + String.format(Locale.ROOT, "%,d", lost) + "</span> lost"));
        }
        List<String> notes = notes(capture);
        if (!notes.isEmpty()) fact(sb, "notes", "not seen", esc(String.join("\n", notes)).replace("\n", "<br>"));
        if (capture.rotatedFiles() > 0 || capture.skippedLines() > 0) {
            fact(sb, "gaps", "gaps", esc(capture.rotatedFiles() + " older file(s) rotated away, " + capture.skippedLines() + " unreadable line(s) skipped"));
        }
        fact(sb, "id", "capture", esc(capture.captureId()));
        sb.append("</table>\n");
    }

    private static void fact(StringBuilder sb, String key, String label, String html) {
        sb.append("<tr data-fact=\"").append(key).append("\"><th>").append(esc(label)).append("</th><td>").append(html).append("</td></tr>\n");
    }

    /** Events lost over the capture: each segment's engine counts from its start, so the newest known count per segment, summed; null when none is known. */
    static Long lostEvents(Capture capture) {
        Long lost = null;
        for (Capture.Segment s : capture.segments()) {
            Long segmentLost = null;
            for (CaptureRecord r : s.records()) if (r.lostEvents() != null) segmentLost = r.lostEvents();
            if (segmentLost != null) lost = (lost == null ? 0 : lost) + segmentLost;
        }
        return lost;
    }

    /** What the engine could not see, as each segment's newest record says it (the notes count from the segment's start). */
    static List<String> notes(Capture capture) {
        List<String> notes = new java.util.ArrayList<>();
        for (Capture.Segment s : capture.segments()) {
            List<CaptureRecord> records = s.records();
            if (!records.isEmpty()) notes.addAll(records.get(records.size() - 1).notes());
        }
        return notes;
    }

    /** An instant to the second in {@code zone}, the zone named, in a {@code <time>} element giving the exact instant. */
    static String time(Instant t, ZoneId zone) {
        return "<time datetime=\"" + t + "\">" + esc(LOCAL.format(t.atZone(zone))) + "</time>";
    }

    /** The time axis shared by every panel: records' times mapped onto a panel's width. */
    private record TimeAxis(Instant t0, double spanSeconds) {
        /** From the first record to the last (at least a second, so a single record has somewhere to go). */
        static TimeAxis of(List<CaptureRecord> records) {
            Instant t0 = records.get(0).time();
            return new TimeAxis(t0, Math.max(1, Duration.between(t0, records.get(records.size() - 1).time()).toMillis() / 1000.0));
        }

        double x(Instant t, double left, double width) {
            return left + width * Duration.between(t0, t).toMillis() / 1000.0 / spanSeconds;
        }
    }

    private static void chart(StringBuilder sb, Capture capture, ZoneId zone) {
        List<CaptureRecord> records = capture.records();
        if (records.isEmpty()) {
            sb.append("<p>No records.</p>\n");
            return;
        }
        List<String> shown = chartTypes(records);
        TimeAxis axis = TimeAxis.of(records);
        int rows = (shown.size() + COLUMNS - 1) / COLUMNS;
        int height = MAIN_HEIGHT + rows * (TYPE_HEIGHT + PANEL_GAP) + 8;
        sb.append("<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"handle counts over time, all and per type\">\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\" fill=\"#fff\"/>\n");
        panel(sb, capture, "all", "all handles", TOTAL_COLOUR, CaptureRecord::total, axis, zone, 0, 0, WIDTH, MAIN_HEIGHT, true);
        double typeWidth = (double) WIDTH / COLUMNS;
        for (int i = 0; i < shown.size(); i++) {
            String type = shown.get(i);
            double x = typeWidth * (i % COLUMNS), y = MAIN_HEIGHT + PANEL_GAP + (TYPE_HEIGHT + PANEL_GAP) * (i / COLUMNS);
            panel(sb, capture, type, type, COLOURS[i % COLOURS.length], r -> r.types().getOrDefault(type, 0), axis, zone, x, y, typeWidth, TYPE_HEIGHT, false);
        }
        sb.append("</svg>\n");
    }

    /** The heaviest types at the last record, then types seen only earlier, at most {@code CHART_TYPES}. */
    private static List<String> chartTypes(List<CaptureRecord> records) {
        Set<String> types = new LinkedHashSet<>(records.get(records.size() - 1).types().keySet());
        for (CaptureRecord r : records) types.addAll(r.types().keySet());
        return new ArrayList<>(types).subList(0, Math.min(CHART_TYPES, types.size()));
    }

    /**
     * One panel at ({@code left}, {@code top}) of {@code width} x {@code height}: a title, y grid lines on a
     * scale spanning the series' own minimum and maximum, restart markers, the series (a polyline per
     * segment), and, when {@code timeLabels}, the first and last record's local times under it.
     */
    private static void panel(StringBuilder sb, Capture capture, String type, String title, String colour, ToIntFunction<CaptureRecord> value,
                              TimeAxis axis, ZoneId zone, double left, double top, double width, double height, boolean timeLabels) {
        List<CaptureRecord> records = capture.records();
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (CaptureRecord r : records) {
            min = Math.min(min, value.applyAsInt(r));
            max = Math.max(max, value.applyAsInt(r));
        }
        Scale scale = Scale.of(min, max);
        double plotLeft = left + LEFT, plotTop = top + TOP, plotW = width - LEFT - RIGHT, plotH = height - TOP - BOTTOM;
        sb.append("<g class=\"panel\" data-panel=\"").append(esc(type)).append("\">\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"bold\" fill=\"%s\">%s</text>%n",
                plotLeft, top + 14, colour, esc(title)));
        for (long v = scale.lo(); v <= scale.hi(); v += scale.step()) {
            double y = plotTop + plotH - plotH * (v - scale.lo()) / (scale.hi() - scale.lo());
            sb.append(String.format(Locale.ROOT, "<g class=\"ytick\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", plotLeft, y, plotLeft + plotW, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%,d</text></g>%n", plotLeft - 6, y + 4, v));
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>", plotLeft, plotTop, plotLeft, plotTop + plotH));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>%n", plotLeft, plotTop + plotH, plotLeft + plotW, plotTop + plotH));
        for (int i = 1; i < capture.segments().size(); i++) {
            List<CaptureRecord> seg = capture.segments().get(i).records();
            if (seg.isEmpty()) continue;
            double x = axis.x(seg.get(0).time(), plotLeft, plotW);
            sb.append(String.format(Locale.ROOT, "<line class=\"restart\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>",
                    x, plotTop, x, plotTop + plotH));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#666\">pid %d</text>%n", x + 3, plotTop + 10,
                    capture.segments().get(i).pid()));
        }
        series(sb, records, type, colour, type.equals("all") ? 2.5 : 1.8, value, axis, scale, plotLeft, plotTop, plotW, plotH);
        if (timeLabels) {
            Instant last = records.get(records.size() - 1).time();
            double y = plotTop + plotH + 15;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>", plotLeft, y, CLOCK.format(axis.t0().atZone(zone))));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" fill=\"#666\">local time (%s), %s</text>",
                    plotLeft + plotW / 2, y, esc(zone.getId()), esc(duration(axis.spanSeconds()))));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n", plotLeft + plotW, y,
                    CLOCK.format(last.atZone(zone))));
        }
        sb.append("</g>\n");
    }

    /** A series' polylines (one per segment), at most {@code MAX_POINTS} records apart from the last, on {@code scale}. */
    private static void series(StringBuilder sb, List<CaptureRecord> records, String type, String colour, double strokeWidth,
                               ToIntFunction<CaptureRecord> value, TimeAxis axis, Scale scale, double left, double top, double w, double h) {
        int step = Math.max(1, (records.size() + MAX_POINTS - 1) / MAX_POINTS);
        Map<Integer, StringBuilder> perSegment = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            if (i % step != 0 && i != records.size() - 1) continue;
            CaptureRecord r = records.get(i);
            double x = axis.x(r.time(), left, w);
            double y = top + h - h * (value.applyAsInt(r) - scale.lo()) / (scale.hi() - scale.lo());
            perSegment.computeIfAbsent(r.segment(), s -> new StringBuilder()).append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        for (StringBuilder points : perSegment.values()) {
            sb.append("<polyline class=\"series\" data-type=\"").append(esc(type)).append("\" fill=\"none\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"").append(strokeWidth).append("\" stroke-linejoin=\"round\" points=\"")
                    .append(points.toString().trim()).append("\"/>\n");
        }
    }

    /**
     * A y scale from {@code lo} to {@code hi} in steps of {@code step} (1, 2 or 5 x 10^k, at least 1): the
     * round numbers just around the data, so a series' changes fill its panel whatever its size.
     */
    record Scale(long lo, long hi, long step) {
        static Scale of(int min, int max) {
            if (min == max) {
                long lo = Math.max(0, min - 1L);
                return new Scale(lo, lo + 2, 1);
            }
            double raw = (max - min) / 4.0;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double nice = raw <= magnitude ? magnitude : raw <= 2 * magnitude ? 2 * magnitude : raw <= 5 * magnitude ? 5 * magnitude : 10 * magnitude;
            long step = Math.max(1, Math.round(nice));
            return new Scale(Math.floorDiv(min, step) * step, -Math.floorDiv(-max, step) * step, step);
        }
    }

    private static void stacks(StringBuilder sb, Capture capture, Verdict verdict) {
        sb.append("<h2>Top leaking stacks</h2>\n");
        if (verdict.stacks().isEmpty()) {
            sb.append("<p class=\"muted\">No stacks: the capture was counts-only, or nothing opened during it stayed open.</p>\n");
            return;
        }
        List<CaptureRecord> records = capture.records();
        TimeAxis axis = TimeAxis.of(records);
        sb.append("<table id=\"stacks\"><tr><th>#</th><th>growth/hour</th><th>R²</th><th>open</th><th>over the capture</th><th>judgement</th>")
                .append("<th>leaking frame and stack</th></tr>\n");
        int i = 1;
        for (Verdict.StackGrowth s : verdict.stacks().subList(0, Math.min(CaptureReport.TOP, verdict.stacks().size()))) {
            Growth g = s.growth();
            String id = s.group().id();
            sb.append("<tr data-stack=\"").append(esc(id)).append('"').append(g.judgement() == Growth.Judgement.LEAK ? " class=\"leaking\"" : "")
                    .append("><td class=\"n\">").append(i++)
                    .append("</td><td class=\"n\">").append(esc(LeakVerdict.rate(g.perHour()))).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.2f", g.confidence())).append("</td><td class=\"n\">").append(g.last()).append("</td><td>");
            sparkline(sb, records, id, g.judgement() == Growth.Judgement.LEAK ? COLOURS[1] : COLOURS[0], axis);
            sb.append("</td><td>").append(esc(g.judgement().text())).append("</td><td><b>").append(esc(stackName(s.group()))).append("</b>");
            if (!s.group().names().isEmpty()) sb.append("<br><span class=\"muted\">").append(esc(String.join(", ", s.group().names()))).append("</span>");
            if (s.group().inferred() > 0) {
                sb.append("<br><span class=\"inferred\">inferred: ").append(s.group().inferred())
                        .append(" of these were not seen opened but worked out (received where the engine could not read them)</span>");
            }
            sb.append("<pre>");
            for (StackFrame f : s.group().stack().frames()) sb.append(esc(f.toString())).append('\n');
            sb.append("</pre></td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /** A stack's open handles over every record (0 where a record does not list it), scaled to its own range, with its minimum and maximum as a tooltip. */
    private static void sparkline(StringBuilder sb, List<CaptureRecord> records, String id, String colour, TimeAxis axis) {
        ToIntFunction<CaptureRecord> count = r -> {
            for (StackGroup g : r.groups()) if (g.id().equals(id)) return g.count();
            return 0;
        };
        int min = records.stream().mapToInt(count).min().orElse(0), max = records.stream().mapToInt(count).max().orElse(0);
        sb.append("<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(SPARK_WIDTH).append("\" height=\"").append(SPARK_HEIGHT)
                .append("\" viewBox=\"0 0 ").append(SPARK_WIDTH).append(' ').append(SPARK_HEIGHT).append("\"><title>")
                .append(String.format(Locale.ROOT, "%,d to %,d open", min, max)).append("</title><g class=\"panel\" data-panel=\"stack ")
                .append(esc(id)).append("\">");
        series(sb, records, id, colour, 2, count, axis, min == max ? Scale.of(min, max) : new Scale(min, max, max - min), 3, 3, SPARK_WIDTH - 6,
                SPARK_HEIGHT - 6);
        sb.append("</g></svg>");
    }

    private static void types(StringBuilder sb, Verdict verdict) {
        if (verdict.types().isEmpty()) return;
        sb.append("<h2>Growth per type</h2>\n<table id=\"types\"><tr><th>type</th><th>first</th><th>last</th><th>growth/hour</th><th>R²</th><th>judgement</th></tr>\n");
        for (Growth g : verdict.types()) {
            sb.append("<tr><td>").append(esc(g.subject())).append("</td><td class=\"n\">").append(g.first()).append("</td><td class=\"n\">")
                    .append(g.last()).append("</td><td class=\"n\">").append(esc(LeakVerdict.rate(g.perHour()))).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.2f", g.confidence())).append("</td><td>").append(esc(g.judgement().text())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static String duration(double seconds) {
        if (seconds < 120) return String.format(Locale.ROOT, "%.0f s", seconds);
        if (seconds < 7200) return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    /** Escapes text for HTML element content and attribute values. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
