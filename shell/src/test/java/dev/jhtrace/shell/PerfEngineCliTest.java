package dev.jhtrace.shell;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.shell.support.LeakyTarget;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void eachForkedChildOfALaunchIsReportedUnderItsOwnPidInTextAndJson() throws Exception {
        java.nio.file.Path forker = dev.jhtrace.shell.support.Examples.build("forker", "forker");
        // forker 2 3: two children each leak 3 files in child_leak() and exit; the parent leaks 1 in parent_leak()
        java.nio.file.Path pids = java.nio.file.Files.createTempFile("forker", ".pids");
        CliRunner r = CliRunner.run("leaks", "--json", "--", forker.toString(), "2", "3", pids.toString());
        assertEquals(0, r.exitCode(), r.err());
        java.util.List<Integer> printed = new java.util.ArrayList<>();
        String written = java.nio.file.Files.readString(pids);
        java.nio.file.Files.delete(pids);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("child (\\d+)").matcher(written);
        while (m.find()) printed.add(Integer.parseInt(m.group(1)));
        assertEquals(2, printed.size(), r.err());
        JsonNode json = ReportJson.mapper().readTree(r.out());
        assertEquals("perf", json.get("engine").asText());
        assertEquals(1, json.get("outstanding").asInt(), r.out());
        assertEquals("parent_leak", json.at("/groups/0/leakFrame/function").asText(), r.out());
        Map<Integer, JsonNode> children = new HashMap<>();
        for (JsonNode c : json.get("processes")) children.put(c.at("/target/pid").asInt(), c);
        assertEquals(new java.util.HashSet<>(printed), children.keySet(), r.out());
        for (JsonNode c : children.values()) {
            assertEquals("forker", c.at("/target/name").asText());
            assertEquals(3, c.get("outstanding").asInt(), r.out());
            assertEquals(1, c.get("groups").size(), r.out());
            assertEquals("child_leak", c.at("/groups/0/leakFrame/function").asText(), r.out());
        }

        pids = java.nio.file.Files.createTempFile("forker", ".pids");
        CliRunner text = CliRunner.run("leaks", "--", forker.toString(), "1", "2", pids.toString());
        assertEquals(0, text.exitCode(), text.err());
        m = java.util.regex.Pattern.compile("child (\\d+)").matcher(java.nio.file.Files.readString(pids));
        java.nio.file.Files.delete(pids);
        assertTrue(m.find(), text.out());
        assertTrue(text.out().contains("== process forker (pid " + m.group(1) + ") ==\n2 outstanding handles in forker (pid " + m.group(1) + ") [perf]"), text.out());
        assertTrue(text.out().contains("leaked by") && text.out().contains("forker!child_leak"), text.out());
    }

    /** Python's socket.recv_fds receiving 3 descriptors into the heap and keeping 2. */
    private static final String RECEIVER = dev.jhtrace.shell.support.Examples.root().resolve("examples/linux/recvfds.py").toString();

    /**
     * Python's socket.recv_fds puts the control data in the heap, where perf's stack copy does not reach: the 3
     * descriptors it receives are credited to the receive by inference (the open after it shows them taken), and
     * `leaks` says so on stderr and in the JSON's {@code notes}; the 2 it keeps leak.
     */
    @Test
    void descriptorsReceivedIntoTheHeapAreNotedAndMarkedInferredInTheReport() throws Exception {
        CliRunner r = CliRunner.run("leaks", "--json", "--engine", "perf", "--", "/usr/bin/python3", RECEIVER);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = ReportJson.mapper().readTree(r.out());
        String expected = "1 received message held control data outside the stack perf copies (SCM_RIGHTS into the heap): "
                + "3 descriptors credited to their receive by the lowest-free rule, 0 that more than one receive could have made reported without a stack";
        assertEquals(1, json.get("notes").size(), r.out());
        assertEquals(expected, json.at("/notes/0").asText(), r.out());
        assertTrue(r.err().contains("jhtrace: " + expected + "\n"), r.err());
        assertEquals(2, json.get("outstanding").asInt(), "the 2 received descriptors kept: " + r.out());
        assertEquals(1, json.get("groups").size(), r.out());
        assertEquals(2, json.at("/groups/0/inferred").asInt(), "both worked out, not seen: " + r.out());
        // a report without such receives has no notes, and no group is inferred
        CliRunner plain = CliRunner.run("leaks", "--json", "--engine", "perf", "--", "/bin/sh", "-c", "exec 7</etc/hostname");
        assertEquals(0, plain.exitCode(), plain.err());
        JsonNode plainJson = ReportJson.mapper().readTree(plain.out());
        assertFalse(plainJson.has("notes"), plain.out());
        assertFalse(plainJson.at("/groups/0").has("inferred"), plain.out());
        // the text report says it in the group
        CliRunner text = CliRunner.run("leaks", "--engine", "perf", "--", "/usr/bin/python3", RECEIVER);
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("\n    inferred: 2 of these were not seen opened but worked out"), text.out());
    }

    /** The perf engine sees no call of a 32-bit program: one line and exit 6, not a clean report. */
    @Test
    void aThirtyTwoBitProgramIsRefusedInOneLineWithExitSix(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path program = dev.jhtrace.examples.I386Program.header(dir.resolve("old-daemon"));
        CliRunner r = CliRunner.run("leaks", "--engine", "perf", "--", program.toString());
        assertEquals(6, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(program + " is a 32-bit program: the kernel's syscall tracepoints do not report"), r.err());
        assertEquals("", r.out());
    }

    /**
     * A capture of a live receiver keeps the same: the newest record's notes, and the receive's group counting its 2
     * descriptors inferred. The receiver waits for a line on stdin, sent once the capture has written a record.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aCaptureRecordsTheNotesAndTheInferredDescriptors(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path out = dir.resolve("capture");
        Process receiver = new ProcessBuilder("/usr/bin/python3", RECEIVER, "wait", "hold")
                .redirectErrorStream(true).start();
        try {
            java.util.concurrent.CompletableFuture<CliRunner> capture = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return CliRunner.run("capture", "--engine", "perf", "--pid", String.valueOf(receiver.pid()), "--every", "300ms",
                            "--for", "5s", "--out", out.toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!hasRecord(out)) {
                assertTrue(System.nanoTime() < deadline && !capture.isDone(), "the capture writes a record");
                Thread.sleep(50);
            }
            receiver.getOutputStream().write("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            receiver.getOutputStream().flush();
            CliRunner r = capture.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(r.exitCode() == 0 || r.exitCode() == 3, r.out() + r.err());
            assertTrue(receiver.isAlive(), "the receiver runs on");
            dev.jhtrace.capture.Capture c = dev.jhtrace.capture.CaptureReader.read(out);
            dev.jhtrace.capture.CaptureRecord first = c.records().get(0);
            dev.jhtrace.capture.CaptureRecord last = c.records().get(c.records().size() - 1);
            assertEquals(List.of(), first.notes(), "before the receive: " + first);
            assertEquals(1, last.notes().size(), last.toString());
            assertTrue(last.notes().get(0).startsWith("1 received message held control data outside the stack perf copies"), last.notes().toString());
            // the 2 received descriptors (/dev/null), inferred; the socketpair's end it still holds, seen
            Map<String, Integer> inferred = new HashMap<>();
            for (dev.jhtrace.capture.StackGroup g : last.groups()) g.types().keySet().forEach(t -> inferred.merge(t, g.inferred(), Integer::sum));
            assertEquals(Map.of("Device", 2, "Socket", 0), inferred, last.groups().toString());
        } finally {
            receiver.destroyForcibly();
        }
    }

    private static boolean hasRecord(Path captureDir) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(captureDir)) return false;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(captureDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                if (java.nio.file.Files.readString(f).contains("\"kind\":\"record\"")) return true;
            }
        }
        return false;
    }

    /**
     * A shell pipeline: the shell dup2s the pipe onto each child's stdin or stdout before the exec. Those replaced a
     * standard descriptor, and are no leak of the child's, as valgrind's --track-fds does not count them; a descriptor
     * the shell itself left open (7) still is.
     */
    @Test
    void aPipelinesRedirectedStandardDescriptorsAreNoLeakOfTheChildren() throws Exception {
        CliRunner r = CliRunner.run("leaks", "--json", "--engine", "perf", "--", "/bin/sh", "-c", "exec 7</etc/hostname; cat /etc/passwd | grep -c root");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = ReportJson.mapper().readTree(r.out());
        assertEquals(1, json.get("outstanding").asInt(), "the shell's own descriptor 7: " + r.out());
        assertEquals(1, json.at("/groups/0/types/File").asInt(), r.out());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonNode c : json.get("processes")) {
            names.add(c.at("/target/name").asText());
            assertEquals(0, c.get("outstanding").asInt(), "no leak in " + c.at("/target/name").asText() + ": " + r.out());
        }
        assertTrue(names.containsAll(java.util.List.of("cat", "grep")), names + " " + r.out());
        // in text, children that hold nothing they opened are one line, not a section each
        CliRunner text = CliRunner.run("leaks", "--engine", "perf", "--", "/bin/sh", "-c", "cat /etc/passwd | grep -c root");
        assertEquals(0, text.exitCode(), text.err());
        assertFalse(text.out().contains("== process"), text.out());
        assertTrue(text.out().matches("(?s).*\\n2 other processes hold nothing they opened: cat \\(pid \\d+\\), grep \\(pid \\d+\\)\\n.*"), text.out());
    }

    @Test
    void allReportsTheLeakingProcessesOfTheMachineEachUnderItsPidAndName() throws Exception {
        try (LeakyTarget one = LeakyTarget.start("all", 60); LeakyTarget two = LeakyTarget.start("all", 60)) {
            CliRunner r = CliRunner.run("leaks", "--all", "--for", "3s", "--json", "--processes", "1000");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.err().contains("running processes with outstanding handles"), r.err());
            Map<Integer, JsonNode> byPid = new HashMap<>();
            int previous = Integer.MAX_VALUE;
            for (JsonNode p : ReportJson.mapper().readTree(r.out()).get("processes")) {
                byPid.put(p.at("/target/pid").asInt(), p);
                assertTrue(p.get("outstanding").asInt() <= previous, "heaviest first");
                previous = p.get("outstanding").asInt();
            }
            assertTrue(!byPid.containsKey((int) ProcessHandle.current().pid()), "not the tests' own JVM");
            for (LeakyTarget t : java.util.List.of(one, two)) {
                JsonNode p = byPid.get(t.pid());
                assertTrue(p != null, t.pid() + " in " + byPid.keySet());
                assertEquals(t.name(), p.at("/target/name").asText());
                Map<String, String> typeByFunction = new HashMap<>();
                for (JsonNode g : p.get("groups")) typeByFunction.put(g.at("/leakFrame/function").asText(), g.get("types").fieldNames().next());
                // 3 s: about 30 sockets and 12 files; the eventfd once a second may fall either side of the window
                assertEquals("Socket", typeByFunction.get("handle_request"), p.toString());
                assertEquals("File", typeByFunction.get("reload_config"), p.toString());
                assertTrue(!typeByFunction.containsKey("serve"), "serve() closes what it opens: " + typeByFunction);
                assertTrue(t.isAlive());
            }
        }
    }

    @Test
    void allIsRefusedWithATargetAndByTheGdbEngine() {
        CliRunner both = CliRunner.run("leaks", "--all", "--pid", "1");
        assertEquals(2, both.exitCode(), both.err());
        assertEquals("jhtrace: --all traces every process: give no --pid, --name or command with it", both.err().strip());
        CliRunner gdb = CliRunner.run("leaks", "--all", "--engine", "gdb", "--for", "1s");
        assertEquals(6, gdb.exitCode(), gdb.err());
        assertEquals("jhtrace: the gdb engine cannot trace every process (--all); the perf engine can", gdb.err().strip());
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
        assertTrue(r.out().contains("live:     perf: permitted here, perf version"), r.out());
        assertTrue(r.out().contains("kernel.perf_event_paranoid="), r.out());
    }

    /**
     * {@code sh -c 'leaker & exit 0'}: the shell ends at once, its child leaks for 3 s after it. The perf engine follows
     * the child to its end, as strace -f does, and reports its leaks with the leaking function; the gdb engine, which
     * follows no children, reports at the shell's exit and counts the child as untraced (the control).
     */
    @Test
    @org.junit.jupiter.api.Timeout(180)
    void leaksOfAShellThatLeavesItsLeakerRunningWaitsForTheLeakerAndReportsItsLeaks() throws Exception {
        String name = "jhorphan" + Long.toString(System.nanoTime() % 1_000_000, 36);
        java.nio.file.Path leaker = dev.jhtrace.shell.support.Examples.build("capture/steady-leaker", name);
        try {
            // steady-leaker 200 3: one descriptor every 200 ms in remember_session() for 3 s, kept until it exits
            CliRunner r = CliRunner.run("leaks", "--json", "--engine", "perf", "--", "/bin/sh", "-c", "\"$0\" 200 3 & exit 0", leaker.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.err().contains("exited with status 0; tracing the children it left running until they exit"), r.err());
            JsonNode json = ReportJson.mapper().readTree(r.out());
            assertEquals(0, json.get("outstanding").asInt(), "the shell leaks nothing: " + r.out());
            JsonNode child = null;
            for (JsonNode c : json.get("processes")) if (c.at("/target/name").asText().equals(name)) child = c;
            assertTrue(child != null, "the leaker among the children: " + r.out());
            assertTrue(child.get("outstanding").asInt() >= 10, "its leaks over 3 s, after the shell had gone: " + child);
            assertEquals("remember_session", child.at("/groups/0/leakFrame/function").asText(), child.toString());
            // exited: gone, or a zombie where no init reaps orphans
            assertFalse(new dev.jhtrace.proc.LinuxProcess(child.at("/target/pid").asInt()).isAlive(), "reported once it had exited");

            CliRunner gdb = CliRunner.run("leaks", "--json", "--engine", "gdb", "--", "/bin/sh", "-c", "\"$0\" 200 3 & exit 0", leaker.toString());
            assertEquals(0, gdb.exitCode(), gdb.err());
            assertTrue(gdb.err().contains("jhtrace: 1 child process ran untraced"), gdb.err());
            assertFalse(gdb.err().contains("tracing the children"), gdb.err());
        } finally {
            ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/" + name)).orElse(false)).forEach(ProcessHandle::destroy);
        }
    }

    /**
     * A report made while CMD and its child run ({@code --for}): {@code --kill-at-end} ends CMD, never the child, which
     * runs on, unstopped, named on stderr, its leaks so far reported.
     */
    @Test
    @org.junit.jupiter.api.Timeout(180)
    void atTheEndOfForTheCommandIsEndedAndItsChildRunsOnNamed() throws Exception {
        String name = "jhorphan" + Long.toString(System.nanoTime() % 1_000_000, 36);
        java.nio.file.Path leaker = dev.jhtrace.shell.support.Examples.build("capture/steady-leaker", name);
        try {
            CliRunner r = CliRunner.run("leaks", "--json", "--engine", "perf", "--for", "3s", "--", "/bin/sh", "-c", "\"$0\" 200 60 & wait", leaker.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.err().contains("jhtrace: ended sh (pid "), "CMD ended at the report: " + r.err());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("jhtrace: 1 of its children keeps running, untraced: " + name + " \\(pid (\\d+)\\)").matcher(r.err());
            assertTrue(m.find(), r.err());
            char state = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", m.group(1), "stat")).replaceFirst("^.*\\) ", "").charAt(0);
            assertTrue(state == 'S' || state == 'R', "the child runs on, unstopped: " + state);
            JsonNode json = ReportJson.mapper().readTree(r.out());
            JsonNode child = null;
            for (JsonNode c : json.get("processes")) if (c.at("/target/pid").asText().equals(m.group(1))) child = c;
            assertTrue(child != null && child.get("outstanding").asInt() >= 3, "its leaks so far: " + r.out());
            assertEquals("remember_session", child.at("/groups/0/leakFrame/function").asText(), child.toString());
        } finally {
            ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/" + name)).orElse(false)).forEach(ProcessHandle::destroy);
        }
    }

    /**
     * A Groovy session of a launch whose command ends first: the child it left is diffed later, after the command has
     * gone and after the child has exited, with its leaking function (perf traced it to its end).
     */
    @Test
    @org.junit.jupiter.api.Timeout(180)
    void aGroovySessionDiffsTheChildALaunchLeftRunningAfterTheLaunchEnded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String name = "jhorphan" + Long.toString(System.nanoTime() % 1_000_000, 36);
        java.nio.file.Path leaker = dev.jhtrace.shell.support.Examples.build("capture/steady-leaker", name);
        java.nio.file.Path script = tmp.resolve("orphan.groovy");
        java.nio.file.Files.writeString(script, """
                def p = launch(['/bin/sh', '-c', '"$0" 200 2 & exit 0', args[0]])
                p.htrace.enable()
                def deadline = System.currentTimeMillis() + 60_000
                while (p.alive && System.currentTimeMillis() < deadline) sleep 50
                println "shell alive: ${p.alive}"
                def c = null
                while ((c == null || c.alive) && System.currentTimeMillis() < deadline) {
                    sleep 100
                    c = p.children.find { it.name == args[1] }
                }
                println "child alive: ${c?.alive}"
                c.htrace.enable()
                def leaks = c.htrace.diff()
                println "leaks: ${leaks.size()} " + leaks.byLeakFrame().asList().collect { it.leakFrame?.function }.findAll().unique().sort().join(',')
                """, java.nio.charset.StandardCharsets.UTF_8);
        try {
            CliRunner r = CliRunner.run("script", "--engine", "perf", script.toString(), leaker.toString(), name);
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("shell alive: false\nchild alive: false\n"), r.out());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("leaks: (\\d+) remember_session\n").matcher(r.out());
            assertTrue(m.find(), r.out());
            assertTrue(Integer.parseInt(m.group(1)) >= 6, "its leaks over 2 s, after the shell had gone: " + r.out());
        } finally {
            ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/" + name)).orElse(false)).forEach(ProcessHandle::destroy);
        }
    }
}
