package dev.jhtrace.shell;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.shell.support.LeakyTarget;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --engine perf} through the command line, against leaky-rates (needs root or CAP_PERFMON, as CI has). */
class PerfEngineCliTest {

    @Test
    void leaksWithThePerfEngineNamesEachWorkersLeakingFunctionAndLeavesTheServerRunning() throws Exception {
        try (LeakyTarget target = LeakyTarget.start("perf", 60)) {
            CliRunner r = CliRunner.run("leaks", "--engine", "perf", "--pid", Integer.toString(target.pid()), "--for", "3s", "--json");
            assertEquals(0, r.exitCode(), r.err());
            JsonNode json = ReportJson.mapper().readTree(r.out());
            assertEquals("perf", json.get("engine").asText());
            Map<String, String> typeByFunction = new HashMap<>();
            for (JsonNode g : json.get("groups")) typeByFunction.put(g.at("/leakFrame/function").asText(), g.get("types").fieldNames().next());
            // leaky-rates' three workers: a socket every 100 ms, a file every 250 ms, an eventfd every second; serve() closes all
            assertEquals(Map.of("handle_request", "Socket", "reload_config", "File", "poll_events", "EventFd"), typeByFunction, r.out());
            assertTrue(target.isAlive());
        }
    }

    @Test
    void anUnknownEngineIsEngineUnavailable() {
        CliRunner r = CliRunner.run("handles", "--engine", "nosuch", "--pid", Long.toString(ProcessHandle.current().pid()));
        assertEquals(6, r.exitCode(), r.err());
        assertEquals("jhtrace: no engine named 'nosuch' in this build", r.err().strip());
    }

    @Test
    void doctorSaysWhichEngineLiveProcessesGetAndWhetherPerfIsPermitted() {
        CliRunner r = CliRunner.run("doctor");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("perf ") && l.contains("available")), r.out());
        assertTrue(r.out().contains("live:     gdb by default; --engine perf is permitted here"), r.out());
        assertTrue(r.out().contains("kernel.perf_event_paranoid="), r.out());
    }
}
