package dev.jhtrace.shell.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A last line of defence for "never leave a target stopped" (Linux): remembers whether a live process
 * was stopped when jhtrace attached, and after detaching continues it if a debugger left it stopped
 * (state T with no tracer). Engines should never need it; it is here because a stopped production
 * process is the worst thing a leak hunt can leave behind.
 */
final class StopGuard {
    private final int pid;
    private final boolean stoppedBefore;

    private StopGuard(int pid, boolean stoppedBefore) {
        this.pid = pid;
        this.stoppedBefore = stoppedBefore;
    }

    /** Records the process's state now (before attaching). */
    static StopGuard before(int pid) {
        return new StopGuard(pid, "T".equals(state(pid)));
    }

    /** After detaching: continues the process if it is left stopped and untraced, and was not stopped before. */
    void afterDetach() {
        if (stoppedBefore) return;
        for (int attempt = 0; attempt < 40; attempt++) {
            String state = state(pid);
            if (state == null) return; // gone, or no /proc here
            boolean traced = tracer(pid) != 0;
            if (state.equals("T") && !traced) {
                cont(pid);
                return;
            }
            if (!traced) return; // running freely
            try {
                Thread.sleep(25); // the debugger is still letting go
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void cont(int pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-CONT", Integer.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): nothing more can be done from here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The state letter of /proc/PID/status, or null when unknown (not Linux, process gone). */
    private static String state(int pid) {
        String s = field(pid, "State");
        return s == null || s.isEmpty() ? null : s.substring(0, 1);
    }

    private static int tracer(int pid) {
        String s = field(pid, "TracerPid");
        return s == null ? 0 : Integer.parseInt(s);
    }

    private static String field(int pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (line.startsWith(key + ":")) return line.substring(key.length() + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
