package dev.jhtrace.gdb;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.examples.JavaProgram;
import dev.jhtrace.gdb.trace.GdbSymbols;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A leaking Java program, launched to its end or attached to live: its compiled Java frames are named from the JVM's perf map. */
class JavaFramesTest {
    private static final String LEAK_ONE = "LeakyJava.leakOne(java.lang.String, boolean)";

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void withThePerfMapTheLeakingFrameIsTheProgramsJavaMethod() throws Exception {
        // PreserveFramePointer: every compiled frame keeps the rbp chain (else the chain skips them), as perf needs too
        LeakGroup hostname = leakGroupOfHostnames(List.of("-XX:+PreserveFramePointer", "-XX:+UnlockDiagnosticVMOptions", "-XX:+DumpPerfMapAtExit"));
        assertEquals(5, hostname.count());
        StackFrame leak = hostname.leakFrame();
        assertEquals("[jit]", leak.module(), hostname.stack().toString());
        assertEquals(LEAK_ONE, leak.function(), "below the JDK's FileInputStream frames and libjava: " + hostname.stack());
    }

    @Test
    @Timeout(300)
    void withoutAPerfMapTheFramesSaySoAndTheJvmLayersAreStillSkipped() throws Exception {
        LeakGroup hostname = leakGroupOfHostnames(List.of());
        assertEquals(5, hostname.count());
        assertEquals(GdbSymbols.NO_PERF_MAP, hostname.leakFrame().module(), "JIT code, no names to be had after its exit: " + hostname.stack());
    }

    /**
     * A live JVM attached to (not launched): jhtrace asks it for its perf map with jcmd (its SIGQUIT passes through
     * gdb) and names the leaking Java method. A map left in /tmp by an earlier process with the same pid (older than
     * this JVM) would name other code: it is not used.
     */
    @Test
    @Timeout(300)
    void aLiveJvmIsAskedForItsPerfMapAndAStaleMapOfTheSamePidIsIgnored() throws Exception {
        Process jvm = new ProcessBuilder(javaCommand(List.of("-XX:+PreserveFramePointer"), "hold")).redirectErrorStream(true).start();
        Path map = Path.of("/tmp/perf-" + jvm.pid() + ".map");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = jvm.getOutputStream()) {
            assertEquals("ready", out.readLine(), "warmed up");
            JavaProgram.plantStalePerfMap(jvm.pid());
            try (GdbHandleSource source = new GdbEngine().attach((int) jvm.pid(), TraceOptions.DEFAULT)) {
                HtraceSession session = new HtraceSession(source);
                Snapshot before = session.enable(TraceOptions.DEFAULT);
                in.write("leak\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                assertEquals("leaked 5", out.readLine());
                LeakReport report = session.report(session.diff(before), LeakAnalyzer.DEFAULT);
                List<LeakGroup> hostnames = report.groups().stream().filter(g -> g.names().contains("/etc/hostname")).toList();
                assertEquals(1, hostnames.size(), "one group: " + report.groups());
                StackFrame leak = hostnames.get(0).leakFrame();
                assertEquals("[jit]", leak.module(), hostnames.get(0).stack().toString());
                assertEquals(LEAK_ONE, leak.function(), hostnames.get(0).stack().toString());
                assertTrue(Files.getLastModifiedTime(map).toInstant().isAfter(Instant.now().minus(Duration.ofMinutes(5))), "the JVM wrote a new map");
            }
            assertTrue(jvm.isAlive(), "the JVM runs on after the detach");
        } finally {
            jvm.destroyForcibly();
            Files.deleteIfExists(map);
        }
    }

    /** Runs LeakyJava to its end under tracing (leakOne compiled before it leaks) and returns the group of its /etc/hostname leaks. */
    private LeakGroup leakGroupOfHostnames(List<String> jvmOptions) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaCommand(jvmOptions)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (GdbHandleSource source0 = new GdbEngine().launch(pb, TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source0);
            Snapshot launch = session.enable(TraceOptions.DEFAULT);
            Process jvm = source0.launchedProcess().orElseThrow();
            assertTrue(jvm.waitFor(240, TimeUnit.SECONDS), () -> "the JVM ran to its end; its threads' states: " + threadStates(jvm.pid()));
            assertEquals(0, jvm.exitValue());
            Diff diff = session.diff(launch);
            LeakReport report = session.report(diff, LeakAnalyzer.DEFAULT);
            List<LeakGroup> hostnames = report.groups().stream().filter(g -> g.names().contains("/etc/hostname")).toList();
            assertEquals(1, hostnames.size(), "one group: " + report.groups());
            return hostnames.get(0);
        }
    }

    /**
     * Each thread of {@code pid} with its state letter from /proc (t: stopped by the tracer, S: sleeping ...), to tell a
     * JVM left stopped from one waiting on itself when it does not end (seen once in a CI run).
     */
    private static String threadStates(long pid) {
        StringBuilder sb = new StringBuilder();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.sorted().toList()) {
                String stat = Files.readString(t.resolve("stat"));
                int close = stat.lastIndexOf(')');
                sb.append(t.getFileName()).append(stat, stat.indexOf('('), close + 1).append(stat.charAt(close + 2)).append(' ');
            }
        } catch (java.io.IOException | RuntimeException e) {
            sb.append("(unreadable: ").append(e.getMessage()).append(')');
        }
        return sb.toString();
    }

    /** The command running LeakyJava (compiled here) with leakOne compiled, never inlined, before it leaks 5 times. */
    private List<String> javaCommand(List<String> jvmOptions, String... mode) {
        return JavaProgram.leakyJava(LinuxExamples.root(), dir, jvmOptions, mode);
    }
}
