package dev.jhtrace.perf;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.SystemModules;
import dev.jhtrace.examples.JavaProgram;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leaking Java program on the perf engine, launched to its end or attached to live: its compiled frames named from
 * the JVM's perf map and walked through the frame-pointer chain (-XX:+PreserveFramePointer) to the program's own method,
 * as the gdb engine does (gdb-engine's JavaFramesTest, the same program).
 */
class PerfJavaFramesTest {
    private static final String LEAK_ONE = "LeakyJava.leakOne(java.lang.String, boolean)";

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void launchedWithThePerfMapAtExitTheLeakingFrameIsTheProgramsJavaMethod() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaCommand(List.of("-XX:+PreserveFramePointer", "-XX:+UnlockDiagnosticVMOptions", "-XX:+DumpPerfMapAtExit")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long pid = -1;
        try (PerfHandleSource source = new PerfEngine().launch(pb, TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            Snapshot launch = source.launchSnapshot().orElseThrow();
            Process jvm = source.launchedProcess().orElseThrow();
            pid = jvm.pid();
            assertTrue(jvm.waitFor(240, TimeUnit.SECONDS), "the JVM ran to its end");
            assertEquals(0, jvm.exitValue());
            LeakGroup hostname = hostnames(session, session.diff(launch));
            assertEquals(5, hostname.count());
            StackFrame leak = hostname.leakFrame();
            assertEquals(SystemModules.JIT_MODULE, leak.module(), hostname.stack().toString());
            assertEquals(LEAK_ONE, leak.function(), "below the JDK's FileInputStream frames and libjava: " + hostname.stack());
        } finally {
            if (pid > 0) Files.deleteIfExists(Path.of("/tmp/perf-" + pid + ".map"));
        }
    }

    /**
     * A live JVM attached to: asked for its perf map with jcmd, its leaking Java method named. A map left in /tmp by an
     * earlier process with the same pid (older than this JVM) would name other code: it is not used. Without
     * -XX:+PreserveFramePointer the compiled frames keep no chain: the walk stops at libjava's caller.
     */
    @Test
    @Timeout(300)
    void aLiveJvmIsAskedForItsPerfMapAndAStaleMapOfTheSamePidIsIgnored() throws Exception {
        assertEquals(LEAK_ONE, liveLeakFrame(List.of("-XX:+PreserveFramePointer")).function());
    }

    @Test
    @Timeout(300)
    void withoutPreservedFramePointersTheWalkStopsBeforeTheProgramsMethod() throws Exception {
        StackFrame leak = liveLeakFrame(List.of());
        assertNotEquals(LEAK_ONE, leak.function(), leak.toString());
    }

    /**
     * Interpreted methods (all of them: -Xint) are named from the live JVM, where the perf map has only
     * {@code Interpreter} for them: the JDK's FileInputStream frames, the program's leaking method, its main. The
     * interpreter keeps its frame-pointer chain without -XX:+PreserveFramePointer.
     */
    @Test
    @Timeout(300)
    void anAttachedJvmsInterpretedMethodsAreNamedFromItsMemory() throws Exception {
        LeakGroup hostname = liveHostnames(new PerfEngine(), List.of("-Xint"));
        List<String> functions = hostname.stack().frames().stream().map(StackFrame::function).toList();
        assertEquals(LEAK_ONE, hostname.leakFrame().function(), hostname.stack().toString());
        assertEquals(SystemModules.JIT_MODULE, hostname.leakFrame().module());
        int open0 = functions.indexOf("java.io.FileInputStream.open0(java.lang.String)");
        int leak = functions.indexOf(LEAK_ONE);
        int main = functions.indexOf("LeakyJava.main(java.lang.String[])");
        assertTrue(open0 >= 0 && open0 < leak && leak < main, "open0, then leakOne, then main, innermost first: " + functions);
        assertTrue(functions.contains("java.io.FileInputStream.<init>(java.lang.String)"), functions.toString());
        assertTrue(functions.stream().noneMatch(JitFrames.INTERPRETER::equals), "every interpreted frame named: " + functions);
        // each at the line of the call it made, from the JVM's line tables
        List<String> source = Files.readAllLines(DrivenProcess.root().resolve("examples/linux/LeakyJava.java"));
        StackFrame leakFrame = hostname.stack().frames().get(leak);
        assertEquals("LeakyJava.java", leakFrame.file());
        assertEquals(source.indexOf("        FileInputStream in = new FileInputStream(path);") + 1, leakFrame.line());
        StackFrame mainFrame = hostname.stack().frames().get(main);
        assertEquals(source.indexOf("        for (int i = 0; i < n; i++) leakOne(\"/etc/hostname\", true);") + 1, mainFrame.line());
        StackFrame init = hostname.stack().frames().get(functions.indexOf("java.io.FileInputStream.<init>(java.lang.String)"));
        assertEquals("FileInputStream.java", init.file());
        assertTrue(init.line() != null && init.line() > 0, init.toString());
        assertEquals(null, hostname.stack().frames().get(open0).line(), "a native method's frame is at no byte code");
    }

    /** The control: without the names read from the JVM, interpreted frames are the perf map's one {@code Interpreter}. */
    @Test
    @Timeout(300)
    void controlWithoutTheJvmsMemoryInterpretedFramesAreOnlyInterpreter() throws Exception {
        LeakGroup hostname = liveHostnames(new PerfEngine().withoutInterpretedJavaNames(), List.of("-Xint"));
        List<String> functions = hostname.stack().frames().stream().map(StackFrame::function).toList();
        assertTrue(functions.contains(JitFrames.INTERPRETER), functions.toString());
        assertTrue(functions.stream().noneMatch(f -> f.startsWith("LeakyJava.") || f.startsWith("java.io.")), functions.toString());
    }

    /** The group of the 5 files a live JVM run with {@code options} leaked while {@code engine} traced it, found by their name. */
    private LeakGroup liveHostnames(PerfEngine engine, List<String> options) throws Exception {
        return withLiveJvm(options, (jvm, leak5) -> {
            try (PerfHandleSource source = engine.attach((int) jvm.pid(), TraceOptions.DEFAULT)) {
                HtraceSession session = new HtraceSession(source);
                Snapshot before = session.enable(TraceOptions.DEFAULT);
                leak5.run();
                return hostnamesByName(session.report(session.diff(before), LeakAnalyzer.DEFAULT).groups());
            }
        });
    }

    /**
     * Every process of the machine traced at once (--all): the JVM among them, its interpreted methods named as when it
     * is attached alone.
     */
    @Test
    @Timeout(300)
    void underAllAJvmsInterpretedLeakingMethodIsNamed() throws Exception {
        LeakGroup hostname = withLiveJvm(List.of("-Xint"), (jvm, leak5) -> {
            try (dev.jhtrace.spi.HandleSource all = new PerfEngine().attachAll(TraceOptions.DEFAULT)) {
                new HtraceSession(all).enable(TraceOptions.DEFAULT);
                leak5.run();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (true) { // the machine's processes appear as perf's stream reaches their calls
                    dev.jhtrace.spi.HandleSource process = all.children().stream().filter(c -> c.target().pid() == jvm.pid()).findFirst().orElse(null);
                    if (process != null) {
                        HtraceSession session = new HtraceSession(process);
                        List<LeakGroup> groups = session.report(session.diff(session.enable(TraceOptions.DEFAULT)), LeakAnalyzer.DEFAULT).groups();
                        if (groups.stream().anyMatch(g -> g.names().contains("/etc/hostname") && g.count() == 5)) return hostnamesByName(groups);
                    }
                    assertTrue(System.nanoTime() < deadline, "the JVM's 5 files under --all");
                    Thread.sleep(100);
                }
            }
        });
        assertEquals(LEAK_ONE, hostname.leakFrame().function(), hostname.stack().toString());
        assertEquals("LeakyJava.java", hostname.leakFrame().file());
    }

    private interface Traced {
        LeakGroup run(Process jvm, Leak leak5) throws Exception;
    }

    private interface Leak {
        void run() throws Exception;
    }

    /** Runs a live JVM (LeakyJava, hold) with {@code options} for {@code traced}, which has it leak 5 files when it likes. */
    private LeakGroup withLiveJvm(List<String> options, Traced traced) throws Exception {
        Process jvm = new ProcessBuilder(javaCommand(options, "hold")).redirectErrorStream(true).start();
        Path map = Path.of("/tmp/perf-" + jvm.pid() + ".map");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = jvm.getOutputStream()) {
            assertEquals("ready", out.readLine(), "warmed up");
            LeakGroup hostname = traced.run(jvm, () -> {
                in.write("leak\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                assertEquals("leaked 5", out.readLine());
            });
            assertTrue(jvm.isAlive(), "the JVM runs on after the detach");
            return hostname;
        } finally {
            jvm.destroyForcibly();
            Files.deleteIfExists(map);
        }
    }

    /** The one group of the 5 files leakOne kept, found by their name (a live process's table names them). */
    private static LeakGroup hostnamesByName(List<LeakGroup> groups) {
        List<LeakGroup> hostnames = groups.stream().filter(g -> g.names().contains("/etc/hostname")).toList();
        assertEquals(1, hostnames.size(), groups.toString());
        assertEquals(5, hostnames.get(0).count());
        return hostnames.get(0);
    }

    private StackFrame liveLeakFrame(List<String> options) throws Exception {
        return withLiveJvm(options, (jvm, leak5) -> {
            JavaProgram.plantStalePerfMap(jvm.pid());
            try (PerfHandleSource source = new PerfEngine().attach((int) jvm.pid(), TraceOptions.DEFAULT)) {
                HtraceSession session = new HtraceSession(source);
                Snapshot before = session.enable(TraceOptions.DEFAULT);
                leak5.run();
                LeakGroup hostname = hostnames(session, session.diff(before));
                assertEquals(5, hostname.count());
                assertTrue(hostname.stack().frames().stream().noneMatch(f -> "Stale.method()".equals(f.function())), hostname.stack().toString());
                Path map = Path.of("/tmp/perf-" + jvm.pid() + ".map");
                assertTrue(Files.getLastModifiedTime(map).toInstant().isAfter(Instant.now().minus(Duration.ofMinutes(5))), "the JVM wrote a new map");
                return hostname;
            }
        }).leakFrame();
    }

    /**
     * The group of the files leakOne kept: opened through FileInputStream (after a JVM's exit perf's table has no names
     * for what it opened in its last quarter second, so the stack tells them, not the name).
     */
    private static LeakGroup hostnames(HtraceSession session, Diff diff) {
        List<LeakGroup> groups = session.report(diff, LeakAnalyzer.DEFAULT).groups();
        List<LeakGroup> hostnames = groups.stream()
                .filter(g -> g.stack().frames().stream().anyMatch(f -> "java.io.FileInputStream.open0(java.lang.String)".equals(f.function()))).toList();
        assertEquals(1, hostnames.size(), "one group opened through FileInputStream: " + groups);
        return hostnames.get(0);
    }

    private List<String> javaCommand(List<String> jvmOptions, String... mode) {
        return JavaProgram.leakyJava(DrivenProcess.root(), dir, jvmOptions, mode);
    }
}
