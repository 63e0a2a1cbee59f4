package dev.jhtrace.shell.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jhtrace.capture.Capture;
import dev.jhtrace.capture.CaptureRecord;
import dev.jhtrace.capture.StackGroup;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chart of the capture report (the chart, or the stacks' sparklines) as Chromium rendered it: each panel's series (the points the browser parsed,
 * in SVG units and on the page) and y-axis labels, the chart's bounds and a screenshot of exactly that
 * region. The checks compare it with counts computed from the capture itself, through whatever linear
 * scale the page chose, so they hold for any layout, font or size and fail for a wrong chart.
 *
 * @param panels     the chart's panels in page order
 * @param screenshot the chart's bounding box, as the browser drew it
 * @param left       the page x of the screenshot's left edge
 * @param top        the page y of the screenshot's top edge
 */
record RenderedChart(List<Panel> panels, BufferedImage screenshot, double left, double top) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Half a tenth of a unit of rounding in the page's coordinates, plus floating-point slack. */
    private static final double TOLERANCE = 0.11;

    /** A panel: series sharing one y scale, and its labelled grid lines. */
    record Panel(String name, List<Series> series, List<Tick> ticks) {
    }

    /** A polyline: its {@code data-type}, computed stroke colour, and points as (svg x, svg y, page x, page y). */
    record Series(String type, int rgb, List<double[]> points) {
    }

    /** A y-axis grid line at svg {@code y}, labelled {@code label}. */
    record Tick(double y, String label) {
    }

    private static final String EXTRACT = """
            (() => {
              const chart = document.querySelector(SELECTOR);
              if (!chart) return null;
              const onPage = (x, y, m) => { const q = new DOMPoint(x, y).matrixTransform(m); return [q.x + scrollX, q.y + scrollY]; };
              const r = chart.getBoundingClientRect();
              return {
                bounds: [r.left + scrollX, r.top + scrollY, r.width, r.height],
                panels: [...chart.querySelectorAll('.panel')].map(panel => ({
                  name: panel.dataset.panel || '',
                  series: [...panel.querySelectorAll('polyline.series')].map(p => {
                    const m = p.getScreenCTM(), points = [];
                    for (let i = 0; i < p.points.numberOfItems; i++) {
                      const q = p.points.getItem(i);
                      points.push([q.x, q.y, ...onPage(q.x, q.y, m)]);
                    }
                    return {type: p.dataset.type, stroke: getComputedStyle(p).stroke, points};
                  }),
                  ticks: [...panel.querySelectorAll('.ytick')].map(t => ({
                    y: t.querySelector('line').y1.baseVal.value, label: t.querySelector('text').textContent}))
                }))
              };
            })()""";

    /**
     * A capture report page as headless Chromium renders it: its chart, its stacks' sparklines, and the
     * value of an expression evaluated there.
     */
    record ReportPage(RenderedChart chart, RenderedChart sparklines, JsonNode values) {
        /**
         * Opens {@code html} in {@code executable} (its profile in {@code profile}) at 1000 x 700, reads it and
         * saves both screenshots as {@code target/NAME-chart.png} and {@code -stacks.png}, to look at when a check fails.
         */
        static ReportPage render(String executable, Path profile, Path html, String expression, String name) throws IOException, InterruptedException {
            ReportPage page;
            try (HeadlessChromium chromium = HeadlessChromium.start(executable, profile, 1000, 700)) {
                chromium.open(html.toUri());
                page = new ReportPage(of(chromium), of(chromium, "#stacks"), chromium.evaluate(expression));
            }
            ImageIO.write(page.chart().screenshot(), "png", Path.of("target", name + "-chart.png").toFile());
            ImageIO.write(page.sparklines().screenshot(), "png", Path.of("target", name + "-stacks.png").toFile());
            return page;
        }
    }

    /** Reads the chart {@code svg#chart} of the page {@code chromium} has open, and screenshots it. */
    static RenderedChart of(HeadlessChromium chromium) throws IOException {
        return of(chromium, "#chart");
    }

    /** Reads the panels inside the element {@code selector} finds in the page {@code chromium} has open, and screenshots that element. */
    static RenderedChart of(HeadlessChromium chromium, String selector) throws IOException {
        JsonNode chart = chromium.evaluate(EXTRACT.replace("SELECTOR", JSON.writeValueAsString(selector)));
        assertFalse(chart == null || chart.isNull() || chart.isMissingNode(), "the page has an element " + selector);
        List<Panel> panels = new ArrayList<>();
        for (JsonNode p : chart.get("panels")) {
            List<Series> series = new ArrayList<>();
            for (JsonNode s : p.get("series")) {
                List<double[]> points = new ArrayList<>();
                for (JsonNode q : s.get("points")) points.add(new double[] {q.get(0).asDouble(), q.get(1).asDouble(), q.get(2).asDouble(), q.get(3).asDouble()});
                series.add(new Series(s.get("type").asText(), rgb(s.get("stroke").asText()), points));
            }
            List<Tick> ticks = new ArrayList<>();
            for (JsonNode t : p.get("ticks")) ticks.add(new Tick(t.get("y").asDouble(), t.get("label").asText()));
            panels.add(new Panel(p.get("name").asText(), series, ticks));
        }
        JsonNode b = chart.get("bounds");
        double left = Math.floor(b.get(0).asDouble()), top = Math.floor(b.get(1).asDouble());
        double width = Math.ceil(b.get(2).asDouble()), height = Math.ceil(b.get(3).asDouble());
        assertTrue(width >= 100 && height >= 50, "the chart has a size on the page: " + b);
        return new RenderedChart(panels, chromium.screenshot(left, top, width, height), left, top);
    }

    /**
     * The counts the chart should show, computed from the capture: {@code all} (the total) and each type
     * ({@code 0} in records before the type appeared), one value per record.
     */
    static Map<String, List<Integer>> countsOf(Capture capture) {
        Set<String> types = new LinkedHashSet<>();
        for (CaptureRecord r : capture.records()) types.addAll(r.types().keySet());
        Map<String, List<Integer>> counts = new LinkedHashMap<>();
        counts.put("all", capture.records().stream().map(CaptureRecord::total).toList());
        for (String t : types) counts.put(t, capture.records().stream().map(r -> r.types().getOrDefault(t, 0)).toList());
        return counts;
    }

    /** Each stack's open handles per record, by stack id ({@code 0} in records that do not list it). */
    static Map<String, List<Integer>> stackCountsOf(Capture capture) {
        Map<String, List<Integer>> counts = new LinkedHashMap<>();
        for (CaptureRecord r : capture.records()) {
            for (StackGroup g : r.groups()) {
                counts.computeIfAbsent(g.id(), id -> capture.records().stream()
                        .map(rec -> rec.groups().stream().filter(o -> o.id().equals(id)).mapToInt(StackGroup::count).sum()).toList());
            }
        }
        return counts;
    }

    /** Seconds from the first record to each record. */
    static List<Double> secondsOf(Capture capture) {
        var t0 = capture.records().get(0).time();
        return capture.records().stream().map(r -> Duration.between(t0, r.time()).toNanos() / 1e9).toList();
    }

    /** The series named {@code type} in all panels. */
    List<Series> series(String type) {
        return panels.stream().flatMap(p -> p.series().stream()).filter(s -> s.type().equals(type)).toList();
    }

    /**
     * Checks that each panel draws its series' counts against the records' times through one linear map
     * per axis (larger counts higher up, later times further right), that its y labels name the counts at
     * their grid lines (when {@code labelled}: sparklines have none). Every series drawn must be one of
     * {@code expected}, point for point; returns the ones drawn.
     */
    Set<String> assertPlots(Map<String, List<Integer>> expected, List<Double> seconds, boolean labelled) {
        assertFalse(panels.isEmpty(), "the chart has a panel");
        Set<String> drawn = new LinkedHashSet<>();
        for (Panel panel : panels) {
            List<double[]> valueToY = new ArrayList<>(), timeToX = new ArrayList<>();
            for (Series s : panel.series()) drawn.add(s.type());
            for (String type : new LinkedHashSet<>(panel.series().stream().map(Series::type).toList())) {
                List<Integer> values = expected.get(type);
                assertTrue(values != null, "panel " + panel.name() + " draws '" + type + "', which the capture does not have; it has " + expected.keySet());
                // a series is one polyline per segment (process), in order
                List<double[]> points = panel.series().stream().filter(s -> s.type().equals(type)).flatMap(s -> s.points().stream()).toList();
                assertEquals(values.size(), points.size(), "panel " + panel.name() + ", series " + type + ": a point per record");
                for (int i = 0; i < points.size(); i++) {
                    valueToY.add(new double[] {values.get(i), points.get(i)[1]});
                    timeToX.add(new double[] {seconds.get(i), points.get(i)[0]});
                }
            }
            double[] y = fit(valueToY, "panel " + panel.name() + ": y of the counts");
            double[] x = fit(timeToX, "panel " + panel.name() + ": x of the times");
            assertTrue(x[1] > 0, "panel " + panel.name() + ": later records lie further right");
            if (y[1] != 0) {
                assertTrue(y[1] < 0, "panel " + panel.name() + ": larger counts lie higher up");
                if (labelled) assertTrue(panel.ticks().size() >= 2, "panel " + panel.name() + " labels its y axis: " + panel.ticks());
                for (Tick t : panel.ticks()) {
                    double label = number(t.label());
                    assertEquals(y[0] + y[1] * label, t.y(), TOLERANCE * 2 + Math.abs(y[1]) * 0.5,
                            "panel " + panel.name() + ": the grid line labelled " + t.label() + " lies where that count is drawn");
                }
            }
        }
        return drawn;
    }

    /**
     * Least-squares line through (v, p); fails unless every point lies on it within rounding. Returns
     * {intercept, slope}; slope 0 when all v are equal (then all p must be too).
     */
    private static double[] fit(List<double[]> pairs, String what) {
        double n = pairs.size(), sv = 0, sp = 0;
        for (double[] q : pairs) { sv += q[0]; sp += q[1]; }
        double mv = sv / n, mp = sp / n, cov = 0, var = 0;
        for (double[] q : pairs) { cov += (q[0] - mv) * (q[1] - mp); var += (q[0] - mv) * (q[0] - mv); }
        double slope = var == 0 ? 0 : cov / var, intercept = mp - slope * mv;
        for (double[] q : pairs) {
            double off = q[1] - (intercept + slope * q[0]);
            // times are stored to the nanosecond but drawn to the millisecond: allow that too
            assertTrue(Math.abs(off) <= TOLERANCE + Math.abs(slope) * 0.001,
                    what + ": (" + q[0] + ", " + q[1] + ") is " + off + " off the line p = " + intercept + " + " + slope + " v through " + pairs.size() + " points");
        }
        return new double[] {intercept, slope};
    }

    /**
     * Checks the screenshot shows the chart drawn: the chart region is not blank, and each series' line, in a
     * colour that stands out from the chart's background (its commonest colour), is visible along its
     * points (in three of four places along it, as lines may cross), anti-aliasing allowed for.
     */
    void assertDrawn() {
        int w = screenshot.getWidth(), h = screenshot.getHeight(), inked = 0;
        Map<Integer, Integer> colours = new java.util.HashMap<>();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) colours.merge(screenshot.getRGB(x, y) & 0xffffff, 1, Integer::sum);
        int background = colours.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        for (var e : colours.entrySet()) if (distance(e.getKey(), background) > 60) inked += e.getValue();
        assertTrue(inked > w * h / 200, "the chart region is not blank: " + inked + " of " + w * h + " pixels differ from its background");
        for (Panel panel : panels) {
            for (Series s : panel.series()) {
                assertTrue(distance(s.rgb(), background) > 100, "panel " + panel.name() + ": the line of " + s.type() + " (#"
                        + Integer.toHexString(s.rgb()) + ") stands out from the background (#" + Integer.toHexString(background) + ")");
                int places = 0, seen = 0;
                for (int i = 0; i < s.points().size(); i++) {
                    double[] a = s.points().get(i), b = s.points().get(Math.min(i + 1, s.points().size() - 1));
                    for (double f = 0; f < (i + 1 < s.points().size() ? 1 : 0.01); f += 0.25) {
                        places++;
                        if (colourNear(a[2] + f * (b[2] - a[2]) - left, a[3] + f * (b[3] - a[3]) - top, s.rgb(), background)) seen++;
                    }
                }
                assertTrue(seen * 4 >= places * 3, "panel " + panel.name() + ": the line of " + s.type() + " (#" + Integer.toHexString(s.rgb())
                        + ") shows in " + seen + " of " + places + " places along its points");
            }
        }
    }

    /** Whether a pixel within 2 of (x, y) shows the colour {@code rgb} over {@code background}. */
    private boolean colourNear(double x, double y, int rgb, int background) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                int px = (int) Math.round(x) + dx, py = (int) Math.round(y) + dy;
                if (px >= 0 && py >= 0 && px < screenshot.getWidth() && py < screenshot.getHeight() && shows(screenshot.getRGB(px, py), rgb, background)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code pixel} is {@code colour} drawn over {@code background} covering at least 60% of it: a
     * thin line is anti-aliased, so few of its pixels are its pure colour, but each is a blend of the two
     * (a grey axis is not a 52% blend of a near-black line: it lies on the same blend line, below 60%).
     */
    static boolean shows(int pixel, int colour, int background) {
        double[] d = new double[3], p = new double[3];
        for (int i = 0; i < 3; i++) {
            int shift = 16 - 8 * i;
            d[i] = (colour >> shift & 0xff) - (background >> shift & 0xff);
            p[i] = (pixel >> shift & 0xff) - (background >> shift & 0xff);
        }
        double dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if (dd == 0) return false;
        double coverage = (p[0] * d[0] + p[1] * d[1] + p[2] * d[2]) / dd, off = 0;
        for (int i = 0; i < 3; i++) off += (p[i] - coverage * d[i]) * (p[i] - coverage * d[i]);
        return coverage >= 0.6 && coverage <= 1.15 && Math.sqrt(off) <= 30;
    }

    private static int distance(int a, int b) {
        return Math.abs((a >> 16 & 0xff) - (b >> 16 & 0xff)) + Math.abs((a >> 8 & 0xff) - (b >> 8 & 0xff)) + Math.abs((a & 0xff) - (b & 0xff));
    }

    private static final Pattern RGB = Pattern.compile("rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)");

    private static int rgb(String css) {
        Matcher m = RGB.matcher(css);
        assertTrue(m.find(), "a computed stroke colour: " + css);
        return Integer.parseInt(m.group(1)) << 16 | Integer.parseInt(m.group(2)) << 8 | Integer.parseInt(m.group(3));
    }

    /** A label's number: digits with thousands separators, optionally k or M. */
    static double number(String label) {
        String s = label.trim().replace(",", "");
        double scale = s.endsWith("k") ? 1e3 : s.endsWith("M") ? 1e6 : 1;
        if (scale != 1) s = s.substring(0, s.length() - 1);
        return Double.parseDouble(s) * scale;
    }
}
