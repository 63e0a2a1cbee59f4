package dev.jhtrace.gdb;

import dev.jhtrace.analysis.GroupBy;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.examples.CProgram;
import dev.jhtrace.examples.GoProgram;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.ProcessExit;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gdb engine against programs that behave as real ones do: signals and many threads. */
class GdbRealProgramsTest {
    private final GdbEngine engine = new GdbEngine();

    @Test
    @Timeout(120)
    void signalsReachTheTracedTargetAtOnceAndEveryLeakIsSeen() throws Exception {
        try (Traced t = trace(LinuxExamples.build("signals").toString())) {
            // each round raises an ignored SIGPIPE and a handled SIGSEGV: a thread held at either never answers
            assertEquals("leaked 40", t.p().send("leak 40"));
            signal("USR1", t.p().pid());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String usr1 = t.p().send("usr1");
            while (!usr1.equals("usr1 1") && System.nanoTime() < deadline) usr1 = t.p().send("usr1");
            assertEquals("usr1 1", usr1, "the handler ran while traced");
            Diff diff = t.session().diff(t.snap());
            assertEquals(Map.of("signals!leak_file", 40), t.byFunction(diff));
            assertTrue(diff.outstanding().stream().allMatch(h -> "/etc/hostname".equals(h.name())));
            assertFalse(new LinuxProcess(t.p().pid()).isStopped());
        }
    }

    @Test
    @Timeout(120)
    void sigtermMidTraceEndsTheTargetWhichIsReportedKilledWithWhatItHadOpen() throws Exception {
        try (Traced t = trace(LinuxExamples.build("signals").toString())) {
            assertEquals("leaked 3", t.p().send("leak 3"));
            signal("TERM", t.p().pid());
            assertTrue(t.p().process().waitFor(20, TimeUnit.SECONDS), "SIGTERM took effect while traced");
            assertEquals(128 + 15, t.p().process().exitValue(), "the default action: killed by SIGTERM");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.source().exit().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(ProcessExit.killedBy("SIGTERM"), t.source().exit().orElseThrow());
            assertFalse(t.source().isAlive());
            Diff diff = t.session().diff(t.snap());
            assertEquals(Map.of("signals!leak_file", 3), t.byFunction(diff));
        }
    }

    @Test
    @Timeout(120)
    void aJobControlStopStopsTheTracedTargetAndSigcontContinuesItWhileTheTraceGoesOn() throws Exception {
        try (Traced t = trace(LinuxExamples.build("signals").toString())) {
            assertEquals("leaked 2", t.p().send("leak 2"));
            LinuxProcess target = new LinuxProcess(t.p().pid());
            signal("STOP", t.p().pid());
            // the delivery is let through, the group-stop that follows is held (not a moment's t passing by)
            awaitJobControlStop(t.source());
            // traced, a stop shows as t (tracing stop), the kernel's state for any tracee's group-stop
            awaitState(target, "t", "stopped by SIGSTOP");
            signal("CONT", t.p().pid());
            awaitState(target, "RS", "running again after SIGCONT");
            assertEquals("leaked 3", t.p().send("leak 3"), "it answers again");
            Diff diff = t.session().diff(t.snap());
            assertEquals(Map.of("signals!leak_file", 5), t.byFunction(diff),
                    "the leaks before the stop and after the SIGCONT are recorded");
            assertFalse(target.isStopped());
        }
    }

    @Test
    @Timeout(120)
    void aHandledSigtstpRunsItsHandlerAndDoesNotStopTheTracedTarget() throws Exception {
        try (Traced t = trace(LinuxExamples.build("signals").toString())) {
            assertEquals("tstp on", t.p().send("tstp on"));
            signal("TSTP", t.p().pid());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String tstp = t.p().send("tstp");
            while (!tstp.equals("tstp 1") && System.nanoTime() < deadline) tstp = t.p().send("tstp");
            assertEquals("tstp 1", tstp, "the handler ran while traced");
            assertEquals("leaked 2", t.p().send("leak 2"));
            assertEquals(2, t.session().diff(t.snap()).size());
            assertFalse(t.source().gdb().inJobControlStop());
        }
    }

    @Test
    @Timeout(120)
    void aTargetInAJobControlStopWhenTheTraceEndsStaysStoppedUntilSigcont() throws Exception {
        try (LineProcess p = LineProcess.start(LinuxExamples.build("signals").toString())) {
            LinuxProcess target = new LinuxProcess(p.pid());
            GdbProcess gdb;
            try (GdbHandleSource source = engine.attach(p.pid(), TraceOptions.DEFAULT)) {
                gdb = source.gdb();
                new HtraceSession(source).enable(TraceOptions.DEFAULT);
                // SIGSTOP: the kernel discards a SIGTSTP left to its default action in an orphaned process group,
                // which a test's target may be in (traced or not)
                signal("STOP", p.pid());
                awaitJobControlStop(source);
            }
            // detached: a plain job-control stop, as it would be had it never been traced; neither jhtrace nor
            // its guardian ends it, even once both have done all they do
            assertTrue(gdb.awaitRescues(20_000), "the rescues finished");
            awaitState(target, "T", "stopped, untraced");
            assertEquals(0, target.tracerPid());
            signal("CONT", p.pid());
            assertEquals("leaked 1", p.send("leak 1"), "SIGCONT continues it");
        }
    }

    @Test
    @Timeout(120)
    void aDescriptorHoldingAnotherObjectThanTheTracedOpenIsNotReportedWithThatOpensStack() throws Exception {
        try (Traced t = trace(LinuxExamples.build("signals").toString())) {
            assertEquals("leaked 1", t.p().send("leak 1"));
            long fd = t.source().handles().entries().stream().filter(h -> "/etc/hostname".equals(h.name())).mapToLong(h -> h.handle())
                    .filter(h -> t.snap().table().byHandle().get(h) == null).findFirst().orElseThrow();
            // a gap in the trace (as lost events make): the close of fd and the open of /etc/passwd in its place go unseen
            t.source().gdbTracing().disable();
            assertEquals("swapped " + fd, t.p().send("swap " + fd));
            t.source().gdbTracing().enable(TraceOptions.DEFAULT);
            Diff diff = t.session().diff(t.snap());
            OutstandingHandle h = diff.outstanding().stream().filter(o -> o.handle() == fd).findFirst().orElseThrow();
            assertEquals("/etc/passwd", h.name());
            assertEquals(null, h.open(), "the traced OPEN was of /etc/hostname (another inode): not this handle's");
            assertTrue(h.stackLost());
            assertEquals(Map.of("(unknown)", 1), t.byFunction(diff), "never reported as leaked by leak_file");
        }
    }

    private static void awaitJobControlStop(GdbHandleSource source) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!source.gdb().inJobControlStop() && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(source.gdb().inJobControlStop(), "held as a job-control stop");
    }

    private static void awaitState(LinuxProcess target, String states, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        char s = target.state();
        while (states.indexOf(s) < 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            s = target.state();
        }
        assertTrue(states.indexOf(s) >= 0, what + ": state " + s);
    }

    @Test
    @Timeout(240)
    void twoHundredThreadsOpeningAndClosingShowNoFalseLeaksAndEveryReportedLeakIsReal() throws Exception {
        // worker_ok opens and closes /etc/passwd in every thread all the time; worker_leak leaks /etc/hostname
        Process target = new ProcessBuilder(LinuxExamples.build("threads").toString(), "300", "200", "50")
                .redirectErrorStream(true).start();
        try {
            int pid = Integer.parseInt(new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8)).readLine().strip());
            try (GdbHandleSource source = engine.attach(pid, TraceOptions.DEFAULT)) {
                HtraceSession session = new HtraceSession(source);
                Snapshot snap = session.enable(TraceOptions.DEFAULT);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
                // traffic enough that many passwd descriptors are between open and close at any moment, and 20 leaks
                // since the snapshot, counted in /proc (how long that takes depends on the machine's load)
                int atSnapshot = (int) snap.table().entries().stream().filter(e -> "/etc/hostname".equals(e.name())).count();
                while ((session.tracing().eventCount() < 3_000 || hostnames(pid) - atSnapshot < 20) && System.nanoTime() < deadline) Thread.sleep(50);
                Diff diff = session.diff(snap);
                Map<String, Integer> functions = byFunction(session.report(diff, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION)));
                Map<String, Long> names = diff.outstanding().stream().collect(java.util.stream.Collectors.groupingBy(
                        h -> String.valueOf(h.name()), TreeMap::new, java.util.stream.Collectors.counting()));
                assertEquals(List.of("threads!worker_leak"), List.copyOf(functions.keySet()), "no worker_ok: " + functions + ", names " + names);
                assertTrue(functions.get("threads!worker_leak") >= 20, functions.toString());
                for (OutstandingHandle h : diff.outstanding()) assertEquals("/etc/hostname", h.name(), "reported as what the table holds");
                // every reported descriptor is still an /etc/hostname the target holds (it never closes those)
                for (OutstandingHandle h : diff.outstanding()) {
                    assertEquals("/etc/hostname", Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "fd", Long.toString(h.handle()))).toString());
                }
                int before = (int) snap.table().entries().stream().filter(e -> "/etc/hostname".equals(e.name())).count();
                assertTrue(diff.size() <= hostnames(pid) - before, "no more than it leaked since the snapshot");
            }
            assertTrue(target.isAlive());
            assertFalse(new LinuxProcess(pid).isStopped());
        } finally {
            target.destroyForcibly();
        }
    }

    @Test
    @Timeout(120)
    void aStaticBinarysLeakingFrameIsItsOwnFunctionNotTheLinkedInCLibrary() throws Exception {
        Path exe = CProgram.build(LinuxExamples.root().resolve("examples/linux/signals.c"), Path.of("target/examples/signals-static").toAbsolutePath(), "-static");
        try (Traced t = trace(exe.toString())) {
            assertEquals("leaked 5", t.p().send("leak 5"));
            assertEquals(Map.of("signals-static!leak_file", 5), t.leaksByFunction());
        }
    }

    @Test
    @Timeout(120)
    void aStrippedBinarysFramesAreModulePlusOffsetFromTheMaps() throws Exception {
        Path exe = CProgram.build(LinuxExamples.root().resolve("examples/linux/signals.c"), Path.of("target/examples/signals-stripped").toAbsolutePath(), "-s");
        try (Traced t = trace(exe.toString())) {
            assertEquals("leaked 2", t.p().send("leak 2"));
            Diff diff = t.session().diff(t.snap());
            assertEquals(2, diff.size());
            LeakReport report = t.session().report(diff, LeakAnalyzer.DEFAULT);
            assertEquals(1, report.groups().size(), "one leaking call site, one group");
            dev.jhtrace.model.StackFrame leak = report.groups().get(0).leakFrame();
            assertEquals("signals-stripped", leak.module(), "the module is known from the maps");
            assertEquals(null, leak.function(), "stripped: no symbol");
            // the offset is from the executable's load address: the same place in the file in every run
            long base = loadAddress(t.p().pid(), exe);
            assertEquals(leak.address() - base, leak.offset().longValue());
            assertEquals("signals-stripped+0x" + Long.toHexString(leak.address() - base), leak.symbol());
        }
    }

    @Test
    @Timeout(240)
    void aGoProgramsLeakingFrameIsItsOwnFunctionNotTheRuntimeOrSyscall() throws Exception {
        Path exe = buildGo("goleak");
        try (Traced t = trace(exe.toString())) {
            assertEquals("leaked 5", t.p().send("leak 5"));
            // below main.leakFile: os.Open, os.OpenFile, syscall.openat, runtime/internal/syscall.Syscall6
            Diff diff = t.session().diff(t.snap());
            LeakReport report = t.session().report(diff, LeakAnalyzer.DEFAULT);
            String stacks = report.groups().stream().map(g -> g.names() + " " + g.stack()).toList().toString();
            // the runtime's own poller (an epoll descriptor and a pipe), made at the first os.Open, is opened through it too
            assertEquals(List.of("goleak!main.leakFile"), List.copyOf(t.byFunction(diff).keySet()), stacks);
            assertEquals(5, diff.outstanding().stream().filter(h -> "/etc/hostname".equals(h.name())).count(), stacks);
        }
    }

    /** Builds {@code examples/linux/NAME.go} with the Go toolchain (golang-go; .ci/run installs it). */
    private static Path buildGo(String name) {
        return GoProgram.build(LinuxExamples.root().resolve("examples/linux/" + name + ".go"), Path.of("target/go").toAbsolutePath().resolve(name));
    }

    private static long loadAddress(int pid, Path exe) throws IOException {
        String real = exe.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps")).stream().filter(l -> l.endsWith(real))
                .mapToLong(l -> Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16)).min().orElseThrow();
    }

    private static int hostnames(int pid) throws IOException {
        int n = 0;
        File[] fds = new File("/proc/" + pid + "/fd").listFiles();
        for (File fd : fds == null ? new File[0] : fds) {
            try {
                if ("/etc/hostname".equals(Files.readSymbolicLink(fd.toPath()).toString())) n++;
            } catch (IOException closed) {
                // closed between listing and reading
            }
        }
        return n;
    }

    private static Map<String, Integer> byFunction(LeakReport report) {
        Map<String, Integer> m = new TreeMap<>();
        for (LeakGroup g : report.groups()) m.merge(g.key(), g.count(), Integer::sum);
        return m;
    }

    private static void signal(String name, int pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Integer.toString(pid)).start().waitFor());
    }

    /** Starts {@code executable} (a {@link LineProcess}), attaches gdb and enables tracing: the snapshot is taken. */
    private Traced trace(String executable) throws IOException {
        LineProcess p = LineProcess.start(executable);
        try {
            GdbHandleSource source = engine.attach(p.pid(), TraceOptions.DEFAULT);
            HtraceSession session = new HtraceSession(source);
            return new Traced(p, source, session, session.enable(TraceOptions.DEFAULT));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** A traced line program: closing it detaches, then ends the program. */
    private record Traced(LineProcess p, GdbHandleSource source, HtraceSession session, Snapshot snap) implements AutoCloseable {
        /** The leaks since the snapshot, counted per leaking function. */
        Map<String, Integer> leaksByFunction() {
            return byFunction(session.diff(snap));
        }

        /** The leaks of {@code diff}, counted per leaking function. */
        Map<String, Integer> byFunction(Diff diff) {
            return GdbRealProgramsTest.byFunction(session.report(diff, LeakAnalyzer.DEFAULT.withGroupBy(GroupBy.FUNCTION)));
        }

        @Override
        public void close() {
            try {
                source.close();
            } finally {
                p.close();
            }
        }
    }

    /** A program that prints its pid, then answers each command line with one line. */
    private record LineProcess(Process process, BufferedReader out, OutputStream in, int pid) implements AutoCloseable {
        static LineProcess start(String executable) throws IOException {
            Process p = new ProcessBuilder(executable).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            return new LineProcess(p, out, p.getOutputStream(), Integer.parseInt(out.readLine().strip()));
        }

        String send(String command) throws IOException {
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            return String.valueOf(out.readLine());
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
