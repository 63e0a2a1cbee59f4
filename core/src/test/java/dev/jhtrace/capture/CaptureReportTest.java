package dev.jhtrace.capture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.report.ReportJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureReportTest {

    private static Capture leakyCapture(Path dir) throws IOException {
        try (SegmentWriter w = new SegmentWriter(dir, CaptureFilesTest.header(1, 77), new DiskBudget(1 << 20), 0)) {
            for (int i = 1; i <= 12; i++) w.append(CaptureFilesTest.record(i, 1, 77, 10 + i, i));
        }
        return CaptureReader.read(dir);
    }

    @Test
    void aSteadilyGrowingStackIsTheLeakInEveryForm(@TempDir Path dir) throws IOException {
        Capture c = leakyCapture(dir);
        Verdict v = LeakVerdict.DEFAULT.judge(c);
        assertTrue(v.leak());
        assertEquals(3, v.exitCode());
        assertEquals("srv!load_template+0x2d", v.stacks().get(0).growth().subject());
        assertEquals(3600, v.stacks().get(0).growth().perHour(), 1, "one handle a second");
        assertTrue(v.summary().startsWith("LEAK: srv!load_template+0x2d grows 3,600 handles/hour"), v.summary());

        String text = CaptureReport.text(c, v);
        assertTrue(text.contains("srv!load_template+0x2d [srv.c @ 28]"), text);

        JsonNode json = ReportJson.mapper().readTree(ReportJson.write(CaptureReport.json(c, v)));
        assertTrue(json.at("/verdict/leak").asBoolean());
        assertEquals("leak", json.at("/stacks/0/judgement").asText());
        assertEquals("File", json.at("/types/0/subject").asText());
        assertEquals(12, json.at("/capture/records").asInt());
    }

    @Test
    void theHtmlPageIsSelfContainedWithAChartLinePerTypeAndTheTotal(@TempDir Path dir) throws IOException {
        Capture c = leakyCapture(dir);
        String html = CaptureReportHtml.render(c, LeakVerdict.DEFAULT.judge(c));
        assertTrue(html.contains("<svg id=\"chart\""));
        String chart = html.substring(html.indexOf("<svg id=\"chart\""), html.indexOf("</svg>"));
        assertEquals(3, count(chart, "<polyline class=\"series\""), "all handles, File, Socket");
        assertEquals(3, count(chart, "<g class=\"panel\""), "a panel each");
        assertEquals(1, count(html, "<svg class=\"spark\""), "a sparkline for the one stack");
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "nothing loaded from anywhere");
        assertTrue(html.contains("default-src 'none'"));
        assertTrue(html.contains("class=\"verdict leak\""));
        // the total's line rises from left to right: its last point is higher on screen (smaller y) than its first
        Matcher m = Pattern.compile("data-type=\"all\"[^>]*points=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find());
        String[] pts = m.group(1).split(" ");
        assertEquals(12, pts.length);
        assertTrue(Double.parseDouble(pts[11].split(",")[1]) < Double.parseDouble(pts[0].split(",")[1]));
    }

    @Test
    void eachPanelsAxisSpansItsOwnDataNotFromZero(@TempDir Path dir) throws IOException {
        Capture c = leakyCapture(dir);
        String html = CaptureReportHtml.render(c, LeakVerdict.DEFAULT.judge(c));
        // totals 11..22: the all-handles panel is labelled 10 to 25, not 0 to 25
        Matcher all = Pattern.compile("data-panel=\"all\">(.*?)</g>\n(?=<g class=\"panel\"|</svg>)", Pattern.DOTALL).matcher(html);
        assertTrue(all.find());
        Matcher labels = Pattern.compile("class=\"ytick\">.*?>([\\d,]+)</text>").matcher(all.group(1));
        java.util.List<String> found = new java.util.ArrayList<>();
        while (labels.find()) found.add(labels.group(1));
        assertEquals(java.util.List.of("10", "15", "20", "25"), found);

        assertEquals(new CaptureReportHtml.Scale(10, 25, 5), CaptureReportHtml.Scale.of(11, 22));
        assertEquals(new CaptureReportHtml.Scale(1000, 1003, 1), CaptureReportHtml.Scale.of(1000, 1003), "3 more on 1,000 fills the panel");
        assertEquals(new CaptureReportHtml.Scale(0, 2, 1), CaptureReportHtml.Scale.of(1, 1), "a flat series sits mid-panel");
        assertEquals(new CaptureReportHtml.Scale(0, 20_000, 5_000), CaptureReportHtml.Scale.of(3, 19_500));
    }

    @Test
    void theHeadlineNamesCodeNeverABareAddress(@TempDir Path dir) throws IOException {
        Capture c = leakyCapture(dir);
        Verdict v = LeakVerdict.DEFAULT.judge(c);
        StackTrace stack = new StackTrace(java.util.List.of(StackFrame.unresolved(0x7f3a1c2d4e10L), new StackFrame(0x401196, "srv", "load_template", 0x2dL, null, null)));
        StackGroup unresolved = new StackGroup("s1", "0x7f3a1c2d4e10", 12, 1, java.util.Map.of("File", 12), java.util.List.of(), stack);
        Verdict.StackGrowth lead = new Verdict.StackGrowth(v.stacks().get(0).growth(), unresolved);
        Verdict bare = new Verdict(true, "LEAK: 0x7f3a1c2d4e10 grows 3,600 handles/hour (R² 1.00)", 1, v.total(), v.types(), java.util.List.of(lead));
        String html = CaptureReportHtml.render(c, bare);
        Matcher m = Pattern.compile("id=\"verdict\">([^<]*)<").matcher(html);
        assertTrue(m.find());
        assertEquals("LEAK: code without symbols, called from srv!load_template+0x2d grows 3,600 handles/hour (R² 1.00)", m.group(1));
        assertFalse(html.contains("<b>0x7f3a1c2d4e10</b>"), "the stacks table names it the same way");

        StackGroup none = new StackGroup("s2", "0x7f3a1c2d4e10", 12, 1, java.util.Map.of(), java.util.List.of(),
                new StackTrace(java.util.List.of(StackFrame.unresolved(0x7f3a1c2d4e10L), StackFrame.unresolved(0x7f3a1c2d0000L))));
        assertEquals("a stack without symbols", CaptureReportHtml.stackName(none));
        assertEquals("srv!load_template+0x2d", CaptureReportHtml.headline(v).split(" ")[1]);
    }

    @Test
    void factsNameTheCommandLineEngineEventsAndLocalTimesWithTheZone(@TempDir Path dir) throws IOException {
        CaptureHeader h = CaptureFilesTest.header(1, 77);
        CaptureHeader withCommand = new CaptureHeader(h.format(), h.captureId(), 1, 1, 77, "srv", "gdb", true, h.started(), 1000, 20, 100, 0,
                "/opt/srv/bin/srv --port 8080 --config \"/etc/srv <prod>.conf\"");
        try (SegmentWriter w = new SegmentWriter(dir, withCommand, new DiskBudget(1 << 20), 0)) {
            for (int i = 1; i <= 12; i++) w.append(CaptureFilesTest.record(i, 1, 77, 10 + i, i));
        }
        Capture c = CaptureReader.read(dir);
        assertEquals(withCommand.command(), c.segments().get(0).command(), "the command line is kept in the capture");
        String html = CaptureReportHtml.render(c, LeakVerdict.DEFAULT.judge(c), java.time.ZoneId.of("Asia/Kolkata"));
        assertTrue(html.contains("<tr data-fact=\"command\"><th>command line</th><td><code>/opt/srv/bin/srv --port 8080 --config &quot;/etc/srv &lt;prod&gt;.conf&quot;</code>"), html);
        assertTrue(html.contains("<tr data-fact=\"engine\"><th>engine</th><td>gdb, stacks traced</td>"), html);
        // 12 records of 2 new events each; the engine reported 0 lost
        assertTrue(html.contains("<span class=\"seen\">24</span> seen, <span class=\"lost\">0</span> lost"), html);
        // records at 02:00:01Z..02:00:12Z are 07:30:01..07:30:12 in India, to the second, the zone named
        assertTrue(html.contains("<time datetime=\"2026-11-22T02:00:01Z\">2026-11-22 07:30:01 IST</time> to <time datetime=\"2026-11-22T02:00:12Z\">2026-11-22 07:30:12 IST</time>"), html);
        assertTrue(html.contains(">07:30:01</text>") && html.contains("local time (Asia/Kolkata)"), "the chart's time axis too");
    }

    /** The page says what the engine could not see (the newest record's notes) and how many of a stack's handles were inferred. */
    @Test
    void thePageShowsTheEnginesNotesAndTheInferredHandlesOfAStack(@TempDir Path dir) throws IOException {
        String note = "1 received message held control data outside the stack perf copies (SCM_RIGHTS into the heap)";
        try (SegmentWriter w = new SegmentWriter(dir, CaptureFilesTest.header(1, 77), new DiskBudget(1 << 20), 0)) {
            for (int i = 1; i <= 12; i++) {
                CaptureRecord r = CaptureFilesTest.record(i, 1, 77, 10 + i, i);
                StackGroup g = r.groups().get(0);
                w.append(new CaptureRecord(r.seq(), r.segment(), r.pid(), r.time(), r.total(), r.types(), r.entries(), r.entriesDropped(),
                        r.outstanding(), r.opened(), r.newEvents(), r.lostEvents(), r.droppedEvents(),
                        List.of(new StackGroup(g.id(), g.key(), g.count(), g.opened(), g.types(), g.names(), g.stack(), 2)), r.groupsDropped(),
                        r.trigger(), i < 12 ? List.of() : List.of(note)));
            }
        }
        Capture c = CaptureReader.read(dir);
        String html = CaptureReportHtml.render(c, LeakVerdict.DEFAULT.judge(c));
        assertTrue(html.contains("<tr data-fact=\"notes\"><th>not seen</th><td>" + note + "</td></tr>"), html);
        assertTrue(html.contains("<span class=\"inferred\">inferred: 2 of these were not seen opened"), html);
        // without them, neither is said
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Capture without = leakyCapture(plain);
        String plainHtml = CaptureReportHtml.render(without, LeakVerdict.DEFAULT.judge(without));
        assertFalse(plainHtml.contains("data-fact=\"notes\"") || plainHtml.contains("class=\"inferred\""), plainHtml);
    }

    @Test
    void writesAllThreeReportsOwnerOnly(@TempDir Path dir) throws IOException {
        Capture c = leakyCapture(dir);
        CaptureReport.writeAll(dir, c, LeakVerdict.DEFAULT.judge(c));
        for (String f : new String[] {"report.txt", "report.json", "report.html"}) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))));
        }
        assertEquals(1, CaptureFiles.list(dir).size(), "reports are not taken for capture files");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
