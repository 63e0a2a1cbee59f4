package dev.jhtrace.gdb;

import dev.jhtrace.analysis.GroupBy;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures come as one clear line, and whatever happens the target keeps running with its descriptors. */
class GdbEngineRobustnessTest {
    private final GdbEngine engine = new GdbEngine();

    private static void assertOneLine(JhtraceException e, Failure failure, String... fragments) {
        assertEquals(failure, e.failure(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention " + f);
    }

    @Test
    void registeredAsTheGdbEngine() {
        Engine e = Engines.named("gdb");
        assertInstanceOf(GdbEngine.class, e);
        assertTrue(e.availability().detail().startsWith("gdb 1"), e.availability().detail());
        assertTrue(e.findProcesses("no-such-process-name-jhtrace").isEmpty());
    }

    @Test
    void missingPid() {
        int pid = 4_000_000; // above pid_max
        JhtraceException e = assertThrows(JhtraceException.class, () -> engine.attach(pid, TraceOptions.DEFAULT));
        assertOneLine(e, Failure.TARGET_NOT_FOUND, "4000000");
        assertOneLine(assertThrows(JhtraceException.class, () -> engine.attach(-5, TraceOptions.DEFAULT)), Failure.BAD_INPUT, "-5");
        int self = (int) ProcessHandle.current().pid();
        assertOneLine(assertThrows(JhtraceException.class, () -> engine.attach(self, TraceOptions.DEFAULT)), Failure.BAD_INPUT, "itself");
    }

    @Test
    void gdbMissingOrTooOld(@TempDir Path dir) throws Exception {
        GdbEngine missing = new GdbEngine(new GdbInstallation(dir.resolve("no-gdb").toString()));
        assertFalse(missing.availability().available());
        try (LeakyProcess p = LeakyProcess.start()) {
            assertOneLine(assertThrows(JhtraceException.class, () -> missing.attach(p.pid(), TraceOptions.DEFAULT)),
                    Failure.ENGINE_UNAVAILABLE, "apt-get install gdb");
            Path old = dir.resolve("gdb12");
            Files.writeString(old, "#!/bin/sh\necho 'jhtrace-gdb-version 12.1'\n");
            Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
            GdbEngine tooOld = new GdbEngine(new GdbInstallation(old.toString()));
            assertOneLine(assertThrows(JhtraceException.class, () -> tooOld.attach(p.pid(), TraceOptions.DEFAULT)),
                    Failure.ENGINE_UNAVAILABLE, "12.1", "too old", "apt-get install gdb");
            Path noPython = dir.resolve("gdb-nopy");
            Files.writeString(noPython, "#!/bin/sh\necho 'Python scripting is not supported in this copy of GDB.'\n");
            Files.setPosixFilePermissions(noPython, PosixFilePermissions.fromString("rwxr-xr-x"));
            assertTrue(new GdbEngine(new GdbInstallation(noPython.toString())).availability().detail().contains("no Python"));
            assertEquals(3, p.count(), "target untouched");
        }
    }

    @Test
    void permissionDenied(@TempDir Path dir) throws Exception {
        // gdb running as nobody may not trace our (root or other-user) process: the kernel says EPERM
        Path wrapper = dir.resolve("gdb-as-nobody");
        Files.writeString(wrapper, "#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups gdb \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        GdbEngine asNobody = new GdbEngine(new GdbInstallation(wrapper.toString()));
        org.junit.jupiter.api.Assumptions.assumeTrue(asNobody.availability().available(), "setpriv cannot switch user here: " + asNobody.availability().detail());
        org.junit.jupiter.api.Assumptions.assumeTrue(!System.getProperty("user.name").equals("nobody"));
        try (LeakyProcess p = LeakyProcess.start()) {
            JhtraceException e = assertThrows(JhtraceException.class, () -> asNobody.attach(p.pid(), TraceOptions.DEFAULT));
            assertOneLine(e, Failure.PERMISSION_DENIED, "same user or root", "ptrace_scope");
            assertFalse(new LinuxProcess(p.pid()).isStopped());
            assertEquals(3, p.count());
        }
    }

    @Test
    void noCopyOfTheGdbHelperIsLeftInTheTemporaryFolder() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        java.util.Set<Path> before = helperCopies(tmp);
        try (LeakyProcess p = LeakyProcess.start(); GdbHandleSource source = engine.attach(p.pid(), TraceOptions.DEFAULT)) {
            source.tracing().orElseThrow().enable(TraceOptions.DEFAULT); // the helper is loaded and in use
            java.util.Set<Path> during = helperCopies(tmp);
            during.removeAll(before);
            assertEquals(java.util.Set.of(), during, "gdb read the helper; its copy is gone even while attached");
        }
    }

    private static java.util.Set<Path> helperCopies(Path tmp) throws java.io.IOException {
        try (var files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().matches("jhtrace-gdb-\\d+\\.py"))
                    .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
        }
    }

    @Test
    void alreadyTracedByAnotherDebugger() {
        try (LeakyProcess p = LeakyProcess.start(); GdbHandleSource first = engine.attach(p.pid(), TraceOptions.DEFAULT)) {
            JhtraceException e = assertThrows(JhtraceException.class, () -> engine.attach(p.pid(), TraceOptions.DEFAULT));
            int tracer = new LinuxProcess(p.pid()).tracerPid();
            assertTrue(tracer > 0);
            assertOneLine(e, Failure.PERMISSION_DENIED, "already traced by pid " + tracer, "gdb");
            assertTrue(first.isAlive());
            p.send("file 1"); // the first session is unharmed
        }
    }

    @Test
    void targetExitingDuringTracingKeepsTheLog() throws Exception {
        try (LeakyProcess p = LeakyProcess.start(); GdbHandleSource source = engine.attach(p.pid(), TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot snap = session.enable(TraceOptions.DEFAULT);
            p.send("file 2");
            p.send("sock 1");
            p.send("quit");
            assertEquals(0, p.process().waitFor());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (source.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            assertFalse(source.isAlive());
            // what it held as it called exit_group, read by the helper then: the leaks and stdio among them
            HandleTable atExit = source.handles();
            assertTrue(atExit.countsByType().getOrDefault("Socket", 0) >= 1, atExit.countsByType().toString());
            assertTrue(atExit.entries().stream().anyMatch(h -> h.handle() == 0), "stdin is in the exit table");
            // the exit table decides what was open; stacks were resolved before exit_group
            Diff diff = session.diff(snap);
            LeakReport report = session.report(diff, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION));
            assertEquals(List.of("leaky!leak_config_file=2", "leaky!leak_socket=1"),
                    report.groups().stream().map(g -> g.key() + "=" + g.count()).sorted().toList());
            for (LeakGroup g : report.groups()) assertTrue(g.leakFrame().file().endsWith("leaky.c"), g.leakFrame().toString());
        }
    }

    @org.junit.jupiter.api.RepeatedTest(3)
    void sigkilledJhtraceLeavesTargetRunningWithItsDescriptors() throws Exception {
        try (LeakyProcess p = LeakyProcess.start()) {
            p.send("pre 4");
            int fds = p.count();
            String java = ProcessHandle.current().info().command().orElse("java");
            Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AttachHolder.class.getName(), Integer.toString(p.pid()))
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.equals("attached")) {
                    System.out.println("holder: " + line);
                }
                assertEquals("attached", line);
                LinuxProcess target = new LinuxProcess(p.pid());
                assertTrue(target.tracerPid() > 0, "gdb is attached");
                holder.destroyForcibly(); // SIGKILL: no shutdown hook, no detach from Java
                assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (target.tracerPid() != 0 && System.nanoTime() < deadline) Thread.sleep(20);
                assertEquals(0, target.tracerPid(), "gdb detached after its parent died");
                // a stop left pending shows once the thread runs, and the rescue ends it: wait (within a deadline)
                // until the target has run unstopped for half a second
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                long runningSince = System.nanoTime();
                while (System.nanoTime() - runningSince < TimeUnit.MILLISECONDS.toNanos(500) && System.nanoTime() < deadline) {
                    if (target.isStopped()) runningSince = System.nanoTime();
                    Thread.sleep(10);
                }
                char state = target.state();
                assertTrue(state != 't' && state != 'T' && target.isAlive(), "target state " + state);
                assertEquals(fds, p.count(), "descriptors intact");
                p.send("file 1"); // and it still works
            } finally {
                holder.destroyForcibly();
            }
        }
    }
}
