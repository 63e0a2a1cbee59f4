package dev.jhtrace.shell;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the jhtrace command line in-process and captures what it prints. */
public record CliRunner(int exitCode, String out, String err) {

    /** The command line that runs jhtrace with {@code args} in a JVM of its own (to signal, kill or feed it). */
    public static List<String> inOwnJvm(String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static CliRunner run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRunner(code, out.toString(), err.toString());
    }

    /** Runs the command line in-process on another thread; what it wrote to stderr so far can be read while it runs. */
    public static Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.util.concurrent.CompletableFuture<CliRunner> result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
            return new CliRunner(code, out.toString(), err.toString());
        });
        return new Running(result, err);
    }

    /** A command line running in-process ({@link #start}). */
    public record Running(java.util.concurrent.CompletableFuture<CliRunner> result, StringWriter err) {
        /** Waits until stderr contains {@code text}; fails if the command ends first or the time runs out. */
        public void awaitErr(String text, long timeoutMillis) throws InterruptedException {
            long end = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (!err.toString().contains(text)) {
                if (result.isDone() || System.nanoTime() > end) throw new AssertionError("no '" + text + "' on stderr: " + err);
                Thread.sleep(20);
            }
        }
    }
}
