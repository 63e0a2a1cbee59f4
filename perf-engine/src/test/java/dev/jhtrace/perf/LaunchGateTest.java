package dev.jhtrace.perf;

import dev.jhtrace.proc.LinuxProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell that holds a launched command until perf records it: real shells, real FIFOs, a real JVM killed. */
class LaunchGateTest {

    @Test
    void theCommandRunsInTheShellsProcessWithItsOwnStdoutAndStderr() throws Exception {
        ProcessBuilder command = new ProcessBuilder("/bin/sh", "-c", "echo out-$$; echo err 1>&2");
        try (LaunchGate gate = LaunchGate.start(command, false)) {
            assertTrue(gate.awaitReady(10_000_000_000L));
            assertFalse(gate.isPastGate(), "held");
            gate.open();
            Process p = gate.process();
            assertEquals("out-" + p.pid() + "\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "exec'd in the shell's pid");
            assertEquals("err\n", new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        }
    }

    @Test
    void itsStdoutGoesToItsStderrWhenAsked() throws Exception {
        try (LaunchGate gate = LaunchGate.start(new ProcessBuilder("/bin/sh", "-c", "echo out; echo err 1>&2"), true)) {
            assertTrue(gate.awaitReady(10_000_000_000L));
            gate.open();
            Process p = gate.process();
            assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("out\nerr\n", new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aGateClosedWithoutGoEndsTheShellWithoutRunningTheCommand(@TempDir Path dir) throws Exception {
        Path ran = dir.resolve("ran");
        LaunchGate gate = LaunchGate.start(new ProcessBuilder("touch", ran.toString()), false);
        assertTrue(gate.awaitReady(10_000_000_000L));
        gate.close();
        assertTrue(gate.process().waitFor(10, TimeUnit.SECONDS), "the shell ends");
        assertEquals(1, gate.process().exitValue());
        assertFalse(Files.exists(ran), "the command never ran");
    }

    /** jhtrace SIGKILLed while the command waits at the gate: the shell ends, the command never runs, nothing lingers. */
    @Test
    void aKilledJhtraceLeavesNoShellWaitingAndRunsNothing(@TempDir Path dir) throws Exception {
        Path ran = dir.resolve("ran");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), GateAndHold.class.getName(),
                "touch", ran.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(line != null && line.startsWith("gate "), "child JVM said: " + line);
            int shell = Integer.parseInt(line.substring("gate ".length()));
            assertTrue(new LinuxProcess(shell).isAlive(), "waiting at the gate");
            assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(jvm.pid())).start().waitFor());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (new LinuxProcess(shell).isAlive() && System.nanoTime() < deadline) Thread.onSpinWait();
            assertFalse(new LinuxProcess(shell).isAlive(), "the shell ended with jhtrace");
            assertFalse(Files.exists(ran), "the command never ran");
        } finally {
            jvm.destroyForcibly();
        }
    }

    /**
     * jhtrace dead between the shell's spawn and its subshell's open of the FIFO: nobody holds a write end when the
     * subshell opens it. The shell still ends, and the command never runs.
     */
    @Test
    void aFifoWithNoWriterLeftEndsTheShellWithoutRunningTheCommand(@TempDir Path dir) throws Exception {
        Path ran = dir.resolve("ran");
        Path fifo = Fifo.make(dir.resolve("gate"));
        Process shell = new ProcessBuilder("/bin/sh", "-c", LaunchGate.SCRIPT, fifo.toString(), "touch", ran.toString()).start();
        try {
            assertTrue(shell.waitFor(10, TimeUnit.SECONDS), "the shell ends");
            assertEquals(1, shell.exitValue());
            assertFalse(Files.exists(ran), "the command never ran");
        } finally {
            shell.destroyForcibly();
        }
        // the control: a subshell that simply opens the FIFO for reading waits for a writer that will never come
        Process plain = new ProcessBuilder("/bin/sh", "-c", "(read go && [ \"$go\" = go ]) <\"$0\" || exit 1; exec \"$@\"", fifo.toString(),
                "touch", ran.toString()).start();
        List<ProcessHandle> subshells = List.of();
        try {
            assertFalse(plain.waitFor(2, TimeUnit.SECONDS), "a plain open of the FIFO blocks");
            try (var kids = plain.descendants()) {
                subshells = kids.toList();
            }
            // a writer that comes and goes: the open returns, the read ends without "go", and the shell with it
            new java.io.FileOutputStream(fifo.toFile()).close();
            assertTrue(plain.waitFor(10, TimeUnit.SECONDS), "unblocked by a writer");
            assertEquals(1, plain.exitValue());
            assertFalse(Files.exists(ran), "the command never ran");
        } finally {
            subshells.forEach(ProcessHandle::destroyForcibly); // before the shell: orphaned, they would be found by none
            plain.destroyForcibly();
        }
    }

    @Test
    void theShellWaitsAtTheGateWithNoDescriptorOfItsOwn() throws Exception {
        ProcessBuilder command = new ProcessBuilder("true").redirectInput(ProcessBuilder.Redirect.PIPE);
        try (LaunchGate gate = LaunchGate.start(command, false)) {
            assertTrue(gate.awaitReady(10_000_000_000L));
            // what the command will start with: stdin, stdout, stderr, and nothing of the gate's
            try (var fds = Files.list(Path.of("/proc", Integer.toString(gate.pid()), "fd"))) {
                assertEquals(List.of("0", "1", "2"), fds.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
    }
}
