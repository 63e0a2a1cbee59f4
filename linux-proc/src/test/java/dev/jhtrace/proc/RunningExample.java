package dev.jhtrace.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An example program running for a test: started, read until it prints a line starting with {@code ready}, and
 * ended by closing its stdin (the examples exit at end of input), forcibly only if it does not exit by itself.
 */
final class RunningExample implements AutoCloseable {
    private final Process process;
    private final List<String> lines;

    private RunningExample(Process process, List<String> lines) {
        this.process = process;
        this.lines = lines;
    }

    static RunningExample start(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.startsWith("ready")) return new RunningExample(p, List.copyOf(lines));
        }
        p.destroyForcibly();
        throw new IllegalStateException(command + " ended before it was ready; it printed " + lines);
    }

    int pid() {
        return (int) process.pid();
    }

    /** What the program printed up to and including its {@code ready} line. */
    List<String> lines() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
