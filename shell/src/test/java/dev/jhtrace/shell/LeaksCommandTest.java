package dev.jhtrace.shell;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.examples.CProgram;
import dev.jhtrace.report.ReportJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jhtrace leaks} and {@code jhtrace handles} against the real demo server, traced through real gdb. */
class LeaksCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("jhtrace.root", ".."));
    private Process target;

    static Path demoServer() {
        return CProgram.build(ROOT.resolve("examples/linux/demo-server.c"), Path.of("target/examples/demo-server").toAbsolutePath());
    }

    @AfterEach
    void stopTarget() {
        if (target != null) target.destroyForcibly();
    }

    private static Map<String, JsonNode> groupsByFunction(JsonNode report) {
        Map<String, JsonNode> byFunction = new HashMap<>();
        for (JsonNode g : report.get("groups")) byFunction.put(g.at("/leakFrame/function").asText(), g);
        return byFunction;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"perf", "gdb"})
    void launchReportsExactlyTheLeakingFunctionsWithTheirCountsAndSourceLines(String engine) throws Exception {
        // 1 s at 50 requests/s = 50 requests: every 3rd leaks a file (16), every 5th a socket (10)
        CliRunner r = CliRunner.run("leaks", "--engine", engine, "--json", "--", demoServer().toString(), "1", "50");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = ReportJson.mapper().readTree(r.out());
        assertEquals(engine, json.get("engine").asText());
        assertEquals("demo-server", json.at("/target/name").asText());
        assertEquals(26, json.get("outstanding").asInt());
        assertEquals(16, json.at("/types/File").asInt());
        assertEquals(10, json.at("/types/Socket").asInt());
        Map<String, JsonNode> groups = groupsByFunction(json);
        assertEquals(2, groups.size(), "read_config and make_pipe close what they open: " + groups.keySet());
        JsonNode files = groups.get("load_template");
        assertEquals(16, files.get("count").asInt());
        // names of an exited program's descriptors: gdb's from its table at the exit; perf's tracepoints carry no paths, and
        // its replayed table has the names /proc gave while the program ran
        assertEquals("/etc/passwd", files.at("/names/0").asText(), files.toString());
        assertTrue(files.at("/leakFrame/file").asText().endsWith("demo-server.c"));
        assertEquals(28, files.at("/leakFrame/line").asInt());
        assertEquals("libc.so.6", files.at("/stack/0/module").asText(), "the innermost frame is the libc wrapper");
        assertEquals(10, groups.get("connect_backend").get("count").asInt());
    }

    @Test
    void failOnLeakExitsWithThree() {
        CliRunner r = CliRunner.run("leaks", "--fail-on-leak", "--top", "1", "--", demoServer().toString(), "0.2", "50");
        assertEquals(3, r.exitCode(), r.err() + r.out());
        assertTrue(r.err().startsWith("jhtrace: tracing demo-server (pid "), r.err());
        assertTrue(r.out().contains("leaked by"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("#")).count(), "--top 1 shows one group");
    }

    @Test
    void attachTracesARunningProcessForAWhileAndLeavesItRunning() throws Exception {
        target = new ProcessBuilder(demoServer().toString(), "60", "50").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitLeaking((int) target.pid());
        int pid = (int) target.pid();
        int before = countFds(pid);
        CliRunner r = CliRunner.run("leaks", "--json", "--pid", String.valueOf(pid), "--for", "2s");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = ReportJson.mapper().readTree(r.out());
        Map<String, JsonNode> groups = groupsByFunction(json);
        assertEquals(java.util.Set.of("load_template", "connect_backend"), groups.keySet());
        int outstanding = json.get("outstanding").asInt();
        assertTrue(outstanding >= 10, "2 s at 50 requests/s leak about 26 per second: " + outstanding);
        assertEquals(outstanding, groups.get("load_template").get("count").asInt() + groups.get("connect_backend").get("count").asInt());
        assertTrue(json.at("/types/File").asInt() > json.at("/types/Socket").asInt(), "every 3rd request leaks a file, every 5th a socket");
        assertTrue(target.isAlive(), "the target keeps running after detach");
        assertFalse(stateOf(pid).equals("t") || stateOf(pid).equals("T"), "not left stopped");
        assertTrue(countFds(pid) >= before + outstanding, "descriptors intact after detach");
    }

    @Test
    void ctrlCEndsTheWaitEarlyAndStillReports() throws Exception {
        target = new ProcessBuilder(demoServer().toString(), "60", "50").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitLeaking((int) target.pid());
        Process jhtrace = new ProcessBuilder(CliRunner.inOwnJvm("leaks", "--pid", String.valueOf(target.pid()), "--for", "120s"))
                .redirectErrorStream(false).start();
        // wait until jhtrace says it is tracing, let it trace a second, then interrupt
        var stderr = new java.io.BufferedReader(new java.io.InputStreamReader(jhtrace.getErrorStream(), StandardCharsets.UTF_8));
        String first = stderr.readLine();
        assertTrue(first != null && first.startsWith("jhtrace: tracing demo-server (pid " + target.pid() + ") for 120s"), String.valueOf(first));
        awaitLeaking((int) target.pid()); // traced, leaking
        new ProcessBuilder("kill", "-INT", String.valueOf(jhtrace.pid())).start().waitFor();
        assertTrue(jhtrace.waitFor(30, TimeUnit.SECONDS), "jhtrace ends soon after Ctrl-C");
        String out = new String(jhtrace.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = stderr.lines().collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(0, jhtrace.exitValue(), err);
        assertTrue(err.contains("interrupted after"), err);
        assertTrue(out.contains("load_template"), out);
        assertTrue(target.isAlive());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"gdb", "perf"})
    void aLaunchedCommandOutlivesAKilledJhtraceUntracedWithItsDescriptors(String engine) throws Exception {
        Process jhtrace = new ProcessBuilder(CliRunner.inOwnJvm("leaks", "--engine", engine, "--", demoServer().toString(), "60", "50"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int pid = 0;
        try {
            var stderr = new java.io.BufferedReader(new java.io.InputStreamReader(jhtrace.getErrorStream(), StandardCharsets.UTF_8));
            String first = stderr.readLine();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("tracing demo-server \\(pid (\\d+)\\)").matcher(String.valueOf(first));
            assertTrue(m.find(), String.valueOf(first));
            pid = Integer.parseInt(m.group(1));
            awaitLeaking(pid); // traced, leaking
            jhtrace.destroyForcibly(); // SIGKILL: no shutdown hook, no detach from Java
            assertTrue(jhtrace.waitFor(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (tracerOf(pid) != 0 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(0, tracerOf(pid), "no tracer left when jhtrace died");
            int fds = countFds(pid);
            // a stopped target would never get here: it must run on, still leaking, every descriptor kept
            awaitFds(pid, fds + 3);
            assertFalse(stateOf(pid).equals("t") || stateOf(pid).equals("T") || stateOf(pid).equals("Z"), "running, state " + stateOf(pid));
        } finally {
            jhtrace.destroyForcibly();
            if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    static Path example(String name) {
        return CProgram.build(ROOT.resolve("examples/linux/" + name + ".c"), Path.of("target/examples/" + name).toAbsolutePath());
    }

    @Test
    void aTwoHundredThreadTargetRunsOnAfterJhtraceIsSigkilledThreeTimes() throws Exception {
        target = new ProcessBuilder(example("threads").toString(), "300", "200", "20").redirectErrorStream(true).start();
        int pid = Integer.parseInt(new java.io.BufferedReader(new java.io.InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8)).readLine().strip());
        for (int round = 1; round <= 3; round++) {
            Process jhtrace = new ProcessBuilder(CliRunner.inOwnJvm("leaks", "--pid", Integer.toString(pid), "--for", "60s"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                var stderr = new java.io.BufferedReader(new java.io.InputStreamReader(jhtrace.getErrorStream(), StandardCharsets.UTF_8));
                assertTrue(String.valueOf(stderr.readLine()).contains("tracing threads"), "traced in round " + round);
                jhtrace.destroyForcibly(); // SIGKILL mid-trace, 200 threads making descriptor calls
                assertTrue(jhtrace.waitFor(10, TimeUnit.SECONDS));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while ((tracerOf(pid) != 0 || stoppedThreads(pid) > 0) && System.nanoTime() < deadline) Thread.sleep(20);
                assertEquals(0, tracerOf(pid), "round " + round + ": gdb let it go");
                assertEquals(0, stoppedThreads(pid), "round " + round + ": every thread running");
            } finally {
                jhtrace.destroyForcibly();
            }
        }
        assertTrue(target.isAlive());
    }

    @Test
    void gdbKilledMidTraceIsAFailureNotAReport() throws Exception {
        target = new ProcessBuilder(demoServer().toString(), "60", "50").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process jhtrace = new ProcessBuilder(CliRunner.inOwnJvm("leaks", "--engine", "gdb", "--pid", Long.toString(target.pid()), "--for", "30s")).start();
        try {
            var stderr = new java.io.BufferedReader(new java.io.InputStreamReader(jhtrace.getErrorStream(), StandardCharsets.UTF_8));
            assertTrue(String.valueOf(stderr.readLine()).contains("tracing demo-server"));
            ProcessHandle gdb = jhtrace.children().filter(c -> c.info().command().orElse("").endsWith("gdb")).findFirst().orElseThrow();
            assertTrue(gdb.destroyForcibly());
            assertTrue(jhtrace.waitFor(20, TimeUnit.SECONDS), "ends at once, not after --for");
            String rest = stderr.lines().collect(java.util.stream.Collectors.joining("\n")).strip();
            assertEquals(1, jhtrace.exitValue(), rest);
            assertTrue(rest.startsWith("jhtrace: gdb died (killed by SIGKILL)") && !rest.contains("\n"), rest);
            assertEquals("", new String(jhtrace.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "no report that looks complete");
            assertTrue(target.isAlive());
        } finally {
            jhtrace.destroyForcibly();
        }
    }

    @Test
    void aLaunchedCommandsExitStatusOrSignalIsShownAndInTheJson() throws Exception {
        CliRunner status = CliRunner.run("leaks", "--json", "--", "sh", "-c", "exit 7");
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.err().contains("exited with status 7"), status.err());
        assertEquals(7, ReportJson.mapper().readTree(status.out()).at("/exit/status").asInt());
        CliRunner signal = CliRunner.run("leaks", "--json", "--", "sh", "-c", "kill -TERM $$");
        assertTrue(signal.err().contains("was killed by SIGTERM"), signal.err());
        assertEquals("SIGTERM", ReportJson.mapper().readTree(signal.out()).at("/exit/signal").asText());
    }

    @Test
    void beforeExitCountsWhatPythonClosesOnItsWayOutAndAtExitDoesNot() throws Exception {
        Path script = Files.createTempFile("jhtrace-leaky", ".py");
        try {
            Files.writeString(script, "kept = [open('/etc/hostname') for _ in range(4)]\n");
            String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
            // perf never holds the target, so it cannot stop it at its exit: it says so
            CliRunner perf = CliRunner.run("leaks", "--engine", "perf", "--before-exit", "--", python, script.toString());
            assertEquals(6, perf.exitCode(), perf.err());
            assertTrue(perf.err().contains("the perf engine cannot take the table before the exit (--before-exit): use --engine gdb"), perf.err());
            CliRunner before = CliRunner.run("leaks", "--engine", "gdb", "--json", "--before-exit", "--", python, script.toString());
            assertEquals(0, before.exitCode(), before.err());
            // a group may hold other descriptors of the same interpreter stack too: at least the four
            assertTrue(hostnames(ReportJson.mapper().readTree(before.out())) >= 4, before.out());
            CliRunner at = CliRunner.run("leaks", "--engine", "gdb", "--json", "--at-exit", "--", python, script.toString());
            assertEquals(0, at.exitCode(), at.err());
            assertEquals(0, hostnames(ReportJson.mapper().readTree(at.out())), at.out());
            CliRunner both = CliRunner.run("leaks", "--before-exit", "--at-exit", "--", python, script.toString());
            assertEquals(2, both.exitCode(), both.err());
            assertTrue(both.err().contains("--before-exit and --at-exit exclude each other"), both.err());
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The handles of the JSON report's groups that name /etc/hostname among their sample names. */
    private static int hostnames(JsonNode report) {
        int n = 0;
        for (JsonNode g : report.get("groups")) {
            for (JsonNode name : g.get("names")) {
                if (name.asText().equals("/etc/hostname")) n += g.get("count").asInt();
            }
        }
        return n;
    }

    @Test
    void atTheEndOfForALaunchedCommandIsEndedOrLeftRunningWithItsPidNamed() throws Exception {
        CliRunner ended = CliRunner.run("leaks", "--for", "1s", "--", "sleep", "300");
        assertEquals(0, ended.exitCode(), ended.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ended sleep \\(pid (\\d+)\\)").matcher(ended.err());
        assertTrue(m.find(), ended.err());
        assertFalse(ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false), "ended");

        CliRunner kept = CliRunner.run("leaks", "--for", "1s", "--no-kill-at-end", "--", "sleep", "300");
        m = java.util.regex.Pattern.compile("sleep \\(pid (\\d+)\\) keeps running").matcher(kept.err());
        assertTrue(m.find(), kept.err());
        long pid = Long.parseLong(m.group(1));
        try {
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "left running");
            assertEquals("S", stateOf((int) pid), "running, not stopped");
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void sigtermToJhtraceStillPrintsTheReport() throws Exception {
        target = new ProcessBuilder(demoServer().toString(), "60", "50").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process jhtrace = new ProcessBuilder(CliRunner.inOwnJvm("leaks", "--json", "--pid", Long.toString(target.pid()), "--for", "60s")).start();
        try {
            var stderr = new java.io.BufferedReader(new java.io.InputStreamReader(jhtrace.getErrorStream(), StandardCharsets.UTF_8));
            assertTrue(String.valueOf(stderr.readLine()).contains("tracing demo-server"));
            // SIGTERM by kill(1): Process.destroy() would also close our end of its output
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(jhtrace.pid())).start().waitFor());
            assertTrue(jhtrace.waitFor(30, TimeUnit.SECONDS));
            JsonNode json = ReportJson.mapper().readTree(jhtrace.getInputStream().readAllBytes());
            assertEquals("demo-server", json.at("/target/name").asText());
            assertTrue(target.isAlive());
            assertEquals(0, tracerOf((int) target.pid()));
        } finally {
            jhtrace.destroyForcibly();
        }
    }

    @Test
    void socketsAreDescribedByEndpointAndStateAndAnUnknownTypeIsBadInput() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            String pid = Long.toString(ProcessHandle.current().pid());
            CliRunner r = CliRunner.run("handles", "--json", "--pid", pid, "--type", "socket");
            assertEquals(0, r.exitCode(), r.err());
            // Java's sockets are dual-stack: the kernel shows the address v4-mapped
            java.util.regex.Pattern expected = java.util.regex.Pattern.compile("socket:\\[\\d+] TCP (\\[::ffff:)?127\\.0\\.0\\.1]?:" + server.getLocalPort() + " LISTEN");
            boolean found = false;
            for (JsonNode h : ReportJson.mapper().readTree(r.out()).get("handles")) found |= expected.matcher(h.get("name").asText()).matches();
            assertTrue(found, "a handle named ... " + expected + " in " + r.out());
        }
        CliRunner bad = CliRunner.run("handles", "--pid", Long.toString(ProcessHandle.current().pid()), "--type", "Sokcet");
        assertEquals(2, bad.exitCode());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("unknown handle type 'Sokcet'") && bad.err().contains("Socket"), bad.err());
    }

    @Test
    void childrenThatRanUntracedAreCountedInOneLine() throws Exception {
        // three external commands: the shell forks three children, which gdb does not follow (perf does: PerfEngineCliTest)
        CliRunner r = CliRunner.run("leaks", "--engine", "gdb", "--", "sh", "-c", "/bin/true; /bin/true; /bin/true; exit 0");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("jhtrace: 3 child processes ran untraced"), r.err());
        CliRunner none = CliRunner.run("leaks", "--engine", "gdb", "--", "sh", "-c", "exit 0");
        assertFalse(none.err().contains("untraced"), none.err());
    }

    @Test
    void aJavaProgramLaunchedUnderTracingRunsToItsEndAndItsLeaksAreReported() throws Exception {
        // the JVM raises SIGSEGV on purpose (safepoints, implicit null checks): a traced JVM must get them at once
        String java = ProcessHandle.current().info().command().orElse("java");
        // gdb: perf leaves JIT frames unnamed (perf-PID.map, written by the JVM only when asked), and its replayed table
        // names only what /proc showed while the JVM ran, so /etc/hostname and the leaking frame below are gdb's
        CliRunner r = CliRunner.run("leaks", "--engine", "gdb", "--json", "--", java, ROOT.resolve("examples/java/LeakFiles.java").toString(), "25");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("exited with status 0"), r.err());
        JsonNode json = ReportJson.mapper().readTree(r.out().substring(r.out().indexOf('{')));
        assertTrue(json.at("/types/File").asInt() >= 25, r.out());
        boolean hostname = false;
        for (JsonNode g : json.get("groups")) {
            for (JsonNode n : g.get("names")) {
                if (n.asText().equals("/etc/hostname")) {
                    hostname = true;
                    assertTrue(g.get("count").asInt() >= 25, g.toString());
                    assertFalse(g.at("/leakFrame/module").asText().startsWith("libjava"), "libjava is the JVM's own layer: " + g);
                    assertFalse(g.at("/leakFrame/module").asText().startsWith("libc"), g.toString());
                }
            }
        }
        assertTrue(hostname, r.out());
    }

    private static long stoppedThreads(int pid) throws Exception {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.filter(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    char c = stat.charAt(stat.lastIndexOf(')') + 2);
                    return c == 'T' || c == 't';
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    private static int tracerOf(int pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("TracerPid:")) return Integer.parseInt(line.substring("TracerPid:".length()).strip());
        }
        throw new AssertionError("no TracerPid for " + pid);
    }

    @Test
    void handlesListsAProcessByTypeWithoutStoppingIt() throws Exception {
        target = new ProcessBuilder(demoServer().toString(), "60", "50").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        awaitFds((int) target.pid(), 3 + 10); // stdio and ten leaks: one in five requests leaks a socket
        CliRunner r = CliRunner.run("handles", "--json", "--pid", String.valueOf(target.pid()), "--type", "socket");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = ReportJson.mapper().readTree(r.out());
        assertTrue(json.get("total").asInt() >= 1, r.out());
        json.get("handles").forEach(h -> assertEquals("Socket", h.get("type").asText()));
        assertEquals(json.get("total").asInt(), json.at("/types/Socket").asInt());
    }

    @Test
    void aCommandThatCannotRunIsBadInputNotAnEmptyReport(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("data.txt"), "not a program\n");
        Path badInterpreter = Files.writeString(dir.resolve("bad.sh"), "#!/no/such/interpreter\n");
        Files.setPosixFilePermissions(badInterpreter, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Map<List<String>, String> expected = Map.of(
                List.of(dir.resolve("missing").toString()), "jhtrace: cannot launch " + dir.resolve("missing") + ": no such file",
                List.of("no-such-command-jhtrace"), "jhtrace: cannot launch no-such-command-jhtrace: not found on the PATH",
                List.of(notExecutable.toString()), "jhtrace: cannot launch " + notExecutable + ": not an executable file",
                // the kernel refuses the exec itself: perf's workload never runs it (gdb's shell trampoline says why and
                // jhtrace adds its exit code: "the shell could not run it (exit 127)")
                List.of(badInterpreter.toString()), "jhtrace: cannot launch " + badInterpreter + ": the kernel refused to execute it");
        for (Map.Entry<List<String>, String> e : expected.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("leaks", "--"));
            args.addAll(e.getKey());
            CliRunner r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), r.err() + r.out());
            assertEquals(e.getValue(), r.err().strip().lines().reduce((a, b) -> b).orElse(""), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void missingTargetsAreExitCodeFour() {
        assertEquals(4, CliRunner.run("leaks", "--pid", "999999999", "--for", "1s").exitCode());
        assertEquals(4, CliRunner.run("handles", "--pid", "999999999").exitCode());
        CliRunner byName = CliRunner.run("handles", "--name", "no-such-process-jhtrace");
        assertEquals(4, byName.exitCode());
        assertEquals("jhtrace: no process named 'no-such-process-jhtrace'", byName.err().strip());
    }


    /** Waits until {@code pid} has leaked a few more descriptors than it holds now (demo-server leaks about 26 a second). */
    private static void awaitLeaking(int pid) throws InterruptedException {
        awaitFds(pid, countFds(pid) + 5);
    }

    /** Waits (10 s at most) until {@code pid} holds at least {@code count} descriptors. */
    private static void awaitFds(int pid, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (countFds(pid) < count) {
            if (System.nanoTime() > deadline) throw new AssertionError(pid + " holds " + countFds(pid) + " descriptors, not " + count + ": state " + stateQuietly(pid));
            Thread.sleep(20);
        }
    }

    private static String stateQuietly(int pid) {
        try {
            return stateOf(pid);
        } catch (Exception gone) {
            return "gone";
        }
    }

    private static int countFds(int pid) {
        String[] list = new File("/proc/" + pid + "/fd").list();
        return list == null ? -1 : list.length;
    }

    private static String stateOf(int pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }
}
