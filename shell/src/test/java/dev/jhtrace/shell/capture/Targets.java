package dev.jhtrace.shell.capture;

import dev.jhtrace.examples.CProgram;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds and runs the capture example programs (examples/linux/capture) and inspects processes through /proc. */
final class Targets {
    private static final Path ROOT = Path.of(System.getProperty("jhtrace.root", "..")).toAbsolutePath().normalize();
    private static final Path BIN = Path.of("target", "capture-examples").toAbsolutePath();

    private Targets() {
    }

    /** Skips the test when gdb cannot trace here (no gdb, not Linux). */
    static void requireGdb() {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "Linux only");
        Engine gdb = Engines.named("gdb");
        Assumptions.assumeTrue(gdb.availability().available(), "gdb unavailable: " + gdb.availability().detail());
    }

    /** Compiles examples/linux/capture/NAME.c (gcc -g -O0) unless up to date; returns the binary. */
    static Path build(String name) {
        return CProgram.build(ROOT.resolve("examples/linux/capture/" + name + ".c"), BIN.resolve(name));
    }

    /** A copy of a binary under another name (for --name tests: a process name no other test uses). */
    static Path copyAs(Path binary, String name) throws IOException {
        Path copy = BIN.resolve(name);
        Files.copy(binary, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }

    static Process start(Path binary, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Ends a test's own target process. */
    static void stop(Process p) throws InterruptedException {
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
    }

    /** The TracerPid line of /proc/PID/status: 0 when no debugger is attached. */
    static int tracerPid(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("TracerPid:")) return Integer.parseInt(line.substring(10).trim());
        }
        throw new IllegalStateException("no TracerPid in /proc/" + pid + "/status");
    }

    /** The state letter of /proc/PID/stat: R, S, D, T (stopped), t (tracing stop), Z ... */
    static char state(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    /** Descriptors the process has open now. */
    static int openFds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) s.count();
        }
    }

    /** Waits until no debugger is attached and the process is running; fails after the timeout. */
    static void awaitUntouched(long pid, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            int tracer = tracerPid(pid);
            char state = state(pid);
            if (tracer == 0 && state != 'T' && state != 't') return;
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("pid " + pid + " still traced by " + tracer + " or stopped (state " + state + ") after " + timeoutMillis + "ms");
            }
            Thread.sleep(100);
        }
    }

    /** A jhtrace command line in a JVM of its own (for killing it). */
    static Process jhtrace(Path log, String... args) throws IOException {
        return new ProcessBuilder(dev.jhtrace.shell.CliRunner.inOwnJvm(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The Chromium executable on the PATH, or null. */
    static String chromium() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    /** Size of all files in a directory. */
    static long size(Path dir) throws IOException {
        long total = 0;
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) total += Files.size(p);
        }
        return total;
    }
}
