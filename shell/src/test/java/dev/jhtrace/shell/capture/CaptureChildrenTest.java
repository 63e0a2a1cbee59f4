package dev.jhtrace.shell.capture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.shell.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code capture --pid} of a parent that forks its leaking worker after the capture began (as a pre-forking server
 * does), on the real perf engine, which follows children: the worker is recorded beside the parent and judged on its
 * own, with its leaking function; the parent, which leaks nothing, is judged no leak. A worker left running by a
 * parent that exits is recorded on until it exits or the capture ends, as {@code strace -f -p} follows it.
 */
class CaptureChildrenTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void aForkedWorkerIsASegmentOfItsOwnJudgedWithItsLeakingFunction() throws Exception {
        String tag = Long.toString(System.nanoTime() % 1_000_000, 36);
        Path worker = Targets.copyAs(Targets.build("steady-leaker"), "jhkid" + tag);
        // the parent: a shell that forks the worker once told to, then waits for it
        Process parent = new ProcessBuilder("/bin/sh", "-c", "read go; \"$0\" 250 60 & wait", worker.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path dir = tmp.resolve("kids");
        CliRunner.Running capture = CliRunner.start("capture", "--engine", "perf", "--pid", Long.toString(parent.pid()), "--every", "500ms",
                "--for", "9s", "--out", dir.toString());
        try {
            capture.awaitErr("segment 1", 60_000);
            parent.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            parent.getOutputStream().flush();
            CliRunner r = capture.result().get(120, TimeUnit.SECONDS);
            assertEquals(3, r.exitCode(), r.out() + r.err());

            JsonNode report = ReportJson.mapper().readTree(dir.resolve("report.json").toFile());
            assertEquals("sh", report.at("/capture/name").asText(), "the capture bears its target's name");
            assertTrue(report.at("/capture/allProcesses").asBoolean(), "judged per process");
            JsonNode child = null, shell = null;
            List<String> seen = new ArrayList<>();
            for (JsonNode p : report.get("processes")) {
                seen.add(p.get("pid").asLong() + " " + p.get("name").asText());
                if (p.get("name").asText().startsWith("jhkid")) child = p;
                if (p.get("pid").asLong() == parent.pid()) shell = p;
            }
            assertTrue(child != null, "the worker among the processes judged: " + seen + "\n" + r.err());
            assertTrue(child.get("leak").asBoolean(), child.toString());
            assertEquals("remember_session", child.at("/stacks/0/leakFrame/function").asText(), child.toString());
            assertTrue(shell != null, "the parent among the processes judged: " + seen);
            assertFalse(shell.get("leak").asBoolean(), "the parent leaks nothing: " + shell);
            assertTrue(r.out().matches("(?s)1 of 2 processes leak; jhkid\\S* \\(pid \\d+\\): LEAK: .*"), r.out());
            String html = java.nio.file.Files.readString(dir.resolve("report.html"));
            assertTrue(html.contains("sh and its children"), "the page names the target and its children");
            assertTrue(parent.isAlive(), "the parent runs on");
        } finally {
            // the worker first: once its parent is gone, descendants() no longer finds it
            try (var kids = parent.descendants()) {
                kids.forEach(ProcessHandle::destroy);
            }
            parent.destroy();
            parent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(180)
    void aWorkerLeftRunningByItsExitedParentIsRecordedOnUntilTheCaptureEnds() throws Exception {
        String tag = Long.toString(System.nanoTime() % 1_000_000, 36);
        Path worker = Targets.copyAs(Targets.build("steady-leaker"), "jhorph" + tag);
        // the parent: a shell that starts the worker once told to and exits at once, as a script starting a daemon does
        Process parent = new ProcessBuilder("/bin/sh", "-c", "read go; \"$0\" 250 60 & exit 0", worker.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path dir = tmp.resolve("orphan");
        CliRunner.Running capture = CliRunner.start("capture", "--engine", "perf", "--pid", Long.toString(parent.pid()), "--every", "500ms",
                "--for", "8s", "--out", dir.toString());
        ProcessHandle workerProcess = null;
        try {
            capture.awaitErr("segment 1", 60_000);
            parent.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            parent.getOutputStream().flush();
            assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "the parent exits at once");
            CliRunner r = capture.result().get(120, TimeUnit.SECONDS);
            assertEquals(3, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains("recording the children it left running"), r.err());

            JsonNode report = ReportJson.mapper().readTree(dir.resolve("report.json").toFile());
            JsonNode child = null;
            List<String> seen = new ArrayList<>();
            for (JsonNode p : report.get("processes")) {
                seen.add(p.get("pid").asLong() + " " + p.get("name").asText());
                if (p.get("name").asText().startsWith("jhorph")) child = p;
            }
            assertTrue(child != null, "the worker among the processes judged: " + seen + "\n" + r.err());
            long workerPid = child.get("pid").asLong();
            workerProcess = ProcessHandle.of(workerPid).orElse(null);
            assertTrue(child.get("leak").asBoolean(), child.toString());
            // its leaking stack among its stacks (under load, some of its opens may come without a stack: "(stack unknown)")
            boolean leakingFunction = false;
            for (JsonNode st : child.get("stacks")) leakingFunction |= "remember_session".equals(st.at("/leakFrame/function").asText());
            assertTrue(leakingFunction, child.toString());
            // recorded to the capture's end, not to its parent's: a record every 500 ms for most of 8 s
            long records = 0;
            for (JsonNode segment : report.at("/capture/segments")) if (segment.get("pid").asLong() == workerPid) records = segment.get("records").asLong();
            assertTrue(records >= 8, "records of the worker: " + records + " in " + report.at("/capture/segments"));
            assertTrue(workerProcess != null && workerProcess.isAlive(), "the worker runs on after the capture");
        } finally {
            if (workerProcess != null) workerProcess.destroy();
            parent.destroy();
        }
    }
}
