package dev.jhtrace.perf;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Targets that need no special handling under perf: many threads, fork, signals, a static binary; and jhtrace killed. */
class PerfTargetsTest {

    /** Outstanding handles per leaking function. */
    static Map<String, Integer> byLeakFunction(HtraceSession session, Diff diff) {
        Map<String, Integer> counts = new TreeMap<>();
        for (LeakGroup g : session.report(diff, LeakAnalyzer.DEFAULT).groups()) {
            counts.merge(g.leakFrame() == null ? "(no stack)" : String.valueOf(g.leakFrame().function()), g.count(), Integer::sum);
        }
        return counts;
    }

    private interface Work {
        void run(DrivenProcess target) throws Exception;
    }

    /** Attaches to a fresh perfzoo, does {@code work}, and returns the diff's counts per leaking function. */
    private static Map<String, Integer> traced(boolean statically, Work work) throws Exception {
        try (DrivenProcess target = new DrivenProcess(DrivenProcess.perfzoo(statically));
             PerfHandleSource source = new PerfEngine().attach(target.pid(), TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot snapshot = session.enable(TraceOptions.DEFAULT);
            work.run(target);
            Diff diff = session.diff(snapshot);
            assertEquals(0L, diff.lostEvents());
            return byLeakFunction(session, diff);
        }
    }

    @Test
    void twoHundredThreadsEachLeakOnceUnderTheirOwnStack() throws Exception {
        assertEquals(Map.of("thread_leak", 200), traced(false, t -> t.send("threads 200")));
    }

    @Test
    void aForkedChildsDescriptorsStayOutOfTheParentsDiff() throws Exception {
        assertEquals(Map.of("parent_leak", 1), traced(false, t -> t.send("fork 3")));
    }

    /** The one child source of {@code source} whose pid is {@code pid}. */
    private static HandleSource child(HandleSource source, int pid) {
        List<HandleSource> found = source.children().stream().filter(c -> c.target().pid() == pid).toList();
        assertEquals(1, found.size(), "children: " + source.children().stream().map(c -> c.target().pid()).toList());
        return found.get(0);
    }

    @Test
    void aForkedChildThatExitedIsReportedUnderItsOwnPidWithWhatItHeldAtItsEnd() throws Exception {
        try (DrivenProcess target = new DrivenProcess(DrivenProcess.perfzoo(false));
             PerfHandleSource source = new PerfEngine().attach(target.pid(), TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot snapshot = session.enable(TraceOptions.DEFAULT);
            int childPid = Integer.parseInt(target.send("fork 3").split(" ")[2]);
            assertEquals(Map.of("parent_leak", 1), byLeakFunction(session, session.diff(snapshot)));
            HandleSource child = child(source, childPid);
            assertFalse(child.isAlive());
            assertEquals("perfzoo", child.target().name());
            HtraceSession childSession = new HtraceSession(child);
            Diff childDiff = childSession.diff(childSession.enable(TraceOptions.DEFAULT));
            assertEquals(Map.of("child_leak", 3), byLeakFunction(childSession, childDiff));
            assertEquals(childPid, childSession.report(childDiff, LeakAnalyzer.DEFAULT).target().pid());
        }
    }

    /** Whether any OPEN of {@code fd} in {@code source}'s log has a frame of {@code function}. */
    private static boolean openedIn(HandleSource source, long fd, String function) {
        return source.tracing().orElseThrow().log().events().stream()
                .filter(e -> e.kind() == dev.jhtrace.model.EventKind.OPEN && e.handle() == fd)
                .anyMatch(e -> e.stack().frames().stream().anyMatch(f -> function.equals(f.function())));
    }

    /** Launches {@code script} in sh with fdzoo and its arguments as "$@", and waits for its end. */
    private static PerfHandleSource launchedToItsEnd(String script, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script, "sh", DrivenProcess.example("fdzoo").toString(), dir.resolve("file").toString(),
                dir.toString()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        PerfHandleSource source = new PerfEngine().launch(pb, TraceOptions.DEFAULT);
        assertTrue(source.launchedProcess().orElseThrow().waitFor(30, TimeUnit.SECONDS));
        return source;
    }

    /**
     * A launched shell opens a file and then execs fdzoo: the shell's open is unwound with the shell's maps, fdzoo's with
     * fdzoo's. (perf script, left with the maps of before the exec, unwound no frame of fdzoo's main.)
     */
    @Test
    void aProcessThatExecsIsUnwoundThroughTheProgramItRunsAndWhatItRanBefore(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (PerfHandleSource source = launchedToItsEnd("exec 5</etc/hostname; exec \"$@\"", dir)) {
            var log = source.tracing().orElseThrow().log();
            var shellOpen = log.events().stream().filter(e -> e.kind() == dev.jhtrace.model.EventKind.OPEN && e.handle() == 5).findFirst().orElseThrow();
            assertTrue(shellOpen.stack().frames().stream().anyMatch(f -> "__libc_start_call_main".equals(f.function())),
                    "the shell's dup2 unwound to libc's start: " + shellOpen.stack().frames());
            long inMain = log.events().stream().filter(e -> e.kind() == dev.jhtrace.model.EventKind.OPEN)
                    .filter(e -> e.stack().frames().stream().anyMatch(f -> "main".equals(f.function()) && "fdzoo".equals(f.module()))).count();
            assertTrue(inMain >= 15, inMain + " of fdzoo's opens unwound to its main: " + log.events().size() + " events");
        }
    }

    /** A launched shell runs fdzoo as a child (fork, then exec): the child is reported with fdzoo's main as leaking frame. */
    @Test
    void aChildThatExecsIsUnwoundThroughItsNewProgram(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (PerfHandleSource source = launchedToItsEnd("\"$@\"; exit 0", dir)) {
            List<HandleSource> children = source.children();
            assertEquals(1, children.size(), "children: " + children.stream().map(c -> c.target()).toList());
            HandleSource fdzoo = children.get(0);
            assertEquals("fdzoo", fdzoo.target().name());
            HtraceSession session = new HtraceSession(fdzoo);
            Map<String, Integer> leaks = byLeakFunction(session, session.diff(session.enable(TraceOptions.DEFAULT)));
            assertTrue(leaks.getOrDefault("main", 0) >= 15, "fdzoo's descriptors leak in its main: " + leaks);
        }
    }

    @Test
    void aRunningChildIsDiffedOnItsOwnTableAndItsInheritedDescriptorsAreNotItsLeaks() throws Exception {
        try (DrivenProcess target = new DrivenProcess(DrivenProcess.perfzoo(false));
             PerfHandleSource source = new PerfEngine().attach(target.pid(), TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot snapshot = session.enable(TraceOptions.DEFAULT);
            int childPid = Integer.parseInt(target.send("spawn 2").split(" ")[2]);
            assertEquals(Map.of(), byLeakFunction(session, session.diff(snapshot)));
            HandleSource child = child(source, childPid);
            assertTrue(child.isAlive());
            HtraceSession childSession = new HtraceSession(child);
            Diff childDiff = childSession.diff(childSession.enable(TraceOptions.DEFAULT));
            assertEquals(Map.of("child_leak", 2), byLeakFunction(childSession, childDiff));
            // its table holds stdin, stdout and stderr too (inherited): only its own opens are outstanding
            assertTrue(child.handles().size() >= 5, child.handles().toString());
            assertTrue(new LinuxProcess(childPid).isAlive(), "the child runs on");
        }
    }

    @Test
    void signalHandlersLeakUnderTheHandlerAndTheTargetIsNotDisturbed() throws Exception {
        assertEquals(Map.of("handler_leak", 5), traced(false, t -> {
            t.send("signals");
            for (int i = 1; i <= 5; i++) {
                assertEquals(0, new ProcessBuilder("kill", "-USR1", Integer.toString(t.pid())).start().waitFor());
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!t.send("handled").equals("ok " + i) && System.nanoTime() < deadline) Thread.onSpinWait();
            }
            assertEquals("ok 5", t.send("handled"));
        }));
    }

    @Test
    void aStaticBinaryMakingRawSyscallsIsUnwound() throws Exception {
        assertEquals(Map.of("raw_leak", 4), traced(true, t -> t.send("raw 4")));
    }

    /**
     * A 32-bit program's calls pass no syscall tracepoint, so traced it would look clean. This machine's kernel runs no
     * 32-bit program, so the program is an i386 ELF header alone (what the refusal reads), and 64-bit ones are the control.
     */
    @Test
    void aThirtyTwoBitProgramIsRefusedInOneLineNotReportedClean(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path program = dev.jhtrace.examples.I386Program.header(dir.resolve("old-daemon"));
        assertTrue(ElfFile.is32Bit(program));
        assertFalse(ElfFile.is32Bit(Path.of("/bin/sh")));
        assertFalse(ElfFile.is32Bit(DrivenProcess.perfzoo(true)));
        JhtraceException e = assertThrows(JhtraceException.class, () -> new PerfEngine().launch(List.of(program.toString()), TraceOptions.DEFAULT));
        assertEquals(Failure.ENGINE_UNAVAILABLE, e.failure());
        assertEquals(program + " is a 32-bit program: the kernel's syscall tracepoints do not report a 32-bit task's calls,"
                + " so the perf engine would see none of its descriptors", e.getMessage());
    }

    /**
     * The cause of the static test's 75,580 lost events (1 CI run in 4): every helper sample seen asked the helper for
     * another marker, each marker was eight events with four DWARF stacks, and on a busy machine the markers fed
     * themselves until they flooded perf's ring buffer. Markers are now stackless and asked for by time.
     */
    @Test
    void syncMarkersCarryNoStackAndStayFewUnderManySyncs() throws Exception {
        try (DrivenProcess target = new DrivenProcess(DrivenProcess.perfzoo(true));
             PerfHandleSource source = new PerfEngine().attach(target.pid(), TraceOptions.DEFAULT)) {
            PerfTracing tracing = source.perfTracing();
            tracing.enable(TraceOptions.DEFAULT);
            int syncs = 200;
            long started = System.nanoTime();
            for (int i = 0; i < syncs; i++) {
                target.send("raw 1");
                tracing.log();
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            long[] markers = tracing.markerSamples();
            assertEquals(0, markers[1], "marker samples with a stack");
            // at most one marker per sync plus one per 20 ms of waiting, and the close and fcntl of the first line
            assertTrue(markers[0] <= syncs + elapsedMillis / 20 + 4, markers[0] + " markers for " + syncs + " syncs in " + elapsedMillis + " ms");
            assertEquals(0L, tracing.log().lostEvents());
            assertEquals(syncs, tracing.log().events().size());
        }
    }

    @Test
    void sigkillOfJhtraceKillsPerfAndLeavesTheTargetRunning() throws Exception {
        try (DrivenProcess target = new DrivenProcess(DrivenProcess.perfzoo(false))) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), AttachAndHold.class.getName(),
                    Integer.toString(target.pid())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                String line = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)).readLine();
                assertTrue(line != null && line.startsWith("tracing "), "child JVM said: " + line);
                long perf = Long.parseLong(line.substring("tracing ".length()));
                List<ProcessHandle> perfAndFriends = ProcessHandle.of(jvm.pid()).orElseThrow().children().toList();
                assertTrue(perfAndFriends.stream().anyMatch(p -> p.pid() == perf), "perf record is the JVM's child");
                assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(jvm.pid())).start().waitFor());
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (perfAndFriends.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) Thread.onSpinWait();
                assertFalse(perfAndFriends.stream().anyMatch(ProcessHandle::isAlive), "perf, perf script and the helper die with the JVM");
                char state = new LinuxProcess(target.pid()).state();
                assertTrue(state == 'S' || state == 'R', "target state " + state);
                target.send("raw 1"); // still answering, never stopped
            } finally {
                jvm.destroyForcibly();
            }
        }
    }

    /** A JVM running {@code main} on this module's classes only, under {@code privileges} (a setpriv command line). */
    private static Process unprivileged(List<String> privileges, Class<?> main, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // the modules' own classes only: a user without privileges can read those, not root's Maven repository
        String cp = String.join(":", Path.of("target/classes").toAbsolutePath().toString(), Path.of("target/test-classes").toAbsolutePath().toString(),
                DrivenProcess.root().resolve("linux-proc/target/classes").toString(), DrivenProcess.root().resolve("core/target/classes").toString(),
                // the gdb engine too: where perf is not permitted, the live choice falls to it
                DrivenProcess.root().resolve("gdb-engine/target/classes").toString());
        List<String> command = new java.util.ArrayList<>(privileges);
        command.addAll(List.of("--", java.toString(), "-cp", cp, main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    private static final List<String> ROOT_WITHOUT_CAPABILITIES = List.of("setpriv", "--inh-caps=-all", "--bounding-set=-all");

    private static void assertAttachRefused(List<String> privileges) throws Exception {
        try (DrivenProcess target = new DrivenProcess(DrivenProcess.perfzoo(false))) {
            Process p = unprivileged(privileges, AttachAndHold.class, Integer.toString(target.pid()));
            p.getOutputStream().close();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(5, p.exitValue(), err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("jhtrace: perf engine not permitted: missing capability CAP_PERFMON"), err);
            target.send("raw 1"); // untouched
        }
    }

    @Test
    void withoutRootOrCapPerfmonTheAttachIsRefusedInOneLineWithExitFive() throws Exception {
        assertAttachRefused(NOBODY);
    }

    @Test
    void rootWithItsCapabilitiesDroppedIsRefusedAsAnyoneElse() throws Exception {
        assertAttachRefused(ROOT_WITHOUT_CAPABILITIES);
    }

    @Test
    void tracefsNotMountedIsMountedAndTheChoiceSaysSo() throws Exception {
        // a mount namespace of its own without tracefs: the machine's mount is untouched
        String[] choice = liveChoice(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "umount /sys/kernel/tracing && test -z \"$(ls /sys/kernel/tracing)\" && shift && exec \"$@\"", "sh"));
        assertEquals("perf", choice[0], choice[1]);
        assertTrue(choice[1].contains("tracefs was not mounted: jhtrace mounted it on /sys/kernel/tracing"), choice[1]);
        assertFalse(liveChoice(List.of("env"))[1].contains("tracefs was not mounted"), "mounted here: nothing said");
    }

    /** What {@link PrintLiveChoice} prints under {@code privileges}: engine name, tab, reason. */
    private static String[] liveChoice(List<String> privileges) throws Exception {
        Process p = unprivileged(privileges, PrintLiveChoice.class);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return out.split("\t", 2);
    }

    @Test
    void theLiveChoiceSaysWhetherPerfIsPermittedAndNamesTheMissingCapabilityWhenNot() throws Exception {
        String[] privileged = liveChoice(List.of("env")); // this test's own rights: root in CI
        assertEquals("perf", privileged[0], privileged[1]);
        assertTrue(privileged[1].startsWith("perf: permitted here, perf version"), privileged[1]);
        for (List<String> without : List.of(NOBODY, ROOT_WITHOUT_CAPABILITIES)) {
            String[] choice = liveChoice(without);
            assertEquals("gdb", choice[0], choice[1]);
            assertTrue(choice[1].startsWith("gdb: the perf engine is not usable here: not permitted: missing capability CAP_PERFMON"), choice[1]);
            assertTrue(choice[1].contains("kernel.perf_event_paranoid="), choice[1]);
        }
    }
}
