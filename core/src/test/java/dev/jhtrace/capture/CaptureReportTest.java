package dev.jhtrace.capture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.report.ReportJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertEquals(3, count(html, "<polyline class=\"series\""), "all handles, File, Socket");
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
