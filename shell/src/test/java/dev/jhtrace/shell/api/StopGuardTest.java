package dev.jhtrace.shell.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The guard on real processes: a process found stopped after detach runs again, unless it was stopped before. */
class StopGuardTest {
    private static String state(Process p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
            if (line.startsWith("State:")) return line.substring(6).trim().substring(0, 1);
        }
        throw new IOException("no State");
    }

    private static void signal(Process p, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
        // wait until the signal has taken effect (a freshly started process may still be runnable)
        for (int i = 0; i < 200 && sig.equals("STOP") != state(p).equals("T"); i++) Thread.sleep(10);
    }

    @Test
    void continuesAProcessLeftStopped() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            StopGuard guard = StopGuard.before((int) p.pid());
            signal(p, "STOP"); // what a debugger that let go badly leaves
            assertEquals("T", state(p));
            guard.afterDetach();
            for (int i = 0; i < 100 && state(p).equals("T"); i++) Thread.sleep(10);
            String after = state(p);
            assertTrue(after.equals("S") || after.equals("R"), "running again (sleeping or runnable), not " + after);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void leavesAProcessThatWasStoppedBefore() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            signal(p, "STOP"); // stopped by its owner before jhtrace came
            StopGuard guard = StopGuard.before((int) p.pid());
            guard.afterDetach();
            Thread.sleep(100);
            assertEquals("T", state(p));
        } finally {
            p.destroyForcibly();
        }
    }
}
