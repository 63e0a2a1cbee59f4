package dev.jhtrace.shell.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jhtrace.capture.Capture;
import dev.jhtrace.capture.CaptureFiles;
import dev.jhtrace.capture.CaptureReader;
import dev.jhtrace.shell.CliRunner;
import dev.jhtrace.spi.Engines;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jhtrace capture} on real processes traced by real gdb, at 1 s intervals: a steady leaker, a
 * warm-up that levels off, a restart under --name, the disk limit, SIGTERM and SIGKILL of jhtrace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptureCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    /** The steady leaker's capture, shared by the tests that read it. */
    private Path leakDir;
    private CliRunner leakRun;
    private long leakPid;
    private int leakFdsAtStart;

    @BeforeAll
    void captureTheSteadyLeaker() throws Exception {
        Targets.requireGdb();
        Process leaker = Targets.start(Targets.build("steady-leaker"), "250", "30");
        try {
            leakPid = leaker.pid();
            leakDir = tmp.resolve("leak");
            leakFdsAtStart = Targets.openFds(leakPid);
            leakRun = CliRunner.run("capture", "--pid", String.valueOf(leakPid), "--every", "1s", "--for", "8s", "--out", leakDir.toString(),
                    "--when-handles-exceed", String.valueOf(leakFdsAtStart + 12), "--when-growth-exceeds", "100/h");
            assertTrue(leaker.isAlive(), "the target runs on after the capture");
            Targets.awaitUntouched(leakPid, 0);
        } finally {
            Targets.stop(leaker);
        }
    }

    @AfterAll
    void nothing() {
        // the temporary directory is removed by JUnit
    }

    @Test
    void aSteadyLeakerIsJudgedALeakWithTheLeakingStack() throws IOException {
        assertEquals(3, leakRun.exitCode(), leakRun.err());
        assertTrue(leakRun.out().startsWith("LEAK: steady-leaker!remember_session"), leakRun.out());
        JsonNode report = JSON.readTree(leakDir.resolve("report.json").toFile());
        assertTrue(report.at("/verdict/leak").asBoolean());
        assertEquals("steady-leaker!remember_session+0x21".split("\\+")[0], report.at("/stacks/0/subject").asText().split("\\+")[0]);
        assertEquals("leak", report.at("/stacks/0/judgement").asText());
        // 4 a second, within what sampling at 1 s can tell
        double perHour = report.at("/stacks/0/perHour").asDouble();
        assertTrue(perHour > 10_000 && perHour < 19_000, "rate " + perHour);
        assertTrue(report.at("/capture/records").asInt() >= 5);
        assertEquals("remember_session", report.at("/stacks/0/stack/1/function").asText());
        // the churning read_status() is not a leak
        for (JsonNode s : report.get("stacks")) {
            if (s.get("subject").asText().contains("read_status")) assertNotEquals("leak", s.get("judgement").asText());
        }
    }

    @Test
    void traceEventsAreForgottenOnceRecordedSoMemoryStaysBounded() {
        Capture c = CaptureReader.read(leakDir);
        long recorded = c.records().stream().mapToLong(r -> r.newEvents()).sum();
        long dropped = c.records().get(c.records().size() - 1).droppedEvents();
        assertTrue(recorded > 20, "events were traced: " + recorded);
        // perf also records between its start and the capture's first mark: those are dropped too, never "new"
        assertTrue(dropped >= recorded, "every recorded event was dropped from the engine's trace: " + dropped + " dropped, " + recorded + " recorded");
    }

    @Test
    void triggersFireOnceWhenTheirConditionBecomesTrue() {
        Capture c = CaptureReader.read(leakDir);
        List<String> triggers = c.records().stream().map(r -> r.trigger()).filter(t -> t != null).toList();
        assertTrue(triggers.stream().anyMatch(t -> t.contains("handles, above " + (leakFdsAtStart + 12))), triggers.toString());
        assertTrue(triggers.stream().anyMatch(t -> t.contains("handles growing") && t.contains("above 100/hour")), triggers.toString());
        assertEquals(1, triggers.stream().filter(t -> t.contains("handles, above")).count(), "edge-triggered: " + triggers);
        assertTrue(leakRun.err().contains("trigger: "), leakRun.err());
    }

    @Test
    void theHtmlReportRendersInHeadlessChromiumWithTheChart() throws Exception {
        String executable = Targets.chromium();
        Assumptions.assumeTrue(executable != null, "chromium not installed (apt-get install -y chromium): the HTML is checked structurally in core");
        Capture capture = CaptureReader.read(leakDir);
        Map<String, List<Integer>> counts = RenderedChart.countsOf(capture);
        assertTrue(counts.get("all").get(counts.get("all").size() - 1) > counts.get("all").get(0), "the leaker's total grew during the capture: " + counts);
        Map<String, List<Integer>> stackCounts = RenderedChart.stackCountsOf(capture);
        String leakingStack = capture.records().get(capture.records().size() - 1).groups().stream()
                .filter(g -> g.key().startsWith("steady-leaker!remember_session")).findFirst().orElseThrow().id();
        RenderedChart.ReportPage rendered = RenderedChart.ReportPage.render(executable, tmp.resolve("chromium"), leakDir.resolve("report.html"), """
                ({headline: document.getElementById('verdict').textContent,
                  facts: Object.fromEntries([...document.querySelectorAll('#facts tr[data-fact]')].map(r => [r.dataset.fact, r.querySelector('td').innerText])),
                  times: [...document.querySelectorAll('#facts time')].map(t => [t.getAttribute('datetime'), t.textContent])})""", "capture-report");
        RenderedChart chart = rendered.chart(), sparklines = rendered.sparklines();
        JsonNode page = rendered.values();
        // what the chart says: the counts the test read from the capture, point for point, on one scale per panel
        Set<String> drawn = chart.assertPlots(counts, RenderedChart.secondsOf(capture), true);
        assertEquals(counts.keySet(), drawn, "the total and every type have a panel");
        assertEquals(counts.size(), chart.panels().size(), "a panel each");
        // each panel spans its own data: the Pipe panel's one descriptor is not squashed against zero by the Device panel's dozens
        for (RenderedChart.Panel p : chart.panels()) {
            List<Integer> values = counts.get(p.name());
            double lowest = p.ticks().stream().mapToDouble(t -> RenderedChart.number(t.label())).min().orElseThrow();
            double highest = p.ticks().stream().mapToDouble(t -> RenderedChart.number(t.label())).max().orElseThrow();
            int min = values.stream().mapToInt(Integer::intValue).min().orElseThrow(), max = values.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertTrue(lowest <= min && highest >= max, p.name() + ": the axis " + lowest + ".." + highest + " covers the data " + min + ".." + max);
            assertTrue(highest - lowest <= Math.max(2, 3 * (max - min)), p.name() + ": the axis " + lowest + ".." + highest + " fits the data " + min + ".." + max);
        }
        // that the browser drew it: each line visible in its colour along its own points
        chart.assertDrawn();
        // each stack's sparkline: its open handles in every record
        assertTrue(sparklines.assertPlots(stackCounts, RenderedChart.secondsOf(capture), false).contains(leakingStack), "the leaking stack has a sparkline");
        sparklines.assertDrawn();

        assertTrue(page.get("headline").asText().startsWith("LEAK: steady-leaker!remember_session"), page.toString());
        JsonNode facts = page.get("facts");
        assertEquals(Targets.build("steady-leaker") + " 250 30", facts.get("command").asText(), "the command line the test started");
        assertTrue(facts.get("engine").asText().startsWith("perf, stacks traced"), facts.toString());
        assertTrue(facts.get("process").asText().contains(String.valueOf(leakPid)), facts.toString());
        long seen = capture.records().stream().mapToLong(r -> r.newEvents()).sum();
        Long lost = capture.records().get(capture.records().size() - 1).lostEvents();
        assertEquals(String.format(java.util.Locale.ROOT, "%,d seen, %s lost", seen, lost == null ? "unknown" : String.format(java.util.Locale.ROOT, "%,d", lost)),
                facts.get("events").asText().replace(" (the engine cannot tell)", ""));
        // local time to the second, the zone named, with the exact instant alongside
        Instant first = capture.records().get(0).time(), last = capture.records().get(capture.records().size() - 1).time();
        java.time.format.DateTimeFormatter local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", java.util.Locale.ROOT)
                .withZone(java.time.ZoneId.systemDefault());
        assertEquals(List.of(List.of(first.toString(), local.format(first)), List.of(last.toString(), local.format(last))),
                JSON.convertValue(page.get("times"), List.class));
    }

    @Test
    void reportTurnsTheDirectoryIntoTextJsonAndHtmlWithTheVerdictAsExitCode() throws IOException {
        CliRunner text = CliRunner.run("report", leakDir.toString());
        assertEquals(3, text.exitCode(), text.err());
        assertTrue(text.out().startsWith("LEAK: "), text.out());
        assertTrue(text.out().contains("steady-leaker.c @ 18"), "source lines of the leaking frame: " + text.out());

        Path html = tmp.resolve("page.html");
        CliRunner json = CliRunner.run("report", leakDir.toString(), "--json", "--html", html.toString());
        assertEquals(3, json.exitCode());
        assertTrue(JSON.readTree(json.out()).at("/verdict/leak").asBoolean());
        String page = Files.readString(html);
        assertTrue(page.contains("<svg id=\"chart\"") && page.contains("remember_session"));
    }

    @Test
    void captureFilesAndDirectoryAreOwnerOnlyAndEveryRecordIsAWholeLine() throws IOException {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(leakDir)));
        for (Path f : CaptureFiles.list(leakDir)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            String content = Files.readString(f);
            assertTrue(content.endsWith("\n"));
            assertTrue(content.startsWith("{\"kind\":\"header\""));
        }
        Capture c = CaptureReader.read(leakDir);
        assertEquals(0, c.skippedLines());
        assertEquals(leakPid, c.segments().get(0).pid());
    }

    @Test
    void countsOnlyCaptureNeverAttachesAndStillSeesTheLeak() throws Exception {
        Process leaker = Targets.start(Targets.build("steady-leaker"), "250", "30");
        try {
            try {
                Engines.named("gdb").handles((int) leaker.pid());
            } catch (JhtraceException e) {
                Assumptions.assumeTrue(e.failure() != Failure.ENGINE_UNAVAILABLE, "this gdb engine cannot list descriptors without attaching yet: " + e.getMessage());
            }
            Path dir = tmp.resolve("counts");
            CompletableFuture<CliRunner> capture = CompletableFuture.supplyAsync(() -> CliRunner.run("capture", "--pid", String.valueOf(leaker.pid()),
                    "--no-trace", "--every", "1s", "--for", "7s", "--out", dir.toString()));
            while (!capture.isDone()) {
                assertEquals(0, Targets.tracerPid(leaker.pid()), "never attached");
                Thread.sleep(200);
            }
            CliRunner r = capture.get();
            assertEquals(3, r.exitCode(), r.err());
            Capture c = CaptureReader.read(dir);
            assertFalse(c.tracing());
            assertTrue(c.records().stream().allMatch(rec -> rec.groups().isEmpty()));
            assertTrue(CliRunner.run("report", dir.toString()).out().contains("counts only"));
        } finally {
            Targets.stop(leaker);
        }
    }

    @Test
    void aWarmUpThatLevelsOffIsJudgedNoLeak() throws Exception {
        Process server = Targets.start(Targets.build("warmup-flat"), "40", "6000", "30");
        try {
            Path dir = tmp.resolve("warmup");
            CliRunner r = CliRunner.run("capture", "--pid", String.valueOf(server.pid()), "--every", "1s", "--for", "14s", "--out", dir.toString());
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().startsWith("no leak"), r.out());
            JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
            assertFalse(report.at("/verdict/leak").asBoolean());
            assertTrue(report.at("/verdict/total/last").asInt() > report.at("/verdict/total/first").asInt(),
                    "the warm-up growth was captured: " + report.at("/verdict/total"));
            assertEquals("levels_off", report.at("/verdict/total/judgement").asText());
            Targets.awaitUntouched(server.pid(), 0);
        } finally {
            Targets.stop(server);
        }
    }

    @Test
    void underNameACaptureWaitsForTheProcessAndFollowsItAcrossARestart() throws Exception {
        String name = "jhcap" + Long.toString(System.nanoTime() % 1_000_000, 36);
        Path binary = Targets.copyAs(Targets.build("steady-leaker"), name);
        Path dir = tmp.resolve("restart");
        CliRunner.Running capture = CliRunner.start("capture", "--name", name, "--every", "1s", "--for", "13s", "--out", dir.toString());
        Process first = null, second = null;
        try {
            capture.awaitErr("waiting for a process named '" + name + "'", 30_000);
            first = Targets.start(binary, "250", "4");
            assertTrue(first.waitFor(15, TimeUnit.SECONDS));
            second = Targets.start(binary, "250", "30");
            CliRunner r = capture.result().get(60, TimeUnit.SECONDS);
            Capture c = CaptureReader.read(dir);
            assertEquals(2, c.segments().size(), r.err());
            assertEquals(first.pid(), c.segments().get(0).pid());
            assertEquals(second.pid(), c.segments().get(1).pid());
            assertTrue(c.segments().get(1).records().get(0).seq() > c.segments().get(0).records().get(c.segments().get(0).records().size() - 1).seq());
            assertTrue(Files.readString(dir.resolve("report.html")).contains("class=\"restart\""), "the restart is marked on the chart");
            assertTrue(second.isAlive());
            Targets.awaitUntouched(second.pid(), 0);
        } finally {
            Targets.stop(first);
            Targets.stop(second);
        }
    }

    @Test
    void theDiskLimitIsKeptByDeletingTheOldestFiles() throws Exception {
        // 10 leaked descriptors a second and every entry recorded: records outgrow 32KB within seconds
        Process leaker = Targets.start(Targets.build("steady-leaker"), "100", "30");
        try {
            Path dir = tmp.resolve("disk");
            CliRunner r = CliRunner.run("capture", "--pid", String.valueOf(leaker.pid()), "--every", "1s", "--for", "15s", "--max-disk", "64KB",
                    "--out", dir.toString());
            assertEquals(3, r.exitCode(), r.err());
            // perf's records carry longer stacks (DWARF, with file:line): 64 KB keeps the six a verdict needs, and still rotates
            assertTrue(Targets.size(dir) <= 64 * 1024, "directory holds " + Targets.size(dir) + " bytes");
            Capture c = CaptureReader.read(dir);
            assertTrue(c.rotatedFiles() > 0, "files were rotated away");
            assertTrue(c.records().get(0).seq() > 1, "the oldest records went first");
            assertTrue(c.records().size() >= 2, "the newest records remain");
        } finally {
            Targets.stop(leaker);
        }
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void sigtermOrCtrlCStopsTheCaptureDetachesAndWritesTheReport(String signal) throws Exception {
        Process leaker = Targets.start(Targets.build("steady-leaker"), "250", "40");
        Path dir = tmp.resolve("sig" + signal);
        Path log = tmp.resolve("sig" + signal + ".log");
        // gdb: being traced, then detached, shows in TracerPid
        Process jhtrace = Targets.jhtrace(log, "capture", "--engine", "gdb", "--pid", String.valueOf(leaker.pid()), "--every", "1s", "--out", dir.toString());
        try {
            awaitRecords(dir, 3, jhtrace);
            assertTrue(Targets.tracerPid(leaker.pid()) != 0, "traced while capturing");
            // SIGTERM as systemd stops a service; SIGINT as Ctrl-C
            assertEquals(0, new ProcessBuilder("kill", "-s", signal, String.valueOf(jhtrace.pid())).start().waitFor());
            assertTrue(jhtrace.waitFor(30, TimeUnit.SECONDS), "jhtrace stops on SIG" + signal);
            String out = Files.readString(log);
            assertTrue(out.contains("capture ended: stopped"), out);
            assertTrue(Files.exists(dir.resolve("report.html")), out);
            if (signal.equals("INT")) {
                // stopped after 3 records (a 4th or 5th may land meanwhile): fewer than the verdict's 6, so no leak, exit 0
                JsonNode verdict = JSON.readTree(dir.resolve("report.json").toFile()).at("/verdict");
                assertFalse(verdict.at("/leak").asBoolean(), verdict.toString());
                assertTrue(verdict.at("/summary").asText().startsWith("not enough records to judge"), verdict.toString());
                assertEquals(0, jhtrace.exitValue(), "Ctrl-C ends the capture normally, with the verdict as exit code: " + out);
            }
            assertTrue(leaker.isAlive());
            Targets.awaitUntouched(leaker.pid(), 0); // detached before jhtrace exited
        } finally {
            jhtrace.destroyForcibly();
            Targets.stop(leaker);
        }
    }

    @Test
    void sigkillOfJhtraceLeavesTheTargetRunningUntracedAndTheCaptureLoadable() throws Exception {
        Process leaker = Targets.start(Targets.build("steady-leaker"), "250", "40");
        Path dir = tmp.resolve("kill");
        Process jhtrace = Targets.jhtrace(tmp.resolve("kill.log"), "capture", "--pid", String.valueOf(leaker.pid()), "--every", "1s", "--out", dir.toString());
        try {
            awaitRecords(dir, 4, jhtrace);
            jhtrace.destroyForcibly(); // SIGKILL: no hook runs
            assertTrue(jhtrace.waitFor(10, TimeUnit.SECONDS));
            int fdsAtKill = Targets.openFds(leaker.pid());
            Targets.awaitUntouched(leaker.pid(), 10_000); // gdb detaches when jhtrace dies
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Targets.openFds(leaker.pid()) <= fdsAtKill) {
                assertTrue(System.nanoTime() < deadline, "the target leaks on after the kill");
                Thread.sleep(50);
            }
            assertTrue(leaker.isAlive(), "the target runs on");

            CliRunner report = CliRunner.run("report", dir.toString(), "--json");
            JsonNode json = JSON.readTree(report.out());
            // killed right after its 4th record (a 5th may land meanwhile): fewer than the verdict's 6, so no leak, exit 0;
            // every record written before the kill is in the report
            long written = recordLines(dir);
            assertTrue(written >= 4 && written < 6, "records written: " + written);
            assertEquals(written, json.at("/capture/records").asLong(), report.out());
            assertFalse(json.at("/verdict/leak").asBoolean(), report.out());
            assertEquals(0, report.exitCode(), report.err());
        } finally {
            jhtrace.destroyForcibly();
            Targets.stop(leaker);
        }
    }

    /** Waits until the capture in {@code dir} has {@code n} records. */
    private static void awaitRecords(Path dir, int n, Process jhtrace) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            assertTrue(jhtrace.isAlive(), "jhtrace exited early with " + (jhtrace.isAlive() ? "" : jhtrace.exitValue()));
            if (Files.isDirectory(dir) && recordLines(dir) >= n) return;
            Thread.sleep(200);
        }
        throw new AssertionError("no " + n + " records in " + dir + " after 30s");
    }

    /** The records written to the capture's files, counted line by line (not by the report under test). */
    private static long recordLines(Path dir) throws IOException {
        long records = 0;
        for (Path f : CaptureFiles.list(dir)) {
            records += Files.readAllLines(f).stream().filter(l -> l.startsWith("{\"kind\":\"record\"") && l.endsWith("}")).count();
        }
        return records;
    }
}
