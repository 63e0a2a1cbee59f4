package dev.jhtrace.shell.capture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.capture.Capture;
import dev.jhtrace.capture.CaptureHeader;
import dev.jhtrace.capture.CaptureReader;
import dev.jhtrace.capture.CaptureRecord;
import dev.jhtrace.capture.CaptureReport;
import dev.jhtrace.capture.DiskBudget;
import dev.jhtrace.capture.LeakVerdict;
import dev.jhtrace.capture.SegmentWriter;
import dev.jhtrace.capture.StackGroup;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report of a capture made to be hard to draw at a glance, rendered in headless Chromium: a
 * thousand files growing by a few beside one socket and a flickering pipe, a restart, a leaking stack
 * whose leaking frame has no module, and a stack that is open only now and then (a flat sparkline at
 * zero). Checked as {@link CaptureCommandTest} checks a real capture: by what the page's own elements
 * show, against counts computed here.
 */
class CaptureReportPageTest {
    private static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");
    private static final StackTrace LEAKING = new StackTrace(List.of(StackFrame.unresolved(0x7f3a1c2d4e10L),
            new StackFrame(0x401196, "srv", "serve", 0x10L, "srv.c", 40)));
    private static final StackTrace NOW_AND_THEN = new StackTrace(List.of(new StackFrame(0x7f00, "libc.so.6", "open64", 0x41L, null, null),
            new StackFrame(0x401296, "srv", "read_status", 0x24L, "srv.c", 24)));

    @Test
    void smallTypesFlatStacksAndUnresolvedFramesReadAtAGlance(@TempDir Path dir) throws Exception {
        String executable = Targets.chromium();
        Assumptions.assumeTrue(executable != null, "chromium not installed (apt-get install -y chromium)");
        write(dir);
        Capture capture = CaptureReader.read(dir);
        CaptureReport.writeAll(dir, capture, LeakVerdict.DEFAULT.judge(capture));
        Map<String, List<Integer>> counts = RenderedChart.countsOf(capture);
        RenderedChart.ReportPage rendered = RenderedChart.ReportPage.render(executable, dir.resolve("chromium"), dir.resolve("report.html"), """
                ({headline: document.getElementById('verdict').textContent,
                  names: [...document.querySelectorAll('#stacks tr[data-stack] b')].map(b => b.textContent),
                  command: document.querySelector('#facts tr[data-fact=command] td').textContent})""", "capture-report-page");
        RenderedChart chart = rendered.chart(), sparklines = rendered.sparklines();
        JsonNode page = rendered.values();

        assertEquals(counts.keySet(), chart.assertPlots(counts, RenderedChart.secondsOf(capture), true), "all handles and each type");
        chart.assertDrawn();
        // File's 1,000 to 1,038 fill its panel rather than sitting at the top of one from 0
        RenderedChart.Panel file = chart.panels().stream().filter(p -> p.name().equals("File")).findFirst().orElseThrow();
        double lowest = file.ticks().stream().mapToDouble(t -> RenderedChart.number(t.label())).min().orElseThrow();
        assertTrue(lowest >= 990, "the File axis starts near its data, at " + lowest);
        // the two segments are two polylines of one series
        assertEquals(2, chart.series("all").size(), "a line per segment");

        Map<String, List<Integer>> stackCounts = RenderedChart.stackCountsOf(capture);
        assertEquals(stackCounts.keySet(), sparklines.assertPlots(stackCounts, RenderedChart.secondsOf(capture), false), "a sparkline per stack");
        sparklines.assertDrawn();

        String headline = page.get("headline").asText();
        assertTrue(headline.startsWith("LEAK: code without symbols, called from srv!serve+0x10 grows"), headline);
        assertFalse(Pattern.compile("0x[0-9a-f]{6,}").matcher(headline).find(), "no bare address: " + headline);
        assertEquals(List.of("code without symbols, called from srv!serve+0x10", "srv!read_status+0x24"),
                List.of(page.at("/names/0").asText(), page.at("/names/1").asText()));
        assertEquals("/opt/srv/bin/srv --port 8080", page.get("command").asText());
    }

    /** Two segments of 12 records a second apart, the second starting 3 s after the first ends. */
    private static void write(Path dir) throws IOException {
        long seq = 0;
        for (int segment = 1; segment <= 2; segment++) {
            int pid = 400 + segment;
            CaptureHeader header = new CaptureHeader(CaptureHeader.FORMAT, "20261122T020000Z-1", segment, 1, pid, "srv", "gdb", true, T0,
                    1000, 20, 0, 0, "/opt/srv/bin/srv --port 8080");
            try (SegmentWriter w = new SegmentWriter(dir, header, new DiskBudget(1 << 20), 0)) {
                for (int i = 0; i < 12; i++) {
                    seq++;
                    int leaked = 2 * i + 3 * (segment - 1), status = i % 4 == 1 ? 1 : 0;
                    Map<String, Integer> types = new LinkedHashMap<>();
                    types.put("File", 1000 + leaked + status);
                    types.put("Socket", 1);
                    types.put("Pipe", i % 3 == 0 ? 1 : 0);
                    int total = types.values().stream().mapToInt(Integer::intValue).sum();
                    List<StackGroup> groups = new ArrayList<>();
                    groups.add(new StackGroup("leaking", "0x7f3a1c2d4e10", leaked, 2, Map.of("File", leaked), List.of("/var/srv/f"), LEAKING));
                    if (status > 0) groups.add(new StackGroup("status", "srv!read_status+0x24", status, 1, Map.of("File", 1), List.of(), NOW_AND_THEN));
                    w.append(new CaptureRecord(seq, segment, pid, T0.plusSeconds(seq + 3L * (segment - 1)), total, types, List.of(), 0,
                            leaked + status, 2, 3, 0L, 0, groups, 0, null));
                }
            }
        }
    }
}
