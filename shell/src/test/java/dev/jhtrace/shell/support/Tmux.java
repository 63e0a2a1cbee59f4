package dev.jhtrace.shell.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real terminal for driving jhtrace the way a person does: a detached tmux session, keystrokes in
 * with {@code send-keys}, the screen out with {@code capture-pane}.
 */
public final class Tmux implements AutoCloseable {
    private final String session;
    private final String socket;
    private final Path raw;

    private Tmux(String session, String socket, Path raw) {
        this.session = session;
        this.socket = socket;
        this.raw = raw;
    }

    /** Whether tmux can run here. */
    public static boolean available() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * Starts {@code jhtrace ARGS} (this build's classes, {@code user.home} = {@code home}) in a
     * 160x50 terminal. When it ends the pane shows {@code EXITED rc=N} and stays open.
     */
    public static Tmux jhtrace(Path home, String... args) throws IOException, InterruptedException {
        Path launcher = home.resolve("jhtrace.sh");
        StringBuilder sh = new StringBuilder("#!/bin/sh\n");
        sh.append("cd '").append(Examples.root()).append("'\n");
        sh.append("'").append(Path.of(System.getProperty("java.home"), "bin", "java")).append("' -Duser.home='").append(home)
                .append("' -Djhtrace.home='").append(Examples.root()).append("' -cp '").append(classPath()).append("' dev.jhtrace.shell.Main");
        for (String a : args) sh.append(" '").append(a.replace("'", "'\\''")).append("'");
        sh.append("\necho \"EXITED rc=$?\"\nsleep 600\n");
        Files.writeString(launcher, sh.toString(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        String name = "jhtrace-test-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(100000);
        // a server of our own: other tests on this machine may kill the default one
        String socket = home.resolve("tmux.sock").toString();
        Path raw = home.resolve("terminal-output.raw");
        // the launcher waits for the output log to be connected, so that nothing escapes it
        run("tmux", "-S", socket, "new-session", "-d", "-s", name, "-x", "160", "-y", "50", "sh", "-c", "sleep 0.3; exec '" + launcher + "'");
        run("tmux", "-S", socket, "pipe-pane", "-t", name, "cat > '" + raw + "'");
        return new Tmux(name, socket, raw);
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** Types text (literally, no key names). */
    public Tmux type(String text) throws IOException, InterruptedException {
        run("tmux", "-S", socket, "send-keys", "-t", session, "-l", text);
        return this;
    }

    /** Presses keys by tmux name: {@code Enter}, {@code Tab}, {@code C-c}, {@code C-d}. */
    public Tmux press(String... keys) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket, "send-keys", "-t", session));
        cmd.addAll(List.of(keys));
        run(cmd.toArray(String[]::new));
        return this;
    }

    /** The screen and scrollback as plain text. */
    public String screen() throws IOException, InterruptedException {
        return capture();
    }

    /** Everything the program wrote to the terminal, escape sequences included. */
    public String rawOutput() throws IOException {
        return Files.exists(raw) ? Files.readString(raw, StandardCharsets.ISO_8859_1) : "";
    }

    /** Waits until the screen satisfies {@code condition}; fails with the screen when it does not in time. */
    public String waitFor(String what, Predicate<String> condition, long timeoutMillis) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        String s;
        do {
            s = screen();
            if (condition.test(s)) return s;
            Thread.sleep(100);
        } while (System.nanoTime() < end);
        throw new AssertionError("waited " + timeoutMillis + " ms for " + what + "; the screen:\n" + s);
    }

    /** Waits until the screen contains {@code text}. */
    public String waitFor(String text, long timeoutMillis) throws IOException, InterruptedException {
        return waitFor("'" + text + "'", s -> s.contains(text), timeoutMillis);
    }

    /** Waits until {@code text} occurs {@code times} times on the screen. */
    public String waitForCount(String text, int times, long timeoutMillis) throws IOException, InterruptedException {
        return waitFor(times + " x '" + text + "'", s -> count(s, text) >= times, timeoutMillis);
    }

    public static int count(String s, String text) {
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) n++;
        return n;
    }

    /** The last line of the screen that is not blank. */
    public String lastLine() throws IOException, InterruptedException {
        List<String> lines = screen().lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private String capture() throws IOException, InterruptedException {
        List<String> cmd = List.of("tmux", "-S", socket, "capture-pane", "-p", "-J", "-S", "-2000", "-t", session);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("tmux", "-S", socket, "kill-server").redirectErrorStream(true).start().waitFor();
    }
}
