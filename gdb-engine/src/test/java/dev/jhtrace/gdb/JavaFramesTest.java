package dev.jhtrace.gdb;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.gdb.trace.GdbSymbols;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A leaking Java program launched to its end: its compiled Java frames are named from the JVM's perf map. */
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

    /** Runs LeakyJava to its end under tracing (leakOne compiled before it leaks) and returns the group of its /etc/hostname leaks. */
    private LeakGroup leakGroupOfHostnames(List<String> jvmOptions) throws Exception {
        Path source = dir.resolve("LeakyJava.java");
        try (InputStream in = JavaFramesTest.class.getResourceAsStream("LeakyJava.java")) {
            Files.copy(in, source);
        }
        Path javaHome = Path.of(System.getProperty("java.home"));
        assertEquals(0, new ProcessBuilder(javaHome.resolve("bin/javac").toString(), "-d", dir.toString(), source.toString())
                .inheritIO().start().waitFor(), "javac");
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-Xbatch",
                "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,LeakyJava::leakOne"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", dir.toString(), "LeakyJava", "3000", "5"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try (GdbHandleSource source0 = new GdbEngine().launch(pb, TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source0);
            Snapshot launch = session.enable(TraceOptions.DEFAULT);
            Process jvm = source0.launchedProcess().orElseThrow();
            assertTrue(jvm.waitFor(240, TimeUnit.SECONDS), "the JVM ran to its end");
            assertEquals(0, jvm.exitValue());
            Diff diff = session.diff(launch);
            LeakReport report = session.report(diff, LeakAnalyzer.DEFAULT);
            List<LeakGroup> hostnames = report.groups().stream().filter(g -> g.names().contains("/etc/hostname")).toList();
            assertEquals(1, hostnames.size(), "one group: " + report.groups());
            return hostnames.get(0);
        }
    }
}
