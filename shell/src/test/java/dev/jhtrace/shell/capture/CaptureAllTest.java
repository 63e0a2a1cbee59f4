package dev.jhtrace.shell.capture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.capture.Capture;
import dev.jhtrace.capture.CaptureReader;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.shell.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code capture --all} on the real perf engine (root or CAP_PERFMON, as CI has): every process of the machine, each
 * judged on its own; two steady leakers and a server whose warm-up levels off, among whatever else runs.
 */
class CaptureAllTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void theReportRanksTheLeakingProcessesOfTheMachineEachWithItsLeakingFunction() throws Exception {
        String tag = Long.toString(System.nanoTime() % 1_000_000, 36);
        Path leaker = Targets.build("steady-leaker");
        List<Path> leakers = List.of(Targets.copyAs(leaker, "jhla" + tag), Targets.copyAs(leaker, "jhlb" + tag));
        Path warmup = Targets.copyAs(Targets.build("warmup-flat"), "jhlw" + tag);
        Path dir = tmp.resolve("all");
        // every process is started before the capture: what this JVM (jhtrace's, in these tests) forks while perf runs
        // is jhtrace's own and left out. The warm-up server waits in a shell until the capture runs, then replaces it.
        Process a = Targets.start(leakers.get(0), "250", "60");
        Process b = Targets.start(leakers.get(1), "250", "60");
        Process w = new ProcessBuilder("/bin/sh", "-c", "read go; exec \"$0\" 40 1500 60", warmup.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        // 24 s for the 6 records a judgement needs: a round records every process of the machine, and on a machine busy
        // with other tracing (another perf run flooding 200,000 events/s) rounds took 3 s, so 12 s gave 3 records
        CliRunner.Running capture = CliRunner.start("capture", "--all", "--every", "1s", "--for", "24s", "--out", dir.toString());
        try {
            capture.awaitErr("capturing every process", 60_000);
            // 40 files in its first 1.5 s, then a steady number: growth that levels off, no leak
            w.getOutputStream().write("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            w.getOutputStream().flush();
            CliRunner r = capture.result().get(120, TimeUnit.SECONDS);
            assertEquals(3, r.exitCode(), r.err());
            // the fastest leaking process first: ours, unless something else on the machine leaks faster
            assertTrue(r.out().matches("(?s)\\d+ of \\d+ processes leak; \\S+ \\(pid \\d+\\): LEAK: .*"), r.out());

            JsonNode report = ReportJson.mapper().readTree(dir.resolve("report.json").toFile());
            assertTrue(report.at("/capture/allProcesses").asBoolean());
            Map<Long, JsonNode> byPid = new HashMap<>();
            boolean leaking = true;
            for (JsonNode p : report.get("processes")) {
                byPid.put(p.get("pid").asLong(), p);
                assertTrue(leaking || !p.get("leak").asBoolean(), "leaking processes first: " + report.get("processes"));
                leaking = p.get("leak").asBoolean();
            }
            for (Process p : List.of(a, b)) {
                JsonNode process = byPid.get(p.pid());
                assertNotNull(process, p.pid() + " among " + byPid.keySet());
                assertTrue(process.get("leak").asBoolean(), process.toString());
                assertTrue(process.get("name").asText().startsWith("jhl"), process.toString());
                assertEquals("remember_session", process.at("/stacks/0/leakFrame/function").asText(), process.toString());
                assertEquals("leak", process.at("/stacks/0/judgement").asText(), process.toString());
                assertTrue(p.isAlive(), "the leaker runs on");
            }
            JsonNode flat = byPid.get(w.pid());
            assertNotNull(flat, w.pid() + " among " + byPid.keySet() + ": " + r.err());
            assertFalse(flat.get("leak").asBoolean(), "a warm-up that levels off: " + flat);
            assertTrue(flat.at("/total/last").asInt() >= 40, "its cache was seen: " + flat);

            // each process its own segment, with its own records
            Capture c = CaptureReader.read(dir);
            assertTrue(c.allProcesses());
            for (Process p : List.of(a, b, w)) {
                Capture.Segment s = c.segments().stream().filter(x -> x.pid() == p.pid()).findFirst().orElseThrow();
                assertTrue(s.records().size() >= 6, "recorded at every interval: " + s.records().size());
                assertTrue(s.records().stream().allMatch(x -> x.pid() == p.pid()));
                // what a record took from the process's trace is forgotten, as a target's is
                assertTrue(s.records().get(s.records().size() - 1).droppedEvents() > 0, "trimmed: " + s.records().get(s.records().size() - 1));
            }
            String text = Files.readString(dir.resolve("report.txt"));
            assertTrue(text.contains("Processes judged"), text);
            String html = Files.readString(dir.resolve("report.html"));
            assertTrue(html.contains("id=\"processes\"") && html.contains("jhla" + tag) && html.contains("jhlb" + tag), "both named in the page");
        } finally {
            Targets.stop(a);
            Targets.stop(b);
            Targets.stop(w);
        }
    }

    @Test
    void allIsRefusedWithATargetWithTriggersAndWithMetricsBeforeAnythingIsCreated() {
        Path out = tmp.resolve("c");
        for (List<String> args : List.of(List.of("--pid", "1"), List.of("--name", "x"), List.of("--metrics-port", "0"),
                List.of("--when-handles-exceed", "10"), List.of("--no-trace"))) {
            List<String> command = new java.util.ArrayList<>(List.of("capture", "--all", "--out", out.toString()));
            command.addAll(args);
            CliRunner r = CliRunner.run(command.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(out), "nothing was created");
        }
    }
}
