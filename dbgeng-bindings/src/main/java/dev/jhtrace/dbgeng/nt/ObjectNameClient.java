package dev.jhtrace.dbgeng.nt;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Asks a helper process for object names, one handle at a time, and kills it when an answer takes
 * longer than the timeout. NtQueryObject can block forever on a synchronous file or pipe, and a JVM
 * thread stuck in a native call can be neither interrupted nor stopped, so the query runs in a
 * separate process ({@link ObjectNameWorker}) that can always be killed. After a kill a fresh helper
 * is started for the remaining handles.
 * <p>
 * Protocol (UTF-8 lines): the helper first prints {@code ready}; then for each request line holding a
 * handle value in hex it prints {@code <hex>\t<name>} or {@code <hex>\t!<problem>}.
 */
public final class ObjectNameClient implements AutoCloseable {
    private static final Object EOF = new Object();

    private final List<String> command;
    private final long timeoutMillis;
    private final long startTimeoutMillis;
    private Process process;
    private Writer requests;
    private BlockingQueue<Object> answers;
    private int kills;

    /**
     * @param command            the helper's command line
     * @param timeoutMillis      how long one name may take before the helper is killed
     * @param startTimeoutMillis how long the helper may take to say {@code ready} (a JVM start)
     */
    public ObjectNameClient(List<String> command, long timeoutMillis, long startTimeoutMillis) {
        if (command.isEmpty()) throw new IllegalArgumentException("helper command is empty");
        if (timeoutMillis < 1 || startTimeoutMillis < 1) throw new JhtraceException(Failure.BAD_INPUT, "name query timeouts must be positive");
        this.command = List.copyOf(command);
        this.timeoutMillis = timeoutMillis;
        this.startTimeoutMillis = startTimeoutMillis;
    }

    /** The command line for {@link ObjectNameWorker} run by the same java executable with this JVM's class path. */
    public static List<String> javaWorkerCommand(int pid) {
        String javaExe = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(javaExe, "-Xss512k", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ObjectNameWorker.class.getName(), Integer.toString(pid));
    }

    /** After this many helpers killed in one {@link #names} call, the remaining handles are not asked. */
    public static final int MAX_KILLS_PER_LISTING = 3;

    /**
     * The name of each handle, in the order given; abandoned ones report {@link NameLookup#TIMED_OUT}.
     * After {@link #MAX_KILLS_PER_LISTING} timeouts the rest are skipped, so a process full of hanging
     * pipes costs a few timeouts, not one per handle.
     */
    public synchronized Map<Long, NameLookup> names(List<Long> handles) {
        Map<Long, NameLookup> result = new LinkedHashMap<>();
        int killsBefore = kills;
        for (Long handle : handles) {
            boolean giveUp = kills - killsBefore >= MAX_KILLS_PER_LISTING;
            result.put(handle, giveUp ? NameLookup.failed("skipped after " + MAX_KILLS_PER_LISTING + " timeouts") : lookup(handle));
        }
        return result;
    }

    /** The name of one handle. */
    public synchronized NameLookup lookup(long handle) {
        if (process == null) start();
        String hex = Long.toHexString(handle);
        try {
            requests.write(hex + "\n");
            requests.flush();
            Object answer = answers.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (answer == null) {
                kill();
                return NameLookup.failed(NameLookup.TIMED_OUT);
            }
            if (answer == EOF) {
                kill();
                return NameLookup.failed("name helper exited");
            }
            return parse(hex, (String) answer);
        } catch (IOException e) {
            kill();
            return NameLookup.failed("name helper exited");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return NameLookup.failed("interrupted");
        }
    }

    private static NameLookup parse(String hex, String line) {
        int tab = line.indexOf('\t');
        if (tab < 0 || !line.substring(0, tab).equalsIgnoreCase(hex)) return NameLookup.failed("name helper answered out of turn");
        String value = line.substring(tab + 1);
        return value.startsWith("!") ? NameLookup.failed(value.substring(1)) : NameLookup.of(value);
    }

    /** Helpers killed so far because an answer timed out or the helper broke (each later query starts a new one). */
    public synchronized int kills() {
        return kills;
    }

    /** The helper's process, while one runs. */
    public synchronized java.util.Optional<ProcessHandle> helper() {
        return process == null ? java.util.Optional.empty() : java.util.Optional.of(process.toHandle());
    }

    private void start() {
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot start the object-name helper: " + e.getMessage(), e);
        }
        requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        answers = queue;
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // a plain reader thread: it ends when the helper's stdout closes, which killing the helper guarantees
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) queue.add(line);
            } catch (IOException ignored) {
                // the helper was killed
            }
            queue.add(EOF);
        }, "jhtrace-name-helper-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            Object ready = queue.poll(startTimeoutMillis, TimeUnit.MILLISECONDS);
            if (!"ready".equals(ready)) {
                kill();
                throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the object-name helper did not start (" + (ready == null ? "no answer in " + startTimeoutMillis + " ms" : "said " + ready) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new JhtraceException(Failure.OTHER, "interrupted while starting the object-name helper", e);
        }
    }

    private void kill() {
        if (process == null) return;
        kills++;
        destroy();
    }

    private void destroy() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stops the helper. Idempotent. */
    @Override
    public synchronized void close() {
        if (process == null) return;
        try {
            requests.close(); // end of input: a healthy helper exits by itself
        } catch (IOException ignored) {
            // already gone
        }
        destroy();
    }
}
