package dev.jhtrace.perf;

import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakGroup;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.proc.LinuxProcess;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A launch whose command ends before its children: {@code sh -c 'leaky <in >out & exit 0'}. The shell is gone at once;
 * its leaky child runs on, driven through two FIFOs, and is traced until it exits (perf goes on delivering its events
 * after the target exited: they are inherited from the target's). Real perf, real C.
 */
class PerfLaunchChildrenTest {
    private static final long DEADLINE_NANOS = 30_000_000_000L;
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aChildsLeaksAfterTheLaunchedShellEndedAreReportedWithTheLeakingFunctionUntilTheChildExits() throws Exception {
        try (PerfHandleSource source = launchShellLeavingLeaky()) {
            Map<String, Integer> leaks;
            try (Leaky leaky = Leaky.open(dir)) {
                shellEnded(source);
                leaky.send("file 3");
                leaky.send("sock 2");
                assertTrue(source.childrenAlive(), "the shell's child runs on, traced");
                HandleSource child = child(source, leaky.pid());
                leaks = leaksByFunction(child);
                assertEquals(Map.of("leak_config_file", 3, "leak_socket", 2), leaks, "what the child leaked after the shell had gone");
            } // its stdin closed: it exits
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (source.childrenAlive() && System.nanoTime() < deadline) LaunchGate.pause();
            assertFalse(source.childrenAlive(), "the child has exited");
            assertEquals(leaks, leaksByFunction(child(source, -1)), "what it held at its end, from the replay");
            source.tracing().orElseThrow().log(); // a sync: the launch and its children have all ended
            assertFalse(source.perfTracing().isRecording(), "perf ends once the launch and its children have");
        }
    }

    /** The control: ending the recording with the command alone, as perf's workload mode does, loses the child's leaks. */
    @Test
    @Timeout(120)
    void endingWithTheCommandAloneMissesWhatItsChildDidAfterIt() throws Exception {
        try (PerfHandleSource source = launchShellLeavingLeaky()) {
            source.perfTracing().endWithCommandAlone();
            try (Leaky leaky = Leaky.open(dir)) {
                shellEnded(source);
                leaky.send("file 3");
                leaky.send("sock 2");
                assertFalse(source.perfTracing().isRecording(), "perf ended with the shell");
                Map<String, Integer> leaks = source.children().stream().filter(c -> c.target().pid() == leaky.pid()).findFirst()
                        .map(PerfLaunchChildrenTest::leaksByFunction).orElse(Map.of());
                assertFalse(leaks.containsKey("leak_config_file") || leaks.containsKey("leak_socket"), leaks.toString());
                assertTrue(new LinuxProcess(leaky.pid()).isAlive(), "the child runs on, untraced");
            }
        }
    }

    /** jhtrace killed while it traces the child left by the ended shell: perf and its helper die, the child runs on. */
    @Test
    @Timeout(120)
    void sigkillOfJhtraceLeavesTheLaunchsChildRunningUnstopped() throws Exception {
        Fifo.make(dir.resolve("in"));
        Fifo.make(dir.resolve("out"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), LaunchAndHold.class.getName(),
                "/bin/sh", "-c", SHELL_LEAVING_LEAKY, DrivenProcess.example("leaky").toString(), dir.resolve("in").toString(), dir.resolve("out").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (Leaky leaky = Leaky.open(dir)) {
            BufferedReader said = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            String line = said.readLine();
            assertTrue(line != null && line.startsWith("tracing "), "child JVM said: " + line);
            leaky.send("file 2");
            String traced = said.readLine(); // the shell has ended, and the child's two files are in its trace
            assertEquals("shell ended; child traced 2", traced);
            List<ProcessHandle> perfAndFriends = ProcessHandle.of(jvm.pid()).orElseThrow().children().toList();
            assertTrue(perfAndFriends.stream().anyMatch(p -> p.pid() == Long.parseLong(line.substring("tracing ".length()))), "perf record is the JVM's child");
            assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(jvm.pid())).start().waitFor());
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (perfAndFriends.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) LaunchGate.pause();
            assertFalse(perfAndFriends.stream().anyMatch(ProcessHandle::isAlive), "perf and the helper die with the JVM");
            char state = new LinuxProcess(leaky.pid()).state();
            assertTrue(state == 'S' || state == 'R', "child state " + state);
            int before = Integer.parseInt(leaky.send("count").split(" ")[1]);
            leaky.send("file 1"); // still answering, never stopped, its descriptors its own
            assertEquals(before + 1, Integer.parseInt(leaky.send("count").split(" ")[1]));
        } finally {
            jvm.destroyForcibly();
        }
    }

    /** The shell runs leaky in the background, its stdin and stdout the two FIFOs, and exits at once. */
    static final String SHELL_LEAVING_LEAKY = "\"$0\" <\"$1\" >\"$2\" & exit 0";

    private PerfHandleSource launchShellLeavingLeaky() throws IOException {
        Path in = Fifo.make(dir.resolve("in"));
        Path out = Fifo.make(dir.resolve("out"));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", SHELL_LEAVING_LEAKY, DrivenProcess.example("leaky").toString(), in.toString(), out.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new PerfEngine().launch(pb, TraceOptions.DEFAULT);
    }

    /** Waits for the launched shell's end, then syncs, as a session's next look does. */
    private static void shellEnded(PerfHandleSource source) throws InterruptedException {
        Process shell = source.launchedProcess().orElseThrow();
        assertTrue(shell.waitFor(30, TimeUnit.SECONDS), "the shell ends at once");
        assertEquals(0, shell.exitValue());
        assertFalse(source.isAlive());
        source.perfTracing().syncStream();
    }

    /** The child {@code pid} among the launch's children ({@code -1}: the one named leaky). */
    private static HandleSource child(PerfHandleSource source, int pid) {
        List<HandleSource> children = source.children();
        return children.stream().filter(c -> pid < 0 ? "leaky".equals(c.target().name()) : c.target().pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no child " + pid + " among " + children.stream().map(HandleSource::target).toList()));
    }

    static Map<String, Integer> leaksByFunction(HandleSource process) {
        HtraceSession session = new HtraceSession(process);
        LeakReport report = session.report(session.diff(session.enable(TraceOptions.DEFAULT)), LeakAnalyzer.DEFAULT);
        Map<String, Integer> byFunction = new TreeMap<>();
        for (LeakGroup g : report.groups()) byFunction.merge(g.leakFrame() == null ? "(no stack)" : String.valueOf(g.leakFrame().function()), g.count(), Integer::sum);
        return byFunction;
    }

    /** The leaky child, driven through the FIFOs its shell redirected: open them as it does (stdin first), then "ready". */
    static final class Leaky implements AutoCloseable {
        private final PrintWriter in;
        private final BufferedReader out;
        private final int pid;

        private Leaky(PrintWriter in, BufferedReader out, int pid) {
            this.in = in;
            this.out = out;
            this.pid = pid;
        }

        static Leaky open(Path dir) throws IOException {
            PrintWriter in = new PrintWriter(new FileOutputStream(dir.resolve("in").toFile()), true, StandardCharsets.UTF_8);
            BufferedReader out = new BufferedReader(new InputStreamReader(new FileInputStream(dir.resolve("out").toFile()), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertTrue(ready != null && ready.startsWith("ready "), "first line: " + ready);
            return new Leaky(in, out, Integer.parseInt(ready.split(" ")[1]));
        }

        int pid() {
            return pid;
        }

        String send(String command) throws IOException {
            in.println(command);
            String reply = out.readLine();
            assertTrue(reply != null && reply.startsWith("ok"), command + " -> " + reply);
            return reply;
        }

        @Override
        public void close() throws IOException {
            in.close();
            out.close();
        }
    }
}
