package dev.jhtrace.shell.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A running examples/linux/leaky-rates under a unique name (it leaks a socket every 100 ms, a file
 * every 250 ms, an eventfd every second). The test started it, so closing kills it.
 */
public final class LeakyTarget implements AutoCloseable {
    private final Process process;
    private final String name;

    private LeakyTarget(Process process, String name) {
        this.process = process;
        this.name = name;
    }

    /** Starts leaky-rates, named {@code jt<prefix><digits>}, for at most {@code seconds}. */
    public static LeakyTarget start(String prefix, int seconds) throws IOException {
        String name = "jt" + prefix + ThreadLocalRandom.current().nextInt(1000, 9999);
        Path exe = Examples.build("leaky-rates", name);
        Process p = new ProcessBuilder(exe.toString(), String.valueOf(seconds)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new LeakyTarget(p, name);
    }

    public int pid() {
        return (int) process.pid();
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** How many descriptors it holds now. */
    public int descriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Integer.toString(pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    /** Waits until it holds at least {@code count} descriptors (it leaks about 14 a second); fails after the timeout. */
    public void awaitDescriptors(int count, long timeoutMillis) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int now;
        while ((now = descriptors()) < count) {
            if (!process.isAlive() || System.nanoTime() > end) throw new AssertionError("waited " + timeoutMillis + " ms for " + count + " descriptors; it holds " + now);
            Thread.sleep(20);
        }
    }

    /** The {@code State:} line's letter of /proc/PID/status: S, R, T (stopped), t (traced) ... */
    public String state() throws IOException {
        return field("State").substring(0, 1);
    }

    /** The pid of the process tracing it (gdb), 0 when none. */
    public int tracerPid() throws IOException {
        return Integer.parseInt(field("TracerPid"));
    }

    /**
     * Waits until no debugger is attached and the process runs (not stopped), as jhtrace must leave it;
     * returns a description of how it was left otherwise.
     */
    public String waitUntilRunningFree(long timeoutMillis) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            if (!process.isAlive()) return "the target exited";
            String state = state();
            int tracer = tracerPid();
            if (tracer == 0 && !state.equals("T") && !state.equals("t")) return null;
            if (System.nanoTime() > end) return "state " + state + ", tracer " + tracer;
            Thread.sleep(50);
        }
    }

    private String field(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith(key + ":")) return line.substring(key.length() + 1).trim();
        }
        throw new IOException("no " + key + " in /proc/" + pid() + "/status");
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
