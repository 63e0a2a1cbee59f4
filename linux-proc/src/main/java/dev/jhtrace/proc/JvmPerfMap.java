package dev.jhtrace.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Asks a live JVM to write its JIT symbols to {@code /tmp/perf-PID.map} ({@code jcmd PID Compiler.perfmap}), so
 * compiled Java frames get method names (for both Linux engines: gdb's helper reads the map, perf script reads it for
 * the perf engine). The target's own {@code jcmd} is used when its JDK has one (the attach protocol wants matching
 * versions), else the one on the PATH.
 */
public final class JvmPerfMap {
    private static final long TIMEOUT_MILLIS = 30_000;

    private JvmPerfMap() {
    }

    /**
     * True when the JVM wrote its map; false when it is no JVM, has no jcmd, or did not answer in time. Only a process
     * with HotSpot loaded is asked: jcmd's attach sends SIGQUIT, which ends a process that is no JVM (a program with
     * JIT code of its own, say) with a core dump.
     */
    public static boolean request(int pid) {
        return request(pid, true);
    }

    /** {@link #request(int)}, asking also a process that is no JVM when {@code onlyJvms} is false (tests: the control). */
    static boolean request(int pid, boolean onlyJvms) {
        if (onlyJvms && !isJvm(pid)) return false;
        Path exe;
        try {
            exe = Path.of("/proc", Integer.toString(pid), "exe").toRealPath();
        } catch (IOException e) {
            return false;
        }
        Path own = exe.resolveSibling("jcmd");
        String jcmd = Files.isExecutable(own) ? own.toString() : "jcmd";
        try {
            Process p = new ProcessBuilder(jcmd, Integer.toString(pid), "Compiler.perfmap")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && Files.exists(Path.of("/tmp/perf-" + pid + ".map"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when {@code pid} is a live process with HotSpot's libjvm mapped. */
    public static boolean isJvm(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "maps")).contains("/libjvm.so");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
