package dev.jhtrace.capture;

import dev.jhtrace.model.StackFrame;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The capture report as one self-contained HTML page: the verdict, an inline SVG chart of handle counts
 * by type over time, and the leaking stacks with their growth. No scripts, fonts or images from
 * anywhere (a Content-Security-Policy forbids them), so it opens offline and can be mailed around.
 * <p>
 * The chart's structure is kept stable for checks of the rendered page: {@code svg#chart} holds
 * {@code .panel} groups, each with the {@code polyline.series} it draws on one y scale (one per type and
 * segment, {@code data-type} naming the type or {@code all}) and its {@code .ytick} grid lines (a line and
 * its label).
 */
public final class CaptureReportHtml {
    private static final int WIDTH = 900, HEIGHT = 320, LEFT = 60, RIGHT = 170, TOP = 20, BOTTOM = 40;
    private static final int MAX_POINTS = 1000;
    private static final int CHART_TYPES = 6;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};

    private CaptureReportHtml() {
    }

    /** The page. */
    public static String render(Capture capture, Verdict verdict) {
        StringBuilder sb = new StringBuilder(16 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>jhtrace capture ").append(esc(capture.captureId())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}")
                .append(".verdict{padding:12px 16px;border-radius:6px;font-weight:bold;font-size:16px}")
                .append(".leak{background:#fde2e1;border:1px solid #d62728}.ok{background:#e3f6e3;border:1px solid #2ca02c}")
                .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
                .append("td.n{text-align:right}pre{margin:4px 0;font-size:12px}.muted{color:#666;font-size:13px}\n")
                .append("</style></head><body>\n");
        sb.append("<h1>jhtrace capture report</h1>\n");
        sb.append("<div class=\"verdict ").append(verdict.leak() ? "leak" : "ok").append("\" id=\"verdict\">")
                .append(esc(verdict.summary())).append("</div>\n");
        sb.append("<p class=\"muted\">").append(esc(CaptureReport.describe(capture))).append("</p>\n");
        sb.append("<h2>Handles by type over time</h2>\n");
        chart(sb, capture);
        stacks(sb, verdict);
        types(sb, verdict);
        if (!capture.problems().isEmpty()) {
            sb.append("<h2>Notes</h2>\n<ul>");
            for (String p : capture.problems()) sb.append("<li>").append(esc(p)).append("</li>");
            sb.append("</ul>\n");
        }
        sb.append("<p class=\"muted\">Growth is the least-squares slope over the later half of a segment; R² says how steady it is. ")
                .append("A leak keeps growing there; warm-up growth has levelled off.</p>\n</body></html>\n");
        return sb.toString();
    }

    private static void chart(StringBuilder sb, Capture capture) {
        List<CaptureRecord> records = capture.records();
        if (records.isEmpty()) {
            sb.append("<p>No records.</p>\n");
            return;
        }
        // the heaviest types at the last record, plus the total
        Map<String, Integer> last = records.get(records.size() - 1).types();
        Set<String> shown = new LinkedHashSet<>();
        for (String t : last.keySet()) if (shown.size() < CHART_TYPES) shown.add(t);
        Instant t0 = records.get(0).time();
        double spanSeconds = Math.max(1, Duration.between(t0, records.get(records.size() - 1).time()).toMillis() / 1000.0);
        int max = 1;
        for (CaptureRecord r : records) max = Math.max(max, r.total());
        max = niceCeiling(max);
        double plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        int step = Math.max(1, (records.size() + MAX_POINTS - 1) / MAX_POINTS);

        sb.append("<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"handle counts by type over time\">\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" fill=\"#fff\"/>\n");
        // one panel: its series share the y scale, and its .ytick grid lines are labelled in that scale
        sb.append("<g class=\"panel\" data-panel=\"all\">\n");
        // axes and grid
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH - plotH * i / 4;
            int value = (int) Math.round(max * i / 4.0);
            sb.append(String.format(java.util.Locale.ROOT, "<g class=\"ytick\"><line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", LEFT, y, LEFT + plotW, y));
            sb.append(String.format(java.util.Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d</text></g>%n", LEFT - 6, y + 4, value));
        }
        sb.append(String.format(java.util.Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/>", LEFT, TOP, LEFT, TOP + plotH));
        sb.append(String.format(java.util.Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>%n", LEFT, TOP + plotH, LEFT + plotW, TOP + plotH));
        sb.append(String.format(java.util.Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">0</text>", LEFT, HEIGHT - BOTTOM + 16));
        sb.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>%n", LEFT + plotW, HEIGHT - BOTTOM + 16,
                esc(duration(spanSeconds))));
        sb.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">time since %s</text>%n", LEFT + plotW / 2,
                HEIGHT - 8, esc(t0.toString())));
        // restarts
        for (int i = 1; i < capture.segments().size(); i++) {
            List<CaptureRecord> seg = capture.segments().get(i).records();
            if (seg.isEmpty()) continue;
            double x = LEFT + plotW * Duration.between(t0, seg.get(0).time()).toMillis() / 1000.0 / spanSeconds;
            sb.append(String.format(java.util.Locale.ROOT, "<line class=\"restart\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>", x, TOP, x, TOP + plotH));
            sb.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#666\">pid %d</text>%n", x + 3, TOP + 10, capture.segments().get(i).pid()));
        }
        List<String> series = new ArrayList<>();
        series.add(null); // the total
        series.addAll(shown);
        int c = 0;
        for (String type : series) {
            String colour = type == null ? "#222" : COLOURS[c++ % COLOURS.length];
            Map<Integer, StringBuilder> perSegment = new LinkedHashMap<>();
            for (int i = 0; i < records.size(); i += step) add(perSegment, records.get(i), type, t0, spanSeconds, max, plotW, plotH);
            if ((records.size() - 1) % step != 0) add(perSegment, records.get(records.size() - 1), type, t0, spanSeconds, max, plotW, plotH);
            for (StringBuilder points : perSegment.values()) {
                sb.append("<polyline class=\"series\" data-type=\"").append(esc(type == null ? "all" : type)).append("\" fill=\"none\" stroke=\"")
                        .append(colour).append("\" stroke-width=\"").append(type == null ? "2.5" : "1.8").append("\" points=\"")
                        .append(points.toString().trim()).append("\"/>\n");
            }
            int legendY = TOP + 14 + 18 * series.indexOf(type);
            sb.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>", LEFT + plotW + 12, legendY - 4, colour));
            sb.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>%n", LEFT + plotW + 32, legendY,
                    esc(type == null ? "all handles" : type)));
        }
        sb.append("</g>\n</svg>\n");
    }

    private static void add(Map<Integer, StringBuilder> perSegment, CaptureRecord r, String type, Instant t0, double spanSeconds, int max,
                            double plotW, double plotH) {
        int v = type == null ? r.total() : r.types().getOrDefault(type, 0);
        double x = LEFT + plotW * Duration.between(t0, r.time()).toMillis() / 1000.0 / spanSeconds;
        double y = TOP + plotH - plotH * v / max;
        perSegment.computeIfAbsent(r.segment(), s -> new StringBuilder()).append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, y));
    }

    private static void stacks(StringBuilder sb, Verdict verdict) {
        sb.append("<h2>Top leaking stacks</h2>\n");
        if (verdict.stacks().isEmpty()) {
            sb.append("<p class=\"muted\">No stacks: the capture was counts-only, or nothing opened during it stayed open.</p>\n");
            return;
        }
        sb.append("<table id=\"stacks\"><tr><th>#</th><th>growth/hour</th><th>R²</th><th>open</th><th>judgement</th><th>leaking frame and stack</th></tr>\n");
        int i = 1;
        for (Verdict.StackGrowth s : verdict.stacks().subList(0, Math.min(CaptureReport.TOP, verdict.stacks().size()))) {
            Growth g = s.growth();
            sb.append("<tr").append(g.judgement() == Growth.Judgement.LEAK ? " class=\"leaking\"" : "").append("><td class=\"n\">").append(i++)
                    .append("</td><td class=\"n\">").append(esc(LeakVerdict.rate(g.perHour()))).append("</td><td class=\"n\">")
                    .append(String.format(java.util.Locale.ROOT, "%.2f", g.confidence())).append("</td><td class=\"n\">").append(g.last()).append("</td><td>")
                    .append(esc(g.judgement().text())).append("</td><td><b>").append(esc(s.group().key())).append("</b>");
            if (!s.group().names().isEmpty()) sb.append("<br><span class=\"muted\">").append(esc(String.join(", ", s.group().names()))).append("</span>");
            sb.append("<pre>");
            for (StackFrame f : s.group().stack().frames()) sb.append(esc(f.toString())).append('\n');
            sb.append("</pre></td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void types(StringBuilder sb, Verdict verdict) {
        if (verdict.types().isEmpty()) return;
        sb.append("<h2>Growth per type</h2>\n<table id=\"types\"><tr><th>type</th><th>first</th><th>last</th><th>growth/hour</th><th>R²</th><th>judgement</th></tr>\n");
        for (Growth g : verdict.types()) {
            sb.append("<tr><td>").append(esc(g.subject())).append("</td><td class=\"n\">").append(g.first()).append("</td><td class=\"n\">")
                    .append(g.last()).append("</td><td class=\"n\">").append(esc(LeakVerdict.rate(g.perHour()))).append("</td><td class=\"n\">")
                    .append(String.format(java.util.Locale.ROOT, "%.2f", g.confidence())).append("</td><td>").append(esc(g.judgement().text())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /** The smallest 4 x (1, 2 or 5 x 10^k) at or above {@code max}, so the four grid lines fall on round numbers. */
    private static int niceCeiling(int max) {
        double raw = max / 4.0;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw <= magnitude ? magnitude : raw <= 2 * magnitude ? 2 * magnitude : raw <= 5 * magnitude ? 5 * magnitude : 10 * magnitude;
        return (int) Math.max(4, Math.round(step * 4));
    }

    private static String duration(double seconds) {
        if (seconds < 120) return String.format(java.util.Locale.ROOT, "%.0fs", seconds);
        if (seconds < 7200) return String.format(java.util.Locale.ROOT, "%.0fm", seconds / 60);
        return String.format(java.util.Locale.ROOT, "%.1fh", seconds / 3600);
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
