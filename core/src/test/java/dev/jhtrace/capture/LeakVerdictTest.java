package dev.jhtrace.capture;

import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeakVerdictTest {
    private static final LeakVerdict V = LeakVerdict.DEFAULT;

    /** Points every 5 minutes for 8 hours. */
    private static Growth judge(DoubleUnaryOperator countAtHour) {
        int n = 97;
        double[] h = new double[n], v = new double[n];
        for (int i = 0; i < n; i++) {
            h[i] = i * 5 / 60.0;
            v[i] = Math.round(countAtHour.applyAsDouble(h[i]));
        }
        return V.judge("s", null, h, v);
    }

    @Test
    void steadyLeakIsALeakWithItsRate() {
        Growth g = judge(h -> 40 + 12 * h);
        assertEquals(Growth.Judgement.LEAK, g.judgement());
        assertEquals(12, g.perHour(), 0.2);
        assertTrue(g.confidence() > 0.99, "R² " + g.confidence());
    }

    @Test
    void slowLeakWithNoiseIsStillALeak() {
        // one handle every 20 minutes on top of +-2 of churn
        Growth g = judge(h -> 100 + 3 * h + 2 * Math.sin(h * 37));
        assertEquals(Growth.Judgement.LEAK, g.judgement(), g.toString());
        assertEquals(3, g.perHour(), 0.5);
    }

    @Test
    void warmUpThatLevelsOffIsNoLeak() {
        Growth g = judge(h -> h < 1 ? 20 + 200 * h : 220);
        assertEquals(Growth.Judgement.LEVELS_OFF, g.judgement());
        assertEquals(0, g.perHour(), 1e-9);
        assertTrue(g.overall().slopePerHour() > 0, "the whole series did grow");
    }

    @Test
    void growthStillSlowingDownInTheLaterPartLevelsOff() {
        // approaches 300 exponentially: the later half still rises a little, but ever slower
        Growth g = judge(h -> 300 - 280 * Math.exp(-h / 1.2));
        assertEquals(Growth.Judgement.LEVELS_OFF, g.judgement(), g.toString());
    }

    @Test
    void flatIsFlat() {
        Growth g = judge(h -> 57);
        assertEquals(Growth.Judgement.FLAT, g.judgement());
        assertEquals(1.0, g.confidence());
    }

    @Test
    void burstsWithoutATrendAreNotCalledALeak() {
        Growth g = judge(h -> 50 + ((int) (h * 3) % 4 == 0 ? 40 : 0) + (h > 7.5 ? 30 : 0));
        assertEquals(Growth.Judgement.NO_CLEAR_TREND, g.judgement(), g.toString()); // it rises, but no line fits (R² far below 0.8)
    }

    @Test
    void tooFewRecordsAreNotJudged() {
        Growth g = V.judge("s", null, new double[] {0, 1, 2}, new double[] {1, 50, 100});
        assertEquals(Growth.Judgement.TOO_FEW_RECORDS, g.judgement());
    }

    @Test
    void trendFitsExactLines() {
        Trend t = Trend.fit(new double[] {0, 1, 2, 3}, new double[] {5, 7, 9, 11}, 0, 4);
        assertEquals(2, t.slopePerHour(), 1e-12);
        assertEquals(1, t.rSquared(), 1e-12);
        assertEquals(6, t.rise(), 1e-12);
    }

    /** A capture of every process: each judged alone, leaking first and fastest first; the verdict names the fastest. */
    @Test
    void everyProcessIsJudgedOnItsOwnAndTheFastestLeakLeads() {
        java.util.List<Capture.Segment> segments = new java.util.ArrayList<>();
        int[] perStep = {0, 1, 4}; // flat, slow leak, fast leak
        long seq = 0;
        for (int s = 1; s <= 3; s++) {
            java.util.List<CaptureRecord> records = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                CaptureRecord r = CaptureFilesTest.record(++seq, s, 70 + s, 10 + perStep[s - 1] * i, perStep[s - 1] * i);
                // side by side: each process's records at the same times
                records.add(new CaptureRecord(r.seq(), s, 70 + s, java.time.Instant.parse("2026-11-22T02:00:00Z").plusSeconds(60L * i), r.total(), r.types(),
                        r.entries(), 0, r.outstanding(), r.opened(), r.newEvents(), r.lostEvents(), r.droppedEvents(), r.groups(), 0, null));
            }
            segments.add(new Capture.Segment(s, 70 + s, records, null, "p" + s));
        }
        Capture all = new Capture("20261122T020000Z-1", Capture.ALL_PROCESSES, "perf", true, java.time.Instant.parse("2026-11-22T02:00:00Z"), 60_000,
                segments, 3, 0, 0, java.util.List.of(), true);
        java.util.List<ProcessVerdict> each = V.judgeEach(all);
        assertEquals(java.util.List.of(73, 72, 71), each.stream().map(ProcessVerdict::pid).toList());
        assertEquals(java.util.List.of(true, true, false), each.stream().map(p -> p.verdict().leak()).toList());
        Verdict v = V.judge(all);
        assertTrue(v.leak());
        assertEquals(3, v.segment());
        assertTrue(v.summary().startsWith("2 of 3 processes leak; p3 (pid 73): LEAK: "), v.summary());
        String text = CaptureReport.text(all, v);
        assertTrue(text.contains("Processes judged (3; too short-lived to judge: 0), leaking first:"), text);
        assertTrue(text.indexOf("      73  p3") < text.indexOf("      72  p2") && text.indexOf("      72  p2") < text.indexOf("      71  p1"), text);
        assertTrue(text.contains("Details of p3 (pid 73):"), text);
        com.fasterxml.jackson.databind.JsonNode json = CaptureReport.json(all, v);
        assertEquals(73, json.at("/processes/0/pid").asInt());
        assertEquals("load_template", json.at("/processes/0/stacks/0/leakFrame/function").asText(), json.toString());
        assertFalse(json.at("/processes/2/leak").asBoolean());
        String html = CaptureReportHtml.render(all, v, java.time.ZoneOffset.UTC);
        assertTrue(html.contains("<table id=\"processes\">") && html.contains("<h2 id=\"detail\">p3 (pid 73)</h2>"), html);
    }
}
