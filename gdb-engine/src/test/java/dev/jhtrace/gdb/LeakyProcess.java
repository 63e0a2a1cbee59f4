package dev.jhtrace.gdb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The {@code leaky} example driven through its stdin: each command returns its "ok" line. */
public final class LeakyProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final OutputStream in;

    private LeakyProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = process.getOutputStream();
    }

    /** Starts leaky and waits for its "ready" line. */
    public static LeakyProcess start() {
        try {
            LeakyProcess p = new LeakyProcess(new ProcessBuilder(LinuxExamples.build("leaky").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            p.readLine();
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Wraps a process already started (e.g. by the engine's launch) running leaky. */
    public static LeakyProcess of(Process process) {
        LeakyProcess p = new LeakyProcess(process);
        p.readLine();
        return p;
    }

    public int pid() {
        return (int) process.pid();
    }

    public Process process() {
        return process;
    }

    /** Sends a command and returns its answer line; fails on "err" or no answer within 30 s. */
    public String send(String command) {
        try {
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new IllegalStateException("leaky is gone: " + e, e);
        }
        String line = readLine();
        if (!line.startsWith("ok")) throw new IllegalStateException("leaky answered '" + line + "' to '" + command + "'");
        return line;
    }

    /** The next output line. */
    public String readLine() {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = f.get(30, TimeUnit.SECONDS);
            if (line == null) throw new IllegalStateException("leaky closed its output");
            return line;
        } catch (Exception e) {
            throw new IllegalStateException("no answer from leaky: " + e, e);
        }
    }

    /** The descriptor count leaky reports for itself. */
    public int count() {
        return Integer.parseInt(send("count").substring(3).strip());
    }

    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
